/**
 * Both pages in Debian's chromium against real processes: a collector and an agent (stand-in
 * nvidia-smi replaying the H100 capture for 2 GPUs, the built-in demo provider, and a +20 °C
 * temperature shift injected after 12 s). The fleet shows the host, the GPU panel every GPU, the
 * SPC chart its zones and the shift's violations, the violations list the agent's SPC events;
 * then the collector stops and the agent's own page keeps working. Prints sample → screen latency.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { collectErrors, ensureWebBuilt, launchBrowser } from '../support/browser.ts';
import type { TestBrowser } from '../support/browser.ts';
import { createAgentToken, startAgent, startCollector } from '../support/fleet.ts';
import type { AgentHandle, CollectorHandle } from '../support/fleet.ts';
import { getJson, killAll, runCli, sleep, stop, tempDir, waitFor } from '../support/processes.ts';
import { checkDashboard, checkStatusPage, printLatency, setShotPrefix } from './page-checks.ts';

const GPUS = 2;
let browser: TestBrowser;
let collector: CollectorHandle;
let agent: AgentHandle;
let firstGpu = '';

beforeAll(async () => {
  await ensureWebBuilt();
  browser = await launchBrowser();
  collector = await startCollector();
  const token = createAgentToken(collector, 'gpu-box');
  const config = join(tempDir('sigmascope-config-'), 'agent.yaml');
  // Short subgroups and baselines so the injected shift is judged within seconds, not minutes.
  writeFileSync(config, [
    'sampler: { intervalMs: 250 }',
    'telemetry: { gpuIntervalMs: 250 }',
    'probes:',
    '  targets:',
    '    - { provider: demo, model: demo-model, intervalMs: 1000 }',
    'spc:',
    '  series:',
    '    - { metric: hw.gpu.temperature, chart: xbar-s, subgroup: 4, baseline: 8, rules: "nelson1,nelson2,nelson5" }',
    '',
  ].join('\n'));
  agent = await startAgent({ collectorPort: collector.port, token, name: 'gpu-box', gpus: GPUS, extraArgs: ['--config', config], env: { SIGMASCOPE_FAKE_NVIDIA_SHIFT: 'temperature.gpu:+20:12000' } });
  const v = await waitFor('an SPC violation from the injected shift', async () => {
    const r = await getJson<{ violations: { name: string; labels: Record<string, string> }[] }>(collector.url('/api/v1/violations'), collector.viewerToken);
    return r.violations.find((x) => x.name === 'hw.gpu.temperature');
  }, 60_000, 500);
  firstGpu = v.labels['hw.id'] as string;
  // Enough complete subgroups after the shift for the collector's X̄-S chart (20 samples at 4 Hz: 5 s each).
  await sleep(16_000);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  killAll();
});

describe('pages against a real collector and agent', () => {
  it('dashboard: fleet, GPUs, SPC zones and the shift, violations, providers; no console errors', async () => {
    setShotPrefix('real-');
    const page = await browser.context.newPage();
    const errors = collectErrors(page);
    // Acknowledging needs the admin role (a viewer sees but cannot change).
    const admin = runCli(['token', 'create', 'operator', '--role', 'admin', '--data', collector.dataDir]).stdout.trim();
    const login = `${collector.url('/login')}?token=${admin}`;
    const latency = await checkDashboard(page, collector.url(''), { agentId: 'gpu-box', hostName: 'gpu-box', gpus: GPUS }, { name: 'hw.gpu.temperature', labels: { 'hw.id': firstGpu } }, login);
    printLatency('dashboard (real collector)', latency);
    expect(errors, errors.join('\n')).toEqual([]);
    await page.close();
  }, 120_000);

  it('status page keeps working with the collector stopped', async () => {
    await stop(collector.proc);
    const page = await browser.context.newPage();
    const errors = collectErrors(page);
    const latency = await checkStatusPage(page, `http://127.0.0.1:${agent.statusPort}`, { agentId: 'gpu-box', hostName: 'gpu-box', gpus: GPUS }, /unreachable|disconnected|connecting/i);
    printLatency('status page (collector stopped)', latency);
    expect(errors, errors.join('\n')).toEqual([]);
    await page.close();
    await stop(agent.proc);
  }, 120_000);
});
