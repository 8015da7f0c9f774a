/**
 * The agent under Bun: `bun bin/sigmascope.js agent` (the built CLI, as under Node) with the
 * stand-in nvidia-smi, streaming to a Node collector. Its host and GPU samples are stored, each
 * exactly once, and it stops cleanly on SIGTERM.
 */
import { readlinkSync } from 'node:fs';
import { basename, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createAgentToken, startAgent, startCollector } from './support/fleet.ts';
import { REPO_ROOT } from './support/fixtures.ts';
import { expectConservation } from './support/oracle.ts';
import { getJson, killAll, sleep, stop, waitFor } from './support/processes.ts';

const BUN = join(REPO_ROOT, 'node_modules', '.bin', 'bun');

afterAll(() => killAll());

interface SeriesJson {
  series: { labels: Record<string, string>; points: [number, number][] }[];
}

describe('the agent under Bun', () => {
  it('streams this host and its GPUs to a Node collector, which stores every sample once', async () => {
    const collector = await startCollector();
    const token = createAgentToken(collector, 'bun-agent');
    const agent = await startAgent({ collectorPort: collector.port, token, name: 'bun-agent', gpus: 2, runtime: [BUN] });
    // It is Bun that runs, not a Node behind a wrapper.
    expect(basename(readlinkSync(`/proc/${agent.proc.child.pid}/exe`))).toMatch(/^bun/);

    const series = (name: string): Promise<SeriesJson> => getJson<SeriesJson>(collector.url(`/api/v1/series?name=${name}&agent=bun-agent`), collector.viewerToken);
    await waitFor('system.cpu.utilization from the Bun agent', async () => ((await series('system.cpu.utilization')).series.some((s) => s.points.length > 0) ? true : undefined), 20_000);
    const gpus = await waitFor('hw.gpu.utilization for both GPUs', async () => {
      const r = await series('hw.gpu.utilization');
      return new Set(r.series.map((s) => s.labels['hw.id'])).size >= 2 ? r : undefined;
    }, 20_000);
    expect(new Set(gpus.series.map((s) => s.labels['hw.id'])).size).toBe(2);

    await sleep(2_000);
    expect(await stop(agent.proc)).toBe(0);
    const figures = await expectConservation(collector, 'bun-agent', token, agent.dataDir);
    expect(figures.dropped).toBe(0);
    await stop(collector.proc);
  }, 90_000);
});
