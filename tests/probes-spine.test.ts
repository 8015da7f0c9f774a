/**
 * Probes through the whole spine: a real agent probes three OpenAI-compatible endpoints of the
 * provider emulator (one replays a recorded vLLM stream, one answers with vLLM's recorded 400
 * error body, one with a 500), and a real collector stores what it ships. The collector must hold
 * the probe series with the recorded token counts and the DESIGN labels, and every failure as an
 * event with its error.type and HTTP status, exactly as many as the agent reports.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createAgentToken, startAgent, startCollector } from './support/fleet.ts';
import { fixture } from './support/fixtures.ts';
import { startProviderEmulator } from './support/provider-emulator.ts';
import { getJson, killAll, stop, tempDir, waitFor } from './support/processes.ts';

afterAll(() => killAll());

const MODEL = 'meta-llama/Llama-3.3-70B-Instruct';

interface SeriesJson { series: { labels: Record<string, string>; points: [number, number][] }[] }
interface EventsJson { events: { agent: string; kind: string; provider: string; model: string; errorType: string; status?: number }[] }
interface TargetStatus { name: string; runs: number; failures?: number; last: { status: string; errorType: string | null } | null }

describe('probes through the spine', () => {
  it('stores probe series with the recorded token counts and every failure with its error type and status', async () => {
    const emulator = await startProviderEmulator();
    const good = emulator.add({ kind: 'replay', body: readFileSync(fixture('providers', 'vllm', 'pydantic-ai__crusoe-vllm-chat-stream-include-usage.body.sse'), 'utf8'), gapMs: 3 });
    // vLLM's own error envelope, as recorded in the shared error bodies.
    const badRequest = emulator.add({ kind: 'error', status: 400, body: '{"object":"error","message":"max_tokens must be at least 1, got -186.","type":"BadRequestError","param":null,"code":400}' });
    const serverError = emulator.add({ kind: 'error', status: 500, body: '{"object":"error","message":"Internal Server Error","type":"InternalServerError","param":null,"code":500}' });

    const config = join(tempDir('sigmascope-config-'), 'agent.yaml');
    writeFileSync(config, [
      'probes:',
      '  targets:',
      `    - { name: good, provider: openai-compatible, genAiProvider: vllm, model: "${MODEL}", url: "${good}/v1", intervalMs: 1000 }`,
      `    - { name: bad-request, provider: openai-compatible, genAiProvider: vllm, model: broken, url: "${badRequest}/v1", intervalMs: 1000 }`,
      `    - { name: server-error, provider: openai-compatible, genAiProvider: vllm, model: flaky, url: "${serverError}/v1", intervalMs: 1000 }`,
      '',
    ].join('\n'));
    const collector = await startCollector();
    const token = createAgentToken(collector, 'probe-host');
    const agent = await startAgent({ collectorPort: collector.port, token, name: 'probe-host', extraArgs: ['--config', config] });
    const statusUrl = `http://127.0.0.1:${agent.statusPort}/api/status`;
    await waitFor('every target to have run three times', async () => {
      const s = await getJson<{ probes: { targets: TargetStatus[] } }>(statusUrl);
      return s.probes.targets.length === 3 && s.probes.targets.every((t) => t.runs >= 3) ? true : undefined;
    }, 60_000);
    // SIGTERM drains what is in flight, so the collector ends with everything the agent produced.
    await stop(agent.proc);
    const agentLog = agent.proc.output();
    const v = collector.viewerToken;

    const usage = await getJson<SeriesJson>(collector.url(`/api/v1/series?name=gen_ai.client.token.usage&gen_ai.request.model=${encodeURIComponent(MODEL)}`), v);
    const byType = new Map(usage.series.map((s) => [s.labels['gen_ai.token.type'], s]));
    expect([...byType.keys()].sort()).toEqual(['input', 'output']);
    for (const s of usage.series) {
      expect(s.labels).toMatchObject({ 'gen_ai.provider.name': 'vllm', 'gen_ai.request.model': MODEL, 'gen_ai.operation.name': 'chat' });
      expect(s.points.length).toBeGreaterThanOrEqual(3);
    }
    // The recorded stream's usage chunk: prompt_tokens 46, completion_tokens 14.
    expect(new Set(byType.get('input')?.points.map((p) => p[1]))).toEqual(new Set([46]));
    expect(new Set(byType.get('output')?.points.map((p) => p[1]))).toEqual(new Set([14]));

    const ttft = await getJson<SeriesJson>(collector.url(`/api/v1/series?name=gen_ai.client.operation.time_to_first_chunk&gen_ai.request.model=${encodeURIComponent(MODEL)}`), v);
    expect(ttft.series).toHaveLength(1);
    for (const [, seconds] of ttft.series[0]?.points ?? []) expect(seconds).toBeGreaterThan(0);

    const failed = await getJson<SeriesJson>(collector.url('/api/v1/series?name=gen_ai.client.operation.duration&gen_ai.request.model=broken'), v);
    expect(failed.series.map((s) => s.labels['error.type'])).toEqual(['http_4xx']);

    const events = (await getJson<EventsJson>(collector.url('/api/v1/events?kind=probe'), v)).events;
    const badEvents = events.filter((e) => e.model === 'broken');
    const serverEvents = events.filter((e) => e.model === 'flaky');
    expect(badEvents.length).toBeGreaterThanOrEqual(3);
    for (const e of badEvents) expect(e).toMatchObject({ agent: 'probe-host', kind: 'probe', errorType: 'http_4xx', status: 400 });
    // 5xx backs off, so there may be fewer; each is stored with its status.
    expect(serverEvents.length).toBeGreaterThanOrEqual(1);
    for (const e of serverEvents) expect(e).toMatchObject({ errorType: 'http_5xx', status: 500 });
    expect(events.filter((e) => e.model === MODEL)).toEqual([]);
    // One failure event per failed probe sample: the two counts the collector holds agree.
    expect(failed.series[0]?.points.length).toBe(badEvents.length);

    const rows = (await getJson<{ rows: { provider: string; model: string; probes: number; errors: number }[] }>(collector.url('/api/v1/providers'), v)).rows;
    expect(rows.find((r) => r.model === 'broken')).toMatchObject({ provider: 'vllm', errors: badEvents.length, probes: badEvents.length });
    expect(rows.find((r) => r.model === MODEL)).toMatchObject({ provider: 'vllm', errors: 0 });

    await stop(collector.proc);
    await emulator.close();
    expect(agentLog).not.toMatch(/"level":"(error|fatal)"/);
  }, 120_000);
});
