/**
 * "Have we seen an incident like this before, and what fixed it then?": every incident's
 * signature (incident-signature.ts) is kept with its summary, note and resolution
 * (store/rows/signature-rows.ts), and an incident's nearest past ones come back by cosine
 * distance of their signatures.
 *
 * What the incidents work calls, once incidents exist on the collector:
 *   - `watch(source)` with its IncidentSource: every change (opened, updated, acknowledged,
 *     resolved) re-indexes that incident, so notes and resolutions follow;
 *   - `similar(incident, k)` behind `GET /api/v1/incidents/:id/similar` and the incident view.
 */
import type { Incident, IncidentSource } from '@sigmascope/protocol/incident';
import type { SignatureMatch, SignatureRows } from '../store/rows/signature-rows.ts';
import type { TimeSeriesReader } from '../store/store.ts';
import { incidentSignature } from './incident-signature.ts';
import type { IncidentSignature } from './incident-signature.ts';

export class IncidentSimilarity {
  private readonly rows: SignatureRows;
  private readonly reader: TimeSeriesReader;

  constructor(rows: SignatureRows, reader: TimeSeriesReader) {
    this.rows = rows;
    this.reader = reader;
  }

  /** Computes and stores `incident`'s signature (replacing an older one); returns it. */
  index(incident: Incident): IncidentSignature {
    const sig = incidentSignature(incident, this.reader);
    this.rows.upsert(
      { incidentId: incident.id, startedAt: incident.startedAt, cause: incident.cause, summary: incident.summary, note: incident.note ?? null, state: incident.state, resolvedAt: incident.resolvedAt },
      sig.embedding,
      sig.bits,
    );
    return sig;
  }

  /**
   * The `k` stored incidents most like `incident` (never itself), nearest first, each with its
   * distance (cosine: 0 the same shape, 1 unrelated, 2 opposite). Empty when the incident's
   * window holds no data to compare.
   */
  similar(incident: Incident, k = 5): SignatureMatch[] {
    const sig = incidentSignature(incident, this.reader);
    if (sig.kindsSeen === 0) return [];
    return this.rows.nearest(sig.embedding, sig.bits, k, incident.id);
  }

  /** Indexes every incident of `source` as it changes (and the open ones now); returns the function that stops it. */
  watch(source: IncidentSource, onError: (err: unknown) => void): () => void {
    const safely = (incident: Incident): void => {
      try {
        this.index(incident);
      } catch (err) {
        onError(err);
      }
    };
    for (const incident of source.open()) safely(incident);
    return source.subscribe((change) => safely(change.incident));
  }
}
