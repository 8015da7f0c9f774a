/**
 * F1: a million hostile frames (tests/support/frame-mutator.ts) on one agent connection,
 * interleaved with a legitimate agent's batches on another, against a real collector. The
 * collector never exits, answers every bad frame with an error carrying a stable reason and
 * counts it, stores every valid frame exactly once, and its memory comes back to where it was
 * after the warm-up.
 */
import WebSocket from 'ws';
import { expect } from 'vitest';
import { decodeFrame, encodeFrame } from '../../protocol/src/codec.ts';
import { RejectCode } from '../../protocol/src/frames.ts';
import { createAgentToken, startCollector } from '../support/fleet.ts';
import { cpuBatch, hostileFrames } from '../support/frame-mutator.ts';
import { getJson, sleep, stop } from '../support/processes.ts';
import { memoryOf, mib } from '../support/proc-stats.ts';
import { connectAgent } from '../support/ws-agent.ts';
import type { Scenario } from './scenario.ts';

const CHUNK = 2_000;
const hello = (stream: string) => ({ t: 'hello', proto: 1, agentVersion: 'soak', bootId: 'b', stream, hostname: stream, clock: Date.now() }) as const;

export const f1: Scenario = {
  name: 'F1',
  title: '1,000,000 mutated frames interleaved with valid ones: every bad one rejected and counted, every valid one stored',
  minutes: { full: 0, short: 0 },
  async run({ length, figures, progress }) {
    const total = length === 'full' ? 1_000_000 : 100_000;
    const warmup = total / 20;
    const t0 = Date.now();
    const collector = await startCollector();
    const pid = collector.proc.child.pid as number;
    const legit = await connectAgent(`ws://127.0.0.1:${collector.port}/ingest`, createAgentToken(collector, 'f1-legit'));
    legit.send(hello('legit'));
    await legit.waitFor(1);

    // The fuzzing connection tallies what comes back instead of keeping a million frames.
    const fuzzer = new WebSocket(`ws://127.0.0.1:${collector.port}/ingest`, { headers: { authorization: `Bearer ${createAgentToken(collector, 'f1-fuzzer')}` }, perMessageDeflate: false });
    const answers = { errors: 0, acks: 0, other: 0, unknownCodes: [] as string[], byCode: {} as Record<string, number> };
    let received = 0;
    const known = new Set<string>(Object.values(RejectCode));
    fuzzer.on('message', (data: Buffer) => {
      received++;
      const d = decodeFrame(data);
      if (!d.ok) return void answers.other++;
      if (d.frame.t === 'welcome') return;
      if (d.frame.t === 'error') {
        answers.errors++;
        answers.byCode[d.frame.code] = (answers.byCode[d.frame.code] ?? 0) + 1;
        if (!known.has(d.frame.code)) answers.unknownCodes.push(d.frame.code);
      } else if (d.frame.t === 'ack') answers.acks++;
      else answers.other++;
    });
    await new Promise<void>((resolve, reject) => (fuzzer.once('open', () => resolve()), fuzzer.once('error', reject)));
    fuzzer.send(encodeFrame(hello('fuzz')));
    const until = async (n: number): Promise<void> => {
      const deadline = Date.now() + 60_000;
      while (received < n) {
        if (Date.now() > deadline || fuzzer.readyState !== WebSocket.OPEN) throw new Error(`the collector answered ${received} of ${n} frames (socket ${fuzzer.readyState})`);
        await sleep(5);
      }
    };
    await until(1);

    const next = hostileFrames(cpuBatch(1, 16, t0), t0);
    let legitSeq = 0;
    let baseline = memoryOf(pid);
    for (let sent = 0; sent < total; sent += CHUNK) {
      for (let i = 0; i < CHUNK; i++) fuzzer.send(next());
      legit.send(cpuBatch(++legitSeq, 50, t0 + legitSeq * 100));
      await until(1 + sent + CHUNK);
      if (sent + CHUNK === warmup) baseline = memoryOf(pid);
      if ((sent + CHUNK) % 100_000 === 0) progress(`${sent + CHUNK} frames`);
    }
    await legit.waitFor(1 + legitSeq);
    await sleep(5_000);
    const after = memoryOf(pid);
    figures.frames = total;
    figures.answers = { errors: answers.errors, acks: answers.acks, other: answers.other, byCode: answers.byCode };
    figures.collectorMiB = { afterWarmup: mib(baseline.rss), end: mib(after.rss), peak: mib(after.peakRss), anonymousAfterWarmup: mib(baseline.anonymous), anonymousEnd: mib(after.anonymous) };

    // Answered every frame: an error with a stable reason, or an ack of a frame that stayed valid.
    expect(received - 1).toBe(total);
    expect(answers.errors + answers.acks).toBe(total);
    expect(answers.unknownCodes).toEqual([]);
    const stats = await getJson<{ frames: { rejected: Record<string, number> } }>(collector.url('/api/v1/stats'), collector.viewerToken);
    figures.rejectedCounted = Object.values(stats.frames.rejected).reduce((a, b) => a + b, 0);
    expect(figures.rejectedCounted).toBe(answers.errors);
    // Every valid frame stored, once.
    expect(legit.received.slice(1).every((f) => f.t === 'ack' && f.dup !== true)).toBe(true);
    const agents = await getJson<{ agents: { id: string; samples: number }[] }>(collector.url('/api/v1/agents'), collector.viewerToken);
    figures.legitFrames = legitSeq;
    figures.legitSamplesStored = agents.agents.find((a) => a.id === 'f1-legit')?.samples ?? 0;
    expect(figures.legitSamplesStored).toBe(legitSeq * 50);
    // Never exited, still serving, memory back near the warm-up's.
    expect(collector.proc.child.exitCode).toBeNull();
    expect((await fetch(collector.url('/healthz'))).status).toBe(200);
    expect(after.rss - baseline.rss, `collector RSS ${mib(baseline.rss)} → ${mib(after.rss)} MiB`).toBeLessThanOrEqual(32 * 2 ** 20);
    fuzzer.close();
    await legit.close();
    await stop(collector.proc);
  },
};
