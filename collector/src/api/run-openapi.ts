/** The OpenAPI path items of the benchmark-run routes (run-routes.ts), merged into openapi.ts's document. */

const ERROR = { description: 'refused; the message names the parameter or field', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } };
const json = (schema: Record<string, unknown>, description: string) => ({ description, content: { 'application/json': { schema } } });
const listing = {
  type: 'object',
  properties: { id: { type: 'string' }, suiteName: { type: 'string' }, startedAt: { type: 'string', format: 'date-time' }, endedAt: { type: 'string', format: 'date-time' }, uploadedAt: { type: 'integer' }, uploadedBy: { type: 'string' }, requests: { type: 'integer' } },
  required: ['id', 'suiteName', 'startedAt', 'endedAt', 'uploadedAt', 'uploadedBy', 'requests'],
};
const comparison = {
  type: 'object',
  properties: {
    a: { type: 'string' }, b: { type: 'string' }, threshold: { type: 'number' }, alpha: { type: 'number' }, regressions: { type: 'integer' }, unmatched: { type: 'array', items: { type: 'string' } },
    comparisons: { type: 'array', items: { type: 'object', properties: { target: { type: 'string' }, metric: { type: 'string' }, a: { type: 'object' }, b: { type: 'object' }, change: { type: ['number', 'null'] }, hodges_lehmann: { type: ['object', 'null'] }, mann_whitney: { type: ['object', 'null'] }, welch: { type: ['object', 'null'] }, cliffs_delta: { type: ['number', 'null'] }, p_adjusted: { type: ['number', 'null'] }, verdict: { enum: ['regression', 'improvement', 'no_change'] }, warnings: { type: 'array', items: { type: 'string' } } } } },
  },
  required: ['a', 'b', 'comparisons', 'regressions'],
};

/** Path → path item. */
export const RUN_PATHS: Readonly<Record<string, unknown>> = {
  '/api/v1/runs': {
    get: {
      summary: 'Uploaded benchmark runs, newest first (viewer)',
      parameters: [{ name: 'limit', in: 'query', required: false, description: 'at most this many (default 200, at most 10,000)', schema: { type: 'integer' } }],
      responses: { '200': json({ type: 'object', properties: { runs: { type: 'array', items: listing } }, required: ['runs'] }, '{runs: [{id, suiteName, startedAt, endedAt, uploadedAt, uploadedBy, requests}]}'), '400': ERROR, '401': { description: 'no or bad token' } },
    },
    post: {
      summary: 'Upload a finished run: run.json and requests.jsonl as `bench run` wrote them (admin); up to 64 MiB',
      requestBody: { required: true, content: { 'application/json': { schema: { type: 'object', properties: { run: { type: 'object' }, requests: { type: 'array', items: { type: 'object' } } }, required: ['run', 'requests'] } } } },
      responses: { '201': json({ type: 'object', properties: { id: { type: 'string' }, location: { type: 'string' } }, required: ['id', 'location'] }, 'stored'), '400': ERROR, '401': { description: 'no or bad token' }, '403': { description: 'not an admin token' }, '409': ERROR, '413': ERROR },
    },
  },
  '/api/v1/runs/compare': {
    get: {
      summary: 'Run B against baseline A with the statistics of `bench compare` (viewer)',
      parameters: [
        { name: 'a', in: 'query', required: true, description: 'baseline run id', schema: { type: 'string' } },
        { name: 'b', in: 'query', required: true, description: 'candidate run id', schema: { type: 'string' } },
        { name: 'metric', in: 'query', required: false, description: 'comma-separated: ttft_ms, tpot_ms, e2e_ms, itl_ms, output_tokens_per_s (default the first three)', schema: { type: 'string' } },
        { name: 'threshold', in: 'query', required: false, description: 'practical change of the median, default 0.05', schema: { type: 'number' } },
        { name: 'alpha', in: 'query', required: false, description: 'significance after Holm, default 0.05', schema: { type: 'number' } },
      ],
      responses: { '200': json(comparison, '{a, b, threshold, alpha, comparisons: [...], regressions, unmatched}'), '400': ERROR, '401': { description: 'no or bad token' }, '404': ERROR },
    },
  },
  '/api/v1/runs/{id}': {
    get: {
      summary: 'One run: run.json and its requests (viewer)',
      parameters: [{ name: 'id', in: 'path', required: true, description: 'run id', schema: { type: 'string' } }],
      responses: { '200': json({ type: 'object', properties: { run: { type: 'object' }, requests: { type: 'array', items: { type: 'object' } } }, required: ['run', 'requests'] }, '{run, requests}'), '400': ERROR, '401': { description: 'no or bad token' }, '404': ERROR },
    },
  },
};
