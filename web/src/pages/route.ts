/**
 * The dashboard's places, kept in the URL hash so links, reloads and the back button work:
 *
 *   #/                               fleet
 *   #/host/ID                        one host
 *   #/host/ID/series?name=M&k=v…     one series of one host, with its control chart
 *   #/providers   #/violations
 *   #/runs   #/runs/ID   #/runs/compare?a=A&b=B   benchmark runs, one run, B against A
 *
 * Pure: parse and build.
 */
import type { Labels } from '@sigmascope/protocol/series';

/** Where the dashboard is. */
export type Route =
  | { readonly view: 'fleet' }
  | { readonly view: 'providers' }
  | { readonly view: 'violations' }
  | { readonly view: 'host'; readonly agent: string }
  | { readonly view: 'series'; readonly agent: string; readonly name: string; readonly labels: Labels }
  | { readonly view: 'runs' }
  | { readonly view: 'run'; readonly id: string }
  | { readonly view: 'run-compare'; readonly a: string; readonly b: string };

/** Parses a location hash; anything unknown is the fleet. */
export function parseRoute(hash: string): Route {
  const [path = '', query = ''] = hash.replace(/^#/, '').split('?');
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  if (parts[0] === 'providers') return { view: 'providers' };
  if (parts[0] === 'violations') return { view: 'violations' };
  if (parts[0] === 'runs') {
    const params = new URLSearchParams(query);
    const [a, b] = [params.get('a'), params.get('b')];
    if (parts[1] === 'compare' && a && b) return { view: 'run-compare', a, b };
    return parts[1] && parts[1] !== 'compare' ? { view: 'run', id: parts[1] } : { view: 'runs' };
  }
  if (parts[0] === 'host' && parts[1]) {
    if (parts[2] === 'series') {
      const params = new URLSearchParams(query);
      const name = params.get('name');
      if (name) {
        const labels: Record<string, string> = {};
        for (const [k, v] of params) if (k !== 'name') labels[k] = v;
        return { view: 'series', agent: parts[1], name, labels };
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
    case 'runs': return '#/runs';
    case 'run': return `#/runs/${encodeURIComponent(route.id)}`;
    case 'run-compare': return `#/runs/compare?${new URLSearchParams({ a: route.a, b: route.b })}`;
    case 'host': return `#/host/${encodeURIComponent(route.agent)}`;
    case 'series': {
      const q = new URLSearchParams({ name: route.name });
      for (const k of Object.keys(route.labels).sort()) q.append(k, route.labels[k] as string);
      return `#/host/${encodeURIComponent(route.agent)}/series?${q}`;
    }
  }
}
