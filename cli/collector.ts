/** `sigmascope collector`: run the collector in the foreground until SIGINT/SIGTERM. */
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import { loadCollectorConfig } from '@sigmascope/collector/config/collector-config';
import { runCollector } from '@sigmascope/collector/main';
import { findWebRoot } from '@sigmascope/web/server/static-assets';
import { intFlag, parseFlags, stringFlag } from './args.ts';
import { readConfigFile } from './config-file.ts';
import { processLogger } from './process-log.ts';
import { untilSignal } from './shutdown.ts';
import { namingFlag } from './listen-error.ts';

const HELP = `Usage: sigmascope collector [--port 7300] [--listen 0.0.0.0] [--data DIR] [--config FILE]

Runs the collector: agents connect to ws://HOST:PORT/ingest with a token from
'sigmascope token create NAME'; the dashboard and /api/v1 are on the same port.
Environment: SIGMASCOPE_PORT, SIGMASCOPE_LISTEN, SIGMASCOPE_DATA, SIGMASCOPE_LOG_LEVEL.`;

export async function run(argv: string[]): Promise<number> {
  const { values } = parseFlags('collector', argv, { port: { type: 'string' }, listen: { type: 'string' }, data: { type: 'string' }, config: { type: 'string' } });
  if (values.help) return (console.log(HELP), 0);
  const configFile = stringFlag(values, 'config');
  const port = intFlag(values, 'port', 0, 65_535);
  const listen = stringFlag(values, 'listen');
  const dataFlag = stringFlag(values, 'data');
  const config = loadCollectorConfig(configFile ? readConfigFile(configFile) : undefined, configFile ?? 'config', process.env, {
    ...(port !== undefined ? { port } : {}), ...(listen !== undefined ? { listen } : {}), ...(dataFlag !== undefined ? { data: dataFlag } : {}),
  });
  const log = processLogger(config.log.level, { service: 'collector' });
  const collector = await namingFlag('--port', config.listen, config.port, () => runCollector(config, log, findWebRoot()));
  const shown = config.listen === '0.0.0.0' || config.listen === '::' ? hostname() : config.listen.includes(':') ? `[${config.listen}]` : config.listen;
  const data = config.dataDir === resolve('.sigmascope/collector') ? '' : ` --data ${config.dataDir}`;
  console.log(`sigmascope collector listening on http://${config.listen}:${collector.port} (data: ${config.dataDir})
  Dashboard: http://${shown}:${collector.port}/ and sign in with a viewer or admin token, made here with
             sigmascope token create NAME --role viewer${data}     (or --role admin to acknowledge violations)
  Agents:    ws://${shown}:${collector.port}/ingest, each with its own token: sigmascope token create HOSTNAME${data}`);
  return untilSignal(() => collector.stop());
}
