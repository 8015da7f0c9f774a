/**
 * A real agent whose LMDB file becomes unreadable between two runs (issue 11, defect 2): the
 * agent sets the file aside and starts a new buffer. Its new frames must all reach the collector:
 * a new buffer is a new stream, so the collector's "I hold up to seq N" of the old stream cannot
 * acknowledge frames it never received. The oracle holds exactly over both runs.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createAgentToken, startAgent, startCollector, storedFor } from './support/fleet.ts';
import { drainAgent, duplicateRows } from './support/oracle.ts';
import { killAll, stop, waitFor } from './support/processes.ts';

afterAll(() => killAll());

/** Overwrites the LMDB file's meta pages, so no reader can open it. */
function corruptBuffer(dataDir: string): void {
  const file = join(dataDir, 'buffer', 'buffer.mdb');
  const bytes = readFileSync(file);
  bytes.fill(0x5a, 0, Math.min(bytes.length, 2 * 4096));
  writeFileSync(file, bytes);
}

describe('an agent whose buffer file is recreated', () => {
  it('sends every frame of the new buffer: stored = produced over both runs, no duplicates', async () => {
    const collector = await startCollector();
    const token = createAgentToken(collector, 'recreated');
    const first = await startAgent({ collectorPort: collector.port, token, name: 'recreated', gpus: 2 });
    // A long first run: the old stream reaches a seq well beyond what the second run will produce.
    await waitFor('30 ticks of the first run acknowledged', async () => {
      const s = await first.status();
      return s.sampler.ticks >= 30 && s.samples.acked > 0 ? s : undefined;
    }, 60_000);
    await stop(first.proc);
    const run1 = drainAgent(collector, token, first.dataDir);
    expect(run1.ok).toBe(true);
    expect(run1.counters.produced).toBeGreaterThan(0);
    const storedAfterRun1 = await storedFor(collector, 'recreated');
    expect(storedAfterRun1).toBe(run1.counters.produced - Object.values(run1.counters.dropped).reduce((a, b) => a + b, 0));

    corruptBuffer(first.dataDir);
    const second = await startAgent({ collectorPort: collector.port, token, name: 'recreated', gpus: 2, dataDir: first.dataDir });
    await waitFor('ten ticks of the second run acknowledged', async () => {
      const s = await second.status();
      return s.sampler.ticks >= 10 && s.samples.acked > 0 && s.samples.buffered === 0 ? s : undefined;
    }, 60_000);
    const during = await second.status();
    expect(during.buffer.quarantinedFrames, 'the unreadable file is counted').toBeGreaterThanOrEqual(1);
    expect(readdirSync(join(first.dataDir, 'buffer')).some((f) => f.startsWith('buffer.mdb.corrupt-'))).toBe(true);
    await stop(second.proc);
    const run2 = drainAgent(collector, token, first.dataDir);
    expect(run2.samples).toBe(0);
    const dropped2 = Object.values(run2.counters.dropped).reduce((a, b) => a + b, 0);
    const stored = await storedFor(collector, 'recreated');
    // Every sample of the new buffer arrived: what the collector holds grew by exactly what it produced.
    expect(stored - storedAfterRun1, `run 2 produced ${run2.counters.produced}, dropped ${dropped2}`).toBe(run2.counters.produced - dropped2);
    expect(run2.counters.acked).toBe(run2.counters.produced - dropped2);
    expect(duplicateRows(collector)).toBe(0);
    await stop(collector.proc);
  });
});
