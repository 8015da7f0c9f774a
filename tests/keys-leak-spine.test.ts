/**
 * A provider key through the whole product: set with `sigmascope keys set`, used by a real agent's
 * probes (one endpoint streams a recorded OpenAI response, one answers 401 and echoes the key back
 * in its body and headers), with debug logging, shipped to a real collector. Afterwards the key,
 * in plain, base64, hex or URL-encoded form, is nowhere: agent buffer and data dir, collector
 * database, logs, status API and page, collector API.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createAgentToken, startAgent, startCollector } from './support/fleet.ts';
import { fixture } from './support/fixtures.ts';
import { scanForKey } from './support/leak-scan.ts';
import { startProviderEmulator } from './support/provider-emulator.ts';
import { getJson, killAll, runCli, sleep, stop, tempDir, waitFor } from './support/processes.ts';

afterAll(() => killAll());

describe('provider keys never leak', () => {
  it('finds the key nowhere after a debug-logged run against a provider that echoes it', async () => {
    const key = `sk-proj-${randomBytes(24).toString('base64url')}`;
    const masterKey = randomBytes(32).toString('hex');
    const emulator = await startProviderEmulator();
    const good = emulator.add({ kind: 'replay', body: readFileSync(fixture('providers', 'openai', 'openai-python__chat-stream-text-with-usage-gpt-4o.sse'), 'utf8'), gapMs: 5 });
    const echo = emulator.add({ kind: 'echo-key' });

    const agentData = tempDir('sigmascope-agent-');
    const set = runCli(['keys', 'set', 'openai', '--data', agentData], { input: `${key}\n`, env: { SIGMASCOPE_MASTER_KEY: masterKey } });
    expect(set.status, set.stderr).toBe(0);
    expect(set.stdout + set.stderr).not.toContain(key);

    const config = join(tempDir('sigmascope-config-'), 'agent.yaml');
    writeFileSync(config, [
      'probes:',
      '  targets:',
      `    - { name: good, provider: openai, model: gpt-4o, url: "${good}/v1", intervalMs: 1000 }`,
      `    - { name: echo, provider: openai, model: gpt-4o, url: "${echo}/v1", intervalMs: 1000 }`,
      '',
    ].join('\n'));

    const collector = await startCollector({ env: { SIGMASCOPE_LOG_LEVEL: 'debug' } });
    const token = createAgentToken(collector, 'leak-check');
    const agent = await startAgent({ collectorPort: collector.port, token, name: 'leak-check', dataDir: agentData, extraArgs: ['--config', config], env: { SIGMASCOPE_LOG_LEVEL: 'debug', SIGMASCOPE_MASTER_KEY: masterKey } });
    const statusUrl = `http://127.0.0.1:${agent.statusPort}`;
    const probes = await waitFor('both probes to have run', async () => {
      const s = await getJson<{ probes: { targets: { name: string; runs: number; last: { status: string; errorType: string | null } | null }[] } }>(`${statusUrl}/api/status`);
      return s.probes.targets.every((t) => t.runs >= 2) ? s.probes.targets : undefined;
    }, 30_000);
    expect(probes.find((t) => t.name === 'good')?.last?.status).toBe('ok');
    expect(probes.find((t) => t.name === 'echo')?.last?.errorType).toBe('http_4xx');
    // The emulator did receive the key: the scan below would find it if anything kept it.
    expect(emulator.requests.some((r) => String(r.headers.authorization).includes(key))).toBe(true);

    const v = collector.viewerToken;
    const texts: Record<string, string> = {
      'agent /api/status': await (await fetch(`${statusUrl}/api/status`)).text(),
      'agent /metrics': await (await fetch(`${statusUrl}/metrics`)).text(),
      'agent page': await (await fetch(`${statusUrl}/`)).text(),
      'collector ttft series': await (await fetch(collector.url('/api/v1/series?name=gen_ai.client.operation.duration'), { headers: { authorization: `Bearer ${v}` } })).text(),
      'collector agents': await (await fetch(collector.url('/api/v1/agents'), { headers: { authorization: `Bearer ${v}` } })).text(),
      'collector dashboard': await (await fetch(collector.url('/'))).text(),
    };
    await sleep(1_500);
    await stop(agent.proc);
    await stop(collector.proc);
    await emulator.close();
    texts['agent log'] = agent.proc.output();
    texts['collector log'] = collector.proc.output();
    expect(texts['agent log']).toContain('"level":"debug"');
    expect(texts['collector ttft series']).toContain('gen_ai.client.operation.duration');

    expect(scanForKey(key, { texts, dirs: [agentData, collector.dataDir] })).toEqual([]);
  });
});
