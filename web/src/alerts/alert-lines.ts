/**
 * Shapes alerts for the Alerts view: firing first (newest first within), each channel's latest
 * delivery as one short state a person reads at a glance, and the matchers a silence form
 * starts from. Pure.
 */
import type { AlertView, Delivery } from '@sigmascope/protocol/alert-view';

/** One channel's state for one alert. */
export interface ChannelState {
  readonly channel: string;
  readonly tone: 'ok' | 'warn' | 'bad';
  /** `delivered`, `retrying (3 attempts)`, `gave up`, `queued` … */
  readonly text: string;
  /** The error behind a retry or a give-up; the time delivered otherwise. */
  readonly detail: string;
}

/** Firing before resolved; newer start first. */
export function sortAlerts(alerts: readonly AlertView[]): AlertView[] {
  return [...alerts].sort((a, b) => (a.state === b.state ? b.startsAt - a.startsAt : a.state === 'firing' ? -1 : 1));
}

function stateOf(d: Delivery): ChannelState {
  const what = d.kind === 'resolved' ? 'resolve' : d.kind === 'repeat' ? 'repeat' : 'firing';
  if (d.state === 'delivered') return { channel: d.channel, tone: 'ok', text: `${what} delivered`, detail: d.deliveredAt === null ? '' : new Date(d.deliveredAt).toISOString() };
  if (d.state === 'failed') return { channel: d.channel, tone: 'bad', text: `${what} gave up`, detail: d.lastError ?? '' };
  if (d.attempts === 0) return { channel: d.channel, tone: 'warn', text: `${what} queued`, detail: '' };
  return { channel: d.channel, tone: 'warn', text: `${what} retrying (${d.attempts} attempt${d.attempts === 1 ? '' : 's'})`, detail: d.lastError ?? '' };
}

/** Each channel's latest notification state, channels in name order. */
export function channelStates(alert: AlertView): ChannelState[] {
  const latest = new Map<string, Delivery>();
  for (const d of alert.deliveries) latest.set(d.channel, d);
  return [...latest.values()].sort((a, b) => a.channel.localeCompare(b.channel)).map(stateOf);
}

/** Why a firing alert tells nobody, in words; null when it does. */
export function suppressionText(alert: AlertView): string | null {
  if (alert.suppressed === null) return null;
  return alert.suppressed.by === 'silence' ? `silenced (${alert.suppressed.id})` : `inhibited by incident ${alert.suppressed.id}`;
}

/** The matchers a "silence like this" form starts from: the rule and the alert's labels. */
export function silenceMatchersFor(alert: AlertView): Record<string, string> {
  return { rule: alert.rule, ...alert.labels };
}

/** Parses the silence form's matcher text: `label=value` pairs separated by commas or new lines. */
export function parseMatchers(text: string): { ok: true; matchers: Record<string, string> } | { ok: false; error: string } {
  const matchers: Record<string, string> = {};
  for (const part of text.split(/[,\n]/).map((p) => p.trim()).filter(Boolean)) {
    const m = /^([a-z][a-z0-9_.]*)\s*=\s*(.+)$/.exec(part);
    if (m === null) return { ok: false, error: `“${part}” is not label=value` };
    matchers[m[1] as string] = (m[2] as string).trim();
  }
  return Object.keys(matchers).length === 0 ? { ok: false, error: 'give at least one label=value' } : { ok: true, matchers };
}

/** `label=value, …` for a form field or a table cell. */
export function matchersText(m: Readonly<Record<string, string>>): string {
  return Object.entries(m).map(([k, v]) => `${k}=${v}`).join(', ');
}
