/**
 * How long each resolution is kept. Defaults from the storage issue: raw (and the 10 s tier)
 * 7 days, 1 min 90 days, 1 h 2 years. The collector's config supplies overrides.
 */
export interface RetentionPolicy {
  readonly rawMs: number;
  readonly tier10sMs: number;
  readonly tier1mMs: number;
  readonly tier1hMs: number;
}

const DAY = 86_400_000;

export const DEFAULT_RETENTION: RetentionPolicy = Object.freeze({ rawMs: 7 * DAY, tier10sMs: 7 * DAY, tier1mMs: 90 * DAY, tier1hMs: 730 * DAY });
