/**
 * An engine's answers are input like any other: a malformed or failed answer, or no answer, is a
 * QueryBackendError naming the query and what was wrong, never a crash or a wrong result.
 */
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QueryBackendError } from '../query-backend.ts';
import { PromApi } from './prom-api.ts';

let server: Server;
let answer = { status: 200, body: '' };
let url = '';
beforeAll(async () => {
  server = createServer((_req, res) => res.writeHead(answer.status, { 'content-type': 'application/json' }).end(answer.body));
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(() => server.close());

describe('PromApi', () => {
  it('reads a vector and a matrix', async () => {
    const api = new PromApi({ url, headers: {}, timeoutMs: 2_000 });
    answer = { status: 200, body: JSON.stringify({ status: 'success', data: { resultType: 'vector', result: [{ metric: { agent: 'a' }, value: [1.5, '2'] }] } }) };
    expect(await api.instant('up', 1_500)).toEqual([{ metric: { agent: 'a' }, values: [[1.5, '2']] }]);
    answer = { status: 200, body: JSON.stringify({ status: 'success', data: { resultType: 'matrix', result: [{ metric: {}, values: [[1, '1'], [2, '2']] }] } }) };
    expect((await api.range('up', 0, 2_000, 1_000))[0]?.values.length).toBe(2);
  });

  it('turns every bad answer into a QueryBackendError that says what was wrong', async () => {
    const api = new PromApi({ url, headers: { authorization: 'Bearer hidden-credential' }, timeoutMs: 2_000 });
    const cases: [typeof answer, RegExp][] = [
      [{ status: 502, body: '<html>bad gateway</html>' }, /up: the engine answered HTTP 502 without JSON/],
      [{ status: 400, body: JSON.stringify({ status: 'error', errorType: 'bad_data', error: 'parse error at char 3' }) }, /up: the engine answered HTTP 400: parse error at char 3/],
      [{ status: 200, body: JSON.stringify({ status: 'success', data: {} }) }, /up: the engine's answer has no result list/],
      [{ status: 200, body: JSON.stringify({ status: 'success', data: { result: [{ value: [1, '1'] }] } }) }, /up: a result without labels/],
      [{ status: 200, body: JSON.stringify({ status: 'success', data: { result: [{ metric: {}, value: ['x', 1] }] } }) }, /up: a result with malformed samples/],
    ];
    for (const [a, message] of cases) {
      answer = a;
      const err = await api.instant('up', 0).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(QueryBackendError);
      expect(String(err)).toMatch(message);
      expect(String(err)).not.toContain('hidden-credential');
    }
    const closed = createServer();
    await new Promise<void>((ok) => closed.listen(0, '127.0.0.1', ok));
    const port = (closed.address() as { port: number }).port;
    await new Promise<void>((ok) => closed.close(() => ok()));
    const gone = new PromApi({ url: `http://127.0.0.1:${port}`, headers: {}, timeoutMs: 2_000 });
    await expect(gone.instant('up', 0)).rejects.toThrow(new RegExp(`up: the engine at http://127\\.0\\.0\\.1:${port} did not answer \\(ECONNREFUSED\\)`));
  });
});
