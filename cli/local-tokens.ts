/**
 * The two tokens `sigmascope start` uses on one machine: the local agent's and the dashboard
 * link's. They are kept in DATA/local-tokens.json (mode 0600, like an SSH key) so that the link
 * a user bookmarked, and the session cookie it set, still work after `start` is run again. A
 * kept token the collector no longer accepts (revoked, or a wiped database) is replaced.
 */
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Role, TokenStore } from '@sigmascope/collector/auth/token-store';
import { StartError } from './listen-error.ts';

const FILE = 'local-tokens.json';

/** Token names of the local agent and of the dashboard link. */
export const LOCAL_AGENT = 'local';
export const LOCAL_DASHBOARD = 'local-dashboard';

function readKept(path: string): Record<string, string> {
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as unknown;
    return parsed !== null && typeof parsed === 'object' ? (parsed as Record<string, string>) : {};
  } catch {
    return {};
  }
}

/**
 * The local agent's token and the dashboard's (admin: the person at this machine owns it), reused
 * from `dataRoot` when the collector still accepts them, else created and written there.
 */
export function localTokens(dataRoot: string, tokens: TokenStore): { agent: string; dashboard: string } {
  const path = join(dataRoot, FILE);
  const kept = readKept(path);
  const want: [string, Role][] = [[LOCAL_AGENT, 'agent'], [LOCAL_DASHBOARD, 'admin']];
  let changed = false;
  const out: Record<string, string> = {};
  for (const [name, role] of want) {
    const token = kept[name];
    const identity = typeof token === 'string' ? tokens.verify(token) : null;
    if (token !== undefined && identity?.name === name && identity.role === role) {
      out[name] = token;
      continue;
    }
    tokens.revoke(name);
    const created = tokens.create(name, role);
    if (!created.ok) throw new StartError(`could not create the local ${name} token: ${created.reason}`);
    out[name] = created.token;
    changed = true;
  }
  if (changed) {
    writeFileSync(path, `${JSON.stringify(out, null, 2)}\n`, { mode: 0o600 });
    chmodSync(path, 0o600);
  }
  return { agent: out[LOCAL_AGENT] as string, dashboard: out[LOCAL_DASHBOARD] as string };
}
