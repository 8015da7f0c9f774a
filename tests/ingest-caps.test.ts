/**
 * Caps on ingest connections, on a real collector (issue 16's bounds): at most
 * ingest.maxConnections at once, the next refused 503 before the upgrade; one per agent token,
 * a second connection of the same agent replacing the first (closed 4003), which it stores on.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BatchBuilder } from '../protocol/src/batch.ts';
import { encodeFrame } from '../protocol/src/codec.ts';
import { CloseCode } from '../protocol/src/frames.ts';
import { series } from '../protocol/src/series.ts';
import { createAgentToken, startCollector } from './support/fleet.ts';
import { getJson, killAll, stop, tempDir } from './support/processes.ts';
import { connectAgent } from './support/ws-agent.ts';

afterAll(() => killAll());

const hello = (stream: string) => ({ t: 'hello', proto: 1, agentVersion: 't', bootId: 'b', stream, hostname: 'h', clock: Date.now() }) as const;

describe('ingest connection caps', () => {
  it('refuses beyond the total with 503, and a second connection of one agent replaces its first', async () => {
    const config = join(tempDir('sigmascope-config-'), 'collector.json');
    writeFileSync(config, JSON.stringify({ ingest: { maxConnections: 3 } }));
    const c = await startCollector({ extraArgs: ['--config', config] });
    const url = `ws://127.0.0.1:${c.port}/ingest`;
    const tokens = ['cap-a', 'cap-b', 'cap-c', 'cap-d'].map((n) => createAgentToken(c, n));
    const open = await Promise.all(tokens.slice(0, 3).map((t) => connectAgent(url, t as string)));
    await expect(connectAgent(url, tokens[3] as string)).rejects.toThrow('upgrade refused: 503 Service Unavailable: connection limit reached');

    // Agent a connects again (its old link dead to it, say): the new one replaces the old.
    const first = open[0] as Awaited<ReturnType<typeof connectAgent>>;
    first.send(hello('s'));
    await first.waitFor(1);
    const closed = new Promise<number>((r) => first.ws.once('close', (code) => r(code)));
    const second = await connectAgent(url, tokens[0] as string);
    expect(await closed).toBe(CloseCode.replaced);
    second.send(hello('s'));
    await second.waitFor(1);
    const b = new BatchBuilder();
    b.add(series('system.cpu.utilization'), Date.now(), 0.5);
    second.send(encodeFrame(b.seal(1, Date.now())));
    await second.waitFor(2);
    expect(second.received[1]).toMatchObject({ t: 'ack', seq: 1 });

    // A place freed is taken again.
    await (open[1] as Awaited<ReturnType<typeof connectAgent>>).close();
    const fourth = await connectAgent(url, tokens[3] as string);
    const stats = await getJson<{ auth: { refused: Record<string, number> } }>(c.url('/api/v1/stats'), c.viewerToken);
    expect(stats.auth.refused.connection_cap).toBe(1);
    await Promise.all([second.close(), fourth.close(), (open[2] as Awaited<ReturnType<typeof connectAgent>>).close()]);
    await stop(c.proc);
  });
});
