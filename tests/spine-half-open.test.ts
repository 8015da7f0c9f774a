/**
 * A half-open link (RELIABILITY N4): the agent streams through a TCP relay that, mid-stream,
 * stops forwarding in both directions without closing anything. The agent must notice by its
 * own ping/pong, drop the dead link, connect again, and the books must balance: every sample
 * produced is stored once or counted as dropped.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createAgentToken, startAgent, startCollector } from './support/fleet.ts';
import { expectConservation } from './support/oracle.ts';
import { killAll, sleep, stop, tempDir, waitFor } from './support/processes.ts';
import { startTcpRelay } from './support/tcp-relay.ts';

afterAll(() => killAll());

describe('a half-open link', () => {
  it('is detected by ping/pong, replaced by a new connection, and nothing is lost or stored twice', async () => {
    const collector = await startCollector();
    const token = createAgentToken(collector, 'half-open');
    const relay = await startTcpRelay(collector.port);
    const config = join(tempDir('sigmascope-config-'), 'agent.yaml');
    writeFileSync(config, 'uplink: { pingIntervalMs: 500, pingTimeoutMs: 1500 }\n');
    const agent = await startAgent({ collectorPort: relay.port, token, name: 'half-open', gpus: 2, extraArgs: ['--config', config] });
    await waitFor('samples stored through the relay', async () => ((await agent.status()).samples.acked > 0 ? true : undefined));
    expect(relay.opened()).toBe(1);

    relay.blackholeAll();
    const cutAt = Date.now();
    await sleep(600);
    const during = await agent.status();
    // Nothing tells the agent; it must find out by itself.
    const reconnected = await waitFor('a new connection after the dead one', async () => {
      const s = await agent.status();
      return relay.opened() >= 2 && s.collector.state === 'connected' ? s : undefined;
    }, 30_000, 100);
    const detectedMs = Date.now() - cutAt;
    console.log(`half-open link replaced ${detectedMs} ms after it went silent (ping every 500 ms, timeout 1500 ms)`);
    expect(detectedMs).toBeLessThan(30_000);
    expect(during.collector.state).toBe('connected');
    // The agent's own view: a connection that began after the link went silent.
    expect(reconnected.collector.connectedSince).toBeGreaterThan(cutAt);

    // Frames sent into the dead link were never acked: they go again over the new one.
    await waitFor('the backlog to drain', async () => ((await agent.status()).samples.buffered < 400 ? true : undefined), 20_000);
    await stop(agent.proc);
    const books = await expectConservation(collector, 'half-open', token, agent.dataDir);
    expect(books.dropped).toBe(0);
    await relay.close();
    await stop(collector.proc);
  }, 90_000);
});
