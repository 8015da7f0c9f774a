import { describe, expect, it } from 'vitest';
import { parseRoute, routeHref } from './route.ts';
import type { Route } from './route.ts';

describe('routes', () => {
  it('round-trips every place through the hash', () => {
    const routes: Route[] = [
      { view: 'fleet' }, { view: 'providers' }, { view: 'violations' }, { view: 'incidents' }, { view: 'incident', id: 'inc_m5x2k1ab3f9c1' },
      { view: 'host', agent: 'agent/01 x' },
      { view: 'series', agent: 'a1', name: 'gen_ai.client.operation.time_to_first_chunk', labels: { 'gen_ai.provider.name': 'openai', 'gen_ai.request.model': 'gpt-4o mini' } },
    ];
    for (const r of routes) expect(parseRoute(routeHref(r))).toEqual(r);
  });

  it('falls back to the fleet or the host on unknown hashes', () => {
    expect(parseRoute('')).toEqual({ view: 'fleet' });
    expect(parseRoute('#/nowhere')).toEqual({ view: 'fleet' });
    expect(parseRoute('#/host/a1/series')).toEqual({ view: 'host', agent: 'a1' });
  });
});
