/**
 * OTLP/HTTP metrics export with protobuf bodies (POST to the receiver's /v1/metrics,
 * Content-Type: application/x-protobuf). The OTLP specification retries 429, 502, 503 and 504
 * (honouring Retry-After) and no other status: any other failure is dropped and counted.
 */
import type { ExportBatch } from '../export-batch.ts';
import { postBody } from '../exporter.ts';
import type { Exporter, ExportResult } from '../exporter.ts';
import { safeTarget } from '../remote-write/remote-write-exporter.ts';
import { metricsRequestBody } from './metrics-request.ts';

export interface OtlpOptions {
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly timeoutMs: number;
  readonly userAgent: string;
  /** The collector's version, as the instrumentation scope's. */
  readonly version: string;
}

const RETRYABLE = new Set([429, 502, 503, 504]);

export class OtlpExporter implements Exporter {
  readonly protocol = 'otlp';
  readonly target: string;
  private readonly options: OtlpOptions;
  private readonly headers: Record<string, string>;

  constructor(options: OtlpOptions) {
    this.options = options;
    this.target = safeTarget(options.url);
    this.headers = { ...options.headers, 'content-type': 'application/x-protobuf', 'user-agent': options.userAgent };
  }

  async send(batch: ExportBatch): Promise<ExportResult> {
    const r = await postBody(this.options.url, this.headers, metricsRequestBody(batch, this.options.version), this.options.timeoutMs);
    // postBody retries every 5xx (remote-write's rule); OTLP retries only some of them.
    if (r.status === 'retry' && /^HTTP (\d+)/.test(r.reason) && !RETRYABLE.has(Number(/^HTTP (\d+)/.exec(r.reason)?.[1]))) return { status: 'drop', reason: r.reason };
    return r;
  }
}
