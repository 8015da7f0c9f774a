/** `sigmascope token create|list|revoke`: agent, viewer and admin tokens on the collector. */
import { ConfigError } from '@sigmascope/protocol/config-error';
import { loadCollectorConfig } from '@sigmascope/collector/config/collector-config';
import { openTokenStore } from '@sigmascope/collector/main';
import { ROLES } from '@sigmascope/collector/auth/token-store';
import type { Role } from '@sigmascope/collector/auth/token-store';
import { parseFlags, stringFlag } from './args.ts';

const HELP = `Usage:
  sigmascope token create NAME [--role agent|viewer|admin] [--data DIR]
      prints a new token once (it is stored only as a hash). Agents use role agent (the default);
      NAME is the agent's identity in the fleet.
  sigmascope token list [--data DIR]
  sigmascope token revoke NAME [--data DIR]`;

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseFlags('token', argv, { role: { type: 'string' }, data: { type: 'string' } }, true);
  if (values.help) return (console.log(HELP), 0);
  const [verb, name, ...extra] = positionals;
  if (verb === undefined) throw new ConfigError('token', `a subcommand is required\n\n${HELP}`);
  if (extra.length > 0) throw new ConfigError('token', `unexpected argument ${JSON.stringify(extra[0])}`);
  const data = stringFlag(values, 'data');
  const config = loadCollectorConfig(undefined, 'config', process.env, data !== undefined ? { data } : {});
  const role = (stringFlag(values, 'role') ?? 'agent') as Role;
  if (!ROLES.includes(role)) throw new ConfigError('--role', `${JSON.stringify(role)} is not one of ${ROLES.join(', ')}`);
  const { tokens, close } = openTokenStore(config.dataDir);
  try {
    switch (verb) {
      case 'create': {
        if (name === undefined) throw new ConfigError('token create', 'NAME is required');
        const created = tokens.create(name, role);
        if (!created.ok) throw new ConfigError('token create', created.reason);
        console.log(created.token);
        process.stderr.write(`token for ${role} ${JSON.stringify(name)} created; it is shown only this once.\n`);
        return 0;
      }
      case 'list':
        for (const t of tokens.list()) console.log(`${t.name}\t${t.role}\tcreated ${new Date(t.createdAt).toISOString()}${t.revokedAt ? `\trevoked ${new Date(t.revokedAt).toISOString()}` : ''}`);
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
