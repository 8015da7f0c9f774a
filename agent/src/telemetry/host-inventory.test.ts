import { hostname, totalmem } from 'node:os';
import { describe, expect, it } from 'vitest';
import { InMemorySampleSink } from '../pipeline/sample-sink.ts';
import { createHostSource, readHostInventory } from './host-inventory.ts';
import type { HostInventory } from './host-inventory.ts';

const settle = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('host inventory', () => {
  it('reads this machine through systeminformation: its hostname, memory total and CPU', async () => {
    const inv = await readHostInventory();
    expect(inv.memoryTotalBytes).toBe(totalmem());
    expect([inv.hostname, inv.hostname?.split('.')[0]]).toContain(hostname());
    expect(inv.cpu.cores).toBeGreaterThan(0);
    expect(inv.os.platform).toBe(process.platform);
  });

  it('starts without waiting for the inventory and shows it in status().info once read; writes no samples', async () => {
    let resolve: ((inv: HostInventory) => void) | undefined;
    const inv: HostInventory = { hostname: 'gpu-01', os: { platform: 'linux', distro: 'Debian', release: '12', kernel: '6.1', arch: 'x64' }, cpu: { model: 'AMD EPYC', cores: 128, physicalCores: 64 }, memoryTotalBytes: 2 ** 40 };
    const host = createHostSource({ read: () => new Promise((r) => (resolve = r)) });
    await host.start();
    expect(host.status().state).toBe('starting');
    resolve?.(inv);
    await settle(0);
    expect(host.status()).toEqual({ state: 'ok', info: inv });
    const sink = new InMemorySampleSink();
    host.collect(0, sink);
    expect(sink.samples).toHaveLength(0);
    await host.stop();
  });

  it('degrades with the reason when the inventory fails or never answers', async () => {
    const failing = createHostSource({ read: () => Promise.reject(new Error('lscpu missing')) });
    await failing.start();
    await settle(0);
    expect(failing.status()).toEqual({ state: 'degraded', detail: 'host inventory failed: lscpu missing' });
    const hanging = createHostSource({ read: () => new Promise(() => {}), timeoutMs: 20 });
    await hanging.start();
    await settle(60);
    expect(hanging.status()).toEqual({ state: 'degraded', detail: 'host inventory timed out after 20 ms' });
  });
});
