/**
 * `sigmascope probe` as users run it (the built CLI, a separate process) against the provider
 * emulator in this process: TTFT and chunk gaps against a known schedule, every failure mode of
 * issue 5 ending in its error type within its cap, and the leak scan after a debug-logged run
 * whose server echoes the key (logs, CLI output, key store files).
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture } from './support/fixtures.ts';
import { scanForKey } from './support/leak-scan.ts';
import { CLI, tempDir } from './support/processes.ts';
import { startProviderEmulator } from './support/provider-emulator.ts';
import type { Emulator } from './support/provider-emulator.ts';

const KEY = 'sk-proj-CROSSPROC-7d1e2f3a4b5c6d7e8f90';
let emu: Emulator;
beforeAll(async () => (emu = await startProviderEmulator()));
afterAll(async () => emu.close());

/** Runs `probe ARGS` (or ARGS with `input` on stdin) without blocking this process's event loop (the emulator lives here). */
function probe(args: string[], env: Record<string, string> = {}, input?: string): Promise<{ code: number; stdout: string; stderr: string; runs: Record<string, unknown>[]; summary: Record<string, unknown>; ms: number }> {
  const started = performance.now();
  // SIGMASCOPE_CLI_UNDER_TEST runs another build of the CLI (e.g. while dist/ cannot be built).
  const command = input === undefined ? ['probe', ...args] : args;
  const child = spawn(process.execPath, [process.env.SIGMASCOPE_CLI_UNDER_TEST ?? CLI, ...command], { env: { ...process.env, SIGMASCOPE_PROBE_KEY: '', ...env }, stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
  if (input !== undefined) child.stdin?.end(input);
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.on('exit', (code) => {
    const lines = stdout.trim().split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
    resolve({ code: code ?? -1, stdout, stderr, runs: lines.filter((l) => 'ok' in l), summary: lines.find((l) => 'summary' in l)?.summary as Record<string, unknown>, ms: performance.now() - started });
  }));
}

const openaiBody = readFileSync(fixture('providers', 'openai', 'openai-python__chat-stream-text-with-usage-gpt-4o.sse'), 'utf8');
const url = (base: string): string => `${base}/v1/chat/completions`;
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

describe('sigmascope probe (built CLI, separate process)', () => {
  it('reports TTFT and chunk gaps of a server with known delays', async () => {
    // Piece 0 is the role-only delta: the first content chunk is written at 50 + 15 = 65 ms.
    const base = emu.add({ kind: 'replay', body: openaiBody, headersAtMs: 10, firstAtMs: 50, gapMs: 15 });
    const r = await probe(['--provider', 'openai', '--url', url(base), '--model', 'gpt-4o', '--count', '5', '--interval-ms', '0'], { SIGMASCOPE_PROBE_KEY: KEY });
    expect(r.code, r.stderr).toBe(0);
    expect(r.runs).toHaveLength(5);
    // What the server actually wrote (its timers run late when the machine is busy): headers and
    // content pieces 1..30, on the emulator's clock. Anchored on the headers, the CLI's TTFT and
    // every gap must match those writes.
    const served = emu.requests.filter((q) => base.endsWith(`/s/${q.scenario}`));
    expect(served).toHaveLength(5);
    const ttftErr = r.runs.map((x, i) => {
      const q = served[i]!;
      return Math.abs(((x.ttft_ms as number) - (x.ttfb_ms as number)) - ((q.writes[1] as number) - (q.headersSentAt as number)));
    });
    const gapErr = r.runs.flatMap((x, i) => (x.chunk_gaps_ms as number[]).map((g, j) => Math.abs(g - ((served[i]!.writes[j + 2] as number) - (served[i]!.writes[j + 1] as number)))));
    const vsSchedule = r.runs.map((x) => Math.abs((x.ttft_ms as number) - 65));
    const p99 = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.ceil(0.99 * xs.length) - 1] as number;
    console.log(`probe timing vs server writes: TTFT |err| median ${median(ttftErr).toFixed(3)} ms, max ${Math.max(...ttftErr).toFixed(3)} ms; gaps |err| median ${median(gapErr).toFixed(3)} ms, p99 ${p99(gapErr).toFixed(3)} ms (n=${gapErr.length}); absolute TTFT vs the nominal 65 ms: median ${median(vsSchedule).toFixed(3)} ms`);
    // The bar is 2 ms at p99 (bench/probe-timing.mjs measures it); this suite shares 2 cores
    // with others, so it holds the medians to 2 ms and every value to 25 ms.
    expect(median(ttftErr)).toBeLessThan(2);
    expect(median(gapErr)).toBeLessThan(2);
    expect(Math.max(...ttftErr, ...gapErr)).toBeLessThan(25);
    for (const x of r.runs) expect(x).toMatchObject({ ok: true, input_tokens: 14, output_tokens: 30, chunks: 30, status: 200 });
    expect(r.summary).toMatchObject({ count: 5, ok: 5, failed: 0 });
  });

  it('takes an OpenAI-style base URL (http://host:8000/v1) as the SDKs do', async () => {
    const base = emu.add({ kind: 'replay', body: openaiBody });
    const r = await probe(['--provider', 'openai-compatible', '--url', `${base}/v1`, '--model', 'm']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.runs[0]).toMatchObject({ ok: true, output_tokens: 30 });
    expect(emu.requests.at(-1)?.path).toBe('/v1/chat/completions');
  });

  const cases: [string, () => string, string[], string, number | null, number][] = [
    ['429 with retry-after', () => emu.add({ kind: 'error', status: 429, headers: { 'retry-after': '5' }, body: '{"error":{"message":"Rate limit reached","code":"rate_limit_exceeded"}}' }), [], 'rate_limited', 429, 5_000],
    ['429 without retry-after', () => emu.add({ kind: 'error', status: 429, body: '{"error":{"message":"Rate limit reached. Please try again in 644ms.","code":"rate_limit_exceeded"}}' }), [], 'rate_limited', 429, 5_000],
    ['529 overloaded', () => emu.add({ kind: 'error', status: 529, body: '{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"},"request_id":"req_011CZAau32QzxDkriovTaFCB"}' }), [], 'overloaded', 529, 5_000],
    ['500', () => emu.add({ kind: 'error', status: 500, body: '{"error":{"message":"The server had an error while processing your request.","type":"server_error"}}' }), [], 'http_5xx', 500, 5_000],
    ['an error inside a 200 stream', () => emu.add({ kind: 'replay', body: readFileSync(fixture('providers', 'openai-compatible', 'openrouter-stream-comments-midstream-error.body.sse'), 'utf8') }), [], 'stream_error', 200, 5_000],
    ['a stream that never ends', () => emu.add({ kind: 'endless', everyMs: 50 }), ['--timeout-ms', '1500'], 'timeout', 200, 1_500 + 2_500],
    ['a 1 GiB body', () => emu.add({ kind: 'huge', bytes: 1024 ** 3 }), ['--max-bytes', '1048576'], 'invalid_response', 200, 5_000],
    ['a stall', () => emu.add({ kind: 'replay', body: openaiBody, stallAfter: 3 }), ['--idle-timeout-ms', '800'], 'timeout', 200, 800 + 2_500],
  ];
  for (const [name, scenario, flags, errorType, status, capMs] of cases) {
    it(`${name} → ${errorType} within its cap`, async () => {
      const r = await probe(['--provider', 'openai-compatible', '--url', url(scenario()), '--model', 'm', ...flags]);
      expect(r.code, r.stderr).toBe(1);
      expect(r.runs[0]).toMatchObject({ ok: false, error_type: errorType, status });
      expect(r.ms).toBeLessThan(capMs); // process start included
    });
  }

  it('finds the key nowhere after a debug-logged run against a server that echoes it (S6: logs, output, key store)', async () => {
    const data = tempDir('sigmascope-leak-');
    const set = await probe(['keys', 'set', 'openai', '--data', data], { SIGMASCOPE_MASTER_KEY: '' }, `${KEY}\n`);
    expect(set.code, set.stderr).toBe(0);
    const base = emu.add({ kind: 'echo-key' });
    const r = await probe(['--provider', 'openai', '--url', url(base), '--model', 'gpt-4o-mini', '--count', '2', '--interval-ms', '0', '--data', data], { SIGMASCOPE_LOG_LEVEL: 'debug', OPENAI_API_KEY: '', SIGMASCOPE_MASTER_KEY: '' });
    expect(r.runs[0]).toMatchObject({ ok: false, error_type: 'http_4xx', status: 401 });
    expect(emu.requests.at(-1)?.headers.authorization).toBe(`Bearer ${KEY}`); // the key was used, and echoed back
    expect(r.stderr).toContain('"level":"debug"');
    expect(r.stderr).toContain('[REDACTED]');
    expect(scanForKey(KEY, { texts: { 'keys set stdout': set.stdout, 'keys set stderr': set.stderr, 'probe stdout': r.stdout, 'probe stderr': r.stderr }, dirs: [data] })).toEqual([]);
  });
});
