/**
 * Migrations of the product's features beside the sample store (incidents, alerts, audit, runs,
 * remote-write cursors, …): each feature owns an ordered list in its own file under features/,
 * versioned on its own in `feature_schema`, so features grow their tables without renumbering one
 * another's. Entry i of a list takes that feature from version i to i+1. Never edit a shipped one.
 * The core layout (samples, chunks, rollups, agents, tokens) stays in migrations.ts.
 */
import { ALERTS_MIGRATIONS } from './features/alerts.ts';
import { AUDIT_MIGRATIONS } from './features/audit.ts';
import { INCIDENT_MIGRATIONS } from './features/incidents.ts';
import { EXPORT_CURSOR_MIGRATIONS } from './features/export-cursors.ts';
import { SPC_BASELINES_MIGRATIONS } from './features/spc-baselines.ts';
import { RUNS_MIGRATIONS } from './features/runs.ts';
import { TOKEN_LIFECYCLE_MIGRATIONS } from './features/token-lifecycle.ts';
import { SESSIONS_MIGRATIONS } from './features/sessions.ts';

import { ANOMALIES_MIGRATIONS } from './features/anomalies.ts';
import { INCIDENT_SIGNATURE_MIGRATIONS } from './features/incident-signatures.ts';

/** Feature name → its migrations, in order. Add a feature with one line here and one file in features/. */
export const FEATURE_MIGRATIONS: Readonly<Record<string, readonly string[]>> = {
  alerts: ALERTS_MIGRATIONS,
  audit: AUDIT_MIGRATIONS,
  'spc-baselines': SPC_BASELINES_MIGRATIONS,
  runs: RUNS_MIGRATIONS,
  exportCursors: EXPORT_CURSOR_MIGRATIONS,
  'token-lifecycle': TOKEN_LIFECYCLE_MIGRATIONS,
  incidents: INCIDENT_MIGRATIONS,
  sessions: SESSIONS_MIGRATIONS,
  anomalies: ANOMALIES_MIGRATIONS,
  'incident-signatures': INCIDENT_SIGNATURE_MIGRATIONS,
};
