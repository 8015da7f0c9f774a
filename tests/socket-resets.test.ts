/**
 * Peers that reset their connection mid-answer cannot stop a server (issue 11, defect 1): a real
 * collector process takes 10,000 refused upgrades in a row from raw TCP clients that read part of
 * the refusal and reset (no token, a viewer token, another path, past the 429 limit), plus resets
 * on its live feed and broken HTTP; then it still runs under the same PID and stores a real
 * agent's samples. The agent's status server gets the same treatment.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAgentToken, startAgent, startCollector, storedFor } from './support/fleet.ts';
import type { AgentHandle, CollectorHandle } from './support/fleet.ts';
import { killAll, stop, waitFor } from './support/processes.ts';
import { sendAndReset, upgradeRequest } from './support/raw-http.ts';

let collector: CollectorHandle;

beforeAll(async () => {
  collector = await startCollector();
});
afterAll(async () => {
  await stop(collector.proc);
  killAll();
});

/** Runs `attempts` attacks, `parallel` at a time; returns how often each answer's status line came back. */
async function attack(attempts: number, parallel: number, one: (i: number) => Promise<string>): Promise<Map<string, number>> {
  const seen = new Map<string, number>();
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < attempts) {
      const status = await one(next++);
      seen.set(status, (seen.get(status) ?? 0) + 1);
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
  return seen;
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('the collector under refused-and-reset upgrades', () => {
  it('survives 10,000 in a row with its PID unchanged, and stores a real agent afterwards', async () => {
    const pid = collector.proc.child.pid as number;
    const ingest = '/ingest';
    // Each unauthenticated attempt comes from its own loopback address so it meets the 401 path;
    // 127.0.0.5 keeps failing, so its attempts meet the 429 path.
    const kinds = [
      (i: number) => sendAndReset(collector.port, upgradeRequest(ingest, null), `127.1.${(i >> 8) & 255}.${i & 255}`),
      (i: number) => sendAndReset(collector.port, upgradeRequest(ingest, collector.viewerToken), `127.2.${(i >> 8) & 255}.${i & 255}`),
      () => sendAndReset(collector.port, upgradeRequest('/elsewhere', null)),
      () => sendAndReset(collector.port, upgradeRequest(ingest, 'sgs_a_notavalidtoken00000000000000000'), '127.0.0.5'),
    ];
    const seen = await attack(10_000, 16, (i) => (kinds[i % kinds.length] as (i: number) => Promise<string>)(i));
    expect(collector.proc.child.exitCode, collector.proc.output().slice(-2000)).toBeNull();
    expect(alive(pid)).toBe(true);
    // Every attempt was answered with a refusal, of each kind.
    expect([...seen.keys()].sort()).toEqual(['HTTP/1.1 401 Unauthorized', 'HTTP/1.1 404 Not Found', 'HTTP/1.1 429 Too Many Requests']);
    expect([...seen.values()].reduce((a, b) => a + b, 0)).toBe(10_000);
    expect(seen.get('HTTP/1.1 429 Too Many Requests')).toBeGreaterThanOrEqual(2_500 - 20);

    // Broken HTTP and resets on the live feed, on the same process.
    const more = await attack(600, 8, (i) =>
      i % 3 === 0
        ? sendAndReset(collector.port, 'GET / HTTP/1.1\r\nHost: x\r\nContent-Length: nope\r\n\r\n')
        : i % 3 === 1
          ? sendAndReset(collector.port, `GET /api/v1/live HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${collector.viewerToken}\r\n\r\n`)
          : sendAndReset(collector.port, 'GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n'),
    );
    expect(more.get('HTTP/1.1 400 Bad Request')).toBe(200);
    expect(more.get('HTTP/1.1 200 OK')).toBe(400);
    expect(alive(pid)).toBe(true);

    const token = createAgentToken(collector, 'after-attack');
    const agent = await startAgent({ collectorPort: collector.port, token, name: 'after-attack', gpus: 2 });
    await waitFor('the agent\'s samples stored', async () => ((await storedFor(collector, 'after-attack')) > 100 ? true : undefined));
    expect((await agent.status()).samples.acked).toBeGreaterThan(100);
    await stop(agent.proc);
    expect(collector.proc.child.pid).toBe(pid);
    expect(collector.proc.child.exitCode).toBeNull();
  });
});

describe('the agent status server under resets', () => {
  let agent: AgentHandle;
  beforeAll(async () => {
    agent = await startAgent({ collectorPort: null, name: 'status-resets' });
  });
  afterAll(async () => {
    await stop(agent.proc);
  });

  it('keeps serving after 1,200 resets on its page, JSON, live feed, upgrades and broken requests', async () => {
    const pid = agent.proc.child.pid as number;
    const requests = [
      'GET /api/live HTTP/1.1\r\nHost: x\r\n\r\n',
      'GET /api/status HTTP/1.1\r\nHost: x\r\n\r\n',
      'GET / HTTP/1.1\r\nHost: x\r\n\r\n',
      upgradeRequest('/api/live', null),
      'GET / HTTP/1.1\r\nHost: x\r\nContent-Length: nope\r\n\r\n',
      '\u0000\u0001\u0002 not http at all\r\n\r\n',
    ];
    const seen = await attack(1_200, 8, (i) => sendAndReset(agent.statusPort, requests[i % requests.length] as string));
    expect([...seen.values()].reduce((a, b) => a + b, 0)).toBe(1_200);
    expect(seen.get('HTTP/1.1 400 Bad Request')).toBe(400);
    expect(agent.proc.child.exitCode, agent.proc.output().slice(-2000)).toBeNull();
    expect(alive(pid)).toBe(true);
    const status = await agent.status();
    expect(status.samples.produced).toBeGreaterThan(0);
  });
});
