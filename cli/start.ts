/**
 * `sigmascope start`: a collector and a local agent in one process, the way a new user meets the
 * product. Tokens are created for the local agent and for the printed dashboard link at every
 * start (the previous ones are revoked); data lives under ./.sigmascope unless --data says.
 */
import { join, resolve } from 'node:path';
import { loadAgentConfig } from '@sigmascope/agent/config/agent-config';
import { runAgent } from '@sigmascope/agent/main';
import { loadCollectorConfig } from '@sigmascope/collector/config/collector-config';
import { runCollector } from '@sigmascope/collector/main';
import { ConfigError } from '@sigmascope/protocol/config-error';
import { detectLocalOllama } from '@sigmascope/agent/probes/ollama-detect';
import { findWebRoot } from '@sigmascope/web/server/static-assets';
import { intFlag, parseFlags, stringFlag } from './args.ts';
import { processLogger } from './process-log.ts';
import { untilSignal } from './shutdown.ts';

const HELP = `Usage: sigmascope start [--port 7300] [--listen 127.0.0.1] [--status-port 7301] [--data DIR] [--demo]

Runs a collector and an agent for this host together and prints the dashboard URL.
An Ollama answering on 127.0.0.1:11434 is probed with its first model. --demo adds a built-in
emulated LLM provider (no network; every series labelled sigmascope.demo="true").
Data: DIR/collector (SQLite) and DIR/agent (buffer); DIR defaults to ./.sigmascope.
Ctrl-C stops both; what was sampled stays in the buffer until it is stored.`;

const LOCAL_AGENT = 'local';
const LOCAL_DASHBOARD = 'local-dashboard';

export async function run(argv: string[]): Promise<number> {
  const { values } = parseFlags('start', argv, { port: { type: 'string' }, listen: { type: 'string' }, 'status-port': { type: 'string' }, data: { type: 'string' }, demo: { type: 'boolean' } });
  if (values.help) return (console.log(HELP), 0);
  const dataRoot = resolve(stringFlag(values, 'data') ?? '.sigmascope');
  const port = intFlag(values, 'port', 0, 65_535) ?? 7300;
  const statusPort = intFlag(values, 'status-port', 0, 65_535);
  const listenAddr = stringFlag(values, 'listen') ?? '127.0.0.1';
  const collectorConfig = loadCollectorConfig(undefined, 'config', process.env, { port, listen: listenAddr, data: join(dataRoot, 'collector') });
  // The banner below is what a new user reads; routine info lines would bury it.
  const log = processLogger(process.env.SIGMASCOPE_LOG_LEVEL ? collectorConfig.log.level : 'warn');
  const webRoot = findWebRoot();
  const collector = await runCollector(collectorConfig, log.child({ service: 'collector' }), webRoot);

  collector.tokens.revoke(LOCAL_AGENT);
  collector.tokens.revoke(LOCAL_DASHBOARD);
  const agentToken = collector.tokens.create(LOCAL_AGENT, 'agent');
  // The person at this machine owns it: the dashboard link may acknowledge and resolve violations.
  const dashboardToken = collector.tokens.create(LOCAL_DASHBOARD, 'admin');
  if (!agentToken.ok || !dashboardToken.ok) throw new ConfigError('start', 'could not create the local tokens');

  const connectHost = listenAddr === '0.0.0.0' ? '127.0.0.1' : listenAddr === '::' ? '[::1]' : listenAddr.includes(':') ? `[${listenAddr}]` : listenAddr;
  const targets: Record<string, unknown>[] = [];
  if (values.demo) targets.push({ provider: 'demo', model: 'demo-model' });
  const ollamaModels = await detectLocalOllama();
  const ollamaModel = ollamaModels?.[0];
  if (ollamaModel !== undefined) targets.push({ provider: 'ollama', model: ollamaModel, url: 'http://127.0.0.1:11434' });
  const agentConfig = loadAgentConfig({ probes: { targets } }, 'start', process.env, {
    collector: `ws://${connectHost}:${collector.port}/ingest`, token: agentToken.token, data: join(dataRoot, 'agent'), name: LOCAL_AGENT,
    ...(statusPort !== undefined ? { statusPort } : {}),
  });
  let agent;
  try {
    agent = await runAgent(agentConfig, log.child({ service: 'agent' }), webRoot);
  } catch (err) {
    await collector.stop();
    throw err;
  }
  const url = `http://${connectHost}:${collector.port}`;
  console.log(`Sigmascope is running.
  Dashboard:   ${url}/login?token=${dashboardToken.token}
  Agent page:  http://${agentConfig.status.listen}:${agent.statusPort ?? '-'}
  API:         ${url}/api/v1/series?name=system.cpu.utilization  (Authorization: Bearer <the token above>)
  Data:        ${dataRoot}
  Probes:      ${targets.length > 0 ? targets.map((t) => `${String(t.provider)}:${String(t.model)}`).join(', ') : 'none; add a provider: sigmascope keys set openai, then a probes.targets entry in an agent config (docs/probes.md), or try --demo'}
Press Ctrl-C to stop.`);
  return untilSignal(async () => {
    await agent.stop();
    await collector.stop();
  });
}
