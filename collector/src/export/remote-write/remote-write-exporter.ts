/**
 * Prometheus remote-write 1.0 over HTTP: POST the snappy-compressed WriteRequest with the headers
 * the specification names (Content-Encoding: snappy, Content-Type: application/x-protobuf,
 * X-Prometheus-Remote-Write-Version: 0.1.0, a User-Agent), plus the endpoint's own headers (an
 * Authorization, a tenant id). The answer is classified by exporter.ts: 2xx ok, 5xx and 429 retry
 * (Retry-After honoured), any other 4xx dropped.
 */
import type { ExportBatch } from '../export-batch.ts';
import { postBody } from '../exporter.ts';
import type { Exporter, ExportResult } from '../exporter.ts';
import { writeRequestBody } from './write-request.ts';

export interface RemoteWriteOptions {
  readonly url: string;
  /** Extra headers (credentials among them: never logged). */
  readonly headers: Readonly<Record<string, string>>;
  readonly timeoutMs: number;
  readonly userAgent: string;
}

export class RemoteWriteExporter implements Exporter {
  readonly protocol = 'remote_write';
  readonly target: string;
  private readonly options: RemoteWriteOptions;
  private readonly headers: Record<string, string>;

  constructor(options: RemoteWriteOptions) {
    this.options = options;
    this.target = safeTarget(options.url);
    this.headers = {
      ...options.headers,
      'content-encoding': 'snappy',
      'content-type': 'application/x-protobuf',
      'x-prometheus-remote-write-version': '0.1.0',
      'user-agent': options.userAgent,
    };
  }

  send(batch: ExportBatch): Promise<ExportResult> {
    return postBody(this.options.url, this.headers, writeRequestBody(batch), this.options.timeoutMs);
  }
}

/** A URL without user, password, query or fragment: what logs and /metrics may show. */
export function safeTarget(url: string): string {
  const u = new URL(url);
  return `${u.protocol}//${u.host}${u.pathname}`;
}
