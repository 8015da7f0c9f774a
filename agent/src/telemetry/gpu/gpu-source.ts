/**
 * Every NVIDIA GPU of the host through ONE persistent nvidia-smi query loop (query-loop.ts).
 * The loop parses rows as they arrive; the tick only copies each GPU's latest values into the
 * sink, so collect() costs microseconds and never spawns anything. Rows older than `staleAfterMs`
 * (the child died or hangs) are not repeated: a gap in the series is the truth.
 *
 * Status: `starting` until the first rows, `ok` while rows are fresh, `degraded` with the reason
 * while the child is being restarted, `disabled` ("nvidia-smi not found …") when there is no
 * executable. info carries the inventory: from the rows at once, completed once by node-nvidia-smi
 * (driver, CUDA, MIG devices) when the executable is the one on PATH, which is all that library
 * can run.
 */
import type { Logger } from '@sigmascope/protocol/log';
import type { Series } from '@sigmascope/protocol/series';
import type { SampleSink } from '../../pipeline/sample-sink.ts';
import { SeriesCache } from '../series-cache.ts';
import type { SourceStatus, TelemetrySource } from '../source.ts';
import { gpuValues } from './gpu-metrics.ts';
import { inventoryFromRows } from './nvidia-inventory.ts';
import type { NvidiaInventory } from './nvidia-inventory.ts';
import { QUERY_FIELDS, REQUIRED_FIELDS, parseQueryLine } from './nvidia-query.ts';
import type { GpuRow } from './nvidia-query.ts';
import { readXmlInventory } from './nvidia-smi-xml.ts';
import type { XmlInventoryResult } from './nvidia-smi-xml.ts';
import { QueryLoop } from './query-loop.ts';

/** Options of the GPU source. */
export interface GpuSourceOptions {
  /** `nvidia-smi` (looked up on PATH) or a path to it. */
  readonly nvidiaSmiPath: string;
  /** The `-lms` period of the query loop. */
  readonly intervalMs: number;
  readonly log: Logger;
  /** Rows older than this are not reported; default 3 periods + 1 s. */
  readonly staleAfterMs?: number;
  /** The XML inventory; default node-nvidia-smi when the path is a bare name, else none. */
  readonly readInventory?: ((timeoutMs: number, signal?: AbortSignal) => Promise<XmlInventoryResult>) | null;
  readonly inventoryTimeoutMs?: number;
  readonly restartBaseMs?: number;
  readonly restartCapMs?: number;
  readonly stallMs?: number;
}

interface Latest {
  readonly row: GpuRow;
  readonly at: number;
  readonly samples: readonly { readonly series: Series; readonly value: number }[];
}

/** Creates the GPU source. Nothing is spawned before start(). */
export function createGpuSource(o: GpuSourceOptions): TelemetrySource {
  const staleAfterMs = o.staleAfterMs ?? 3 * o.intervalMs + 1_000;
  const readInventory = o.readInventory === undefined ? (o.nvidiaSmiPath.includes('/') ? null : readXmlInventory) : o.readInventory;
  const cache = new SeriesCache();
  const latest = new Map<string, Latest>();
  let fields = [...QUERY_FIELDS];
  const dropped: string[] = [];
  let xml: XmlInventoryResult | null = null;
  let inventoryAsked = false;
  let stopped = false;
  // Abandons an inventory still being read when the source stops.
  const abandon = new AbortController();
  // status() runs every tick (the sampler watches for state changes): rebuild info only when it changed.
  let infoVersion = 0;
  let cachedInfo: { version: number; restarts: number; info: Record<string, unknown> } | null = null;

  const onLine = (line: string): void => {
    const row = parseQueryLine(line, fields);
    if (row === null) return;
    const samples = gpuValues(row).map((v) => ({ series: cache.get(`${row.id}\0${row.name ?? ''}\0${v.key}`, v.name, { ...v.labels }), value: v.value }));
    if (!latest.has(row.id)) infoVersion++;
    latest.set(row.id, { row, at: performance.now(), samples });
    if (!inventoryAsked && readInventory !== null) {
      inventoryAsked = true;
      void readInventory(o.inventoryTimeoutMs ?? 30_000, abandon.signal).then((r) => {
        if (stopped) return;
        xml = r;
        infoVersion++;
        if (!r.ok) o.log.warn('GPU inventory unavailable; using the query rows', { reason: r.reason });
      });
    }
  };

  const loop = new QueryLoop({
    command: o.nvidiaSmiPath,
    fields: () => fields,
    intervalMs: o.intervalMs,
    onLine,
    onInvalidField: (field) => {
      if (REQUIRED_FIELDS.includes(field) || !fields.includes(field)) return false;
      fields = fields.filter((f) => f !== field);
      dropped.push(field);
      infoVersion++;
      return true;
    },
    log: o.log,
    ...(o.restartBaseMs !== undefined ? { restartBaseMs: o.restartBaseMs } : {}),
    ...(o.restartCapMs !== undefined ? { restartCapMs: o.restartCapMs } : {}),
    ...(o.stallMs !== undefined ? { stallMs: o.stallMs } : {}),
  });

  const freshCount = (now: number): number => {
    let n = 0;
    for (const l of latest.values()) if (now - l.at <= staleAfterMs) n++;
    return n;
  };

  const info = (): Record<string, unknown> => {
    if (cachedInfo === null || cachedInfo.version !== infoVersion || cachedInfo.restarts !== loop.restarts) {
      cachedInfo = { version: infoVersion, restarts: loop.restarts, info: buildInfo() };
    }
    return cachedInfo.info;
  };

  const buildInfo = (): Record<string, unknown> => {
    const rows = inventoryFromRows([...latest.values()].map((l) => l.row));
    const inv: NvidiaInventory = xml?.ok === true ? xml.inventory : rows;
    const out: Record<string, unknown> = { ...inv, inventoryFrom: xml?.ok === true ? 'nvidia-smi -q -x' : 'query rows', restarts: loop.restarts };
    if (xml !== null && !xml.ok) out.inventoryError = xml.reason;
    if (dropped.length > 0) out.unsupportedFields = [...dropped];
    return out;
  };

  return {
    name: 'gpu',
    async start() {
      loop.start();
    },
    collect(ts: number, sink: SampleSink) {
      if (stopped) return;
      const now = performance.now();
      for (const l of latest.values()) {
        if (now - l.at > staleAfterMs) continue;
        for (const s of l.samples) sink.add(s.series, ts, s.value);
      }
    },
    status(): SourceStatus {
      const s = loop.state();
      switch (s.kind) {
        case 'missing':
          return { state: 'disabled', detail: s.detail };
        case 'stopped':
          return { state: 'stopped' };
        case 'idle':
          return { state: 'starting' };
        case 'waiting': {
          const inSeconds = Math.max(0, (s.retryAt - performance.now()) / 1000).toFixed(1);
          return { state: 'degraded', detail: `${s.detail}; restart ${loop.restarts + 1} in ${inSeconds} s`, info: info() };
        }
        case 'running': {
          const now = performance.now();
          if (freshCount(now) > 0) return { state: 'ok', info: info() };
          if (latest.size === 0 && now - s.since < staleAfterMs + 10_000) return { state: 'starting', info: info() };
          return { state: 'degraded', detail: latest.size === 0 ? 'nvidia-smi runs but reports no GPU rows' : `no rows from nvidia-smi for ${Math.round(staleAfterMs / 1000)} s`, info: info() };
        }
      }
    },
    async stop() {
      stopped = true;
      abandon.abort();
      await loop.stop();
    },
  };
}
