/** `sigmascope agent`: run the agent in the foreground until SIGINT/SIGTERM. */
import { loadAgentConfig } from '@sigmascope/agent/config/agent-config';
import type { AgentFlags } from '@sigmascope/agent/config/agent-config';
import { runAgent } from '@sigmascope/agent/main';
import { drainBuffer } from '@sigmascope/agent/drain';
import { findWebRoot } from '@sigmascope/web/server/static-assets';
import { intFlag, parseFlags, stringFlag } from './args.ts';
import { processLogger } from './process-log.ts';
import { untilSignal } from './shutdown.ts';
import { namingFlag } from './listen-error.ts';

const HELP = `Usage: sigmascope agent --collector wss://HOST:7300/ingest [--token-file FILE] [--status-port 7301]
                        [--status-listen 127.0.0.1] [--data DIR] [--name NAME] [--config FILE]
                        [--ca-file CA.pem] [--cert-file AGENT.pem --key-file AGENT.key] [--insecure]
       sigmascope agent --drain [--collector URL] [--token-file FILE] [--data DIR] [--drain-timeout-ms 60000]

Samples this host every 500 ms, probes the configured LLM providers, keeps everything in its
buffer (DATA/buffer) until the collector acknowledges it, and serves a status page on
http://127.0.0.1:7301. Without --collector it samples and buffers locally.
With --drain it samples nothing: it ships what is buffered, prints the final counters as JSON
and exits (0 when the buffer is empty, 1 otherwise).
The token: --token-file FILE (mode 0600), --token-file - (read from stdin) or SIGMASCOPE_TOKEN
(or SIGMASCOPE_TOKEN_FILE); --token T works but shows the token to every user of the host (ps).
TLS: wss:// checks the collector's certificate against the CAs Node trusts, or --ca-file; a
collector that asks for client certificates gets --cert-file/--key-file. A ws:// URL to anything
but this host is refused (the token would travel in clear) unless --insecure, which is logged.
Environment: SIGMASCOPE_TOKEN, SIGMASCOPE_TOKEN_FILE, SIGMASCOPE_COLLECTOR, SIGMASCOPE_DATA, SIGMASCOPE_NAME,
SIGMASCOPE_STATUS_PORT, SIGMASCOPE_BUFFER_CAP, SIGMASCOPE_LOG_LEVEL, SIGMASCOPE_MASTER_KEY.`;

export async function run(argv: string[]): Promise<number> {
  const { values } = parseFlags('agent', argv, {
    collector: { type: 'string' }, token: { type: 'string' }, 'token-file': { type: 'string' }, 'status-port': { type: 'string' }, 'status-listen': { type: 'string' },
    data: { type: 'string' }, name: { type: 'string' }, config: { type: 'string' }, drain: { type: 'boolean' }, 'drain-timeout-ms': { type: 'string' },
    'ca-file': { type: 'string' }, 'cert-file': { type: 'string' }, 'key-file': { type: 'string' }, insecure: { type: 'boolean' },
  });
  if (values.help) return (console.log(HELP), 0);
  const configFile = stringFlag(values, 'config');
  const flags: Record<string, unknown> = {
    collector: stringFlag(values, 'collector'), token: stringFlag(values, 'token'), tokenFile: stringFlag(values, 'token-file'), statusPort: intFlag(values, 'status-port', 0, 65_535),
    statusListen: stringFlag(values, 'status-listen'), data: stringFlag(values, 'data'), name: stringFlag(values, 'name'),
    caFile: stringFlag(values, 'ca-file'), certFile: stringFlag(values, 'cert-file'), keyFile: stringFlag(values, 'key-file'), insecure: values.insecure === true ? true : undefined,
  };
  for (const k of Object.keys(flags)) if (flags[k] === undefined) delete flags[k];
  if (flags.token !== undefined) {
    process.stderr.write('sigmascope agent: warning: --token shows the token to every user of this host (ps, /proc/PID/cmdline); pass it with --token-file FILE, --token-file - (stdin) or SIGMASCOPE_TOKEN instead\n');
    // Overwrites the command line Linux shows for this process (the token leaves /proc/PID/cmdline from here on).
    process.title = 'sigmascope agent';
  }
  // Imported only for a config file: its YAML parser would otherwise stay in the agent's memory.
  const file = configFile ? (await import('./config-file.ts')).readConfigFile(configFile) : undefined;
  const config = loadAgentConfig(file, configFile ?? 'config', process.env, flags as AgentFlags);
  const log = processLogger(config.log.level, { service: 'agent' });
  if (values.drain) {
    const result = await drainBuffer(config, log, intFlag(values, 'drain-timeout-ms', 100, 86_400_000) ?? 60_000);
    console.log(JSON.stringify({ ok: result.ok, ...(result.ok ? {} : { reason: result.reason }), frames: result.stats.frames, samples: result.stats.samples, counters: result.stats.counters }));
    return result.ok ? 0 : 1;
  }
  const agent = await namingFlag('--status-port', config.status.listen, config.status.port, () => runAgent(config, log, findWebRoot()));
  if (agent.statusPort !== null) console.log(`sigmascope agent ${agent.name}: status page on http://${config.status.listen}:${agent.statusPort}`);
  if (agent.passivePort !== null) console.log(`sigmascope agent ${agent.name}: passive pass-through on http://${config.probes.passive?.host}:${agent.passivePort} to ${config.probes.passive?.upstream}`);
  return untilSignal(() => agent.stop());
}
