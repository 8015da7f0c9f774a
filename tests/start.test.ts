/**
 * The README's first command: `sigmascope start` runs a collector and a local agent, prints the
 * dashboard link, shows this host's CPU in /api/v1/series within 5 s, and stops on Ctrl-C. Run
 * again in the same place, it prints the same link, and the browser's session still works;
 * `--config FILE` gives the local agent its probes.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { getJson, killAll, startCli, tempDir, waitFor, waitForOutput } from './support/processes.ts';

afterAll(() => killAll());

const LINK = /Dashboard:\s+(http:\/\/127\.0\.0\.1:\d+\/login\?token=\S+)/;

describe('sigmascope start', () => {
  it('shows this host live within 5 s and stops both parts on Ctrl-C', async () => {
    const cwd = tempDir('sigmascope-start-');
    const started = Date.now();
    const p = startCli(['start', '--port', '0', '--status-port', '0'], { cwd, env: { SIGMASCOPE_LOG_LEVEL: 'warn' } });
    const link = await waitForOutput(p, LINK);
    const url = new URL(link);
    const token = url.searchParams.get('token') as string;
    const series = await waitFor('system.cpu.utilization from the local agent', async () => {
      const r = await getJson<{ series: { points: unknown[] }[] }>(`${url.origin}/api/v1/series?name=system.cpu.utilization`, token);
      return r.series.some((s) => s.points.length > 0) ? r : undefined;
    }, 15_000, 100);
    const elapsed = Date.now() - started;
    console.log(`sigmascope start: first CPU sample queryable after ${elapsed} ms`);
    expect(series.series.length).toBeGreaterThan(0);

    // The printed link logs a browser in and lands on the dashboard.
    const login = await fetch(link, { redirect: 'manual' });
    expect(login.status).toBe(303);
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] as string;
    expect(login.headers.get('set-cookie')).toMatch(/sigmascope_session=.*HttpOnly/i);

    // Data under ./.sigmascope by default; the link's token kept there, readable by its owner only.
    expect(existsSync(join(cwd, '.sigmascope', 'collector', 'sigmascope.db'))).toBe(true);
    expect(existsSync(join(cwd, '.sigmascope', 'agent', 'buffer', 'buffer.mdb'))).toBe(true);
    expect(statSync(join(cwd, '.sigmascope', 'local-tokens.json')).mode & 0o777).toBe(0o600);

    p.child.kill('SIGINT');
    expect(await p.exited).toBe(0);

    // Again: the same link, and the cookie the first one set still opens the API.
    const again = startCli(['start', '--port', '0', '--status-port', '0'], { cwd, env: { SIGMASCOPE_LOG_LEVEL: 'warn' } });
    const link2 = await waitForOutput(again, LINK);
    expect(new URL(link2).searchParams.get('token')).toBe(token);
    const session = await fetch(`${new URL(link2).origin}/api/v1/session`, { headers: { cookie } });
    expect(session.status).toBe(200);
    expect(await session.json()).toEqual({ name: 'local-dashboard', role: 'admin' });
    again.child.kill('SIGINT');
    expect(await again.exited).toBe(0);
  });

  it('takes the local agent\'s probes from --config FILE', async () => {
    const cwd = tempDir('sigmascope-start-config-');
    const file = join(cwd, 'agent.yaml');
    writeFileSync(file, 'probes:\n  targets:\n    - { provider: demo, model: demo-model, intervalMs: 1000 }\n');
    const p = startCli(['start', '--port', '0', '--status-port', '0', '--config', file], { cwd, env: { SIGMASCOPE_LOG_LEVEL: 'warn' } });
    const link = new URL(await waitForOutput(p, LINK));
    expect(p.output()).toMatch(/Probes:\s+demo:demo-model/);
    const ttft = await waitFor('a probe TTFT from the configured target', async () => {
      const r = await getJson<{ series: { points: unknown[] }[] }>(`${link.origin}/api/v1/series?name=gen_ai.client.operation.time_to_first_chunk`, link.searchParams.get('token') as string);
      return r.series.some((s) => s.points.length > 0) ? r : undefined;
    }, 20_000, 200);
    expect(ttft.series.length).toBe(1);
    p.child.kill('SIGINT');
    expect(await p.exited).toBe(0);
  });

  it('refuses a typo in the config file before starting anything', async () => {
    const cwd = tempDir('sigmascope-start-typo-');
    const file = join(cwd, 'agent.yaml');
    writeFileSync(file, 'probe:\n  targets: []\n');
    const p = startCli(['start', '--port', '0', '--status-port', '0', '--config', file], { cwd });
    expect(await p.exited).toBe(2);
    expect(p.output()).toContain(`${file}.probe: unknown setting (did you mean "probes"?)`);
    expect(existsSync(join(cwd, '.sigmascope', 'collector'))).toBe(false);
  });
});
