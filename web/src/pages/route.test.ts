import { describe, expect, it } from 'vitest';
import { parseRoute, parseViewTime, routeHref, withViewTime } from './route.ts';
import type { Route } from './route.ts';

describe('routes', () => {
  it('round-trips every place through the hash', () => {
    const routes: Route[] = [
      { view: 'fleet' }, { view: 'providers' }, { view: 'violations' }, { view: 'alerts' }, { view: 'incidents' }, { view: 'incident', id: 'inc_m5x2k1ab3f9c1' },
      { view: 'host', agent: 'agent/01 x' },
      { view: 'series', agent: 'a1', name: 'gen_ai.client.operation.time_to_first_chunk', labels: { 'gen_ai.provider.name': 'openai', 'gen_ai.request.model': 'gpt-4o mini' } },
      { view: 'series', agent: 'a1', name: 'hw.gpu.temperature', labels: { 'hw.id': 'GPU-1' }, limits: { center: 61.5, sigma: 0.25, at: 1_700_000_000_000 } },
    ];
    for (const r of routes) expect(parseRoute(routeHref(r))).toEqual(r);
  });

  it('keeps the range, its end and pause in the URL, beside the place', () => {
    const href = withViewTime('#/host/a1/series?name=m&hw.id=0', { range: { spanMs: 3_600_000, end: 1_700_000_000_000 }, paused: false });
    expect(href).toBe('#/host/a1/series?name=m&hw.id=0&range=1h&end=1700000000000');
    expect(parseRoute(href)).toEqual({ view: 'series', agent: 'a1', name: 'm', labels: { 'hw.id': '0' } });
    expect(parseViewTime(href)).toEqual({ spanMs: 3_600_000, end: 1_700_000_000_000, paused: false });
    const live = withViewTime(href, { range: { spanMs: 300_000, end: null }, paused: true });
    expect(live).toBe('#/host/a1/series?name=m&hw.id=0&range=5m&paused=1');
    expect(parseViewTime(live)).toEqual({ spanMs: 300_000, end: undefined, paused: true });
    expect(parseViewTime('#/')).toEqual({ spanMs: null, end: undefined, paused: false });
  });

  it('has the benchmark runs: the list, one run, and B against A', () => {
    const routes: Route[] = [{ view: 'runs' }, { view: 'run', id: '20261203T130417Z-3add98' }, { view: 'run-compare', a: 'run a', b: 'run/b' }];
    for (const r of routes) expect(parseRoute(routeHref(r))).toEqual(r);
    expect(parseRoute('#/runs/compare?a=x')).toEqual({ view: 'runs' });
  });

  it('falls back to the fleet or the host on unknown hashes', () => {
    expect(parseRoute('')).toEqual({ view: 'fleet' });
    expect(parseRoute('#/nowhere')).toEqual({ view: 'fleet' });
    expect(parseRoute('#/host/a1/series')).toEqual({ view: 'host', agent: 'a1' });
  });
});
