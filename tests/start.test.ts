/**
 * The README's first command: `sigmascope start` runs a collector and a local agent, prints the
 * dashboard link, shows this host's CPU in /api/v1/series within 5 s, and stops on Ctrl-C.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { getJson, killAll, startCli, tempDir, waitFor, waitForOutput } from './support/processes.ts';

afterAll(() => killAll());

describe('sigmascope start', () => {
  it('shows this host live within 5 s and stops both parts on Ctrl-C', async () => {
    const cwd = tempDir('sigmascope-start-');
    const started = Date.now();
    const p = startCli(['start', '--port', '0', '--status-port', '0'], { cwd, env: { SIGMASCOPE_LOG_LEVEL: 'warn' } });
    const link = await waitForOutput(p, /Dashboard:\s+(http:\/\/127\.0\.0\.1:\d+\/login\?token=\S+)/);
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
    expect(login.headers.get('set-cookie')).toMatch(/sigmascope_session=.*HttpOnly/i);

    // Data under ./.sigmascope by default.
    expect(existsSync(join(cwd, '.sigmascope', 'collector', 'sigmascope.db'))).toBe(true);
    expect(existsSync(join(cwd, '.sigmascope', 'agent', 'buffer', 'buffer.mdb'))).toBe(true);

    p.child.kill('SIGINT');
    expect(await p.exited).toBe(0);
  });
});
