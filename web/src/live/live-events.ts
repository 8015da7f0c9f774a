/**
 * Turns live-feed events into the rows the violations list shows on the agent's status page
 * between two polls of /api/status (whose `violations` carry the collector's states), and for an
 * agent too old to list them: there violations exist only as the SPC events it raised (no id).
 */
import type { Violation } from '../api/api-types.ts';

/** A feed event as it arrives: a kind, a time, the agent, and the kind's fields. */
type FeedEvent = { readonly kind: string; readonly ts: number; readonly agent: string };

/** SPC events of `events` as open violations, newest first. Other kinds are skipped. */
export function violationsFromEvents(events: readonly FeedEvent[]): Violation[] {
  const out: Violation[] = [];
  for (const e of events) {
    if (e.kind !== 'spc') continue;
    const s = e as unknown as Omit<Violation, 'state'>;
    out.push({ agent: e.agent, ts: e.ts, name: s.name, labels: s.labels ?? {}, rule: String(s.rule), value: s.value, center: s.center, sigma: s.sigma, state: 'open' });
  }
  return out.sort((a, b) => b.ts - a.ts);
}
