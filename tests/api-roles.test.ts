/**
 * Every API route × role against a real collector on loopback: the expected status, kept as a
 * table (RELIABILITY S4); oversized bodies are refused with 413 before any handler runs (F5);
 * repeated failures from one address get 429 (S2).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '../protocol/src/log.ts';
import { loadCollectorConfig } from '../collector/src/config/collector-config.ts';
import { runCollector } from '../collector/src/main.ts';
import type { RunningCollector } from '../collector/src/main.ts';

let c: RunningCollector;
const tokens: Record<string, string | null> = { none: null };

beforeAll(async () => {
  c = await runCollector(loadCollectorConfig({ auth: { failureLimit: 1_000 } }, 'test', { SIGMASCOPE_LOG_LEVEL: 'error' }, { data: mkdtempSync(join(tmpdir(), 'roles-')), listen: '127.0.0.1', port: 0 }), silentLogger, null);
  for (const role of ['agent', 'viewer', 'admin'] as const) {
    const t = c.tokens.create(`t-${role}`, role);
    if (!t.ok) throw new Error(t.reason);
    tokens[role] = t.token;
  }
});
afterAll(() => c.stop());

const call = async (method: string, path: string, token: string | null, body?: string): Promise<number> => {
  const res = await fetch(`http://127.0.0.1:${c.port}${path}`, {
    method, headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body ? { 'content-type': 'application/json' } : {}) }, ...(body ? { body } : {}),
  });
  await res.arrayBuffer();
  return res.status;
};

//          route                                             none agent viewer admin
const TABLE: [string, string, number, number, number, number][] = [
  ['GET', '/healthz', 200, 200, 200, 200],
  ['GET', '/readyz', 200, 200, 200, 200],
  ['GET', '/metrics', 200, 200, 200, 200],
  ['GET', '/api/v1/session', 401, 401, 200, 200],
  ['GET', '/api/v1/agents', 401, 401, 200, 200],
  ['GET', '/api/v1/series?name=system.cpu.utilization', 401, 401, 200, 200],
  ['GET', '/api/v1/stats', 401, 401, 200, 200],
  ['GET', '/api/v1/violations', 401, 401, 200, 200],
  ['GET', '/api/v1/events?kind=probe', 401, 401, 200, 200],
  ['GET', '/api/v1/events?kind=nope', 401, 401, 400, 400],
  ['GET', '/api/v1/quarantine', 401, 401, 200, 200],
  ['GET', '/api/v1/quarantine?limit=0', 401, 401, 400, 400],
  ['POST', '/api/v1/violations/1', 401, 401, 403, 404],
  ['GET', '/api/v1/spc?name=hw.gpu.temperature', 401, 401, 404, 404],
  ['GET', '/api/v1/openapi.json', 401, 401, 200, 200],
  ['POST', '/api/v1/spc/baselines', 401, 401, 403, 400],
  ['GET', '/login?token=nope', 401, 401, 401, 401],
  ['POST', '/login', 400, 400, 400, 400],
  ['POST', '/logout', 200, 200, 200, 200],
  ['GET', '/api/v1/alerts', 401, 401, 200, 200],
  ['GET', '/api/v1/alerts?state=nope', 401, 401, 400, 400],
  ['POST', '/api/v1/alerts/al_none', 401, 401, 403, 404],
  ['GET', '/api/v1/silences', 401, 401, 200, 200],
  ['POST', '/api/v1/silences', 401, 401, 403, 400],
  ['DELETE', '/api/v1/silences/sil_none', 401, 401, 403, 404],
  ['GET', '/api/v1/audit', 401, 401, 403, 200],
  ['GET', '/api/v1/audit?action=DROP', 401, 401, 403, 400],
  ['GET', '/api/v1/slo/report', 401, 401, 200, 200],
  ['GET', '/api/v1/slo/report?day=2026-02-30', 401, 401, 400, 400],
  ['GET', '/api/v1/runs', 401, 401, 200, 200],
  ['GET', '/api/v1/runs/no-such-run', 401, 401, 404, 404],
  ['GET', '/api/v1/runs/compare?a=x&b=y', 401, 401, 404, 404],
  ['POST', '/api/v1/runs', 401, 401, 403, 400],
  ['GET', '/api/v1/incidents', 401, 401, 200, 200],
  ['GET', '/api/v1/incidents?state=all&cause=provider', 401, 401, 200, 200],
  ['GET', '/api/v1/incidents?state=nope', 401, 401, 400, 400],
  ['GET', '/api/v1/incidents/inc_nope1', 401, 401, 404, 404],
  ['GET', '/api/v1/incidents/not-an-id', 401, 401, 400, 400],
  ['POST', '/api/v1/incidents/inc_nope1', 401, 401, 403, 404],
  ['GET', '/api/v1/anomalies', 401, 401, 200, 200],
  ['GET', '/api/v1/anomalies?source=robot', 401, 401, 400, 400],
  ['GET', '/api/v1/anomalies/series?name=hw.gpu.temperature', 401, 401, 404, 404],
  ['GET', '/api/v1/forecast?name=hw.gpu.memory.usage', 401, 401, 404, 404],
  ['GET', '/api/v1/capacity?agent=gpu-01', 401, 401, 200, 200],
  ['GET', '/api/v1/capacity', 401, 401, 400, 400],
  ['GET', '/api/v1/energy', 401, 401, 200, 200],
  ['GET', '/api/v1/nope', 401, 401, 404, 404],
];

describe('routes × roles', () => {
  it.each(TABLE)('%s %s → none %i, agent %i, viewer %i, admin %i', async (method, path, none, agent, viewer, admin) => {
    const body = method === 'POST' ? JSON.stringify({ state: 'acknowledged' }) : undefined;
    const got = [];
    for (const role of ['none', 'agent', 'viewer', 'admin']) got.push(await call(method, path, tokens[role] ?? null, body));
    expect(got).toEqual([none, agent, viewer, admin]);
  });

  it('answers 400 naming a bad parameter', async () => {
    const res = await fetch(`http://127.0.0.1:${c.port}/api/v1/series?name=system.cpu.utilization&from=yesterday`, { headers: { authorization: `Bearer ${tokens.viewer}` } });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { message: string } }).error.message).toContain('from="yesterday"');
  });
});

describe('session', () => {
  it('tells the page its role, so a viewer is not offered what it cannot do', async () => {
    const who = async (t: string): Promise<unknown> => (await fetch(`http://127.0.0.1:${c.port}/api/v1/session`, { headers: { authorization: `Bearer ${t}` } })).json();
    expect(await who(tokens.viewer as string)).toEqual({ name: 't-viewer', role: 'viewer' });
    expect(await who(tokens.admin as string)).toEqual({ name: 't-admin', role: 'admin' });
  });
});

describe('oversized bodies', () => {
  const big = 'x'.repeat(200 * 1024);
  it('413 with a Content-Length', async () => {
    expect(await call('POST', '/api/v1/violations/1', tokens.admin as string, big)).toBe(413);
  });
  it('413 when chunked, without a Content-Length', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: c.port, method: 'POST', path: '/api/v1/violations/1', headers: { authorization: `Bearer ${tokens.admin}`, 'transfer-encoding': 'chunked', 'content-type': 'application/json' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      for (let i = 0; i < 20; i++) req.write(big.slice(0, 16 * 1024));
      req.end();
    });
    expect(status).toBe(413);
  });
});

describe('OpenAPI', () => {
  it('documents the alert, silence, audit and report routes with the role the table above finds', async () => {
    const res = await fetch(`http://127.0.0.1:${c.port}/api/v1/openapi.json`, { headers: { authorization: `Bearer ${tokens.viewer}` } });
    const paths = ((await res.json()) as { paths: Record<string, Record<string, { 'x-sigmascope-role'?: string }>> }).paths;
    const roles = Object.fromEntries(['/api/v1/alerts get', '/api/v1/alerts/{id} post', '/api/v1/silences get', '/api/v1/silences post', '/api/v1/silences/{id} delete', '/api/v1/audit get', '/api/v1/slo/report get'].map((k) => {
      const [path, method] = k.split(' ') as [string, string];
      return [k, paths[path]?.[method]?.['x-sigmascope-role']];
    }));
    expect(roles).toEqual({ '/api/v1/alerts get': 'viewer', '/api/v1/alerts/{id} post': 'admin', '/api/v1/silences get': 'viewer', '/api/v1/silences post': 'admin', '/api/v1/silences/{id} delete': 'admin', '/api/v1/audit get': 'admin', '/api/v1/slo/report get': 'viewer' });
  });
});
