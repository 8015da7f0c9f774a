/**
 * The Exporter contract, run by every exporter: the receiver gets the batch's samples (decoded
 * here from the bytes on the wire), and every answer is classified as the exporter's protocol
 * says: 2xx ok, 429 and the protocol's retryable 5xx a retry (Retry-After read), a refused
 * connection a retry, other failures dropped. Receivers are real HTTP servers on loopback.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uncompress } from 'snappyjs';
import type { ExportBatch } from './export-batch.ts';
import type { Exporter } from './exporter.ts';
import { MemoryExporter } from './memory-exporter.ts';
import { ExportMetricsRequestType } from './otlp/metrics-request.ts';
import { OtlpExporter } from './otlp/otlp-exporter.ts';
import { RemoteWriteExporter } from './remote-write/remote-write-exporter.ts';
import { WriteRequestType } from './remote-write/write-request.ts';

const T = 1_767_225_600_123;
const BATCH: ExportBatch = {
  series: [
    { agent: 'gpu-01', host: 'host-a', name: 'hw.gpu.utilization', labels: { 'hw.id': 'GPU-0', host: 'theirs' }, ts: [T, T + 500], values: [0.25, 0.5] },
    { agent: 'gpu-01', host: 'host-a', name: 'system.network.io', labels: { 'network.io.direction': 'receive' }, ts: [T], values: [123_456_789_012] },
  ],
};

interface Received {
  headers: IncomingMessage['headers'];
  body: Buffer;
}

/** A receiver that answers each request with the next scripted answer (200 when none is left). */
function receiver(): { server: Server; url: () => string; got: Received[]; answers: { status: number; headers?: Record<string, string> }[] } {
  const got: Received[] = [];
  const answers: { status: number; headers?: Record<string, string> }[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      got.push({ headers: req.headers, body: Buffer.concat(chunks) });
      const a = answers.shift() ?? { status: 200 };
      res.writeHead(a.status, a.headers ?? {}).end(a.status >= 400 ? 'no thanks' : '');
    });
  });
  return { server, got, answers, url: () => `http://127.0.0.1:${(server.address() as { port: number }).port}` };
}

/** Samples as "name labels @ts=value", whatever the wire format. */
type Decoder = (r: Received) => string[];

const decodeRemoteWrite: Decoder = (r) => {
  expect(r.headers['content-encoding']).toBe('snappy');
  expect(r.headers['content-type']).toBe('application/x-protobuf');
  expect(r.headers['x-prometheus-remote-write-version']).toBe('0.1.0');
  expect(r.headers['user-agent']).toMatch(/^Sigmascope-Collector\//);
  const req = WriteRequestType.toObject(WriteRequestType.decode(uncompress(new Uint8Array(r.body))), { longs: Number }) as { timeseries: { labels: { name: string; value: string }[]; samples: { value: number; timestamp: number }[] }[] };
  return req.timeseries.flatMap((ts) => {
    const names = ts.labels.map((l) => l.name);
    expect(names, 'labels sorted, none repeated').toEqual([...new Set(names)].sort());
    const l = ts.labels.map((x) => `${x.name}=${x.value}`).join(',');
    return ts.samples.map((s) => `${l} @${s.timestamp}=${s.value}`);
  });
};

const decodeOtlp: Decoder = (r) => {
  expect(r.headers['content-type']).toBe('application/x-protobuf');
  const req = ExportMetricsRequestType.toObject(ExportMetricsRequestType.decode(new Uint8Array(r.body)), { longs: String, oneofs: true }) as {
    resource_metrics: { resource: { attributes: { key: string; value: { string_value: string } }[] }; scope_metrics: { scope: { name: string }; metrics: { name: string; unit: string; gauge?: { data_points: Point[] }; sum?: { data_points: Point[]; aggregation_temporality: number; is_monotonic: boolean } }[] }[] }[];
  };
  type Point = { attributes: { key: string; value: { string_value: string } }[]; time_unix_nano: string; as_double: number };
  return req.resource_metrics.flatMap((rm) => {
    const res = rm.resource.attributes.map((a) => `${a.key}=${a.value.string_value}`).join(',');
    return rm.scope_metrics.flatMap((sm) => sm.metrics.flatMap((m) => {
      const kind = m.sum === undefined ? 'gauge' : `sum(${m.sum.aggregation_temporality},${m.sum.is_monotonic})`;
      return (m.gauge ?? m.sum)?.data_points.map((p) => `${res} ${sm.scope.name} ${m.name}[${m.unit}] ${kind} ${p.attributes.map((a) => `${a.key}=${a.value.string_value}`).join(',')} @${p.time_unix_nano}=${p.as_double}`) ?? [];
    }));
  });
};

const rw = receiver();
const otlp = receiver();
beforeAll(async () => {
  for (const r of [rw, otlp]) await new Promise<void>((ok) => r.server.listen(0, '127.0.0.1', ok));
});
afterAll(() => {
  rw.server.close();
  otlp.server.close();
});

const CASES: { name: string; make: () => Exporter; rx: ReturnType<typeof receiver>; decode: Decoder; want: string[]; dropOn: number[]; retryOn: number[] }[] = [
  {
    name: 'remote-write',
    make: () => new RemoteWriteExporter({ url: `${rw.url()}/api/v1/write`, headers: { authorization: 'Bearer t' }, timeoutMs: 5_000, userAgent: 'Sigmascope-Collector/0.1.0' }),
    rx: rw,
    decode: decodeRemoteWrite,
    want: [
      `__name__=hw_gpu_utilization_ratio,agent=gpu-01,exported_host=theirs,host=host-a,hw_id=GPU-0 @${T}=0.25`,
      `__name__=hw_gpu_utilization_ratio,agent=gpu-01,exported_host=theirs,host=host-a,hw_id=GPU-0 @${T + 500}=0.5`,
      `__name__=system_network_io_bytes_total,agent=gpu-01,host=host-a,network_io_direction=receive @${T}=123456789012`,
    ],
    dropOn: [400, 404, 413],
    retryOn: [429, 500, 502, 503],
  },
  {
    name: 'otlp',
    make: () => new OtlpExporter({ url: `${otlp.url()}/v1/metrics`, headers: {}, timeoutMs: 5_000, userAgent: 'Sigmascope-Collector/0.1.0', version: '0.1.0' }),
    rx: otlp,
    decode: decodeOtlp,
    want: [
      `service.name=sigmascope-agent,service.instance.id=gpu-01,host.name=host-a sigmascope hw.gpu.utilization[1] gauge hw.id=GPU-0,host=theirs @${T}000000=0.25`,
      `service.name=sigmascope-agent,service.instance.id=gpu-01,host.name=host-a sigmascope hw.gpu.utilization[1] gauge hw.id=GPU-0,host=theirs @${T + 500}000000=0.5`,
      `service.name=sigmascope-agent,service.instance.id=gpu-01,host.name=host-a sigmascope system.network.io[By] sum(2,true) network.io.direction=receive @${T}000000=123456789012`,
    ],
    dropOn: [400, 500, 501],
    retryOn: [429, 502, 503, 504],
  },
];

describe('exporter contract', () => {
  for (const c of CASES) {
    it(`${c.name}: the receiver gets every sample of the batch, named and labelled by the protocol`, async () => {
      c.rx.got.length = 0;
      expect(await c.make().send(BATCH)).toEqual({ status: 'ok' });
      expect(c.rx.got.length).toBe(1);
      expect(c.decode(c.rx.got[0] as Received).sort()).toEqual([...c.want].sort());
    });

    it(`${c.name}: retries ${c.retryOn.join(', ')} (Retry-After read), drops ${c.dropOn.join(', ')}, retries a refused connection`, async () => {
      const e = c.make();
      for (const status of c.retryOn) {
        c.rx.answers.push({ status, headers: { 'retry-after': '7' } });
        expect(await e.send(BATCH)).toEqual({ status: 'retry', reason: `HTTP ${status}: no thanks`, afterMs: 7_000 });
      }
      c.rx.answers.push({ status: 503 });
      expect(await e.send(BATCH)).toEqual({ status: 'retry', reason: 'HTTP 503: no thanks' });
      for (const status of c.dropOn) {
        c.rx.answers.push({ status });
        expect(await e.send(BATCH)).toEqual({ status: 'drop', reason: `HTTP ${status}: no thanks` });
      }
      const closed = createServer();
      await new Promise<void>((ok) => closed.listen(0, '127.0.0.1', ok));
      const port = (closed.address() as { port: number }).port;
      await new Promise<void>((ok) => closed.close(() => ok()));
      const refused = c.name === 'otlp' ? new OtlpExporter({ url: `http://127.0.0.1:${port}/v1/metrics`, headers: {}, timeoutMs: 2_000, userAgent: 'x', version: '0' }) : new RemoteWriteExporter({ url: `http://127.0.0.1:${port}/api/v1/write`, headers: {}, timeoutMs: 2_000, userAgent: 'x' });
      expect(await refused.send(BATCH)).toEqual({ status: 'retry', reason: 'ECONNREFUSED' });
    });
  }

  it('memory: keeps what it took, answers what it is told', async () => {
    const m = new MemoryExporter();
    m.answers.push({ status: 'retry', reason: 'told' });
    expect(await m.send(BATCH)).toEqual({ status: 'retry', reason: 'told' });
    expect(await m.send(BATCH)).toEqual({ status: 'ok' });
    expect(m.received).toEqual([BATCH]);
  });
});

describe('Retry-After', () => {
  it('reads delay-seconds and HTTP dates (RFC 9110), and ignores what it cannot read', async () => {
    const { retryAfterMs } = await import('./exporter.ts');
    const now = Date.parse('Wed, 21 Oct 2026 07:28:00 GMT');
    expect(retryAfterMs('120', now)).toBe(120_000);
    expect(retryAfterMs('Wed, 21 Oct 2026 07:28:30 GMT', now)).toBe(30_000);
    expect(retryAfterMs('Wed, 21 Oct 2026 07:27:00 GMT', now)).toBe(0);
    expect(retryAfterMs('soon', now)).toBeUndefined();
    expect(retryAfterMs(null, now)).toBeUndefined();
  });
});
