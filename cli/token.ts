/** `sigmascope token create|rotate|list|revoke`: agent, viewer and admin tokens on the collector. */
import { ConfigError } from '@sigmascope/protocol/config-error';
import { durationValue } from '@sigmascope/protocol/config-fields';
import { loadCollectorConfig } from '@sigmascope/collector/config/collector-config';
import { openTokenStore } from '@sigmascope/collector/main';
import { ROLES } from '@sigmascope/collector/auth/token-store';
import type { Role, TokenInfo } from '@sigmascope/collector/auth/token-store';
import { parseFlags, stringFlag } from './args.ts';
import { printRows } from './columns.ts';

const HELP = `Usage:
  sigmascope token create NAME [--role agent|viewer|admin] [--expires 90d] [--data DIR]
      prints a new token once (it is stored only as a hash). Agents use role agent (the default);
      NAME is the agent's identity in the fleet. --expires: refused after that long (s, m, h, d).
  sigmascope token rotate NAME [--window 24h] [--expires 90d] [--data DIR]
      prints a new token for NAME (same role); the current one keeps working for --window
      (default 24h) so the agent can move to the new one without a gap, then it is refused.
  sigmascope token list [--data DIR]
      every token: name, role, state (live, retiring, revoked, expired), created, expires, last used.
  sigmascope token revoke NAME [--data DIR]
      refuses every token of NAME from now on (a retiring one too).`;

const DAY = 86_400_000;
const iso = (ms: number | null): string => (ms === null ? '-' : new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z'));

function listFields(t: TokenInfo): string[] {
  const until = t.state === 'retiring' ? ` until ${iso(t.revokedAt)}` : t.state === 'revoked' ? ` ${iso(t.revokedAt)}` : '';
  return [t.name, t.role, `${t.state}${until}`, `created ${iso(t.createdAt)}`, `expires ${iso(t.expiresAt)}`, `last used ${t.lastUsedAt === null ? 'never' : `${iso(t.lastUsedAt)}${t.lastUsedFrom ? ` from ${t.lastUsedFrom}` : ''}`}`];
}

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseFlags('token', argv, { role: { type: 'string' }, data: { type: 'string' }, expires: { type: 'string' }, window: { type: 'string' } }, true);
  if (values.help) return (console.log(HELP), 0);
  const [verb, name, ...extra] = positionals;
  if (verb === undefined) throw new ConfigError('token', `a subcommand is required\n\n${HELP}`);
  if (extra.length > 0) throw new ConfigError('token', `unexpected argument ${JSON.stringify(extra[0])}`);
  const data = stringFlag(values, 'data');
  const config = loadCollectorConfig(undefined, 'config', process.env, data !== undefined ? { data } : {});
  const role = (stringFlag(values, 'role') ?? 'agent') as Role;
  if (!ROLES.includes(role)) throw new ConfigError('--role', `${JSON.stringify(role)} is not one of ${ROLES.join(', ')}`);
  const expiresRaw = stringFlag(values, 'expires');
  const expires = expiresRaw === undefined ? {} : { expiresInMs: durationValue(expiresRaw, '--expires', 60_000, 3_650 * DAY) };
  const windowRaw = stringFlag(values, 'window');
  const { tokens, close } = openTokenStore(config.dataDir);
  try {
    switch (verb) {
      case 'create': {
        if (name === undefined) throw new ConfigError('token create', 'NAME is required');
        const created = tokens.create(name, role, undefined, expires);
        if (!created.ok) throw new ConfigError('token create', created.reason);
        console.log(created.token);
        process.stderr.write(`token for ${role} ${JSON.stringify(name)} created${created.expiresAt === null ? '' : `, expires ${iso(created.expiresAt)}`}; it is shown only this once.\n`);
        return 0;
      }
      case 'rotate': {
        if (name === undefined) throw new ConfigError('token rotate', 'NAME is required');
        const windowMs = windowRaw === undefined ? DAY : durationValue(windowRaw, '--window', 0, 365 * DAY);
        const rotated = tokens.rotate(name, windowMs, undefined, expires);
        if (!rotated.ok) throw new ConfigError('token rotate', rotated.reason);
        console.log(rotated.token);
        process.stderr.write(`new token for ${JSON.stringify(name)}; the previous one is accepted until ${iso(rotated.retiringUntil)}. It is shown only this once.\n`);
        return 0;
      }
      case 'list':
        printRows(tokens.list().map(listFields));
        return 0;
      case 'revoke': {
        if (name === undefined) throw new ConfigError('token revoke', 'NAME is required');
        const n = tokens.revoke(name);
        console.log(`${n} token(s) revoked`);
        return n > 0 ? 0 : 1;
      }
      default:
        throw new ConfigError('token', `unknown subcommand ${JSON.stringify(verb)}\n\n${HELP}`);
    }
  } finally {
    close();
  }
}
