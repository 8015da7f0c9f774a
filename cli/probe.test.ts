import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '@sigmascope/protocol/log';
import type { LogLevel } from '@sigmascope/protocol/log';
import { fixture } from '../tests/support/fixtures.ts';
import { scanForKey } from '../tests/support/leak-scan.ts';
import { startProviderEmulator } from '../tests/support/provider-emulator.ts';
import type { Emulator } from '../tests/support/provider-emulator.ts';
import { probeCommand } from './probe.ts';

const FIELDS = ['ok', 'error_type', 'status', 'dns_ms', 'connect_ms', 'tls_ms', 'ttfb_ms', 'ttft_ms', 'total_ms', 'chunks', 'chunk_gaps_ms', 'input_tokens', 'output_tokens', 'tokens_per_s', 'cost_usd'];
const KEY = 'sk-proj-PROBECLI-0a1b2c3d4e5f60718293';
let emu: Emulator;
beforeAll(async () => (emu = await startProviderEmulator()));
afterAll(async () => emu.close());

async function probe(argv: string[], env: Record<string, string> = {}) {
  const out: string[] = [];
  const logs: string[] = [];
  const code = await probeCommand(argv, { env: { SIGMASCOPE_PROBE_KEY: KEY, ...env }, out: (t) => void out.push(t), log: (level: LogLevel) => createLogger(level, (l) => void logs.push(l)) });
  const lines = out.join('').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  return { code, runs: lines.filter((l) => !('summary' in l)), summary: lines.find((l) => 'summary' in l)?.summary as Record<string, Record<string, number>>, out: out.join(''), logs: logs.join('\n') };
}

describe('sigmascope probe (in-process)', () => {
  it('prints the documented fields per run and a p50/p95/max summary; TTFT and gaps follow the server schedule', async () => {
    const body = readFileSync(fixture('providers', 'openai', 'openai-python__chat-stream-text-with-usage-gpt-4o.sse'), 'utf8');
    // Piece 0 is the role-only delta; content starts with piece 1 at 60 + 20 ms.
    const base = emu.add({ kind: 'replay', body, headersAtMs: 10, firstAtMs: 60, gapMs: 20 });
    const r = await probe(['--provider', 'openai', '--url', `${base}/v1/chat/completions`, '--model', 'gpt-4o', '--count', '3', '--interval-ms', '0']);
    expect(r.code).toBe(0);
    expect(r.runs).toHaveLength(3);
    for (const run of r.runs) {
      expect(Object.keys(run)).toEqual(FIELDS);
      expect(run).toMatchObject({ ok: true, error_type: null, status: 200, input_tokens: 14, output_tokens: 30, chunks: 30 });
      expect(run.cost_usd).toBeCloseTo((14 * 2.5 + 30 * 10) / 1e6, 10);
      // The emulator shares this process's event loop (and its JIT warm-up), so absolute times carry
      // a few ms of its own handling: 20 ms here. tests/probes-cli.test.ts checks the built CLI against
      // a separate process, and bench/probe-timing.mjs reports the p99 against the 2 ms bar.
      expect(run.ttft_ms as number).toBeGreaterThanOrEqual(80);
      expect(run.ttft_ms as number).toBeLessThan(100);
      expect(run.ttfb_ms as number).toBeGreaterThanOrEqual(10);
      const gaps = run.chunk_gaps_ms as number[];
      expect(gaps).toHaveLength(29);
      // Content cannot arrive before the server sends it: the span of the gaps is at least the schedule's
      // 28 × 20 ms. Precision is checked across processes (tests/probes-cli.test.ts) and measured by
      // bench/probe-timing.mjs; here the emulator shares this process and the cores are shared.
      const span = gaps.reduce((x, y) => x + y, 0);
      expect(span).toBeGreaterThanOrEqual(28 * 20 - 1);
      expect(span).toBeLessThan(28 * 20 + 200);
    }
    const ttfts = r.runs.map((x) => x.ttft_ms as number).sort((a, b) => a - b);
    const [a, b, c] = ttfts as [number, number, number];
    expect(r.summary.ttft_ms?.p50).toBe(b);
    expect(r.summary.ttft_ms?.max).toBe(c);
    expect(r.summary.ttft_ms?.p95).toBeCloseTo(b + 0.9 * (c - b), 2); // R type-7 interpolation
    expect(r.summary.total_ms?.max).toBe(Math.max(...r.runs.map((x) => x.total_ms as number)));
    void a;
  });

  it('each run sends a different nonce', async () => {
    const body = readFileSync(fixture('providers', 'anthropic', 'anthropic-sdk-python__basic_response.sse'), 'utf8');
    const base = emu.add({ kind: 'replay', body });
    const before = emu.requests.length;
    const r = await probe(['--provider', 'anthropic', '--url', `${base}/v1/messages`, '--model', 'claude-3-5-haiku-latest', '--count', '3', '--interval-ms', '0']);
    expect(r.code).toBe(0);
    const prompts = emu.requests.slice(before).map((q) => JSON.parse(q.body).messages[0].content as string);
    expect(new Set(prompts).size).toBe(3);
  });

  it('a 429 with retry-after exits 1 with error_type rate_limited and the status', async () => {
    const base = emu.add({ kind: 'error', status: 429, headers: { 'retry-after': '3' }, body: '{"error":{"message":"slow down","type":"requests","code":"rate_limit_exceeded"}}' });
    const r = await probe(['--provider', 'openai', '--url', `${base}/v1/chat/completions`, '--model', 'gpt-4o-mini']);
    expect(r.code).toBe(1);
    expect(r.runs[0]).toMatchObject({ ok: false, error_type: 'rate_limited', status: 429, ttft_ms: null });
    expect(r.summary).toMatchObject({ count: 1, ok: 0, failed: 1, error_types: { rate_limited: 1 } });
  });

  it('with debug logging and a server that echoes the key, the key appears in no output or log line (S6)', async () => {
    const base = emu.add({ kind: 'echo-key' });
    const r = await probe(['--provider', 'openai', '--url', `${base}/v1/chat/completions`, '--model', 'gpt-4o-mini', '--count', '2', '--interval-ms', '0'], { SIGMASCOPE_LOG_LEVEL: 'debug' });
    expect(r.runs[0]).toMatchObject({ ok: false, error_type: 'http_4xx', status: 401 });
    expect(emu.requests.at(-1)?.headers.authorization).toBe(`Bearer ${KEY}`); // the server did get it, and echoed it
    expect(r.logs).toContain('Incorrect API key provided: [REDACTED]');
    expect(scanForKey(KEY, { texts: { stdout: r.out, logs: r.logs } })).toEqual([]);
  });

  it('refuses a missing key before any request, naming where a key can come from', async () => {
    const before = emu.requests.length;
    await expect(probeCommand(['--provider', 'gemini', '--model', 'gemini-2.0-flash', '--data', '/nonexistent-sigmascope'], { env: {}, out: () => {}, log: () => createLogger('error', () => {}) })).rejects.toThrow(/GEMINI_API_KEY.*keys set gemini/);
    expect(emu.requests.length).toBe(before);
  });
});
