/**
 * `sigmascope keys set|list|rm`: provider API keys in the agent's encrypted key store. The key is
 * read from stdin only (never argv, which other users can see in the process list) and is never
 * printed; `list` shows names and fingerprints. This file is the config entry of the command:
 * it reads SIGMASCOPE_DATA and SIGMASCOPE_MASTER_KEY and hands them in.
 */
import { join, resolve } from 'node:path';
import { ConfigError } from '@sigmascope/protocol/config-error';
import { KEY_NAME_PATTERN, openKeyStore } from '@sigmascope/agent/keys/key-store';
import { parseFlags, stringFlag } from './args.ts';

const HELP = `Usage:
  sigmascope keys set PROVIDER [--data DIR]   read the key from stdin and store it encrypted
  sigmascope keys list [--data DIR]           names and fingerprints (never the keys)
  sigmascope keys rm PROVIDER [--data DIR]

PROVIDER is the entry name probes use: openai, anthropic, gemini, ollama, openai-compatible,
or the \`key:\` a target names in the agent config.
  printf '%s' "$OPENAI_API_KEY" | sigmascope keys set openai
  sigmascope keys set anthropic        (then paste the key; it is not echoed)

DIR is the agent's data directory: SIGMASCOPE_DATA, else ./.sigmascope/agent (where
\`sigmascope start\` and \`sigmascope agent\` keep theirs).
Keys are sealed with AES-256-GCM under the master key: SIGMASCOPE_MASTER_KEY (32 bytes as hex or
base64, e.g. \`openssl rand -hex 32\`), else DIR/master.key (mode 0600, created on the first set).
Back up the master key apart from DIR: without it the keys cannot be read.`;

/** Where the command reads and writes; injectable for tests. */
export interface KeysIo {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  /** The key text from stdin. */
  readonly readSecret: (prompt: string) => Promise<string>;
}

export async function run(argv: string[]): Promise<number> {
  return keysCommand(argv, {
    env: process.env,
    out: (t) => process.stdout.write(t),
    err: (t) => process.stderr.write(t),
    readSecret: readStdinSecret,
  });
}

/** Runs `keys ARGV`; resolves to the exit code. Throws ConfigError (exit 2) on bad usage or a refused store. */
export async function keysCommand(argv: string[], io: KeysIo): Promise<number> {
  const { values, positionals } = parseFlags('keys', argv, { data: { type: 'string' } }, true);
  if (values.help) return (io.out(`${HELP}\n`), 0);
  const [verb, name, ...extra] = positionals;
  // Never echo extra arguments: one of them may be a key typed where it should not be.
  if (extra.length > 0) throw new ConfigError('keys', `unexpected extra argument(s); the key is read from stdin, never from the command line\n\n${HELP}`);
  const dir = resolve(stringFlag(values, 'data') ?? io.env.SIGMASCOPE_DATA ?? join('.sigmascope', 'agent'));
  const store = openKeyStore(dir, io.env.SIGMASCOPE_MASTER_KEY);
  const needName = (): string => {
    if (name === undefined) throw new ConfigError(`keys ${verb}`, 'PROVIDER is required');
    if (!KEY_NAME_PATTERN.test(name)) throw new ConfigError(`keys ${verb}`, `${JSON.stringify(name.slice(0, 64))} is not a provider name (lower-case letters, digits, _ . -)`);
    return name;
  };
  switch (verb) {
    case 'set': {
      const entry = needName();
      const key = (await io.readSecret(`Key for ${entry} (input hidden), then Enter: `)).trim();
      if (key.length === 0) throw new ConfigError('keys set', 'no key on stdin');
      if (key.length > 4096 || /\s/.test(key)) throw new ConfigError('keys set', 'the key on stdin must be one line without spaces, at most 4096 characters');
      const info = store.set(entry, key);
      io.out(`stored ${info.name} ${info.fingerprint}\n`);
      return 0;
    }
    case 'list':
      for (const k of store.list()) io.out(`${k.name}\t${k.fingerprint}\tset ${k.createdAt}\n`);
      return 0;
    case 'rm': {
      const entry = needName();
      const removed = store.remove(entry);
      io.out(removed ? `removed ${entry}\n` : `no key named ${entry}\n`);
      return removed ? 0 : 1;
    }
    case undefined:
      throw new ConfigError('keys', `a subcommand is required\n\n${HELP}`);
    default:
      throw new ConfigError('keys', `unknown subcommand ${JSON.stringify(verb.slice(0, 32))}\n\n${HELP}`);
  }
}

/** Reads one secret from stdin: all of a pipe, or one line typed at a terminal without echo. */
async function readStdinSecret(prompt: string): Promise<string> {
  const stdin = process.stdin;
  if (!stdin.isTTY) {
    let text = '';
    for await (const chunk of stdin) text += String(chunk);
    return text.split(/\r?\n/)[0] ?? '';
  }
  process.stderr.write(prompt);
  stdin.setRawMode(true);
  stdin.setEncoding('utf8');
  return new Promise((resolvePromise, reject) => {
    let text = '';
    const onData = (s: string): void => {
      for (const ch of s) {
        if (ch === '\r' || ch === '\n') return done(null);
        if (ch === '\u0003') return done(new ConfigError('keys set', 'cancelled'));
        if (ch === '\u007f' || ch === '\b') text = text.slice(0, -1);
        else text += ch;
      }
    };
    const done = (err: Error | null): void => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stderr.write('\n');
      if (err) reject(err);
      else resolvePromise(text);
    };
    stdin.on('data', onData);
    stdin.resume();
  });
}
