/**
 * The agent's opt-in passive pass-through (`probes.passive`), a real agent and collector on
 * loopback in front of the provider emulator: an application's streamed requests come back byte
 * for byte, while the agent times them as probe series labelled sigmascope.passive="true" (TTFT
 * against what the server served, chunk count, tokens) that reach the collector. The prompt,
 * the completion and the application's key appear nowhere: not in the buffer, the database, the
 * logs or any API answer (the leak scan of the key-store tests).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCollector, startAgent, createAgentToken } from './support/fleet.ts';
import type { AgentHandle, CollectorHandle } from './support/fleet.ts';
import { scanForKey } from './support/leak-scan.ts';
import { getJson, killAll, stop, tempDir, waitFor, waitForOutput } from './support/processes.ts';
import { startProviderEmulator } from './support/provider-emulator.ts';
import type { Emulator } from './support/provider-emulator.ts';

const PROMPT_CANARY = 'canary-prompt-91b2e7d4';
const COMPLETION_CANARY = 'canary-completion-7f3a0c55';
const KEY = 'sk-passive-canary-0123456789abcdef';
const chunk = (delta: Record<string, unknown>, finish: string | null = null): string => `data: ${JSON.stringify({ id: 'chatcmpl-p1', object: 'chat.completion.chunk', created: 1786479604, model: 'meta-llama/Llama-3.3-70B-Instruct', choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
// The Chat Completions stream format of the recorded vLLM and OpenAI streams (tests/fixtures/providers), with canary text.
const BODY = [
  chunk({ role: 'assistant', content: '' }),
  ...['The ', 'answer ', 'is ', COMPLETION_CANARY, '.'].map((t) => chunk({ content: t })),
  chunk({}, 'stop'),
  `data: ${JSON.stringify({ id: 'chatcmpl-p1', object: 'chat.completion.chunk', created: 1786479604, model: 'meta-llama/Llama-3.3-70B-Instruct', choices: [], usage: { prompt_tokens: 21, completion_tokens: 5, total_tokens: 26 } })}\n\n`,
  'data: [DONE]\n\n',
].join('');
const REQUESTS = 5;

let emu: Emulator;
let collector: CollectorHandle;
let agent: AgentHandle;
let passive = '';
let upstream = '';

beforeAll(async () => {
  emu = await startProviderEmulator();
  upstream = emu.add({ kind: 'replay', body: BODY, headersAtMs: 5, firstAtMs: 60, gapMs: 15 });
  collector = await startCollector();
  const config = join(tempDir('sigmascope-passive-'), 'agent.yaml');
  writeFileSync(config, `sampler: { intervalMs: 250 }\nprobes:\n  passive: { listen: "127.0.0.1:0", upstream: "${upstream}", genAiProvider: vllm }\n`);
  agent = await startAgent({ collectorPort: collector.port, token: createAgentToken(collector, 'passive-box'), name: 'passive-box', extraArgs: ['--config', config], env: { SIGMASCOPE_LOG_LEVEL: 'debug' } });
  passive = `http://127.0.0.1:${await waitForOutput(agent.proc, /passive pass-through on http:\/\/127\.0\.0\.1:(\d+)/)}`;
}, 60_000);
afterAll(async () => {
  killAll();
  await emu?.close();
});

describe('passive pass-through', () => {
  it('passes streamed requests through unchanged and times each one as passive probe series', async () => {
    const clientTtft: number[] = [];
    for (let i = 0; i < REQUESTS; i++) {
      const started = performance.now();
      const res = await fetch(`${passive}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${KEY}` },
        body: JSON.stringify({ model: 'meta-llama/Llama-3.3-70B-Instruct', stream: true, stream_options: { include_usage: true }, messages: [{ role: 'user', content: `Tell me the answer. ${PROMPT_CANARY} ${i}` }] }),
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/event-stream');
      // Read as the application does, noting when the first text arrived.
      const reader = (res.body as ReadableStream<Uint8Array>).getReader();
      const decoder = new TextDecoder();
      let text = '';
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        text += decoder.decode(value, { stream: true });
        if (clientTtft.length === i && text.includes('"content":"The ')) clientTtft.push(performance.now() - started);
      }
      expect(text).toBe(BODY);
    }
    // The upstream saw the application's own request: body and key unchanged.
    const seen = emu.requests.filter((r) => r.path === '/v1/chat/completions');
    expect(seen).toHaveLength(REQUESTS);
    expect(seen[0]?.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(seen[0]?.body).toContain(PROMPT_CANARY);

    // Not an inference call (a GET): passed through, and not timed (the series below has exactly REQUESTS points).
    const other = await fetch(`${passive}/v1/models`);
    expect(other.status).toBe(200);
    await other.text();

    const series = await waitFor('the passive TTFT series at the collector', async () => {
      const r = await getJson<{ series: { labels: Record<string, string>; points: [number, number][] }[] }>(collector.url(`/api/v1/series?name=gen_ai.client.operation.time_to_first_chunk&sigmascope.passive=true`), collector.viewerToken);
      const s = r.series.find((x) => x.labels['gen_ai.request.model'] === 'meta-llama/Llama-3.3-70B-Instruct');
      return s !== undefined && s.points.length === REQUESTS ? s : undefined;
    }, 30_000, 250);
    expect(series.labels['gen_ai.provider.name']).toBe('vllm');
    // What the server served: the first content piece 60 + 15 ms after the request arrived (the role delta at 60).
    seen.forEach((r) => expect((r.writes[1] as number) - r.receivedAt).toBeGreaterThanOrEqual(75));
    // The pass-through's TTFT lies between what the server served and what the application saw
    // (which started earlier and received later, through one more hop).
    series.points.forEach(([, ttftS], i) => {
      expect(ttftS * 1000).toBeGreaterThanOrEqual(75);
      expect(ttftS * 1000).toBeLessThanOrEqual((clientTtft[i] as number) + 0.5);
    });
    const tokens = await getJson<{ series: { labels: Record<string, string>; points: [number, number][] }[] }>(collector.url('/api/v1/series?name=gen_ai.client.token.usage&sigmascope.passive=true'), collector.viewerToken);
    expect(Object.fromEntries(tokens.series.map((s) => [s.labels['gen_ai.token.type'], s.points.map((p) => p[1])]))).toEqual({ input: Array(REQUESTS).fill(21), output: Array(REQUESTS).fill(5) });
  });

  it('stores no prompt, completion or key anywhere', async () => {
    const status = JSON.stringify(await agent.status());
    const apis: Record<string, string> = { 'agent status': status };
    for (const name of ['gen_ai.client.operation.duration', 'gen_ai.client.operation.time_to_first_chunk', 'gen_ai.client.token.usage']) {
      apis[name] = JSON.stringify(await getJson(collector.url(`/api/v1/series?name=${name}`), collector.viewerToken));
    }
    apis.events = JSON.stringify(await getJson(collector.url('/api/v1/events'), collector.viewerToken));
    await stop(agent.proc);
    await stop(collector.proc);
    const where = { texts: { ...apis, 'agent log': agent.proc.output(), 'collector log': collector.proc.output() }, dirs: [agent.dataDir, collector.dataDir] };
    for (const secret of [PROMPT_CANARY, COMPLETION_CANARY, KEY]) expect(scanForKey(secret, where), secret).toEqual([]);
  });
});
