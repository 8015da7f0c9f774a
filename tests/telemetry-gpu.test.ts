/**
 * The GPU source end to end against the stand-in nvidia-smi (tests/support/bin), which replays
 * the real H100 capture: one persistent query child for all GPUs, every GPU's series, restarts
 * after the child dies or hangs, an older driver's unknown field, and no nvidia-smi at all.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '@sigmascope/protocol/log';
import { InMemorySampleSink } from '../agent/src/pipeline/sample-sink.ts';
import { createGpuSource } from '../agent/src/telemetry/gpu/gpu-source.ts';
import type { GpuSourceOptions } from '../agent/src/telemetry/gpu/gpu-source.ts';
import type { TelemetrySource } from '../agent/src/telemetry/source.ts';
import { FAKE_BIN, sleep, tempDir, waitFor } from './support/processes.ts';

const MIB = 1048576;
// The H100 capture's load and idle rows (the stand-in alternates them per GPU and per loop).
const H100 = {
  load: { util: 1, used: 19818 * MIB, temp: 59, power: 631.95, gclk: 1980e6 },
  idle: { util: 0, used: 0, temp: 41, power: 69.85, gclk: 345e6 },
};

const dir = tempDir('sigmascope-gpu-');
const pidFile = join(dir, 'pids');
const savedEnv = { ...process.env };
let sources: TelemetrySource[] = [];

beforeEach(() => {
  process.env.PATH = `${FAKE_BIN}:${savedEnv.PATH ?? ''}`;
  process.env.SIGMASCOPE_FAKE_NVIDIA_PIDFILE = pidFile;
  writeFileSync(pidFile, '');
});
afterEach(async () => {
  await Promise.all(sources.map((s) => s.stop()));
  sources = [];
  for (const k of Object.keys(process.env)) if (!(k in savedEnv)) delete process.env[k];
  Object.assign(process.env, savedEnv);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function gpuSource(options: Partial<GpuSourceOptions> = {}): TelemetrySource {
  const s = createGpuSource({ nvidiaSmiPath: 'nvidia-smi', intervalMs: 100, log: silentLogger, restartBaseMs: 100, restartCapMs: 400, ...options });
  sources.push(s);
  return s;
}

const pids = (): number[] => readFileSync(pidFile, 'utf8').split('\n').filter((l) => l !== '').map(Number);

/** One tick's samples. */
function collect(source: TelemetrySource, ts = Date.now()): InMemorySampleSink {
  const sink = new InMemorySampleSink();
  void source.collect(ts, sink);
  return sink;
}

const byGpu = (sink: InMemorySampleSink, name: string): Map<string, number> =>
  new Map(sink.samples.filter((s) => s.series.name === name).map((s) => [s.series.labels['hw.id'] as string, s.value]));

describe('GPU source with the stand-in nvidia-smi', () => {
  it('reports hw.gpu.* for all 8 GPUs from ONE child, with the capture’s values, and the inventory', async () => {
    process.env.SIGMASCOPE_FAKE_GPUS = '8';
    const gpu = gpuSource({ intervalMs: 500 });
    await gpu.start();
    await waitFor('the GPU source to be ok', () => (gpu.status().state === 'ok' ? true : undefined), 20_000, 50);
    await sleep(700); // every GPU has reported at least once
    const sink = collect(gpu, 1_700_000_000_000);
    const uuids = Array.from({ length: 8 }, (_, i) => `GPU-00000000-0000-0000-0000-${i.toString(16).padStart(12, '0')}`);
    for (const name of ['hw.gpu.utilization', 'hw.gpu.memory.usage', 'hw.gpu.memory.limit', 'hw.gpu.memory.utilization', 'hw.gpu.temperature', 'hw.gpu.power.draw', 'hw.gpu.clock.graphics', 'hw.gpu.clock.memory']) {
      expect([...byGpu(sink, name).keys()].sort(), name).toEqual(uuids);
    }
    // Each GPU shows the capture's load row or its idle row, consistently across its series.
    const util = byGpu(sink, 'hw.gpu.utilization');
    for (const id of uuids) {
      const want = util.get(id) === 1 ? H100.load : H100.idle;
      expect(util.get(id)).toBe(want.util);
      expect(byGpu(sink, 'hw.gpu.memory.usage').get(id)).toBe(want.used);
      expect(byGpu(sink, 'hw.gpu.temperature').get(id)).toBe(want.temp);
      expect(byGpu(sink, 'hw.gpu.power.draw').get(id)).toBe(want.power);
      expect(byGpu(sink, 'hw.gpu.clock.graphics').get(id)).toBe(want.gclk);
      expect(byGpu(sink, 'hw.gpu.memory.limit').get(id)).toBe(81559 * MIB);
      expect(byGpu(sink, 'hw.gpu.clock.memory').get(id)).toBe(2619e6);
    }
    expect(sink.samples.filter((s) => s.series.name === 'hw.errors')).toHaveLength(16);
    expect(sink.samples.every((s) => s.ts === 1_700_000_000_000 && Number.isFinite(s.value))).toBe(true);
    expect(sink.samples.every((s) => s.series.labels['hw.model'] === 'NVIDIA H100 80GB HBM3')).toBe(true);
    // One query child for all GPUs (node-nvidia-smi's one -q -x run also appends its pid once).
    const info = await waitFor('the XML inventory', () => (gpu.status().info?.inventoryFrom === 'nvidia-smi -q -x' ? gpu.status().info : undefined), 20_000, 100);
    expect(pids()).toHaveLength(2);
    expect(info).toMatchObject({ driverVersion: '590.48.01', cudaVersion: '13.1', attachedGpus: 8, restarts: 0 });
    expect((info.gpus as { uuid: string; name: string }[]).map((g) => g.uuid)).toEqual(uuids);
  });

  it('restarts the child after it is killed, and samples flow again', async () => {
    process.env.SIGMASCOPE_FAKE_GPUS = '2';
    const gpu = gpuSource();
    await gpu.start();
    await waitFor('the GPU source to be ok', () => (gpu.status().state === 'ok' ? true : undefined), 20_000, 50);
    const [first] = pids();
    process.kill(first as number, 'SIGKILL');
    await waitFor('a second nvidia-smi child', () => (pids().length >= 2 ? true : undefined), 10_000, 20);
    await waitFor('fresh rows after the restart', () => (gpu.status().state === 'ok' && (gpu.status().info?.restarts as number) >= 1 ? true : undefined), 10_000, 20);
    await sleep(300);
    expect(byGpu(collect(gpu), 'hw.gpu.power.draw').size).toBe(2);
  });

  it('stops repeating rows from a hung child, then kills and replaces it', async () => {
    process.env.SIGMASCOPE_FAKE_GPUS = '1';
    const gpu = gpuSource({ staleAfterMs: 400, stallMs: 1_000 });
    await gpu.start();
    await waitFor('the GPU source to be ok', () => (gpu.status().state === 'ok' ? true : undefined), 20_000, 50);
    const [first] = pids();
    process.kill(first as number, 'SIGSTOP'); // alive but silent, as when a GPU falls off the bus
    await waitFor('stale rows to be dropped', () => (collect(gpu).samples.length === 0 ? true : undefined), 5_000, 50);
    expect(gpu.status().state).toBe('degraded');
    await waitFor('a replacement child with fresh rows', () => (pids().length >= 2 && collect(gpu).samples.length > 0 ? true : undefined), 10_000, 50);
    expect(gpu.status().state).toBe('ok');
  });

  it('drops a field an older driver does not know and keeps sampling', async () => {
    process.env.SIGMASCOPE_FAKE_GPUS = '1';
    process.env.SIGMASCOPE_FAKE_NVIDIA_UNKNOWN = 'mig.mode.current';
    const gpu = gpuSource();
    await gpu.start();
    await waitFor('the GPU source to be ok', () => (gpu.status().state === 'ok' ? true : undefined), 20_000, 50);
    expect(gpu.status().info?.unsupportedFields).toEqual(['mig.mode.current']);
    expect(byGpu(collect(gpu), 'hw.gpu.temperature').size).toBe(1);
  });

  it('under MIG reports no utilization (the capture has [N/A]) but everything else', async () => {
    process.env.SIGMASCOPE_FAKE_GPUS = '2';
    process.env.SIGMASCOPE_FAKE_NVIDIA_CAPTURE = 'linux-x86_64__nvidia-h100-mig__590.48.01.txt';
    const gpu = gpuSource();
    await gpu.start();
    await waitFor('the GPU source to be ok', () => (gpu.status().state === 'ok' ? true : undefined), 20_000, 50);
    await sleep(250);
    const sink = collect(gpu);
    expect(byGpu(sink, 'hw.gpu.utilization').size).toBe(0);
    expect([...byGpu(sink, 'hw.gpu.power.draw').values()].sort()).toEqual([433.78, 71.15].sort());
    expect(sink.samples.every((s) => Number.isFinite(s.value))).toBe(true);
  });

  it('is disabled with "nvidia-smi not found" when there is none, and quiet every tick', async () => {
    for (const path of ['sigmascope-no-such-nvidia-smi', join(dir, 'missing', 'nvidia-smi')]) {
      const gpu = gpuSource({ nvidiaSmiPath: path });
      await gpu.start();
      const st = await waitFor('the GPU source to give up', () => (gpu.status().state === 'disabled' ? gpu.status() : undefined), 5_000, 20);
      expect(st.detail).toContain('nvidia-smi not found');
      await sleep(300); // no restart attempts follow
      expect(gpu.status().state).toBe('disabled');
      expect(collect(gpu).samples).toHaveLength(0);
    }
  });
});
