/**
 * No secret on any command line (issue 16, "Done when"): every process the product starts, the
 * collector, the agent (twice, so its buffer check runs), `sigmascope start`, and their children
 * (the stand-in nvidia-smi, the inventory child, the buffer checker), read from /proc/PID/cmdline
 * as any user of the host can, from the moment each is spawned. None holds a token (the ones the
 * test made, and anything shaped like one), the status token or the master key.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createAgentToken, startCollector } from './support/fleet.ts';
import { FAKE_BIN, killAll, startCli, stop, tempDir, waitForOutput } from './support/processes.ts';
import type { Proc } from './support/processes.ts';
import { watchCommandLines } from './support/proc-tree.ts';

afterAll(() => killAll());

/** Anything shaped like a collector token (sgs_<role letter>_<base64url>). */
const TOKEN_SHAPE = /sgs_[a-z]_[A-Za-z0-9_-]{20,}/;
const MASTER_KEY = 'b'.repeat(64);

describe('secrets on command lines', () => {
  it('appear in no process the product starts', async () => {
    const collector = await startCollector();
    const token = createAgentToken(collector, 'argv-agent');
    const procs: Proc[] = [collector.proc];
    const roots = (): number[] => procs.map((p) => p.child.pid as number);
    const seen: string[][] = [];
    const watch = async (ms: number): Promise<void> => void seen.push(...(await watchCommandLines(roots, ms)));

    const agentData = tempDir('sigmascope-agent-');
    const env = { SIGMASCOPE_TOKEN: token, SIGMASCOPE_MASTER_KEY: MASTER_KEY, SIGMASCOPE_LOG_LEVEL: 'warn', PATH: `${FAKE_BIN}:${process.env.PATH ?? ''}`, SIGMASCOPE_FAKE_GPUS: '4' };
    const agentArgs = ['agent', '--collector', `ws://127.0.0.1:${collector.port}/ingest`, '--data', agentData, '--name', 'argv-agent', '--status-listen', '0.0.0.0', '--status-port', '0'];
    const startAgentNow = (): Proc => {
      const p = startCli(agentArgs, { env });
      procs.push(p);
      return p;
    };
    // Watched from the spawn on: the inventory child lives well under a second.
    let agent = startAgentNow();
    await Promise.all([watch(6_000), waitForOutput(agent, /status page on/)]);
    await stop(agent);
    // A second start on the same data dir checks the buffer in a child first.
    agent = startAgentNow();
    await Promise.all([watch(5_000), waitForOutput(agent, /status page on/)]);
    const start = startCli(['start', '--port', '0', '--status-port', '0', '--data', tempDir('sigmascope-start-'), '--demo'], { env: { SIGMASCOPE_MASTER_KEY: MASTER_KEY, PATH: env.PATH, SIGMASCOPE_FAKE_GPUS: '2' } });
    procs.push(start);
    await Promise.all([watch(6_000), waitForOutput(start, /Dashboard:/)]);
    const dashboardToken = /token=([A-Za-z0-9_-]+)/.exec(start.output())?.[1] ?? '';
    const statusToken = readFileSync(join(agentData, 'status-token'), 'utf8').trim();

    // The watch saw the children it is meant to judge.
    const joined = seen.map((a) => a.join(' '));
    expect(joined.some((c) => c.includes('nvidia-smi') && c.includes('--query-gpu')), 'the nvidia-smi query child').toBe(true);
    expect(joined.filter((c) => / -e /.test(` ${c} `)).length, 'inventory and buffer-check children (node -e)').toBeGreaterThanOrEqual(2);
    expect(joined.some((c) => c.includes(' agent ')) && joined.some((c) => c.includes(' collector ')) && joined.some((c) => c.includes(' start '))).toBe(true);

    const secrets = { agentToken: token, viewerToken: collector.viewerToken, dashboardToken, statusToken, masterKey: MASTER_KEY };
    expect(dashboardToken.length).toBeGreaterThan(20);
    for (const argv of seen) {
      for (const arg of argv) {
        expect(TOKEN_SHAPE.test(arg), `token-shaped argument in: ${argv.join(' ').slice(0, 200)}`).toBe(false);
        for (const [what, secret] of Object.entries(secrets)) expect(arg.includes(secret), `${what} in: ${argv.join(' ').slice(0, 200)}`).toBe(false);
      }
    }
    await stop(start);
    await stop(agent);
    await stop(collector.proc);
  }, 90_000);
});
