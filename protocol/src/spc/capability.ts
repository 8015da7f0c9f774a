/**
 * Process capability against the user's specification limits (an SLO), never against the data's
 * own spread. Formulas of qcc's `processCapability` with 3σ:
 *
 *   Cp  = (USL − LSL) / 6σ          Cpk = min(USL − μ, μ − LSL) / 3σ      σ = the chart's within σ
 *   Pp, Ppk: the same with the overall sample SD of the data
 *   Cpm = Cp / √(1 + ((μ − T)/σ)²)  T = target, by default the middle of the spec limits
 *
 * One-sided specs give Cpk and Ppk only. Indices that cannot be computed are null, never NaN.
 */
import { sampleStandardDeviation } from 'simple-statistics';

/** Specification limits in chart units; at least one of lsl/usl. */
export interface SpecLimits {
  readonly lsl?: number;
  readonly usl?: number;
  readonly target?: number;
}

/** Capability indices; null where the spec or the data does not define them. JSON-safe. */
export interface Capability {
  readonly cp: number | null;
  readonly cpl: number | null;
  readonly cpu: number | null;
  readonly cpk: number | null;
  readonly cpm: number | null;
  readonly pp: number | null;
  readonly ppl: number | null;
  readonly ppu: number | null;
  readonly ppk: number | null;
  readonly lsl: number | null;
  readonly usl: number | null;
  readonly target: number | null;
  /** The overall sample SD Pp and Ppk use. */
  readonly overallSd: number | null;
}

/**
 * Capability of `data` (the baseline observations) whose chart has centre `center` and within σ
 * `sigma`. Returns an error string when neither limit is given or LSL ≥ USL.
 */
export function capability(data: readonly number[], center: number, sigma: number, spec: SpecLimits): Capability | { error: string } {
  const lsl = spec.lsl ?? null;
  const usl = spec.usl ?? null;
  if (lsl === null && usl === null) return { error: 'capability needs --lsl or --usl' };
  if (lsl !== null && usl !== null && !(lsl < usl)) return { error: `lsl (${lsl}) must be below usl (${usl})` };
  const target = spec.target ?? (lsl !== null && usl !== null ? (lsl + usl) / 2 : null);
  const overall = data.length >= 2 ? sampleStandardDeviation(data as number[]) : null;
  const within = indices(center, sigma, lsl, usl);
  const total = overall === null ? null : indices(center, overall, lsl, usl);
  const cpm = within.cp === null || target === null ? null : finite(within.cp / Math.sqrt(1 + ((center - target) / sigma) ** 2));
  return {
    cp: within.cp,
    cpl: within.lower,
    cpu: within.upper,
    cpk: within.k,
    cpm,
    pp: total?.cp ?? null,
    ppl: total?.lower ?? null,
    ppu: total?.upper ?? null,
    ppk: total?.k ?? null,
    lsl,
    usl,
    target,
    overallSd: overall,
  };
}

function indices(center: number, sd: number, lsl: number | null, usl: number | null) {
  const cp = lsl !== null && usl !== null ? finite((usl - lsl) / (6 * sd)) : null;
  const upper = usl !== null ? finite((usl - center) / (3 * sd)) : null;
  const lower = lsl !== null ? finite((center - lsl) / (3 * sd)) : null;
  const sides = [upper, lower].filter((x): x is number => x !== null);
  const k = sides.length > 0 ? Math.min(...sides) : null;
  return { cp, upper, lower, k };
}

/** Zero spread gives ±Infinity: not a number a JSON client can use. */
function finite(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}
