/**
 * The agent says in its log when it loses the collector (one warn line, with the URL and what
 * waits in the buffer), so an operator reading the journal sees the outage, not silence.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { createAgentToken, startAgent, startCollector } from './support/fleet.ts';
import { killAll, stop, waitFor, waitForOutput } from './support/processes.ts';

afterAll(() => killAll());

describe('collector lost', () => {
  it('logs one warn line naming the collector and the backlog', async () => {
    const collector = await startCollector();
    const token = createAgentToken(collector, 'lost-agent');
    const agent = await startAgent({ collectorPort: collector.port, token, name: 'lost-agent' });
    await waitFor('the agent connected', async () => ((await agent.status()).collector.state === 'connected' ? true : undefined), 20_000);
    expect(agent.proc.output()).not.toContain('lost the collector');
    await stop(collector.proc);
    const line = await waitForOutput(agent.proc, /^(\{.*lost the collector.*\})$/m, 20_000);
    const entry = JSON.parse(line) as Record<string, unknown>;
    expect(entry).toMatchObject({ level: 'warn', url: `ws://127.0.0.1:${collector.port}/ingest` });
    expect(typeof entry.bufferedFrames).toBe('number');
    await stop(agent.proc);
    expect(agent.proc.output().match(/lost the collector/g)).toHaveLength(1);
  }, 60_000);
});
