/**
 * A collector that keeps the link alive but acknowledges nothing (issue 11, defect 7): a real
 * agent streams to a real collector through a fault proxy that answers pings and drops every ack.
 * The agent notices within its ack timeout, says so on its status API and page counters,
 * reconnects; once acks flow again it drains, and the oracle holds exactly.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startFaultProxy } from './support/fault-proxy.ts';
import { createAgentToken, startAgent, startCollector } from './support/fleet.ts';
import { expectConservation } from './support/oracle.ts';
import { getJson, killAll, stop, tempDir, waitFor } from './support/processes.ts';

afterAll(() => killAll());

interface CollectorStatus {
  state: string;
  lastError: string | null;
  framesInFlight: number;
  awaitingAckSince: number | null;
  ackTimeoutMs: number;
  ackTimeouts: number;
}

describe('an agent whose collector never acknowledges', () => {
  it('drops the link after uplink.ackTimeoutMs, shows it, and delivers everything once acks return', async () => {
    const collector = await startCollector();
    const token = createAgentToken(collector, 'no-acks');
    const proxy = await startFaultProxy(`ws://127.0.0.1:${collector.port}/ingest`, { dropAckRatio: 1, duplicateBatchRatio: 0 });
    const dir = tempDir('sigmascope-agent-');
    const config = join(dir, 'agent.json');
    writeFileSync(config, JSON.stringify({ uplink: { ackTimeoutMs: 2_000, window: 4 } }));
    const agent = await startAgent({ collectorPort: proxy.port, token, name: 'no-acks', gpus: 2, extraArgs: ['--config', config] });
    const status = async (): Promise<CollectorStatus> => (await getJson<{ collector: CollectorStatus }>(`http://127.0.0.1:${agent.statusPort}/api/status`)).collector;

    // Connected, frames in flight, nothing acknowledged: waiting shows, then the timeout fires.
    const waiting = await waitFor('frames waiting for an ack', async () => {
      const c = await status();
      return c.state === 'connected' && c.framesInFlight > 0 && c.awaitingAckSince !== null ? c : undefined;
    }, 20_000, 100);
    expect(waiting.ackTimeoutMs).toBe(2_000);
    const startedWaiting = waiting.awaitingAckSince as number;
    const timedOut = await waitFor('the ack timeout', async () => {
      const c = await status();
      return c.ackTimeouts >= 1 ? c : undefined;
    }, 20_000, 100);
    expect(Date.now() - startedWaiting).toBeLessThan(10_000);
    expect(timedOut.lastError).toMatch(/no ack from the collector for 2000 ms with \d+ frames in flight/);
    const metrics = await (await fetch(`http://127.0.0.1:${agent.statusPort}/metrics`)).text();
    expect(metrics).toMatch(/sigmascope_agent_ack_timeouts_total [1-9]/);
    expect((await agent.status()).samples.acked).toBe(0);

    // Acks flow again: the agent reconnects, drains, and nothing is lost or stored twice.
    proxy.setDropAckRatio(0);
    await waitFor('the buffer drained', async () => {
      const s = await agent.status();
      return s.collector.state === 'connected' && s.samples.acked > 0 && s.samples.buffered < 100 ? s : undefined;
    }, 30_000);
    await stop(agent.proc);
    await expectConservation(collector, 'no-acks', token, agent.dataDir);
    await proxy.close();
    await stop(collector.proc);
  });
});
