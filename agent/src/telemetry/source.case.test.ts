/**
 * The contract every built-in /proc source keeps (source.ts), run against the captured /proc
 * snapshots in testdata/, plus each one's values across two snapshots.
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { LABEL_NAME_PATTERN, METRIC_NAME_PATTERN } from '@sigmascope/protocol/series';
import { InMemorySampleSink } from '../pipeline/sample-sink.ts';
import { createAgentSelfSource } from './agent-self-source.ts';
import { createCpuSource } from './cpu-source.ts';
import { createDiskSource } from './disk-source.ts';
import { createMemorySource } from './memory-source.ts';
import { createNetworkSource } from './network-source.ts';
import type { TelemetrySource } from './source.ts';

const TESTDATA = fileURLToPath(new URL('./testdata', import.meta.url));
const scratch: string[] = [];
afterAll(() => scratch.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** A /proc root holding snapshot `proc-a`; `swap('proc-b')` replaces its files with the later one. */
function procRoot(): { root: string; swap(snapshot: string): void } {
  const root = mkdtempSync(join(tmpdir(), 'sigmascope-proc-'));
  scratch.push(root);
  cpSync(join(TESTDATA, 'proc-a'), root, { recursive: true });
  return { root, swap: (s) => cpSync(join(TESTDATA, s), root, { recursive: true }) };
}

const FACTORIES: Record<string, (root: string) => TelemetrySource> = {
  cpu: (root) => createCpuSource({ procRoot: root }),
  memory: (root) => createMemorySource({ procRoot: root }),
  network: (root) => createNetworkSource({ procRoot: root }),
  disk: (root) => createDiskSource({ procRoot: root }),
  agent: () => createAgentSelfSource(),
};

const TS = 1_700_000_000_000;

describe.each(Object.entries(FACTORIES))('source contract: %s', (name, make) => {
  it('starts, writes finite values with valid names at the tick timestamp, and stops idempotently', async () => {
    const p = procRoot();
    const source = make(p.root);
    expect(source.name).toBe(name);
    expect(source.status().state).toBe('starting');
    await source.start();
    expect(source.status().state).toBe('ok');
    const sink = new InMemorySampleSink();
    source.collect(TS, sink);
    p.swap('proc-b');
    await source.collect(TS + 500, sink);
    expect(sink.samples.length).toBeGreaterThan(0);
    for (const s of sink.samples) {
      expect(Number.isFinite(s.value)).toBe(true);
      expect(s.series.name).toMatch(METRIC_NAME_PATTERN);
      for (const l of Object.keys(s.series.labels)) expect(l).toMatch(LABEL_NAME_PATTERN);
      expect([TS, TS + 500]).toContain(s.ts);
    }
    await source.stop();
    await source.stop();
    expect(source.status().state).toBe('stopped');
    const after = sink.samples.length;
    source.collect(TS + 1000, sink);
    expect(sink.samples.length).toBe(after);
  });

  if (name !== 'agent') {
    it('is disabled with a reason, and quiet, where its /proc file does not exist', async () => {
      const source = make(join(TESTDATA, 'no-such-proc'));
      await source.start();
      const st = source.status();
      expect(st.state).toBe('disabled');
      expect(st.detail).toContain('no-such-proc');
      const sink = new InMemorySampleSink();
      expect(() => source.collect(TS, sink)).not.toThrow();
      expect(sink.samples).toHaveLength(0);
    });
  }
});

/** The value of the one sample of `name` whose labels include `labels`. */
function valueOf(sink: InMemorySampleSink, ts: number, name: string, labels: Record<string, string> = {}): number | undefined {
  const found = sink.samples.filter((s) => s.ts === ts && s.series.name === name && Object.entries(labels).every(([k, v]) => s.series.labels[k] === v));
  if (found.length > 1) throw new Error(`${found.length} samples of ${name}`);
  return found[0]?.value;
}

describe('values across the two captured snapshots', () => {
  it('cpu: per-mode utilization from the deltas, load average; nothing on the first tick', async () => {
    const p = procRoot();
    const cpu = createCpuSource({ procRoot: p.root });
    await cpu.start();
    const sink = new InMemorySampleSink();
    cpu.collect(TS, sink);
    expect(sink.samples.filter((s) => s.series.name === 'system.cpu.utilization')).toHaveLength(0);
    expect(valueOf(sink, TS, 'system.cpu.load_average.1m')).toBe(2.04);
    p.swap('proc-b');
    cpu.collect(TS + 500, sink);
    // stat deltas between the snapshots: user 28, system 11, idle 166, iowait 1, interrupt 1, steal 6 of 213.
    expect(valueOf(sink, TS + 500, 'system.cpu.utilization', { 'cpu.mode': 'user' })).toBe(28 / 213);
    expect(valueOf(sink, TS + 500, 'system.cpu.utilization', { 'cpu.mode': 'idle' })).toBe(166 / 213);
    expect(valueOf(sink, TS + 500, 'system.cpu.utilization', { 'cpu.mode': 'steal' })).toBe(6 / 213);
    expect(sink.samples.filter((s) => s.ts === TS + 500 && s.series.name === 'system.cpu.utilization')).toHaveLength(7);
    expect(sink.samples.some((s) => s.series.name === 'system.cpu.utilization' && s.series.labels['cpu.mode'] === undefined)).toBe(false);
  });

  it('memory: usage per state, limit and utilization of used', async () => {
    const p = procRoot();
    const mem = createMemorySource({ procRoot: p.root });
    await mem.start();
    const sink = new InMemorySampleSink();
    mem.collect(TS, sink);
    const KIB = 1024;
    const used = (24684092 - 23340388 - 8700 - 942052 - 74648) * KIB;
    expect(valueOf(sink, TS, 'system.memory.usage', { 'system.memory.state': 'used' })).toBe(used);
    expect(valueOf(sink, TS, 'system.memory.usage', { 'system.memory.state': 'free' })).toBe(23340388 * KIB);
    expect(valueOf(sink, TS, 'system.memory.limit')).toBe(24684092 * KIB);
    expect(valueOf(sink, TS, 'system.memory.utilization')).toBe(used / (24684092 * KIB));
  });

  it('network and disk: cumulative byte counters per interface/device and direction', async () => {
    const p = procRoot();
    const net = createNetworkSource({ procRoot: p.root });
    const disk = createDiskSource({ procRoot: p.root });
    await net.start();
    await disk.start();
    const sink = new InMemorySampleSink();
    net.collect(TS, sink);
    disk.collect(TS, sink);
    expect(valueOf(sink, TS, 'system.network.io', { 'network.interface.name': 'eth0', 'network.io.direction': 'receive' })).toBe(322422602);
    expect(valueOf(sink, TS, 'system.network.io', { 'network.interface.name': 'eth0', 'network.io.direction': 'transmit' })).toBe(569855);
    expect(sink.samples.some((s) => s.series.labels['network.interface.name'] === 'lo')).toBe(false);
    expect(valueOf(sink, TS, 'system.disk.io', { 'system.device': 'vda', 'disk.io.direction': 'read' })).toBe(5971154 * 512);
    expect(valueOf(sink, TS, 'system.disk.io', { 'system.device': 'vda', 'disk.io.direction': 'write' })).toBe(2703064 * 512);
    expect(new Set(sink.samples.filter((s) => s.series.name === 'system.disk.io').map((s) => s.series.labels['system.device']))).toEqual(new Set(['vda']));
    expect(net.status().info).toEqual({ interfaces: ['ifb0', 'ifb1', 'eth0'] });
  });

  it('agent: CPU as a fraction of one core between ticks, and RSS', async () => {
    let cpu = 1_000_000;
    let at = 5_000;
    const self = createAgentSelfSource({ cpuMicros: () => cpu, rssBytes: () => 48 * 1024 * 1024, monotonicMs: () => at });
    await self.start();
    const sink = new InMemorySampleSink();
    cpu += 7_500; // 7.5 ms of CPU …
    at += 500; // … in 500 ms: 1.5 % of a core
    self.collect(TS, sink);
    expect(valueOf(sink, TS, 'sigmascope.agent.cpu.utilization')).toBeCloseTo(0.015, 12);
    expect(valueOf(sink, TS, 'sigmascope.agent.memory.rss')).toBe(48 * 1024 * 1024);
  });
});
