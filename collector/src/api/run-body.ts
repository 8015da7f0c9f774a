/**
 * The body of POST /api/v1/runs, checked before anything is stored: `{run, requests}` as
 * `bench run` wrote run.json and requests.jsonl. Everything the collector or the dashboard reads
 * later is type-checked here; a bad field is a 400 naming its place and value.
 */
import type { RequestSample } from '@sigmascope/protocol/stats/run-comparison';
import { apiError } from './api-error.ts';

/** The fields of run.json the collector reads. */
export interface UploadedRun {
  readonly id: string;
  readonly suite: { readonly name: string };
  readonly startedAt: string;
  readonly endedAt: string;
  readonly summary: Readonly<Record<string, unknown>>;
}

export const RUN_ID = /^[\w.:-]{1,100}$/;
const MAX_REQUESTS = 1_000_000;

const bad = (where: string, v: unknown, want: string) => apiError(400, 'bad_body', `${where}=${JSON.stringify(v)?.slice(0, 80)}: ${want}`);
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const numOrNull = (v: unknown): boolean => v === null || isNum(v);

/** Validates the upload; throws a 400 on the first bad field. */
export function checkRunBody(body: unknown): { run: UploadedRun; requests: RequestSample[] } {
  if (!isObject(body)) throw bad('body', body, 'must be {"run": run.json, "requests": [requests.jsonl lines]}');
  const run = body.run;
  if (!isObject(run)) throw bad('run', run, 'must be the run.json object');
  if (typeof run.id !== 'string' || !RUN_ID.test(run.id)) throw bad('run.id', run.id, 'a run id (letters, digits, . : - _; at most 100)');
  if (!isObject(run.suite) || typeof run.suite.name !== 'string' || run.suite.name.length === 0 || run.suite.name.length > 200) throw bad('run.suite.name', isObject(run.suite) ? run.suite.name : run.suite, 'a suite name');
  for (const k of ['startedAt', 'endedAt'] as const) if (typeof run[k] !== 'string' || Number.isNaN(Date.parse(run[k] as string))) throw bad(`run.${k}`, run[k], 'an ISO 8601 time');
  if (!isObject(run.summary)) throw bad('run.summary', run.summary, 'an object of per-target summaries');
  const requests = body.requests;
  if (!Array.isArray(requests) || requests.length > MAX_REQUESTS) throw bad('requests', Array.isArray(requests) ? requests.length : requests, `a list of at most ${MAX_REQUESTS} request records`);
  const targets = new Set(Object.keys(run.summary));
  requests.forEach((r: unknown, i) => {
    const w = `requests[${i}]`;
    if (!isObject(r)) throw bad(w, r, 'a request record');
    if (typeof r.target !== 'string' || !targets.has(r.target)) throw bad(`${w}.target`, r.target, 'a target of run.summary');
    if (typeof r.ok !== 'boolean') throw bad(`${w}.ok`, r.ok, 'true or false');
    if (!isNum(r.e2e_ms) || r.e2e_ms < 0) throw bad(`${w}.e2e_ms`, r.e2e_ms, 'a duration in ms');
    for (const k of ['ttft_ms', 'tpot_ms', 'output_tokens'] as const) if (!numOrNull(r[k])) throw bad(`${w}.${k}`, r[k], 'a number or null');
    if (!Array.isArray(r.itl_ms) || !r.itl_ms.every(isNum)) throw bad(`${w}.itl_ms`, r.itl_ms, 'a list of durations in ms');
  });
  return { run: run as unknown as UploadedRun, requests: requests as RequestSample[] };
}
