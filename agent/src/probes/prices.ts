/**
 * List prices for the cost of a probe, in USD per million tokens, dated: prices change and a
 * stale table must say how old it is. Users override or extend it in the agent config
 * (`probes.prices`). Lookup is by exact model name, else the longest known prefix, so dated
 * model ids (`gpt-4o-2024-08-06`) find their family and `gpt-4o-mini` never takes `gpt-4o`'s price.
 */

export interface ModelPrice {
  /** USD per 1,000,000 input tokens. */
  readonly input: number;
  /** USD per 1,000,000 output tokens. */
  readonly output: number;
}

export interface PriceTable {
  /** The date the prices were read from the providers' pricing pages (YYYY-MM-DD). */
  readonly asOf: string;
  readonly models: Readonly<Record<string, ModelPrice>>;
}

/** Built-in list prices (standard tier, no batch or cache discounts). */
export const DEFAULT_PRICES: PriceTable = Object.freeze({
  asOf: '2025-08-01',
  models: Object.freeze({
    'gpt-4o': { input: 2.5, output: 10 },
    'gpt-4o-mini': { input: 0.15, output: 0.6 },
    'gpt-4.1': { input: 2, output: 8 },
    'gpt-4.1-mini': { input: 0.4, output: 1.6 },
    'gpt-4.1-nano': { input: 0.1, output: 0.4 },
    'o4-mini': { input: 1.1, output: 4.4 },
    'claude-3-5-haiku': { input: 0.8, output: 4 },
    'claude-3-5-sonnet': { input: 3, output: 15 },
    'claude-3-7-sonnet': { input: 3, output: 15 },
    'claude-sonnet-4': { input: 3, output: 15 },
    'claude-opus-4': { input: 15, output: 75 },
    'gemini-2.0-flash': { input: 0.1, output: 0.4 },
    'gemini-2.0-flash-lite': { input: 0.075, output: 0.3 },
    'gemini-2.5-flash': { input: 0.3, output: 2.5 },
    'gemini-2.5-pro': { input: 1.25, output: 10 },
  }),
});

/** The built-in table with `override` merged over it (override's date wins when given). */
export function mergePrices(base: PriceTable, override: { asOf?: string; models?: Record<string, ModelPrice> } | undefined): PriceTable {
  if (override === undefined) return base;
  return Object.freeze({ asOf: override.asOf ?? base.asOf, models: Object.freeze({ ...base.models, ...override.models }) });
}

/** The price of `model`, or null when the table does not know it (local models cost nothing we can see). */
export function priceOf(table: PriceTable, model: string): ModelPrice | null {
  const exact = table.models[model];
  if (exact) return exact;
  let best: string | null = null;
  for (const name of Object.keys(table.models)) if (model.startsWith(name) && (best === null || name.length > best.length)) best = name;
  return best === null ? null : (table.models[best] ?? null);
}

/** Cost in USD of one exchange; null when a count or the price is unknown. */
export function costUsd(table: PriceTable, model: string, inputTokens: number | null, outputTokens: number | null): number | null {
  const p = priceOf(table, model);
  if (p === null || inputTokens === null || outputTokens === null) return null;
  return (inputTokens * p.input + outputTokens * p.output) / 1e6;
}
