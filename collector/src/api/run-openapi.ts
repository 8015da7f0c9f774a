/** The OpenAPI operations of the benchmark-run routes (run-routes.ts), joined into openapi.ts's document. */
import { arr, int, json, nullable, num, obj, str } from './openapi-parts.ts';
import type { Operation, Schema } from './openapi-parts.ts';

const listing = obj({ id: str, suiteName: str, startedAt: { type: 'string', format: 'date-time' }, endedAt: { type: 'string', format: 'date-time' }, uploadedAt: int, uploadedBy: str, requests: int });
const comparison = obj({
  a: str, b: str, threshold: num, alpha: num, regressions: int, unmatched: arr(str),
  comparisons: arr({ type: 'object', properties: { target: str, metric: str, a: { type: 'object' }, b: { type: 'object' }, change: nullable(num), hodges_lehmann: nullable({ type: 'object' }), mann_whitney: nullable({ type: 'object' }), welch: nullable({ type: 'object' }), cliffs_delta: nullable(num), p_adjusted: nullable(num), verdict: { type: 'string', enum: ['regression', 'improvement', 'no_change'] }, warnings: arr(str) } }),
}, ['threshold', 'alpha', 'unmatched']);
const runWithRequests: Schema = obj({ run: { type: 'object', description: 'run.json (docs/bench.md)' }, requests: arr({ type: 'object', description: 'one line of requests.jsonl' }) });

export const RUN_OPERATIONS: readonly Operation[] = [
  { method: 'get', path: '/api/v1/runs', role: 'viewer', summary: 'Uploaded benchmark runs, newest first', params: [{ name: 'limit', description: 'at most this many (default 200, at most 10,000)', schema: int }], content: json(obj({ runs: arr(listing) })) },
  { method: 'post', path: '/api/v1/runs', role: 'admin', summary: 'Upload a finished run: run.json and requests.jsonl as `bench run` wrote them; up to 64 MiB (409 when the id is stored already, 413 beyond the limit)', body: runWithRequests, status: 201, content: json(obj({ id: str, location: str })) },
  {
    method: 'get', path: '/api/v1/runs/compare', role: 'viewer', summary: 'Run B against baseline A with the statistics of `bench compare` (404 when either is unknown)',
    params: [
      { name: 'a', required: true, description: 'baseline run id' },
      { name: 'b', required: true, description: 'candidate run id' },
      { name: 'metric', description: 'comma-separated: ttft_ms, tpot_ms, e2e_ms, itl_ms, output_tokens_per_s (default the first three)' },
      { name: 'threshold', description: 'practical change of the median, default 0.05', schema: num },
      { name: 'alpha', description: 'significance after Holm, default 0.05', schema: num },
    ],
    content: json(comparison),
  },
  { method: 'get', path: '/api/v1/runs/{id}', role: 'viewer', summary: 'One run: run.json and its requests', params: [{ name: 'id', required: true, description: 'run id' }], content: json(runWithRequests) },
];
