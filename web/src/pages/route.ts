/**
 * The dashboard's places, kept in the URL hash so links, reloads and the back button work:
 *
 *   #/                               fleet
 *   #/host/ID                        one host
 *   #/host/ID/series?name=M&k=v…     one series of one host, with its control chart
 *   #/providers   #/violations   #/alerts
 *   #/incidents                      incidents, newest first
 *   #/incidents/ID                   one incident: its evidence on one time axis
 *   #/runs   #/runs/ID   #/runs/compare?a=A&b=B   benchmark runs, one run, B against A
 *
 * Every place also carries the view's time in its query: `range` (a span: 5m, 15m, 1h, 6h, 24h,
 * 7d), `end` (ms; absent while live) and `paused=1`, so a link or a reload shows the same window.
 * A series opened from a violation carries the limits that raised it: `center`, `sigma` (chart
 * units) and `at` (the violation's ms). These names are reserved, never read as labels.
 *
 * Pure: parse and build.
 */
import type { Labels } from '@sigmascope/protocol/series';
import { RANGE_PRESETS } from '../controls/time-range.ts';
import type { TimeRange } from '../controls/time-range.ts';

/** Where the dashboard is. */
export type Route =
  | { readonly view: 'fleet' }
  | { readonly view: 'providers' }
  | { readonly view: 'violations' }
  | { readonly view: 'alerts' }
  | { readonly view: 'incidents' }
  | { readonly view: 'incident'; readonly id: string }
  | { readonly view: 'host'; readonly agent: string }
  | { readonly view: 'series'; readonly agent: string; readonly name: string; readonly labels: Labels; readonly limits?: ViolationLimits }
  | { readonly view: 'runs' }
  | { readonly view: 'run'; readonly id: string }
  | { readonly view: 'run-compare'; readonly a: string; readonly b: string };

/** The limits a violation was raised with, and when: the series view opens its chart on them. */
export interface ViolationLimits {
  readonly center: number;
  readonly sigma: number;
  readonly at: number;
}

/** The time a place shows: a range (span and end, null while live) and whether live is paused. */
export interface ViewTime {
  readonly range: TimeRange;
  readonly paused: boolean;
}

const RESERVED = new Set(['name', 'range', 'end', 'paused', 'center', 'sigma', 'at']);
const SPANS: Readonly<Record<string, number>> = { '5m': 300_000, '15m': 900_000, '1h': 3_600_000, '6h': 21_600_000, '24h': 86_400_000, '7d': 604_800_000 };

/** "15m" for 900000, or the ms as text for a span the picker does not offer. */
function spanName(ms: number): string {
  return Object.entries(SPANS).find(([, v]) => v === ms)?.[0] ?? String(ms);
}

/** The view time a hash asks for; absent parts are null (the page keeps what it has). */
export function parseViewTime(hash: string): { spanMs: number | null; end: number | null | undefined; paused: boolean } {
  const params = new URLSearchParams(hash.split('?')[1] ?? '');
  const r = params.get('range');
  const spanMs = r === null ? null : (SPANS[r] ?? (/^\d+$/.test(r) && RANGE_PRESETS.some((p) => p.spanMs === Number(r)) ? Number(r) : null));
  const e = params.get('end');
  const end = e === null ? undefined : /^\d{1,16}$/.test(e) ? Number(e) : undefined;
  return { spanMs, end, paused: params.get('paused') === '1' };
}

/** `href` with the view time in its query (replacing any there). */
export function withViewTime(href: string, t: ViewTime): string {
  const [path = '', query = ''] = href.split('?');
  const q = new URLSearchParams(query);
  for (const k of ['range', 'end', 'paused']) q.delete(k);
  q.set('range', spanName(t.range.spanMs));
  if (t.range.end !== null) q.set('end', String(Math.round(t.range.end)));
  if (t.paused && t.range.end === null) q.set('paused', '1');
  return `${path}?${q}`;
}

/** Parses a location hash; anything unknown is the fleet. */
export function parseRoute(hash: string): Route {
  const [path = '', query = ''] = hash.replace(/^#/, '').split('?');
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  const num = (v: string | null): number | null => (v !== null && v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : null);
  if (parts[0] === 'providers') return { view: 'providers' };
  if (parts[0] === 'violations') return { view: 'violations' };
  if (parts[0] === 'alerts') return { view: 'alerts' };
  if (parts[0] === 'runs') {
    const params = new URLSearchParams(query);
    const [a, b] = [params.get('a'), params.get('b')];
    if (parts[1] === 'compare' && a && b) return { view: 'run-compare', a, b };
    return parts[1] && parts[1] !== 'compare' ? { view: 'run', id: parts[1] } : { view: 'runs' };
  }
  if (parts[0] === 'incidents') return parts[1] ? { view: 'incident', id: parts[1] } : { view: 'incidents' };
  if (parts[0] === 'host' && parts[1]) {
    if (parts[2] === 'series') {
      const params = new URLSearchParams(query);
      const name = params.get('name');
      if (name) {
        const labels: Record<string, string> = {};
        for (const [k, v] of params) if (!RESERVED.has(k)) labels[k] = v;
        const center = num(params.get('center'));
        const sigma = num(params.get('sigma'));
        const at = num(params.get('at'));
        const limits = center !== null && sigma !== null && at !== null ? { center, sigma, at } : undefined;
        return limits ? { view: 'series', agent: parts[1], name, labels, limits } : { view: 'series', agent: parts[1], name, labels };
      }
    }
    return { view: 'host', agent: parts[1] };
  }
  return { view: 'fleet' };
}

/** The hash of a route (with the leading '#'). */
export function routeHref(route: Route): string {
  switch (route.view) {
    case 'fleet': return '#/';
    case 'providers': return '#/providers';
    case 'violations': return '#/violations';
    case 'alerts': return '#/alerts';
    case 'runs': return '#/runs';
    case 'run': return `#/runs/${encodeURIComponent(route.id)}`;
    case 'run-compare': return `#/runs/compare?${new URLSearchParams({ a: route.a, b: route.b })}`;
    case 'incidents': return '#/incidents';
    case 'incident': return `#/incidents/${encodeURIComponent(route.id)}`;
    case 'host': return `#/host/${encodeURIComponent(route.agent)}`;
    case 'series': {
      const q = new URLSearchParams({ name: route.name });
      for (const k of Object.keys(route.labels).sort()) q.append(k, route.labels[k] as string);
      if (route.limits) for (const k of ['center', 'sigma', 'at'] as const) q.append(k, String(route.limits[k]));
      return `#/host/${encodeURIComponent(route.agent)}/series?${q}`;
    }
  }
}
