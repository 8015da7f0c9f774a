/**
 * The agent's status page listens on loopback by default; an agent told to listen beyond it says
 * so at start and asks every visitor for its status token (issue 11, defect 7). Real agent processes.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { startAgent } from './support/fleet.ts';
import { killAll, startCli, stop, tempDir, waitForOutput } from './support/processes.ts';

afterAll(() => killAll());

const WARNING = /status page listens beyond loopback; it asks for the status token/;

describe('the agent status page address', () => {
  it('warns at start when the page listens beyond loopback', async () => {
    const proc = startCli(['agent', '--data', tempDir('sigmascope-agent-'), '--status-listen', '0.0.0.0', '--status-port', '0', '--name', 'exposed'], { env: { SIGMASCOPE_LOG_LEVEL: 'warn' } });
    const port = Number(await waitForOutput(proc, /status page on http:\/\/0\.0\.0\.0:(\d+)/));
    await waitForOutput(proc, WARNING);
    expect(proc.output()).toMatch(/"level":"warn".*"listen":"0\.0\.0\.0"/);
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    expect((await fetch(`http://127.0.0.1:${port}/api/status`)).status).toBe(401);
    await stop(proc);
  });

  it('stays quiet on the loopback default', async () => {
    const agent = await startAgent({ collectorPort: null, name: 'local' });
    expect((await agent.status()).samples.produced).toBeGreaterThanOrEqual(0);
    expect(agent.proc.output()).not.toMatch(WARNING);
    await stop(agent.proc);
  });
});
