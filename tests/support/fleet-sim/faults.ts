/**
 * Faults the simulated fleet can suffer, and what the detector should conclude from each:
 *
 *   provider  a hosted provider (or one of its models) answers `factor` times slower at every
 *             host that probes it                       → cause provider, scope = that provider
 *   host      one host saturates its GPUs or its CPU: utilization pinned, its vLLM queue fills,
 *             its server and its probes of it `factor` times slower  → cause host, that host
 *   network   one host's path gets `delayMs` more per round trip: connect, TLS and the first
 *             byte of every hosted provider it probes  → cause network, that host
 *
 * Times are ms on the wall clock the simulated agents stamp their samples with.
 */

export type Fault =
  | { readonly kind: 'provider'; readonly provider: string; readonly model: string | null; readonly factor: number; readonly onset: number; readonly end: number }
  | { readonly kind: 'host'; readonly agent: string; readonly saturate: 'gpu' | 'cpu'; readonly factor: number; readonly onset: number; readonly end: number }
  | { readonly kind: 'network'; readonly agent: string; readonly delayMs: number; readonly onset: number; readonly end: number };

export type FaultKind = Fault['kind'];

/** The faults in effect at `ts`. */
export function activeFaults(faults: readonly Fault[], ts: number): Fault[] {
  return faults.filter((f) => ts >= f.onset && ts < f.end);
}

/** What a correct incident for `f` says: its cause, and its provider (provider faults) or its one agent. */
export function expectedScope(f: Fault): { cause: FaultKind; provider: string | null; agents: readonly string[] | null } {
  return f.kind === 'provider' ? { cause: 'provider', provider: f.provider, agents: null } : { cause: f.kind, provider: null, agents: [f.agent] };
}

/** A short description for reports: "provider anthropic ×1.8", "host gpu-03 gpu ×2.4", "network gpu-07 +80 ms". */
export function describeFault(f: Fault): string {
  if (f.kind === 'provider') return `provider ${f.provider}${f.model ? `/${f.model}` : ''} ×${f.factor.toFixed(2)}`;
  if (f.kind === 'host') return `host ${f.agent} ${f.saturate} ×${f.factor.toFixed(2)}`;
  return `network ${f.agent} +${f.delayMs} ms`;
}
