/**
 * A stand-in for the collector's and the agent's HTTP side while browser tests cannot start the
 * real ones: serves the built bundle (dist/web) and canned answers shaped exactly as
 * docs/api.md describes them, with a live SSE feed pushing LiveFrames of a two-GPU host sampled
 * at 2 Hz (frames every 250 ms, as the collector does). Records POSTs so tests can check them.
 * Values are synthetic but deterministic; the SPC chart carries an injected shift.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import type { LiveFrame, LivePoint } from '@sigmascope/protocol/live';
import { REPO_ROOT } from './fixtures.ts';
import { spcChart as protocolSpcChart } from '../../protocol/src/spc/chart.ts';
import { chartDefaultsFor } from '../../protocol/src/spc/series-defaults.ts';

/** The host the fake reports. */
export const FAKE_AGENT = { id: 'agt-7f3a9c', name: 'gpu-01', hostname: 'gpu-01.lab', gpus: 2 } as const;
const TTFT_LABELS = { 'gen_ai.operation.name': 'chat', 'gen_ai.provider.name': 'openai', 'gen_ai.request.model': 'gpt-4o-mini' };

export interface FakeApi {
  readonly url: string;
  /** Bodies of POST /api/v1/violations/:id, in order. */
  readonly posts: { id: string; body: unknown }[];
  close(): Promise<void>;
}

const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.map': 'application/json' };

/** Deterministic noise in [-1, 1]. */
const noise = (ts: number, k: number): number => Math.sin(ts * 12.9898e-3 + k * 78.233) * 0.5 + Math.sin(ts * 3.1e-4 + k) * 0.5;

/** Deterministic white noise in [-1, 1] (a sine hash). */
const white = (i: number): number => { const x = Math.sin(i * 12.9898 + 4.1414) * 43758.5453; return (x - Math.floor(x)) * 2 - 1; };

/** The GPUs' uuids, as nvidia-smi names them (hw.id), and their model (hw.model), as in the H100 capture. */
export const FAKE_GPU_IDS = ['GPU-5a8f3c2e-91d4-4b7a-a3e0-2c6f1d9b7e41', 'GPU-0c7d2b19-6e3a-48f5-b1d2-9a4e8f6c3b27'] as const;
const GPU_MODEL = 'NVIDIA H100 80GB HBM3';

/** A byte counter growing at `base` per second ± 30 % (a slow wave): its value at `ts`. */
const cumulative = (ts: number, base: number, k: number): number => base * (ts / 1000) + 9 * base * Math.sin(ts / 30_000 + k);

/** The points of one 2 Hz tick of the fake host. */
function tick(ts: number): LivePoint[] {
  const a = FAKE_AGENT.id;
  const pts: LivePoint[] = [
    { agent: a, name: 'system.cpu.utilization', labels: {}, ts, value: 0.32 + 0.1 * noise(ts, 1) },
    { agent: a, name: 'system.memory.utilization', labels: {}, ts, value: 0.61 + 0.02 * noise(ts, 2) },
    { agent: a, name: 'sigmascope.agent.memory.rss', labels: {}, ts, value: 61 * 2 ** 20 },
    { agent: a, name: 'system.network.io', labels: { 'network.interface.name': 'eth0', 'network.io.direction': 'receive' }, ts, value: cumulative(ts, 48 * 2 ** 20, 1) },
    { agent: a, name: 'system.network.io', labels: { 'network.interface.name': 'eth0', 'network.io.direction': 'transmit' }, ts, value: cumulative(ts, 9 * 2 ** 20, 2) },
    { agent: a, name: 'system.disk.io', labels: { 'system.device': 'nvme0n1', 'disk.io.direction': 'read' }, ts, value: cumulative(ts, 310 * 2 ** 20, 3) },
    { agent: a, name: 'system.disk.io', labels: { 'system.device': 'nvme0n1', 'disk.io.direction': 'write' }, ts, value: cumulative(ts, 22 * 2 ** 20, 4) },
  ];
  const vllm = { 'gen_ai.provider.name': 'vllm', 'server.address': '127.0.0.1:8000', 'gen_ai.request.model': 'meta-llama/Llama-3.1-8B-Instruct' };
  pts.push(
    { agent: a, name: 'sigmascope.inference.requests.waiting', labels: vllm, ts, value: Math.max(0, Math.round(3 + 3 * noise(ts, 40))) },
    { agent: a, name: 'sigmascope.inference.requests.running', labels: vllm, ts, value: Math.round(12 + 4 * noise(ts, 41)) },
    { agent: a, name: 'sigmascope.inference.kv_cache.utilization', labels: vllm, ts, value: 0.55 + 0.2 * noise(ts, 42) },
  );
  for (let g = 0; g < FAKE_AGENT.gpus; g++) {
    const l = { 'hw.id': FAKE_GPU_IDS[g] as string, 'hw.model': GPU_MODEL };
    const util = Math.min(1, Math.max(0, (g === 0 ? 0.86 : 0.34) + 0.08 * noise(ts, 10 + g)));
    pts.push(
      { agent: a, name: 'hw.gpu.utilization', labels: l, ts, value: util },
      { agent: a, name: 'hw.gpu.memory.usage', labels: l, ts, value: (g === 0 ? 61.2 : 22.4) * 2 ** 30 },
      { agent: a, name: 'hw.gpu.memory.limit', labels: l, ts, value: 80 * 2 ** 30 },
      { agent: a, name: 'hw.gpu.memory.utilization', labels: l, ts, value: (g === 0 ? 61.2 : 22.4) / 80 },
      { agent: a, name: 'hw.gpu.temperature', labels: l, ts, value: g === 0 ? 71 : 48 },
      { agent: a, name: 'hw.gpu.power.draw', labels: l, ts, value: g === 0 ? 612 : 201 },
      { agent: a, name: 'hw.gpu.clock.graphics', labels: l, ts, value: 1.98e9 },
      { agent: a, name: 'hw.gpu.clock.memory', labels: l, ts, value: 2.619e9 },
      { agent: a, name: 'sigmascope.gpu.index', labels: l, ts, value: g },
    );
  }
  if (ts % 5000 === 0) {
    const ttft = 0.31 + 0.04 * noise(ts, 30);
    const connect = 0.0021 + 0.0004 * noise(ts, 31);
    const tls = 0.011 + 0.002 * noise(ts, 32);
    pts.push(
      { agent: a, name: 'sigmascope.probe.dns.duration', labels: TTFT_LABELS, ts, value: 0.0008 + 0.0002 * noise(ts, 33) },
      { agent: a, name: 'sigmascope.probe.connect.duration', labels: TTFT_LABELS, ts, value: connect },
      { agent: a, name: 'sigmascope.probe.tls.duration', labels: TTFT_LABELS, ts, value: tls },
      { agent: a, name: 'sigmascope.probe.time_to_first_byte', labels: TTFT_LABELS, ts, value: 0.12 + 0.02 * noise(ts, 34) },
      { agent: a, name: 'gen_ai.client.operation.time_to_first_chunk', labels: TTFT_LABELS, ts, value: ttft },
      { agent: a, name: 'gen_ai.client.operation.duration', labels: TTFT_LABELS, ts, value: ttft + 0.45 + 0.05 * noise(ts, 35) },
    );
  }
  return pts;
}

/** The analytics routes' answers (docs/api.md, "Analytics"): no anomaly yet, a flat forecast, a capacity row, no energy. */
function analyticsAnswer(p: string, q: URLSearchParams): unknown {
  const to = Number(q.get('to') ?? Date.now());
  const from = Number(q.get('from') ?? to - 900_000);
  const series = { agent: FAKE_AGENT.id, name: q.get('name') ?? '', labels: {} };
  if (p === '/api/v1/anomalies') return { from, to, anomalies: [] };
  if (p === '/api/v1/anomalies/series') return { ...series, from, to, stepMs: 10_000, options: {}, threshold: 6, scores: [], anomalies: [] };
  if (p === '/api/v1/forecast') return { ...series, from, to, stepMs: 10_000, level: 0.8, kind: 'ANN', transform: 'log', fitted: 90, points: Array.from({ length: 30 }, (_, i) => [to + i * 10_000, 0.31, 0.27, 0.36]) };
  if (p === '/api/v1/capacity') {
    return { agent: q.get('agent'), now: to, lookbackMs: 6 * 3_600_000, horizonMs: 86_400_000, level: 0.8, rows: [
      { kind: 'gpu_memory', label: 'GPU 0', labels: { 'hw.id': '0' }, unit: 'bytes', current: 61.2 * 2 ** 30, limit: 80 * 2 ** 30, reach: { expected: null, earliest: null, latest: null }, ahead: null, model: 'ANN' },
    ] };
  }
  if (p === '/api/v1/energy') return { from, to, rows: [] };
  return null;
}

/**
 * The TTFT chart as the collector serves it: protocol's spcChart on 60 probes with a shift
 * injected at probe 40 and a slow probe at 44, with the collector's defaults for a probe metric
 * (individuals of ln seconds, its MR chart, limits back in seconds) and a baseline of 30.
 */
function spcChart(to: number, q: URLSearchParams): unknown {
  const n = 60;
  const points = Array.from({ length: n }, (_, i) => ({ ts: to - (n - i) * 5000, value: 0.31 + 0.02 * white(i) + (i >= 40 ? 0.035 : 0) }));
  points[44] = { ts: (points[44] as { ts: number }).ts, value: 0.47 };
  const d = chartDefaultsFor('gen_ai.client.operation.time_to_first_chunk');
  const given = q.get('center') !== null && q.get('sigma') !== null ? { center: Number(q.get('center')), sigma: Number(q.get('sigma')) } : {};
  const r = protocolSpcChart(points.map((p) => p.value), { ts: points.map((p) => p.ts), transform: d.transform, rules: d.rules, phase1: 30, ...given });
  if (!r.ok) throw new Error(r.error);
  return { agent: FAKE_AGENT.id, name: 'gen_ai.client.operation.time_to_first_chunk', labels: TTFT_LABELS, ...r.chart };
}

function seriesResponse(q: URLSearchParams): unknown {
  const name = q.get('name') ?? '';
  const to = Number(q.get('to') ?? Date.now());
  const from = Number(q.get('from') ?? to - 3_600_000);
  const want = [...q].filter(([k]) => !['name', 'agent', 'from', 'to', 'step', 'limit'].includes(k));
  const byKey = new Map<string, { agent: string; name: string; labels: Record<string, string>; points: [number, number][] }>();
  const step = to - from > 10_000 * 500 ? 5000 : 500;
  for (let ts = Math.ceil(from / step) * step; ts <= to; ts += step) {
    for (const p of tick(ts)) {
      if (p.name !== name || !want.every(([k, v]) => p.labels[k] === v)) continue;
      const key = JSON.stringify(p.labels);
      const s = byKey.get(key) ?? { agent: p.agent, name: p.name, labels: { ...p.labels }, points: [] };
      s.points.push([ts, p.value]);
      byKey.set(key, s);
    }
  }
  return { resolution: step === 500 ? 'raw' : 'step', ...(step === 500 ? {} : { stepMs: step, aggregation: 'avg' }), series: [...byKey.values()] };
}

/** Starts the fake on 127.0.0.1 (a free port). `mode` picks the page at `/` and the API. */
export async function startFakeApi(mode: 'collector' | 'agent', options: { readonly providers?: boolean } = {}): Promise<FakeApi> {
  const posts: { id: string; body: unknown }[] = [];
  const now = Date.now();
  const violations = [
    // As the agent's watch reports a probe latency: in chart units, ln seconds.
    { id: 'v3', agent: FAKE_AGENT.id, ts: now - 40_000, name: 'gen_ai.client.operation.time_to_first_chunk', labels: TTFT_LABELS, rule: 'nelson1', value: Math.log(0.47), center: Math.log(0.31), sigma: 0.05, state: 'open' },
    { id: 'v2', agent: FAKE_AGENT.id, ts: now - 95_000, name: 'hw.gpu.temperature', labels: { 'hw.id': FAKE_GPU_IDS[0], 'hw.model': GPU_MODEL }, rule: 'nelson2', value: 74, center: 69, sigma: 1.5, state: 'open' },
    { id: 'v1', agent: FAKE_AGENT.id, ts: now - 3_600_000, name: 'system.cpu.utilization', labels: {}, rule: 'we2', value: 0.71, center: 0.33, sigma: 0.12, state: 'acknowledged' },
  ];
  const streams = new Set<ServerResponse>();
  let pending: LivePoint[] = [];
  let nextTick = Math.ceil(Date.now() / 500) * 500;
  const timer = setInterval(() => {
    while (nextTick <= Date.now()) { pending.push(...tick(nextTick)); nextTick += 500; }
    if (pending.length === 0) return;
    const frame: LiveFrame = { ts: Date.now(), points: pending, events: [] };
    pending = [];
    const text = `event: tick\ndata: ${JSON.stringify(frame)}\n\n`;
    for (const s of streams) s.write(text);
  }, 250);

  const json = (res: ServerResponse, body: unknown, status = 200): void => {
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  };
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://x');
    const p = url.pathname;
    if (p === (mode === 'collector' ? '/api/v1/live' : '/api/live')) {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
      res.write(': hello\n\n');
      streams.add(res);
      req.on('close', () => streams.delete(res));
      return;
    }
    if (mode === 'agent' && p === '/api/spc/rebaseline' && req.method === 'POST') {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      posts.push({ id: 'rebaseline', body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown });
      return json(res, { rebaselined: 1 });
    }
    if (mode === 'agent' && p === '/api/status') {
      const t = Math.floor(Date.now() / 500) * 500;
      return json(res, {
        agentId: FAKE_AGENT.id, name: FAKE_AGENT.name, hostname: FAKE_AGENT.hostname, version: '0.1.0', bootId: 'b-1', startedAt: now - 7_200_000,
        collector: { url: 'ws://collector.lab:7300/ingest', state: 'disconnected', lastError: 'connect ECONNREFUSED 10.0.0.5:7300', connectedSince: null, lastAckAt: now - 300_000, framesInFlight: 0, awaitingAckSince: null, ackTimeoutMs: 30_000, ackTimeouts: 0 },
        samples: { produced: 412_880, acked: 398_100, dropped: { buffer_full: 0 }, buffered: 14_780, nonFinite: 0 },
        buffer: { frames: 600, bytes: 1_843_200, diskBytes: 1_966_080, capBytes: 256 * 2 ** 20, oldestSeq: 20_311, newestSeq: 20_910, droppedSamples: 0, quarantinedFrames: 0, writeError: null },
        sampler: { intervalMs: 500, ticks: 14_400, lateTicks: 3, lastTickAt: t },
        sources: [{ name: 'cpu', state: 'ok' }, { name: 'memory', state: 'ok' }, { name: 'gpu', state: 'ok', info: { gpus: 2 } }],
        probes: { pricesAsOf: '2025-09-01', targets: [
          { name: 'openai:gpt-4o-mini', provider: 'openai', genAiProvider: 'openai', model: 'gpt-4o-mini', endpoint: 'https://api.openai.com/v1/chat/completions', demo: false, state: 'waiting', intervalMs: 15_000, runs: 480, failures: 3, consecutiveFailures: 0, nextRunAt: t + 9_000, tokensToday: 21_480, dailyTokenBudget: 300_000,
            last: { status: 'ok', errorType: null, httpStatus: 200, message: null, startedAt: t - 6_000, inputTokens: 27, outputTokens: 16, costUsd: 0.0000136, ttftMs: 312, totalMs: 771 } },
          { name: 'local-vllm', provider: 'openai-compatible', genAiProvider: 'vllm', model: 'meta-llama/Llama-3.1-8B-Instruct', endpoint: 'http://127.0.0.1:8000/v1/chat/completions', demo: false, state: 'backoff', intervalMs: 15_000, runs: 480, failures: 41, consecutiveFailures: 2, nextRunAt: t + 27_000, tokensToday: 18_200, dailyTokenBudget: 300_000,
            last: { status: 'failed', errorType: 'http_5xx', httpStatus: 503, message: 'Service Unavailable', startedAt: t - 3_000, inputTokens: null, outputTokens: null, costUsd: null, ttftMs: null, totalMs: 41 } },
        ] },
        spc: { enabled: true, untracked: 0, events: 2, series: [
          { key: `hw.gpu.temperature{hw.id="${FAKE_GPU_IDS[0]}",hw.model="${GPU_MODEL}"}`, name: 'hw.gpu.temperature', labels: { 'hw.id': FAKE_GPU_IDS[0], 'hw.model': GPU_MODEL }, chart: 'xbar-s', subgroup: 20, transform: 'none', rules: ['nelson1', 'nelson2', 'nelson5'],
            phase: 'monitoring', baselinePoints: 30, baselineTarget: 30, points: 700, center: 70.1, sigma: 0.8, lcl: 69.56, ucl: 70.64, rejected: 0, baselinedAt: now - 7_000_000, violations: { nelson1: 4 }, baselineViolations: 0, recent: [{ rule: 'nelson1', ts: now - 60_000, value: 83 }] },
          { key: 'gen_ai.client.operation.time_to_first_chunk{gen_ai.operation.name="chat",gen_ai.provider.name="openai",gen_ai.request.model="gpt-4o-mini"}', name: 'gen_ai.client.operation.time_to_first_chunk', labels: TTFT_LABELS, chart: 'individuals', subgroup: 1, transform: 'log', rules: ['nelson1', 'nelson2', 'nelson3', 'nelson5', 'nelson6'],
            phase: 'baseline', baselinePoints: 12, baselineTarget: 20, points: 12, center: null, sigma: null, lcl: null, ucl: null, rejected: 0, baselinedAt: now - 180_000, violations: {}, baselineViolations: 0, recent: [] },
        ] },
        latest: tick(t),
        events: [{ kind: 'spc', ts: now - 60_000, agent: FAKE_AGENT.id, name: 'hw.gpu.temperature', labels: { 'hw.id': FAKE_GPU_IDS[0], 'hw.model': GPU_MODEL }, rule: 'nelson1', value: 83, center: 70, sigma: 3 }],
      });
    }
    if (mode === 'collector' && p.startsWith('/api/v1/')) {
      if (p === '/api/v1/session') return json(res, { name: 'operator', role: 'admin' });
      if (p === '/api/v1/agents') return json(res, { agents: [{ id: FAKE_AGENT.id, name: FAKE_AGENT.name, hostname: FAKE_AGENT.hostname, version: '0.1.0', bootId: 'b-1', connected: true, lastSeen: Date.now() - 200, samples: 398_100, lastSeq: 20_910, clockSkewMs: 4 }] });
      if (p === '/api/v1/series') return json(res, seriesResponse(url.searchParams));
      if (p === '/api/v1/query/metrics') return json(res, { names: [...new Set([...tick(0), ...tick(5000)].map((x) => x.name))].sort() });
      if (p === '/api/v1/spc') return json(res, spcChart(Number(url.searchParams.get('to') ?? Date.now()), url.searchParams));
      // The fleet view's export line reads the stats: this collector exports nowhere.
      if (p === '/api/v1/stats') return json(res, { export: [] });
      if (p === '/api/v1/violations') return json(res, { violations });
      if (p === '/api/v1/providers' && options.providers === false) return json(res, { rows: [] });
      // No SLOs configured: the capability table stays hidden, as on a collector without `slos:`.
      if (p === '/api/v1/slo/report') return json(res, { day: new Date().toISOString().slice(0, 10), from: 0, to: 0, generatedAt: Date.now(), slos: [], rows: [] });
      if (p === '/api/v1/providers') return json(res, { rows: [
        { agent: FAKE_AGENT.id, provider: 'openai', model: 'gpt-4o-mini', probes: 120, errors: 1, ttft: { p50: 0.31, p95: 0.52, p99: 0.81 }, duration: { p50: 1.2, p95: 2.1, p99: 3.4 }, tokensPerSecond: 87.5, costUsd: 0.0132 },
        { agent: FAKE_AGENT.id, provider: 'anthropic', model: 'claude-3-5-haiku', probes: 118, errors: 0, ttft: { p50: 0.42, p95: 0.66, p99: 0.9 }, duration: { p50: 1.5, p95: 2.4, p99: 2.9 }, tokensPerSecond: 64.1, costUsd: 0.0171 },
        { agent: FAKE_AGENT.id, provider: 'ollama', model: 'llama3.1:8b', probes: 240, errors: 12, ttft: { p50: 0.09, p95: 0.2, p99: 0.35 }, duration: { p50: 0.9, p95: 1.6, p99: 2.2 }, tokensPerSecond: 141, costUsd: null },
      ] });
      if (p === '/api/v1/spc/baselines' && req.method === 'POST') {
        const chunks: Buffer[] = [];
        for await (const c of req) chunks.push(c as Buffer);
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { agent: string; series: string };
        posts.push({ id: 'baseline', body });
        return json(res, { id: 1, agent: body.agent, series: body.series, from: Date.now(), at: Date.now(), by: 'operator' });
      }
      const analytics = analyticsAnswer(p, url.searchParams);
      if (analytics !== null) return json(res, analytics);
      const m = /^\/api\/v1\/violations\/([^/]+)$/.exec(p);
      if (m && req.method === 'POST') {
        const chunks: Buffer[] = [];
        for await (const c of req) chunks.push(c as Buffer);
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { state: string };
        const id = decodeURIComponent(m[1] as string);
        posts.push({ id, body });
        const v = violations.find((x) => x.id === id);
        if (!v) return json(res, { error: { code: 'not_found', message: `no violation ${id}` } }, 404);
        v.state = body.state;
        return json(res, v);
      }
      return json(res, { error: { code: 'not_found', message: p } }, 404);
    }
    const root = join(REPO_ROOT, 'dist', 'web');
    const file = normalize(join(root, p === '/' ? (mode === 'collector' ? 'index.html' : 'status.html') : decodeURIComponent(p)));
    if (!file.startsWith(root + sep)) return json(res, { error: { code: 'not_found', message: p } }, 404);
    try {
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(body);
    } catch {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    }
  };

  const server = createServer((req, res) => { handle(req, res).catch((e: unknown) => json(res, { error: { code: 'internal', message: String(e) } }, 500)); });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    posts,
    close: () => new Promise<void>((r) => { clearInterval(timer); for (const s of streams) s.end(); server.close(() => r()); server.closeAllConnections(); }),
  };
}
