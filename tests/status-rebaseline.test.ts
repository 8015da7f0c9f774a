/**
 * The agent's status page can start a new SPC baseline (POST /api/spc/rebaseline on the loopback
 * status server): the watched series goes back to filling its baseline, a key that is not watched
 * is 404, and a request another site could forge (a form post, a foreign Origin) is refused.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { startAgent } from './support/fleet.ts';
import { killAll, stop, waitFor } from './support/processes.ts';

afterAll(() => killAll());

interface SpcJson { spc: { series: { key: string; name: string; phase: string; baselinePoints: number; baselinedAt: number }[] }; probes: { targets: { name: string; runs: number; dailyTokenBudget: number }[] } }

describe('re-baselining from the status page', () => {
  it('starts a new baseline for one series, refuses what another site could send', async () => {
    const agent = await startAgent({ collectorPort: null, name: 'rb-agent', gpus: 1, extraArgs: [] });
    const url = (p: string): string => `http://127.0.0.1:${agent.statusPort}${p}`;
    const status = async (): Promise<SpcJson> => (await fetch(url('/api/status'))).json() as Promise<SpcJson>;
    const temp = await waitFor('a watched GPU temperature with baseline points', async () => (await status()).spc.series.find((s) => s.name === 'hw.gpu.temperature' && s.baselinePoints > 0), 30_000, 250);
    const post = (body: string, headers: Record<string, string>): Promise<Response> => fetch(url('/api/spc/rebaseline'), { method: 'POST', headers, body });

    expect((await post(JSON.stringify({ key: temp.key }), { 'content-type': 'application/x-www-form-urlencoded' })).status).toBe(415);
    expect((await post(JSON.stringify({ key: temp.key }), { 'content-type': 'application/json', origin: 'http://evil.example' })).status).toBe(403);
    expect((await post(JSON.stringify({ key: 'nope{}' }), { 'content-type': 'application/json' })).status).toBe(404);

    const before = temp.baselinedAt;
    const ok = await post(JSON.stringify({ key: temp.key }), { 'content-type': 'application/json' });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ rebaselined: 1 });
    const after = (await status()).spc.series.find((s) => s.key === temp.key);
    expect(after?.phase).toBe('baseline');
    expect(after?.baselinedAt).toBeGreaterThan(before);
    expect(agent.proc.output()).not.toContain('"level":"error"');
    await stop(agent.proc);
  }, 60_000);
});
