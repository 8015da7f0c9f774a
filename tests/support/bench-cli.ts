/**
 * Runs `sigmascope bench run` (the built CLI, its own process) on a suite written for a local
 * server, and reads back run.json and requests.jsonl. The dataset is 150 prompts (as many as the latency capture has) `prompt N`, the
 * number the latency server keys its delays on; every fourth prompt carries a check that must
 * fail (equals "nope"), the others one that the recorded completion passes.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startCli, tempDir } from './processes.ts';

export interface Req {
  target: string; prompt_id: string; scheduled_ms: number; sent_ms: number; ok: boolean; error_type: string | null; status: number | null;
  connect_ms: number | null; ttfb_ms: number | null; ttft_ms: number | null; tpot_ms: number | null; itl_ms: number[]; e2e_ms: number; input_tokens: number | null; output_tokens: number | null;
  check: { kind: string; pass: boolean } | null; rate?: number;
}
export type Pct = { p50: number; p90: number; p95: number; p99: number; mean: number };
export interface Summary { requests: number; errors: number; ttft_ms: Pct; tpot_ms: Pct; itl_ms: Pct; e2e_ms: Pct; requests_per_s: number; output_tokens_per_s: number; goodput_rps: number | null; check_pass_rate: number | null; window_s: number; stages?: (Summary & { rate: number })[] }
export interface Run { id: string; summary: Record<string, Summary>; suite: { sha256: string }; dataset: { sha256: string; count: number }; config_sha256: string; seed: number; interrupted: boolean; warmup: { requests: number } }


export const PROMPTS = 150;

/** Whether prompt `id`'s check passes on the recorded completion. */
export const checkPasses = (id: string): boolean => Number(id.slice(1)) % 4 !== 0;

/** Writes `dir/prompts.jsonl`; returns its path. */
export function writeDataset(dir: string): string {
  const path = join(dir, 'prompts.jsonl');
  writeFileSync(path, Array.from({ length: PROMPTS }, (_, i) => JSON.stringify({ id: `p${i}`, prompt: `prompt ${i}: count to five`, expect: i % 4 === 0 ? { equals: 'nope' } : { regex: '^1, 2, 3' } })).join('\n') + '\n');
  return path;
}

/** Writes `dir/NAME-xxxx.yaml` for the target at `url` with `profile`; returns its path. */
export function writeSuite(dir: string, url: string, profile: string, opts: { name?: string; slo?: string } = {}): string {
  const name = opts.name ?? 'known-latency';
  const suite = join(dir, `${name}-${Math.random().toString(36).slice(2, 8)}.yaml`);
  writeFileSync(suite, [`name: ${name}`, 'seed: 42', 'targets:', `  - {name: local-vllm, provider: openai-compatible, url: "${url}/v1/chat/completions", model: meta-llama/Llama-3.3-70B-Instruct}`, 'dataset: {path: prompts.jsonl}', `profile: ${profile}`, 'maxTokens: 16', `slo: ${opts.slo ?? '{ttft_ms: 30}'}`].join('\n'));
  return suite;
}

export interface BenchResult {
  code: number | string;
  run: Run;
  requests: Req[];
  output: string;
  dir: string;
}

/** Reads the (only, or newest) run under `out`. */
export function readRunUnder(out: string, code: number | string, output: string): BenchResult {
  const runDir = readdirSync(out).sort().map((d) => join(out, d)).at(-1);
  if (runDir === undefined) throw new Error(`no run written (exit ${code}):\n${output}`);
  const run = JSON.parse(readFileSync(join(runDir, 'run.json'), 'utf8')) as Run;
  const requests = readFileSync(join(runDir, 'requests.jsonl'), 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Req);
  return { code, run, requests, output, dir: runDir };
}

/** Runs `sigmascope ARGS` to its exit without blocking this process (the server lives here). */
export async function cli(args: string[], env: Record<string, string> = {}): Promise<{ code: number | string; output: string }> {
  const p = startCli(args, { env });
  const code = await p.exited;
  return { code, output: p.output() };
}

/** Writes a suite for `url` and runs it; resolves with the exit code, run.json and requests.jsonl. */
export async function runBenchSuite(dir: string, url: string, profile: string, opts: { name?: string; slo?: string; extra?: string[] } = {}): Promise<BenchResult> {
  const out = tempDir('sigmascope-runs-');
  const { code, output } = await cli(['bench', 'run', writeSuite(dir, url, profile, opts), '--out', out, '--format', 'json', ...(opts.extra ?? [])]);
  return readRunUnder(out, code, output);
}
