/**
 * The images and the compose file with Debian's podman, where the machine allows it: a base image
 * is made from this machine's own Node.js (its binary, the libraries ldd names, a /bin/sh), no
 * registry being reachable; build-images.sh builds both images on it; podman-compose starts the
 * collector, an agent token is created inside it, the agent starts and streams, both run as uid
 * 10001 and their healthchecks pass. On this kind of machine podman needs runc (crun refuses the
 * hybrid cgroup layout) and rlimits no higher than the sandbox's: a containers.conf for the test
 * says so. The test skips, naming what is missing, where podman is not installed.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from './support/fixtures.ts';
import { getJson, waitFor } from './support/processes.ts';
import { freePort, hasBinary } from './support/tsdb.ts';

const missing = ['podman', 'podman-compose', 'runc'].filter((b) => !hasBinary(b));
const COMPOSE = join(REPO_ROOT, 'install', 'containers', 'compose.yaml');
const PROJECT = `sigmascope-test-${process.pid}`;
const work = mkdtempSync(join(tmpdir(), 'sigmascope-containers-'));
const conf = join(work, 'containers.conf');
writeFileSync(conf, '[containers]\ndefault_ulimits = ["nofile=1024:1024", "nproc=1024:1024"]\n[engine]\nruntime = "runc"\n');
let env: Record<string, string> = { ...(process.env as Record<string, string>), CONTAINERS_CONF: conf };

function run(cmd: string, args: string[], extra: Record<string, string> = {}, timeout = 600_000): string {
  const r = spawnSync(cmd, args, { env: { ...env, ...extra }, encoding: 'utf8', timeout });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} → ${r.status}\n${r.stdout}\n${r.stderr}`.slice(-4000));
  return r.stdout;
}

/** A base image from this machine's Node.js: the binary, its libraries, /bin/sh; imported, not pulled. */
function makeBase(): string {
  const root = join(work, 'base');
  const node = execFileSync('sh', ['-c', 'readlink -f "$(command -v node)"'], { encoding: 'utf8' }).trim();
  const sh = execFileSync('sh', ['-c', 'readlink -f /bin/sh'], { encoding: 'utf8' }).trim();
  const libs = (bin: string) => execFileSync('ldd', [bin], { encoding: 'utf8' }).match(/\/[^\s)]+/g) ?? [];
  const put = (from: string, to: string = from) => {
    mkdirSync(join(root, dirname(to)), { recursive: true });
    copyFileSync(from, join(root, to));
  };
  for (const f of [...libs(node), ...libs(sh)]) put(f);
  put(node, '/usr/bin/node');
  put(sh, '/bin/sh');
  for (const d of ['tmp', 'etc', 'proc', 'sys', 'dev']) mkdirSync(join(root, d), { recursive: true });
  writeFileSync(join(root, 'etc', 'passwd'), 'root:x:0:0:root:/:/bin/sh\nsigmascope:x:10001:10001::/data:/bin/sh\n');
  writeFileSync(join(root, 'etc', 'group'), 'root:x:0:\nsigmascope:x:10001:\n');
  execFileSync('tar', ['-C', root, '-cf', join(work, 'base.tar'), '.']);
  run('podman', ['import', join(work, 'base.tar'), 'localhost/sigmascope-test-base:latest']);
  return 'localhost/sigmascope-test-base:latest';
}

afterAll(() => {
  if (missing.length > 0) return;
  spawnSync('podman-compose', ['-p', PROJECT, '-f', COMPOSE, 'down', '-v'], { env: { ...env, SIGMASCOPE_TOKEN: 'x' }, encoding: 'utf8', timeout: 120_000 });
});

describe.skipIf(missing.length > 0)(`containers with podman${missing.length > 0 ? ` (skipped: ${missing.join(', ')} not installed; .ci/run installs them)` : ''}`, () => {
  it('builds both images on a local base, and the compose file runs a collector and an agent that streams to it', async () => {
    const base = makeBase();
    run(join(REPO_ROOT, 'install', 'containers', 'build-images.sh'), ['--base', base]);
    const port = await freePort();
    const statusPort = await freePort();
    env = { ...env, SIGMASCOPE_PORT: String(port), SIGMASCOPE_STATUS_PORT: String(statusPort) };
    run('podman-compose', ['-p', PROJECT, '-f', COMPOSE, 'up', '-d', 'collector'], { SIGMASCOPE_TOKEN: 'unused-until-the-agent' });
    await waitFor('the collector in its container', async () => ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok ? true : undefined), 60_000, 500);
    const collector = `${PROJECT}_collector_1`;
    const cli = ['exec', collector, 'node', '/opt/sigmascope/bin/sigmascope.js', 'token', 'create'];
    const agentToken = run('podman', [...cli, 'agent-1']).trim();
    const viewer = run('podman', [...cli, 'viewer', '--role', 'viewer']).trim();
    run('podman-compose', ['-p', PROJECT, '-f', COMPOSE, 'up', '-d', 'agent'], { SIGMASCOPE_TOKEN: agentToken });
    const agent = await waitFor('the agent in its container to stream', async () => {
      const { agents } = await getJson<{ agents: { id: string; connected: boolean; samples: number }[] }>(`http://127.0.0.1:${port}/api/v1/agents`, viewer);
      const a = agents.find((x) => x.id === 'agent-1');
      return a !== undefined && a.connected && a.samples > 0 ? a : undefined;
    }, 90_000, 1_000);
    expect(agent.samples).toBeGreaterThan(0);
    for (const name of [collector, `${PROJECT}_agent_1`]) {
      expect(run('podman', ['inspect', '--format', '{{.Config.User}}', name]).trim(), `${name} runs unprivileged`).toBe('10001:10001');
      const pid = run('podman', ['inspect', '--format', '{{.State.Pid}}', name]).trim();
      expect(/^Uid:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1], `${name}'s main process uid`).toBe('10001');
      expect(spawnSync('podman', ['healthcheck', 'run', name], { env, encoding: 'utf8' }).status, `${name}'s healthcheck`).toBe(0);
    }
  }, 900_000);
});
