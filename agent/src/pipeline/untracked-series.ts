/**
 * The series a bounded watch (SPC, anomaly) refused because it was full: each counted once, by
 * key, remembering at most `limit` keys; past that every refused sample counts, so memory stays
 * bounded whatever a host sends.
 */
export class UntrackedSeries {
  private readonly keys = new Set<string>();
  private readonly limit: number;
  private n = 0;

  constructor(limit = 4096) {
    this.limit = limit;
  }

  /** Counts `key` unless it was counted already. */
  note(key: string): void {
    if (this.keys.has(key)) return;
    this.n++;
    if (this.keys.size < this.limit) this.keys.add(key);
  }

  /** Series refused (exact while fewer than `limit`). */
  get count(): number {
    return this.n;
  }
}
