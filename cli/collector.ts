/** `sigmascope collector`: run the collector in the foreground until SIGINT/SIGTERM. */
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import { loadCollectorConfig } from '@sigmascope/collector/config/collector-config';
import type { TlsFlags } from '@sigmascope/collector/config/tls-config';
import { runCollector } from '@sigmascope/collector/main';
import { findWebRoot } from '@sigmascope/web/server/static-assets';
import { intFlag, parseFlags, stringFlag } from './args.ts';
import { readConfigFile } from './config-file.ts';
import { processLogger } from './process-log.ts';
import { untilSignal } from './shutdown.ts';
import { namingFlag } from './listen-error.ts';

const HELP = `Usage: sigmascope collector [--port 7300] [--listen 0.0.0.0] [--data DIR] [--config FILE] [--check-config]
                            [--tls-cert CERT.pem --tls-key KEY.pem [--tls-client-ca CA.pem]]

Runs the collector: agents connect to ws://HOST:PORT/ingest with a token from
'sigmascope token create NAME'; the dashboard and /api/v1 are on the same port.
With --tls-cert and --tls-key the port serves https and wss (agents use wss://HOST:PORT/ingest);
SIGHUP reads the certificate and key again without dropping agents. --tls-client-ca makes
agents present a client certificate signed by that CA (mTLS).
--check-config validates the configuration and exits (0 when it is valid, 2 naming the bad value).
Environment: SIGMASCOPE_PORT, SIGMASCOPE_LISTEN, SIGMASCOPE_DATA, SIGMASCOPE_LOG_LEVEL,
SIGMASCOPE_QUERY_BACKEND, SIGMASCOPE_QUERY_URL, SIGMASCOPE_TLS_CERT, SIGMASCOPE_TLS_KEY, SIGMASCOPE_TLS_CLIENT_CA.`;

function tlsFlags(values: Parameters<typeof stringFlag>[0]): TlsFlags {
  const out: { tlsCert?: string; tlsKey?: string; tlsClientCa?: string } = {};
  const cert = stringFlag(values, 'tls-cert');
  const key = stringFlag(values, 'tls-key');
  const ca = stringFlag(values, 'tls-client-ca');
  if (cert !== undefined) out.tlsCert = cert;
  if (key !== undefined) out.tlsKey = key;
  if (ca !== undefined) out.tlsClientCa = ca;
  return out;
}

export async function run(argv: string[]): Promise<number> {
  const { values } = parseFlags('collector', argv, {
    port: { type: 'string' }, listen: { type: 'string' }, data: { type: 'string' }, config: { type: 'string' }, 'check-config': { type: 'boolean' },
    'tls-cert': { type: 'string' }, 'tls-key': { type: 'string' }, 'tls-client-ca': { type: 'string' },
  });
  if (values.help) return (console.log(HELP), 0);
  const configFile = stringFlag(values, 'config');
  const port = intFlag(values, 'port', 0, 65_535);
  const listen = stringFlag(values, 'listen');
  const dataFlag = stringFlag(values, 'data');
  const config = loadCollectorConfig(configFile ? readConfigFile(configFile) : undefined, configFile ?? 'config', process.env, {
    ...(port !== undefined ? { port } : {}), ...(listen !== undefined ? { listen } : {}), ...(dataFlag !== undefined ? { data: dataFlag } : {}),
    ...tlsFlags(values),
  });
  if (values['check-config']) return (console.log(`configuration ${configFile ?? '(defaults)'} is valid`), 0);
  const log = processLogger(config.log.level, { service: 'collector' });
  const collector = await namingFlag('--port', config.listen, config.port, () => runCollector(config, log, findWebRoot()));
  const shown = config.listen === '0.0.0.0' || config.listen === '::' ? hostname() : config.listen.includes(':') ? `[${config.listen}]` : config.listen;
  const data = config.dataDir === resolve('.sigmascope/collector') ? '' : ` --data ${config.dataDir}`;
  const [web, ws] = collector.tls ? ['https', 'wss'] : ['http', 'ws'];
  console.log(`sigmascope collector listening on ${web}://${config.listen}:${collector.port} (data: ${config.dataDir})
  Dashboard: ${web}://${shown}:${collector.port}/ and sign in with a viewer or admin token, made here with
             sigmascope token create NAME --role viewer${data}     (or --role admin to acknowledge violations)
  Agents:    ${ws}://${shown}:${collector.port}/ingest, each with its own token: sigmascope token create HOSTNAME${data}`);
  // A renewed certificate is read again without a restart: agents stay connected.
  const onHangup = (): void => void collector.reloadTls();
  if (collector.tls) process.on('SIGHUP', onHangup);
  return untilSignal(async () => {
    process.off('SIGHUP', onHangup);
    await collector.stop();
  });
}
