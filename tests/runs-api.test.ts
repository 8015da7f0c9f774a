/**
 * Benchmark runs on a real collector over loopback: `bench run --collector` uploads with an
 * admin token (SIGMASCOPE_TOKEN, never argv), the list and the run read back exactly what was
 * written, /api/v1/runs/compare answers what `bench compare` prints, a bad upload is a 400
 * naming the field, a repeat a 409. And /api/v1/query/compare gives two windows of live data the
 * same statistics, equal to scipy's on the same values.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../protocol/src/log.ts';
import type { BatchSeries } from '../protocol/src/batch.ts';
import { apiApp } from '../collector/src/api/api-app.ts';
import { AuthFailures } from '../collector/src/auth/auth-failures.ts';
import { TokenStore } from '../collector/src/auth/token-store.ts';
import { SessionStore } from '../collector/src/auth/session-store.ts';
import { loadCollectorConfig } from '../collector/src/config/collector-config.ts';
import { emptyIngestStats } from '../collector/src/ingest/ingest-stats.ts';
import { LiveFeed } from '../collector/src/live/live-feed.ts';
import { runCollector } from '../collector/src/main.ts';
import type { RunningCollector } from '../collector/src/main.ts';
import { ChunkedStore } from '../collector/src/store/chunked-store.ts';
import { openDatabase } from '../collector/src/store/schema/sqlite-db.ts';
import { SpcBaselineRows } from '../collector/src/store/rows/spc-baseline-rows.ts';
import { MemoryAuditSink } from '../collector/src/audit/audit-entry.ts';
import { cli, readRunUnder } from './support/bench-cli.ts';
import type { BenchResult } from './support/bench-cli.ts';
import { tempDir } from './support/processes.ts';

let c: RunningCollector;
let admin: string;
let viewer: string;
const runs: BenchResult[] = [];
const base = (): string => `http://127.0.0.1:${c.port}`;

async function api(path: string, token: string, init: RequestInit = {}): Promise<{ status: number; json: any }> {
  const res = await fetch(`${base()}${path}`, { ...init, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...init.headers } });
  return { status: res.status, json: await res.json() };
}

beforeAll(async () => {
  c = await runCollector(loadCollectorConfig({}, 'test', { SIGMASCOPE_LOG_LEVEL: 'error' }, { data: mkdtempSync(join(tmpdir(), 'runs-api-')), listen: '127.0.0.1', port: 0 }), silentLogger, null);
  admin = (c.tokens.create('ci-bench', 'admin') as { token: string }).token;
  viewer = (c.tokens.create('reader', 'viewer') as { token: string }).token;
  const d = tempDir('sigmascope-upload-');
  const suite = join(d, 'demo.yaml');
  // The demo provider: no server, seeded; two seeds are two different runs of one target.
  for (const seed of [3, 4]) {
    writeFileSync(suite, `name: demo-upload\nseed: ${seed}\ntargets: [{name: demo, provider: demo, model: demo-model}]\ndataset: {inline: [{id: a, prompt: hello}]}\nprofile: {type: concurrent, concurrency: 8, requests: 40}\nmaxTokens: 8\n`);
    const out = tempDir('sigmascope-upload-runs-');
    const r = await cli(['bench', 'run', suite, '--out', out, '--collector', base()], { SIGMASCOPE_TOKEN: admin });
    expect(r.code, r.output).toBe(0);
    expect(r.output).toContain(`bench: uploaded to ${base()}/runs/`);
    expect(r.output).not.toContain(admin);
    runs.push(readRunUnder(out, r.code, r.output));
  }
}, 120_000);
afterAll(() => c?.stop());

describe('/api/v1/runs', () => {
  it('lists the uploaded runs newest first and serves each as written', async () => {
    const list = await api('/api/v1/runs', viewer);
    expect(list.status).toBe(200);
    expect(list.json.runs.map((r: { id: string }) => r.id)).toEqual([runs[1]!.run.id, runs[0]!.run.id]);
    expect(list.json.runs[0]).toMatchObject({ suiteName: 'demo-upload', uploadedBy: 'ci-bench', requests: 40 });
    const one = await api(`/api/v1/runs/${runs[0]!.run.id}`, viewer);
    expect(one.json.run).toEqual(JSON.parse(readFileSync(join(runs[0]!.dir, 'run.json'), 'utf8')));
    expect(one.json.requests).toEqual(runs[0]!.requests);
  });

  it('compares two stored runs exactly as bench compare does', async () => {
    const local = await cli(['bench', 'compare', runs[0]!.dir, runs[1]!.dir, '--format', 'json']);
    const remote = await api(`/api/v1/runs/compare?a=${runs[0]!.run.id}&b=${runs[1]!.run.id}`, viewer);
    expect(remote.status).toBe(200);
    expect(remote.json).toEqual(JSON.parse(local.output));
    expect((await api('/api/v1/runs/compare?a=nope&b=nope2', viewer)).status).toBe(404);
    expect((await api(`/api/v1/runs/compare?a=${runs[0]!.run.id}&b=${runs[1]!.run.id}&alpha=7`, viewer)).json.error.message).toContain('alpha="7"');
  });

  it('refuses a repeat (409), a bad body naming the field (400), and a viewer (403)', async () => {
    const body = JSON.stringify({ run: runs[0]!.run, requests: runs[0]!.requests });
    expect((await api('/api/v1/runs', admin, { method: 'POST', body })).status).toBe(409);
    expect((await api('/api/v1/runs', viewer, { method: 'POST', body })).status).toBe(403);
    const bad = await api('/api/v1/runs', admin, { method: 'POST', body: JSON.stringify({ run: { ...runs[0]!.run, id: 'x2' }, requests: [{ ...runs[0]!.requests[0], e2e_ms: 'slow' }] }) });
    expect(bad.status).toBe(400);
    expect(bad.json.error.message).toBe('requests[0].e2e_ms="slow": a duration in ms');
    const wrongTarget = await api('/api/v1/runs', admin, { method: 'POST', body: JSON.stringify({ run: { ...runs[0]!.run, id: 'x3' }, requests: [{ ...runs[0]!.requests[0], target: 'other' }] }) });
    expect(wrongTarget.json.error.message).toContain('requests[0].target="other": a target of run.summary');
  });

  it('takes an upload larger than the API’s general 64 KiB limit', async () => {
    const many = Array.from({ length: 2_000 }, () => runs[1]!.requests[0]);
    const r = await api('/api/v1/runs', admin, { method: 'POST', body: JSON.stringify({ run: { ...runs[1]!.run, id: 'big-run' }, requests: many }) });
    expect(r.status).toBe(201);
    expect((await api('/api/v1/runs/big-run', viewer)).json.requests).toHaveLength(2_000);
  });
});

describe('/api/v1/query/compare: the same statistics on two windows of live data', () => {
  it('equals scipy on the values stored in each window', async () => {
    const ref = JSON.parse(readFileSync(new URL('../protocol/src/stats/testdata/references.json', import.meta.url), 'utf8')) as { pairs: { name: string; a: number[]; b: number[]; mann_whitney: { u: number; p: number }; welch: { t: number; df: number; p: number }; hodges_lehmann: { shift: number; ci: [number, number] }; cliffs_delta: number }[] };
    const pair = ref.pairs.find((p) => p.name === 'shift_15pct')!;
    const dir = mkdtempSync(join(tmpdir(), 'window-stats-'));
    const db = openDatabase(dir).db;
    const store = new ChunkedStore(db);
    const tokens = new TokenStore(db);
    const token = (tokens.create('v', 'viewer') as { token: string }).token;
    const app = apiApp({ store, tokens, sessions: new SessionStore(db, tokens), failures: new AuthFailures(1000), stats: emptyIngestStats(), live: new LiveFeed(100), connectedAgents: () => new Set(), agentBacklogs: () => new Map(), ready: () => true, webRoot: null, baselines: new SpcBaselineRows(db), audit: new MemoryAuditSink() });
    // One TTFT probe every 10 s: the reference's sample A in the hour before, B in the hour after (in ms → s).
    const hour = Math.floor(Date.now() / 3_600_000) * 3_600_000 - 2 * 3_600_000;
    const labels = { 'gen_ai.provider.name': 'openai', 'gen_ai.request.model': 'gpt-4o', 'gen_ai.operation.name': 'chat' };
    let seq = 0;
    for (const [values, start] of [[pair.a, hour], [pair.b, hour + 3_600_000]] as const) {
      values.forEach((v, i) => {
        const b: BatchSeries[] = [{ name: 'gen_ai.client.operation.time_to_first_chunk', labels, ts: Float64Array.of(start + i * 10_000), values: Float64Array.of(v / 1000) }];
        store.storeBatch('gpu-01', 'main', ++seq, b, [], start + i * 10_000);
      });
    }
    store.flush(true);
    const res = await app.request(`/api/v1/query/compare?name=gen_ai.client.operation.time_to_first_chunk&by=gen_ai.provider.name&before_from=${hour}&before_to=${hour + 3_599_999}&after_from=${hour + 3_600_000}&after_to=${hour + 7_199_999}`, { headers: { authorization: `Bearer ${token}` } });
    const body = (await res.json()) as { groups: { statistics: any }[] };
    const s = body.groups[0]!.statistics;
    expect(s.a.n).toBe(pair.a.length);
    expect(s.b.n).toBe(pair.b.length);
    expect(s.mann_whitney.u).toBe(pair.mann_whitney.u);
    expect(Math.abs(s.mann_whitney.p - pair.mann_whitney.p) / pair.mann_whitney.p).toBeLessThan(1e-6);
    expect(s.welch.t).toBeCloseTo(pair.welch.t, 6);
    expect(s.welch.df).toBeCloseTo(pair.welch.df, 6);
    expect(s.hodges_lehmann.shift * 1000).toBeCloseTo(pair.hodges_lehmann.shift, 6);
    expect(s.cliffs_delta).toBeCloseTo(pair.cliffs_delta, 9);
    expect(s.verdict).toBe('regression');
    store.close();
  });
});
