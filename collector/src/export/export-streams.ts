/**
 * The collector's exporters, built from its configuration: one ExportStream per `remoteWrite`
 * and `otlp` endpoint, each with its durable cursor, sharing one read of the intake per batch.
 * main.ts creates the cursor rows before the store (the store's flush must keep what a cursor has
 * not passed from its first moment), then the streams once ingest runs.
 */
import type { Logger } from '@sigmascope/protocol/log';
import type { ScaleOutConfig } from '../config/export-config.ts';
import type { ChunkedStore } from '../store/chunked-store.ts';
import type { ExportCursorRows } from '../store/rows/export-cursor-rows.ts';
import { agentInfoBatch } from './agent-info.ts';
import type { Exporter } from './exporter.ts';
import { ExportSource } from './export-source.ts';
import { ExportStream } from './export-stream.ts';
import type { ExportStreamState } from './export-stream.ts';
import { OtlpExporter } from './otlp/otlp-exporter.ts';
import { RemoteWriteExporter, safeTarget } from './remote-write/remote-write-exporter.ts';

export const COLLECTOR_VERSION = '0.1.0';
const USER_AGENT = `Sigmascope-Collector/${COLLECTOR_VERSION}`;

/** The cursor keys of the configured endpoints (what holds the intake), in config order. */
export function exportEndpoints(config: ScaleOutConfig): string[] {
  return [...config.remoteWrite.map((e) => `remote_write ${safeTarget(e.url)}`), ...config.otlp.map((e) => `otlp ${safeTarget(e.url)}`)];
}

export interface ExportStreamsDeps {
  readonly config: ScaleOutConfig;
  readonly store: ChunkedStore;
  readonly cursors: ExportCursorRows;
  readonly connectedAgents: () => ReadonlySet<string>;
  readonly retentionMs: number;
  readonly log: Logger;
  /** Test hooks: shorter polls and backoff. */
  readonly pollMs?: number;
  readonly backoff?: { readonly minMs: number; readonly maxMs: number };
  readonly agentInfoEveryMs?: number;
}

export class ExportStreams {
  private readonly streams: ExportStream[];

  constructor(d: ExportStreamsDeps) {
    const source = new ExportSource(d.store);
    const keys = exportEndpoints(d.config);
    const endpoints = [...d.config.remoteWrite.map((e) => ({ e, exporter: new RemoteWriteExporter({ url: e.url, headers: e.headers, timeoutMs: e.timeoutMs, userAgent: USER_AGENT }) as Exporter })), ...d.config.otlp.map((e) => ({ e, exporter: new OtlpExporter({ url: e.url, headers: e.headers, timeoutMs: e.timeoutMs, userAgent: USER_AGENT, version: COLLECTOR_VERSION }) as Exporter }))];
    this.streams = endpoints.map(({ e, exporter }, i) =>
      new ExportStream({
        endpoint: keys[i] as string,
        exporter,
        source,
        cursors: d.cursors,
        maxSamplesPerSend: e.maxSamplesPerSend,
        retentionMs: d.retentionMs,
        pollMs: d.pollMs ?? 1_000,
        backoff: d.backoff ?? { minMs: 100, maxMs: 5_000 },
        log: d.log.child({ endpoint: keys[i] as string }),
        extra: () => agentInfoBatch(d.store.agents(), d.connectedAgents(), Date.now()),
        extraEveryMs: d.agentInfoEveryMs ?? 5_000,
      }),
    );
  }

  start(): void {
    for (const s of this.streams) s.start();
  }

  /** Waits for each stream's request in flight; cursors stay where they are. */
  async stop(): Promise<void> {
    await Promise.all(this.streams.map((s) => s.stop()));
  }

  states(): ExportStreamState[] {
    return this.streams.map((s) => s.state());
  }
}
