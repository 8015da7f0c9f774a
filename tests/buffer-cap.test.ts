/**
 * A real agent with a small buffer cap and no collector (issue 11, defect 3): once the cap is
 * reached, each new frame pushes out the oldest ones it needs room for, no more; the buffer file
 * stays near the cap; and when a collector appears, the oracle holds exactly:
 * produced = stored + dropped (buffer_full), no duplicates.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createAgentToken, startAgent, startCollector } from './support/fleet.ts';
import type { AgentStatusJson } from './support/fleet.ts';
import { expectConservation } from './support/oracle.ts';
import { killAll, sleep, stop } from './support/processes.ts';

afterAll(() => killAll());

const CAP = 256 * 1024;
/** LMDB's own pages beside the frames' (meta, table roots, the free list, copy-on-write): measured ~100 KiB. */
const LMDB_FIXED = 192 * 1024;

describe('an agent at its buffer cap', () => {
  it('drops the oldest frames one at a time, keeps the file near the cap, and balances exactly', async () => {
    const agent = await startAgent({ collectorPort: null, name: 'capped', gpus: 8, env: { SIGMASCOPE_BUFFER_CAP: String(CAP), SIGMASCOPE_INTERVAL_MS: '100' } });
    const file = join(agent.dataDir, 'buffer', 'buffer.mdb');
    let previous: AgentStatusJson | null = null;
    let fullSince: number | null = null;
    let maxFrames = 0;
    let maxFile = 0;
    let polls = 0;
    for (const deadline = Date.now() + 90_000; Date.now() < deadline; ) {
      const s = await agent.status();
      maxFile = Math.max(maxFile, statSync(file).size);
      maxFrames = Math.max(maxFrames, s.buffer.frames);
      expect(s.buffer.diskBytes, 'file space the frames take').toBeLessThanOrEqual(CAP);
      if ((s.samples.dropped.buffer_full ?? 0) > 0) {
        fullSince ??= s.sampler.ticks;
        if (previous !== null && (previous.samples.dropped.buffer_full ?? 0) > 0) {
          // Drop-oldest, not drop-all: the oldest seq moves on by about as many frames as came in
          // (a few more when a larger frame needs the room of several small ones), and the buffer stays full.
          const arrived = (s.buffer.newestSeq ?? 0) - (previous.buffer.newestSeq ?? 0);
          const left = (s.buffer.oldestSeq ?? 0) - (previous.buffer.oldestSeq ?? 0);
          expect(left, `oldest seq ${previous.buffer.oldestSeq} → ${s.buffer.oldestSeq} while ${arrived} frames arrived`).toBeLessThanOrEqual(arrived + 4);
          expect(CAP - s.buffer.diskBytes, 'room left at the cap: less than a few frames').toBeLessThanOrEqual(16 * 1024);
          expect(s.buffer.frames).toBeGreaterThanOrEqual(Math.floor(maxFrames * 0.9));
          polls++;
        }
        if (s.sampler.ticks - fullSince > 300 && polls >= 20) break;
      }
      previous = s;
      await sleep(150);
    }
    expect(polls, 'readings taken at the cap').toBeGreaterThanOrEqual(20);
    console.log(`buffer at the cap: ${maxFrames} frames, file ${maxFile} bytes for a cap of ${CAP} (${(maxFile / CAP).toFixed(3)}×)`);
    expect(maxFile).toBeLessThanOrEqual(CAP + LMDB_FIXED);
    await stop(agent.proc);

    const collector = await startCollector();
    const token = createAgentToken(collector, 'capped');
    const figures = await expectConservation(collector, 'capped', token, agent.dataDir);
    expect(figures.droppedBy.buffer_full).toBeGreaterThan(0);
    expect(figures.dropped).toBe(figures.droppedBy.buffer_full);
    expect(statSync(file).size).toBeLessThanOrEqual(CAP + LMDB_FIXED);
    await stop(collector.proc);
  });
});
