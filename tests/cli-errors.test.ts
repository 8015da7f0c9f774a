/**
 * Errors a new user meets, each naming the fix: a port already in use names the flag that
 * moves it (without a stack trace), a mistyped flag or command gets "did you mean".
 */
import { createServer } from 'node:net';
import type { Server } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { killAll, runCli, startCli, tempDir } from './support/processes.ts';

afterAll(() => killAll());

/** A TCP listener on a free loopback port, standing in for whatever holds the port. */
async function occupy(): Promise<{ server: Server; port: number }> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return { server, port: (server.address() as { port: number }).port };
}

/** No line of a stack trace. */
const NO_STACK = /^\s+at /m;

describe('port in use', () => {
  it.each([
    ['collector', '--port', (port: number) => ['collector', '--listen', '127.0.0.1', '--port', String(port), '--data', tempDir()]],
    ['agent', '--status-port', (port: number) => ['agent', '--status-port', String(port), '--data', tempDir()]],
  ] as const)('%s: names %s, no stack trace, exit 1', async (command, flag, args) => {
    const busy = await occupy();
    const p = startCli([...args(busy.port)], { env: { SIGMASCOPE_LOG_LEVEL: 'error' } });
    expect(await p.exited).toBe(1);
    expect(p.output()).toContain(`sigmascope ${command}: 127.0.0.1:${busy.port} is already in use`);
    expect(p.output()).toContain(`${flag} N`);
    expect(p.output()).not.toMatch(NO_STACK);
    busy.server.close();
  });

  it('start: names --port for the dashboard and --status-port for the agent page', async () => {
    const busy = await occupy();
    const a = startCli(['start', '--port', String(busy.port), '--data', tempDir()]);
    expect(await a.exited).toBe(1);
    expect(a.output()).toMatch(/is already in use.*--port N/);
    const b = startCli(['start', '--port', '0', '--status-port', String(busy.port), '--data', tempDir()]);
    expect(await b.exited).toBe(1);
    expect(b.output()).toMatch(/is already in use.*--status-port N/);
    expect(b.output()).not.toMatch(NO_STACK);
    busy.server.close();
  });
});

describe('did you mean', () => {
  it('for a mistyped flag, a mistyped command and a mistyped config key', () => {
    const flag = runCli(['agent', '--statusport', '7301']);
    expect(flag.status).toBe(2);
    expect(flag.stderr).toContain('unknown flag --statusport (did you mean "--status-port"?)');
    const command = runCli(['colector']);
    expect(command.status).toBe(2);
    expect(command.stderr).toContain('unknown command "colector" (did you mean "collector"?)');
    const spc = runCli(['spc', 'check', 'x.csv', '--colum', 'a']);
    expect(spc.stderr).toContain('(did you mean "--column"?)');
  });
});
