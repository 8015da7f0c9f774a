/**
 * Reads the agent's token from a file, or from stdin for `-`: the ways to hand it over that the
 * process list does not show (argv is readable by every user of the host in /proc/PID/cmdline).
 * A regular file readable by group or others is refused, as ssh refuses a loose key.
 */
import { readFileSync, statSync } from 'node:fs';
import { ConfigError } from '@sigmascope/protocol/config-error';

/** The token in `path` (`-`: stdin) without surrounding whitespace; ConfigError naming `where` otherwise. */
export function readTokenFile(path: string, where: string): string {
  let text: string;
  try {
    if (path !== '-') {
      const st = statSync(path);
      if (st.isFile() && (st.mode & 0o077) !== 0) throw new ConfigError(where, `${path} is readable by others (mode ${(st.mode & 0o777).toString(8)}): chmod 600 ${path}`);
    }
    text = readFileSync(path === '-' ? 0 : path, 'utf8');
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    throw new ConfigError(where, `cannot read the token from ${path === '-' ? 'stdin' : path} (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
  const token = text.trim();
  if (token === '') throw new ConfigError(where, `${path === '-' ? 'stdin' : path} holds no token`);
  return token;
}
