/** Counters of the ingest path, served by /api/v1/stats and /metrics. */
export interface IngestStats {
  framesStored: number;
  samplesStored: number;
  /** Batches received again after they were stored (acked again, not stored). */
  framesDuplicate: number;
  samplesDuplicate: number;
  /** Samples acknowledged but set apart, stamped too far in the collector's future (future-samples.ts). */
  samplesQuarantined: number;
  /** Samples acknowledged but not stored: their series were new beyond the series caps (series-admission.ts). */
  samplesRefused: number;
  /** New series refused, counted in every stored frame they came in. */
  seriesRefused: number;
  /** The series caps in force (set by the ingest server). */
  seriesMaxPerAgent: number;
  seriesMaxTotal: number;
  /** Store transactions that committed batches (group commits: frames stored / commits = frames per commit). */
  commits: number;
  /** Store transactions that failed (a full disk, a write error); their batches were not acknowledged. */
  commitFailures: number;
  /** Why the store refused the last batch it was given, while no commit has succeeded since; else null. */
  storeRefusing: string | null;
  /** Frames refused, by reject code. */
  framesRejected: Record<string, number>;
  /** Upgrade requests refused, by reason (no_token, bad_token, wrong_role, rate_limited). */
  authRefused: Record<string, number>;
  connectionsOpen: number;
  connectionsTotal: number;
  /** Open connections closed (4004) because their token was revoked. */
  connectionsRevoked: number;
}

export function emptyIngestStats(): IngestStats {
  return { framesStored: 0, samplesStored: 0, framesDuplicate: 0, samplesDuplicate: 0, samplesQuarantined: 0, samplesRefused: 0, seriesRefused: 0, seriesMaxPerAgent: 0, seriesMaxTotal: 0, commits: 0, commitFailures: 0, storeRefusing: null, framesRejected: {}, authRefused: {}, connectionsOpen: 0, connectionsTotal: 0, connectionsRevoked: 0 };
}
