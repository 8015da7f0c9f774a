import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '@sigmascope/protocol/log';
import { fixture } from '../../../tests/support/fixtures.ts';
import { scanForKey } from '../../../tests/support/leak-scan.ts';
import { startProviderEmulator } from '../../../tests/support/provider-emulator.ts';
import type { Emulator } from '../../../tests/support/provider-emulator.ts';
import { InMemorySampleSink } from '../pipeline/sample-sink.ts';
import { createProbeRunner } from './probe-runner.ts';
import type { ProbeRunner } from './probe-runner.ts';
import { parseProbesConfig } from './probes-config.ts';

const KEY = 'sk-proj-RUNNER-55aa66bb77cc88dd99ee';
let emu: Emulator;
beforeAll(async () => (emu = await startProviderEmulator()));
afterAll(async () => emu.close());

async function until<T>(what: string, f: () => T | undefined, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = f();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('ProbeRunner', () => {
  let runner: ProbeRunner | undefined;
  afterAll(async () => runner?.stop());

  it('writes gen_ai.* samples with the DESIGN labels, failure events with the status, and a key-free status', async () => {
    const ok = emu.add({ kind: 'replay', body: readFileSync(fixture('providers', 'openai', 'openai-python__chat-stream-text-with-usage-gpt-4o.sse'), 'utf8'), gapMs: 2 });
    const limited = emu.add({ kind: 'echo-key' });
    const busy = emu.add({ kind: 'error', status: 429, headers: { 'retry-after': '30' }, body: '{"error":{"message":"slow down"}}' });
    const config = parseProbesConfig({
      targets: [
        { provider: 'openai', model: 'gpt-4o', url: `${ok}/v1/chat/completions` },
        { provider: 'openai', model: 'gpt-4o-mini', url: `${limited}/v1/chat/completions`, name: 'echo' },
        { provider: 'openai', model: 'gpt-4.1', url: `${busy}/v1/chat/completions`, name: 'busy' },
        { provider: 'demo', model: 'demo-model' },
        { provider: 'anthropic', model: 'claude-3-5-haiku-latest', url: `${ok}/v1/messages` },
      ],
    }, 'agent.yaml: probes');
    const sink = new InMemorySampleSink();
    const logs: string[] = [];
    runner = createProbeRunner(config, {
      sink, log: createLogger('debug', (l) => void logs.push(l)), key: (name) => (name === 'openai' ? KEY : null), firstDelayMs: () => 0, demoSeed: 7,
    });
    const requestsBefore = emu.requests.length;
    runner.start();
    const st = await until('every keyed target ran once', () => {
      const s = runner?.status();
      return s && s.targets.filter((t) => t.provider !== 'anthropic').every((t) => t.runs >= 1) ? s : undefined;
    });

    const value = (name: string, labels: Record<string, string>): number[] =>
      sink.samples.filter((s) => s.series.name === name && Object.entries(labels).every(([k, v]) => s.series.labels[k] === v)).map((s) => s.value);
    const who = { 'gen_ai.provider.name': 'openai', 'gen_ai.request.model': 'gpt-4o', 'gen_ai.operation.name': 'chat' };
    expect(value('gen_ai.client.token.usage', { ...who, 'gen_ai.token.type': 'input' })).toEqual([14]);
    expect(value('gen_ai.client.token.usage', { ...who, 'gen_ai.token.type': 'output' })).toEqual([30]);
    const duration = value('gen_ai.client.operation.duration', who)[0] as number;
    const ttft = value('gen_ai.client.operation.time_to_first_chunk', who)[0] as number;
    expect(ttft).toBeGreaterThan(0);
    expect(duration).toBeGreaterThanOrEqual(ttft);
    expect(duration).toBeLessThan(5); // seconds, not ms
    expect(value('gen_ai.client.operation.time_per_output_chunk', who)).toHaveLength(1);
    expect(sink.samples.filter((s) => s.series.labels['gen_ai.request.model'] === 'gpt-4o').every((s) => !('error.type' in s.series.labels))).toBe(true);

    // Failures: duration carries error.type; an event with the HTTP status; 429's retry-after drives the schedule.
    expect(value('gen_ai.client.operation.duration', { 'gen_ai.request.model': 'gpt-4.1', 'error.type': 'rate_limited' })).toHaveLength(1);
    expect(sink.events).toContainEqual(expect.objectContaining({ kind: 'probe', provider: 'openai', model: 'gpt-4.1', errorType: 'rate_limited', status: 429 }));
    expect(sink.events).toContainEqual(expect.objectContaining({ kind: 'probe', model: 'gpt-4o-mini', errorType: 'http_4xx', status: 401 }));
    const busyStatus = st.targets.find((t) => t.name === 'busy');
    expect(busyStatus?.state).toBe('backoff');
    expect((busyStatus?.nextRunAt as number) - Date.now()).toBeGreaterThan(25_000);

    // Demo series are labelled as demo; a target without its key never sends a request.
    expect(sink.samples.filter((s) => s.series.labels['gen_ai.provider.name'] === 'demo').every((s) => s.series.labels['sigmascope.demo'] === 'true')).toBe(true);
    expect(value('gen_ai.client.operation.duration', { 'sigmascope.demo': 'true' }).length).toBe(1);
    expect(st.targets.find((t) => t.provider === 'anthropic')?.state).toBe('no_key');
    expect(emu.requests.slice(requestsBefore).some((r) => r.path === '/v1/messages')).toBe(false);

    // Nothing the runner produced holds the key, though the echo server sent it back.
    const everything = JSON.stringify({ status: runner.status(), events: sink.events, samples: sink.samples.map((s) => s.series.key) });
    expect(JSON.parse(JSON.stringify(runner.status()))).toEqual(runner.status());
    expect(scanForKey(KEY, { texts: { runner: everything, logs: logs.join('\n') } })).toEqual([]);
    expect(logs.join('\n')).toContain('[REDACTED]');
    await runner.stop();
    expect(runner.status().targets.every((t) => t.state === 'stopped')).toBe(true);
  });

  it('stops at the daily token budget', async () => {
    const config = parseProbesConfig({ targets: [{ provider: 'demo', model: 'demo-model', dailyTokenBudget: 10 }] }, 'probes');
    const sink = new InMemorySampleSink();
    const r = createProbeRunner(config, { sink, log: createLogger('error', () => {}), key: () => null, firstDelayMs: () => 0 });
    r.start();
    const t = await until('budget state', () => (r.status().targets[0]?.state === 'budget_exhausted' ? r.status().targets[0] : undefined));
    expect(t.runs).toBe(0);
    expect(sink.samples).toEqual([]);
    await r.stop();
  });
});
