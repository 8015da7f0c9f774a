/**
 * Reads the agent's token from a file, or from stdin for `-`: the ways to hand it over that the
 * process list does not show (argv is readable by every user of the host in /proc/PID/cmdline).
 * A regular file readable by group or others is refused, as ssh refuses a loose key.
 *
 * During a token rotation (`sigmascope token rotate`) the file may hold the new token and the
 * old one, one per line: the agent tries them in order and keeps the first the collector takes.
 * The file is read again at every reconnect, so a new token needs no restart.
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

/** The tokens in `path`, one per line (blank lines and `#` comments skipped), in order. */
export function readTokenLines(path: string, where: string): string[] {
  return readTokenFile(path, where).split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));
}

/**
 * The tokens to offer at each connect: the file's current lines when the tokens came from a file
 * (so a rotation needs no restart), else the ones given at start. A file that cannot be read or
 * holds no valid token keeps the last good list (and says why, once).
 */
export function tokenSource(given: readonly string[], file: string | null, onError: (message: string) => void): () => readonly string[] {
  if (file === null) return () => given;
  let last = given;
  let lastError: string | null = null;
  return () => {
    try {
      const lines = readTokenLines(file, 'collector.tokenFile');
      if (lines.length === 0 || lines.some((t) => !/^[A-Za-z0-9_.-]{16,256}$/.test(t))) throw new Error(`${file} holds no valid token`);
      last = lines;
      lastError = null;
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      if (message !== lastError) onError(message);
      lastError = message;
    }
    return last;
  };
}
