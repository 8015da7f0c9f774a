/**
 * The agent's own resilience, with real processes: a full buffer during an outage, a corrupted
 * buffer file, a bad config with data waiting, SIGTERM with data in flight, and a status page that
 * listens on loopback only.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, truncateSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createAgentToken, startAgent, startCollector } from './support/fleet.ts';
import { expectConservation } from './support/oracle.ts';
import { killAll, runCli, sleep, stop, tempDir, waitFor } from './support/processes.ts';

afterAll(() => killAll());

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

function configFile(text: string): string {
  const path = join(tempDir('sigmascope-config-'), 'agent.yaml');
  writeFileSync(path, text);
  return path;
}

describe('agent resilience', () => {
  it('stays under its buffer cap during an outage, drops the oldest and counts exactly what it dropped', async () => {
    const port = await freePort();
    const collectorData = tempDir('sigmascope-collector-');
    // The token must exist before the agent connects; create it in the collector's data dir up front.
    const token = createAgentToken({ dataDir: collectorData }, 'capped');
    const config = configFile('sampler:\n  intervalMs: 100\nbuffer:\n  capBytes: 64KiB\n');
    const agent = await startAgent({ collectorPort: port, token, name: 'capped', gpus: 4, extraArgs: ['--config', config] });
    const full = await waitFor('the buffer to overflow', async () => {
      const s = await agent.status();
      return (s.samples.dropped.buffer_full ?? 0) > 0 ? s : undefined;
    }, 60_000);
    expect(full.buffer.bytes).toBeLessThanOrEqual(64 * 1024);
    const collector = await startCollector({ dataDir: collectorData, port });
    await sleep(1_500);
    await stop(agent.proc);
    const figures = await expectConservation(collector, 'capped', token, agent.dataDir);
    expect(figures.dropped).toBeGreaterThan(0);
    await stop(collector.proc);
  });

  it('starts within 5 s on a buffer with flipped bytes, counts what it skipped, and the books still balance', async () => {
    const collectorData = tempDir('sigmascope-collector-');
    const token = createAgentToken({ dataDir: collectorData }, 'flipped');
    const agent = await startAgent({ collectorPort: await freePort(), token, name: 'flipped', gpus: 1 });
    await sleep(3_000);
    await stop(agent.proc);
    const file = join(agent.dataDir, 'buffer', 'buffer.mdb');
    const bytes = readFileSync(file);
    // Flip bytes inside stored frames: occurrences of the GPU uuid every frame carries as text.
    let flipped = 0;
    for (let at = bytes.indexOf('GPU-0000'); at >= 0 && flipped < 6; at = bytes.indexOf('GPU-0000', at + 1), flipped++) bytes[at + 2] = (bytes[at + 2] as number) ^ 0x55;
    expect(flipped).toBeGreaterThan(0);
    writeFileSync(file, bytes);
    const collector = await startCollector({ dataDir: collectorData });
    const started = Date.now();
    const again = await startAgent({ collectorPort: collector.port, token, name: 'flipped', dataDir: agent.dataDir });
    expect(Date.now() - started).toBeLessThan(5_000);
    const s = await again.status();
    expect(s.buffer.quarantinedFrames).toBeGreaterThan(0);
    await sleep(1_000);
    await stop(again.proc);
    const figures = await expectConservation(collector, 'flipped', token, agent.dataDir);
    expect(figures.dropped).toBeGreaterThan(0);
    await stop(collector.proc);
  });

  it('starts within 5 s on a truncated buffer file: moves it aside, counts it, samples again', async () => {
    const agent = await startAgent({ collectorPort: null, name: 'truncated', gpus: 2 });
    await sleep(3_000);
    await stop(agent.proc);
    const file = join(agent.dataDir, 'buffer', 'buffer.mdb');
    truncateSync(file, Math.floor(statSync(file).size / 2));
    writeFileSync(file, Buffer.concat([readFileSync(file).subarray(0, 8192), Buffer.alloc(8192, 0xee)]));
    const started = Date.now();
    const again = await startAgent({ collectorPort: null, name: 'truncated', dataDir: agent.dataDir });
    expect(Date.now() - started).toBeLessThan(5_000);
    const s = await waitFor('a tick after the restart', async () => {
      const st = await again.status();
      return st.samples.produced > 0 ? st : undefined;
    });
    expect(s.buffer.quarantinedFrames).toBeGreaterThanOrEqual(1);
    expect(readdirSync(join(agent.dataDir, 'buffer')).some((f) => f.startsWith('buffer.mdb.corrupt-'))).toBe(true);
    await stop(again.proc);
  });

  it('refuses a bad config value with exit 2 and a message naming it, leaving the buffer untouched', async () => {
    const agent = await startAgent({ collectorPort: null, name: 'badconfig' });
    await sleep(1_500);
    await stop(agent.proc);
    const file = join(agent.dataDir, 'buffer', 'buffer.mdb');
    const before = createHash('sha256').update(readFileSync(file)).digest('hex');
    const r = runCli(['agent', '--data', agent.dataDir, '--config', configFile('sampler:\n  intervalMs: soon\n')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('sampler.intervalMs: "soon" is not an integer');
    expect(createHash('sha256').update(readFileSync(file)).digest('hex')).toBe(before);
    const flag = runCli(['agent', '--data', agent.dataDir, '--status-port', 'seventy']);
    expect(flag.status).toBe(2);
    expect(flag.stderr).toContain('--status-port: "seventy"');
  });

  it('exits cleanly within 5 s on SIGTERM with data in flight, and nothing is lost', async () => {
    const collector = await startCollector();
    const token = createAgentToken(collector, 'sigterm');
    const agent = await startAgent({ collectorPort: collector.port, token, name: 'sigterm', gpus: 8 });
    await sleep(2_500);
    const t = Date.now();
    const code = await stop(agent.proc, 10_000);
    expect(code).toBe(0);
    expect(Date.now() - t).toBeLessThan(5_000);
    await expectConservation(collector, 'sigterm', token, agent.dataDir);
    await stop(collector.proc);
  });

  it('listens for its status page on loopback only', async () => {
    const agent = await startAgent({ collectorPort: null, name: 'loopback' });
    const hex = agent.statusPort.toString(16).toUpperCase().padStart(4, '0');
    const listening = [...readFileSync('/proc/net/tcp', 'utf8').split('\n'), ...(existsSync('/proc/net/tcp6') ? readFileSync('/proc/net/tcp6', 'utf8').split('\n') : [])]
      .map((l) => l.trim().split(/\s+/))
      .filter((f) => f[1]?.endsWith(`:${hex}`) && f[3] === '0A')
      .map((f) => f[1] as string);
    expect(listening).toEqual([`0100007F:${hex}`]);
    await stop(agent.proc);
  });
});
