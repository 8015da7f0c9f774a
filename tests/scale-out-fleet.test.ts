/**
 * One fleet across collectors, on a real VictoriaMetrics: collectors A and B remote-write to it,
 * B reads through `query.backend: prometheus` and so lists (and charts) the agent connected to A
 * beside its own; A's samples reach the engine exactly (same count and timestamps for every
 * series over the window) across an engine restart and a kill -9 of A.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { collectorSamples, engineSamplesSettled, exportCaughtUp, expectSameSamples } from './support/export-check.ts';
import { createAgentToken, startAgent, startCollector } from './support/fleet.ts';
import { getJson, kill9, killAll, sleep, stop, waitFor } from './support/processes.ts';
import { collectorConfig, hasBinary, killEngines, startVictoriaMetrics } from './support/tsdb.ts';

afterAll(() => {
  killAll();
  killEngines();
});

const missing = ['victoria-metrics'].filter((b) => !hasBinary(b));

interface AgentsJson {
  agents: { id: string; hostname: string; connected: boolean; samples: number }[];
}

describe.skipIf(missing.length > 0)(`two collectors, one VictoriaMetrics${missing.length > 0 ? ` (skipped: ${missing.join(', ')} not installed; .ci/run installs it)` : ''}`, () => {
  it('shows both collectors\' agents through query.backend: prometheus, and stores A\'s samples exactly across an engine restart and a kill -9', async () => {
    const vm = await startVictoriaMetrics();
    const write = `remoteWrite:\n  - url: ${vm.writeUrl}\n    maxSamplesPerSend: 500\n`;
    const configA = collectorConfig(write);
    const a = await startCollector({ configFile: configA });
    const b = await startCollector({ configFile: collectorConfig(`${write}query:\n  backend: prometheus\n  url: ${vm.url}\n`) });
    const from = Date.now() - 1_000;
    const agentA = await startAgent({ collectorPort: a.port, token: createAgentToken(a, 'gpu-a'), name: 'gpu-a', gpus: 2 });
    const agentB = await startAgent({ collectorPort: b.port, token: createAgentToken(b, 'gpu-b'), name: 'gpu-b', gpus: 1 });

    // B lists A's agent, connected, from the engine; and charts its GPU.
    const listed = await waitFor('collector B to list both agents', async () => {
      const { agents } = await getJson<AgentsJson>(b.url('/api/v1/agents'), b.viewerToken);
      return agents.some((x) => x.id === 'gpu-a' && x.connected) && agents.some((x) => x.id === 'gpu-b' && x.connected) ? agents : undefined;
    }, 60_000, 500);
    expect(listed.map((x) => x.id).sort()).toEqual(['gpu-a', 'gpu-b']);
    const { agents: onA } = await getJson<AgentsJson>(a.url('/api/v1/agents'), a.viewerToken);
    expect(onA.map((x) => x.id), 'A itself reads its local store: only its own agent').toEqual(['gpu-a']);
    const gpu = await getJson<{ series: { agent: string; labels: Record<string, string>; points: [number, number][] }[] }>(b.url(`/api/v1/series?name=hw.gpu.utilization&agent=gpu-a&from=${from}&to=${Date.now()}`), b.viewerToken);
    expect(new Set(gpu.series.map((s) => s.labels['hw.id'])).size, 'both GPUs of A\'s agent, labelled hw.id as the agent sent them').toBe(2);
    expect(gpu.series.every((s) => s.agent === 'gpu-a' && s.points.length > 0)).toBe(true);

    // The engine restarts (A backs up meanwhile), then A is killed while it drains and comes back.
    await vm.stop();
    await waitFor('A to back up', async () => {
      const s = await getJson<{ export: { pendingRecords: number; retries: number }[] }>(a.url('/api/v1/stats'), a.viewerToken);
      return (s.export[0]?.pendingRecords ?? 0) > 0 && (s.export[0]?.retries ?? 0) > 0 ? true : undefined;
    });
    await sleep(2_000);
    await vm.restart();
    await sleep(200);
    await kill9(a.proc);
    await sleep(1_000);
    const a2 = await startCollector({ dataDir: a.dataDir, port: a.port, viewerToken: a.viewerToken, configFile: configA });
    await sleep(3_000);
    await stop(agentA.proc);
    await exportCaughtUp(a2);
    const to = Date.now();
    const stored = await collectorSamples(a2, 'gpu-a', from, to);
    const n = expectSameSamples(stored, await engineSamplesSettled(vm, 'gpu-a', from, to, stored), 'decimal12');
    const { agents } = await getJson<AgentsJson>(a2.url('/api/v1/agents'), a2.viewerToken);
    expect(n).toBe(agents.find((x) => x.id === 'gpu-a')?.samples);
    expect(n).toBeGreaterThan(500);
    await stop(agentB.proc);
    await stop(a2.proc);
    await stop(b.proc);
    await vm.stop();
  }, 240_000);
});
