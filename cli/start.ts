/**
 * `sigmascope start`: a collector and a local agent in one process, the way a new user meets the
 * product. The local tokens are kept in the data directory (local-tokens.ts), so the printed
 * dashboard link survives a restart; `--config FILE` is an agent config file (probes, spc, …)
 * for the local agent. Data lives under ./.sigmascope unless --data says.
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadAgentConfig } from '@sigmascope/agent/config/agent-config';
import { isLoopbackHost } from '@sigmascope/protocol/loopback';
import { runAgent } from '@sigmascope/agent/main';
import { loadCollectorConfig } from '@sigmascope/collector/config/collector-config';
import { runCollector } from '@sigmascope/collector/main';
import { detectLocalOllama } from '@sigmascope/agent/probes/ollama-detect';
import { findWebRoot } from '@sigmascope/web/server/static-assets';
import { intFlag, parseFlags, stringFlag } from './args.ts';
import { readConfigFile } from './config-file.ts';
import { namingFlag } from './listen-error.ts';
import { LOCAL_AGENT, localTokens } from './local-tokens.ts';
import { processLogger } from './process-log.ts';
import { untilSignal } from './shutdown.ts';

const HELP = `Usage: sigmascope start [--port 7300] [--listen 127.0.0.1] [--status-port 7301] [--data DIR]
                        [--config agent.yaml] [--demo]

Runs a collector and an agent for this host together and prints the dashboard URL.
--config FILE is an agent config file (probes, spc, telemetry …; docs/configuration.md) for the
local agent; its collector, data and name are set by start. An Ollama answering on
127.0.0.1:11434 is probed with its first model. --demo adds a built-in emulated LLM provider
(no network; every series labelled sigmascope.demo="true").
Data: DIR/collector (SQLite), DIR/agent (buffer) and DIR/local-tokens.json (the dashboard
link's token, kept so the link survives a restart); DIR defaults to ./.sigmascope.
Ctrl-C stops both; what was sampled stays in the buffer until it is stored.`;

type Target = Record<string, unknown>;

/** The file's probe targets, plus --demo and a detected Ollama unless the file already probes them. */
async function probeTargets(file: Record<string, unknown> | undefined, demo: boolean): Promise<{ probes: Record<string, unknown>; targets: Target[] }> {
  const probes = (file?.probes !== null && typeof file?.probes === 'object' ? file.probes : {}) as Record<string, unknown>;
  const targets: Target[] = Array.isArray(probes.targets) ? [...(probes.targets as Target[])] : [];
  if (demo && !targets.some((t) => t?.provider === 'demo')) targets.push({ provider: 'demo', model: 'demo-model' });
  if (!targets.some((t) => t?.provider === 'ollama')) {
    const model = (await detectLocalOllama())?.[0];
    if (model !== undefined) targets.push({ provider: 'ollama', model, url: 'http://127.0.0.1:11434' });
  }
  return { probes: { ...probes, targets }, targets };
}

export async function run(argv: string[]): Promise<number> {
  const { values } = parseFlags('start', argv, { port: { type: 'string' }, listen: { type: 'string' }, 'status-port': { type: 'string' }, data: { type: 'string' }, config: { type: 'string' }, demo: { type: 'boolean' } });
  if (values.help) return (console.log(HELP), 0);
  const dataRoot = resolve(stringFlag(values, 'data') ?? '.sigmascope');
  const port = intFlag(values, 'port', 0, 65_535) ?? 7300;
  const statusPort = intFlag(values, 'status-port', 0, 65_535);
  const listenAddr = stringFlag(values, 'listen') ?? '127.0.0.1';
  const configFile = stringFlag(values, 'config');
  const file = configFile === undefined ? undefined : readConfigFile(configFile);
  const { probes, targets } = await probeTargets(file, values.demo === true);
  // start stays plain http on this host: TLS settings in the environment are the collector command's.
  const plainEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('SIGMASCOPE_TLS_')));
  const collectorConfig = loadCollectorConfig(undefined, 'config', plainEnv, { port, listen: listenAddr, data: join(dataRoot, 'collector') });
  // Checked before anything starts: a bad config file must not leave a collector running.
  const agentFlags = { collector: 'ws://127.0.0.1:1/ingest', token: 'x'.repeat(16), data: join(dataRoot, 'agent'), name: LOCAL_AGENT, ...(statusPort !== undefined ? { statusPort } : {}) };
  loadAgentConfig({ ...file, probes }, configFile ?? 'start', process.env, agentFlags);
  // The banner below is what a new user reads; routine info lines would bury it.
  const log = processLogger(process.env.SIGMASCOPE_LOG_LEVEL ? collectorConfig.log.level : 'warn');
  const webRoot = findWebRoot();
  const collector = await namingFlag('--port', collectorConfig.listen, collectorConfig.port, () => runCollector(collectorConfig, log.child({ service: 'collector' }), webRoot));

  let agent;
  let tokens;
  let statusListen = '127.0.0.1';
  const connectHost = listenAddr === '0.0.0.0' ? '127.0.0.1' : listenAddr === '::' ? '[::1]' : listenAddr.includes(':') ? `[${listenAddr}]` : listenAddr;
  // Bound to one of this host's other addresses, the local agent reaches it there, in clear, and says so.
  const agentConfig = (token: string) => loadAgentConfig({ ...file, probes }, configFile ?? 'start', process.env, { ...agentFlags, collector: `ws://${connectHost}:${collector.port}/ingest`, token, insecure: !isLoopbackHost(connectHost) });
  try {
    mkdirSync(dataRoot, { recursive: true });
    tokens = localTokens(dataRoot, collector.tokens);
    const config = agentConfig(tokens.agent);
    statusListen = config.status.listen;
    agent = await namingFlag('--status-port', config.status.listen, config.status.port, () => runAgent(config, log.child({ service: 'agent' }), webRoot));
  } catch (err) {
    await collector.stop();
    throw err;
  }
  const url = `http://${connectHost}:${collector.port}`;
  console.log(`Sigmascope is running.
  Dashboard:   ${url}/login?token=${tokens.dashboard}
               (the same link after a restart; it is kept in ${join(dataRoot, 'local-tokens.json')})
  Agent page:  http://${statusListen}:${agent.statusPort ?? '-'}
  API:         ${url}/api/v1/series?name=system.cpu.utilization  (Authorization: Bearer <the token above>)
  Data:        ${dataRoot}
  Probes:      ${targets.length > 0 ? targets.map((t) => `${String(t.provider)}:${String(t.model)}`).join(', ') : `none; to add one, open ${url}/#/providers for the config to paste, or try --demo`}
Press Ctrl-C to stop.`);
  return untilSignal(async () => {
    await agent.stop();
    await collector.stop();
  });
}
