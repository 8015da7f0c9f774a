/**
 * How energy per token reads in the providers table: "1.00 ± 0.01 J" (the 95 % interval's half
 * width), "—" where the host does not serve the model or no token was counted. Pure.
 */
import { NONE } from '../format/units.ts';
import type { EnergyRow } from './analytics-types.ts';

/** A line's energy cell. */
export function joulesText(l: { readonly joulesPerToken: number | null; readonly energy: EnergyRow | null }): string {
  const j = l.joulesPerToken;
  if (j === null || !Number.isFinite(j)) return NONE;
  const digits = j >= 10 ? 1 : j >= 1 ? 2 : 3;
  const iv = l.energy?.interval;
  const half = iv ? (iv[1] - iv[0]) / 2 : null;
  return half === null ? `${j.toFixed(digits)} J` : `${j.toFixed(digits)} ± ${half.toFixed(digits)} J`;
}

/** The tooltip of the cell: what the figure rests on. */
export function joulesTitle(e: EnergyRow | null): string {
  if (e === null) return 'Energy per output token: only for models this host serves (an inference server it scrapes)';
  return `${e.gpus} GPU${e.gpus === 1 ? '' : 's'} at ${e.watts.toFixed(0)} W, ${e.tokensPerSecond.toFixed(1)} tokens/s over ${Math.round(e.coveredMs / 60_000)} min; ${Math.round(e.level * 100)} % interval${e.shared ? '; GPUs shared with other models by their tokens' : ''}`;
}
