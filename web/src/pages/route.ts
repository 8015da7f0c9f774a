/**
 * The dashboard's places, kept in the URL hash so links, reloads and the back button work:
 *
 *   #/                               fleet
 *   #/host/ID                        one host
 *   #/host/ID/series?name=M&k=v…     one series of one host, with its control chart
 *   #/providers   #/violations
 *   #/incidents                      incidents, newest first
 *   #/incidents/ID                   one incident: its evidence on one time axis
 *
 * Pure: parse and build.
 */
import type { Labels } from '@sigmascope/protocol/series';

/** Where the dashboard is. */
export type Route =
  | { readonly view: 'fleet' }
  | { readonly view: 'providers' }
  | { readonly view: 'violations' }
  | { readonly view: 'incidents' }
  | { readonly view: 'incident'; readonly id: string }
  | { readonly view: 'host'; readonly agent: string }
  | { readonly view: 'series'; readonly agent: string; readonly name: string; readonly labels: Labels };

/** Parses a location hash; anything unknown is the fleet. */
export function parseRoute(hash: string): Route {
  const [path = '', query = ''] = hash.replace(/^#/, '').split('?');
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  if (parts[0] === 'providers') return { view: 'providers' };
  if (parts[0] === 'violations') return { view: 'violations' };
  if (parts[0] === 'incidents') return parts[1] ? { view: 'incident', id: parts[1] } : { view: 'incidents' };
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
    case 'incidents': return '#/incidents';
    case 'incident': return `#/incidents/${encodeURIComponent(route.id)}`;
    case 'host': return `#/host/${encodeURIComponent(route.agent)}`;
    case 'series': {
      const q = new URLSearchParams({ name: route.name });
      for (const k of Object.keys(route.labels).sort()) q.append(k, route.labels[k] as string);
      return `#/host/${encodeURIComponent(route.agent)}/series?${q}`;
    }
  }
}
