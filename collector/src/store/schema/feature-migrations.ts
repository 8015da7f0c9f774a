/**
 * Migrations of the product's features beside the sample store (incidents, alerts, audit, runs,
 * remote-write cursors, …): each feature owns an ordered list in its own file under features/,
 * versioned on its own in `feature_schema`, so features grow their tables without renumbering one
 * another's. Entry i of a list takes that feature from version i to i+1. Never edit a shipped one.
 * The core layout (samples, chunks, rollups, agents, tokens) stays in migrations.ts.
 */

import { ANOMALIES_MIGRATIONS } from './features/anomalies.ts';
import { INCIDENT_SIGNATURE_MIGRATIONS } from './features/incident-signatures.ts';

/** Feature name → its migrations, in order. Add a feature with one line here and one file in features/. */
export const FEATURE_MIGRATIONS: Readonly<Record<string, readonly string[]>> = {
  anomalies: ANOMALIES_MIGRATIONS,
  'incident-signatures': INCIDENT_SIGNATURE_MIGRATIONS,
};
