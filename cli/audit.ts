/**
 * `sigmascope audit`: the collector's audit log read on the collector host, from its database
 * (the same entries as GET /api/v1/audit, without a token: whoever can read the data directory
 * can read the log). Newest first.
 */
import { ConfigError } from '@sigmascope/protocol/config-error';
import { durationValue } from '@sigmascope/protocol/config-fields';
import { loadCollectorConfig } from '@sigmascope/collector/config/collector-config';
import { openAuditLog } from '@sigmascope/collector/main';
import { intFlag, parseFlags, stringFlag } from './args.ts';
import { printRows } from './columns.ts';

const HELP = `Usage: sigmascope audit [--since 7d] [--until DURATION] [--action ACTION] [--limit 100] [--json] [--data DIR]

The collector's audit log, newest first: token create/rotate/revoke and first use, logins, alert
and incident state changes, silences, re-baselines, config reloads.
  --since 24h      entries of the last 24 hours (s, m, h, d; default 7d)
  --until 1h       entries older than an hour (default: up to now)
  --action A       one action (token.first_use) or a family (token.*)
  --limit N        at most N entries (default 100, at most 10000)
  --json           one JSON object per line instead of the table`;

const DAY = 86_400_000;
const iso = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseFlags('audit', argv, { since: { type: 'string' }, until: { type: 'string' }, action: { type: 'string' }, limit: { type: 'string' }, json: { type: 'boolean' }, data: { type: 'string' } }, true);
  if (values.help) return (console.log(HELP), 0);
  if (positionals.length > 0) throw new ConfigError('audit', `unexpected argument ${JSON.stringify(positionals[0])}`);
  const now = Date.now();
  const sinceRaw = stringFlag(values, 'since');
  const untilRaw = stringFlag(values, 'until');
  const from = now - (sinceRaw === undefined ? 7 * DAY : durationValue(sinceRaw, '--since', 1_000, 36_500 * DAY));
  const to = now - (untilRaw === undefined ? 0 : durationValue(untilRaw, '--until', 0, 36_500 * DAY));
  const action = stringFlag(values, 'action') ?? null;
  if (action !== null && !/^[a-z_]+(\.[a-z_]+|\.\*)$/.test(action)) throw new ConfigError('--action', `${JSON.stringify(action)} is not an action such as token.first_use, or a family such as token.*`);
  const limit = intFlag(values, 'limit', 1, 10_000) ?? 100;
  const data = stringFlag(values, 'data');
  const config = loadCollectorConfig(undefined, 'config', process.env, data !== undefined ? { data } : {});
  const log = openAuditLog(config.dataDir);
  try {
    const entries = log.list({ from, to, action, limit });
    if (values.json === true) {
      for (const e of entries) console.log(JSON.stringify(e));
      return 0;
    }
    const rows = entries.map((e) => [iso(e.at), e.actor, e.action, e.target, e.detail === undefined ? '' : JSON.stringify(e.detail)]);
    if (rows.length === 0 && process.stdout.isTTY) console.log(`no audit entries between ${iso(from)} and ${iso(to)}${action === null ? '' : ` for ${action}`}`);
    printRows(rows);
    return 0;
  } finally {
    log.close();
  }
}
