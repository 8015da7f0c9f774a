/**
 * A client of the Prometheus HTTP API (Prometheus, VictoriaMetrics, Mimir, Thanos all serve it):
 * instant and range queries, JSON answers checked before use. Every failure (unreachable, a
 * non-success status, an answer of the wrong shape) is a QueryBackendError naming the query and
 * the engine's own message; credentials in headers are never part of one.
 */
import { QueryBackendError } from '../query-backend.ts';

/** One series of a matrix or vector answer: its labels and its samples as [seconds, "value"]. */
export interface PromSeries {
  readonly metric: Record<string, string>;
  readonly values: [number, string][];
}

export interface PromApiOptions {
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly timeoutMs: number;
}

export class PromApi {
  private readonly o: PromApiOptions;

  constructor(options: PromApiOptions) {
    this.o = options;
  }

  /** An instant query at `timeMs`; vectors and matrices both come back as series with values. */
  async instant(query: string, timeMs: number): Promise<PromSeries[]> {
    return this.call('/api/v1/query', { query, time: seconds(timeMs) }, query);
  }

  /** A range query: one value per step from `startMs` to `endMs`. */
  async range(query: string, startMs: number, endMs: number, stepMs: number): Promise<PromSeries[]> {
    return this.call('/api/v1/query_range', { query, start: seconds(startMs), end: seconds(endMs), step: seconds(stepMs) }, query);
  }

  /** Every value of a label (`__name__`: the metric names). */
  async labelValues(label: string): Promise<string[]> {
    const body = await this.fetchJson(`/api/v1/label/${encodeURIComponent(label)}/values`, null, `label values of ${label}`);
    if (!Array.isArray(body.data) || !body.data.every((v: unknown) => typeof v === 'string')) throw new QueryBackendError(`label values of ${label}: the engine's answer is not a list of strings`);
    return body.data as string[];
  }

  private async call(path: string, params: Record<string, string>, query: string): Promise<PromSeries[]> {
    const body = await this.fetchJson(path, params, query);
    const data = body.data as { resultType?: unknown; result?: unknown } | undefined;
    if (data === undefined || !Array.isArray(data.result)) throw new QueryBackendError(`${query}: the engine's answer has no result list`);
    const out: PromSeries[] = [];
    for (const r of data.result as { metric?: unknown; value?: unknown; values?: unknown }[]) {
      if (typeof r.metric !== 'object' || r.metric === null) throw new QueryBackendError(`${query}: a result without labels`);
      const values = Array.isArray(r.values) ? r.values : Array.isArray(r.value) ? [r.value] : null;
      if (values === null || !values.every((v) => Array.isArray(v) && typeof v[0] === 'number' && typeof v[1] === 'string')) throw new QueryBackendError(`${query}: a result with malformed samples`);
      out.push({ metric: r.metric as Record<string, string>, values: values as [number, string][] });
    }
    return out;
  }

  /** POSTs `params` as a form (queries: no URL length limit), or GETs when there are none. */
  private async fetchJson(path: string, params: Record<string, string> | null, what: string): Promise<{ status?: unknown; data?: unknown; error?: unknown }> {
    let res: Response;
    try {
      const signal = AbortSignal.timeout(this.o.timeoutMs);
      res = params === null
        ? await fetch(`${this.o.url}${path}`, { headers: { ...this.o.headers }, signal })
        : await fetch(`${this.o.url}${path}`, { method: 'POST', headers: { ...this.o.headers, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(params).toString(), signal });
    } catch (err) {
      const e = err as Error & { cause?: { code?: string } };
      throw new QueryBackendError(`${what}: the engine at ${this.o.url} did not answer (${e.name === 'TimeoutError' ? `no answer within ${this.o.timeoutMs} ms` : (e.cause?.code ?? e.message)})`);
    }
    let body: { status?: unknown; data?: unknown; error?: unknown };
    try {
      body = (await res.json()) as typeof body;
    } catch {
      throw new QueryBackendError(`${what}: the engine answered HTTP ${res.status} without JSON`);
    }
    if (body.status !== 'success') throw new QueryBackendError(`${what}: the engine answered HTTP ${res.status}: ${String(body.error ?? 'no error message')}`.slice(0, 500));
    return body;
  }
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(3);
}
