/**
 * Structured logging: one JSON object per line. Every line passes through redaction of the
 * secrets registered with `registerSecret` (provider keys, tokens) in their plain, base64 and hex
 * forms, so a key echoed back by a provider never reaches a log.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
const LEVELS: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

const secrets = new Set<string>();

/** Registers a secret to be masked in every log line and in `redact()`. Short strings are ignored. */
export function registerSecret(secret: string): void {
  if (secret.length < 8) return;
  secrets.add(secret);
  const bytes = new TextEncoder().encode(secret);
  let hex = '';
  for (const b of bytes) hex += b.toString(16).padStart(2, '0');
  secrets.add(hex);
  secrets.add(hex.toUpperCase());
  const b64 = btoa(String.fromCharCode(...bytes));
  secrets.add(b64);
  secrets.add(b64.replace(/=+$/, ''));
  secrets.add(encodeURIComponent(secret));
}

/** Masks every registered secret in `text`, and any `key=` / `api_key=` query-string value. */
export function redact(text: string): string {
  let out = text;
  for (const s of secrets) if (out.includes(s)) out = out.split(s).join('[REDACTED]');
  return out.replace(/([?&](?:key|api_key|apikey|token)=)[^&\s"']+/gi, '$1[REDACTED]');
}

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  child(fields: Record<string, unknown>): Logger;
}

/** A logger writing redacted JSON lines through `write` (stderr in the processes). */
export function createLogger(level: LogLevel, write: (line: string) => void, base: Record<string, unknown> = {}): Logger {
  const min = LEVELS[level];
  const emit = (lvl: LogLevel, msg: string, fields?: Record<string, unknown>): void => {
    if (LEVELS[lvl] < min) return;
    let line: string;
    try {
      line = JSON.stringify({ time: new Date().toISOString(), level: lvl, msg, ...base, ...fields }, errorReplacer);
    } catch {
      line = JSON.stringify({ time: new Date().toISOString(), level: lvl, msg, unserializable: true });
    }
    write(redact(line));
  };
  return {
    debug: (m, f) => emit('debug', m, f),
    info: (m, f) => emit('info', m, f),
    warn: (m, f) => emit('warn', m, f),
    error: (m, f) => emit('error', m, f),
    child: (fields) => createLogger(level, write, { ...base, ...fields }),
  };
}

function errorReplacer(_key: string, value: unknown): unknown {
  if (value instanceof Error) return { name: value.name, message: value.message, code: (value as { code?: unknown }).code };
  return value;
}

/** A logger that keeps nothing: for tests and library defaults. */
export const silentLogger: Logger = createLogger('error', () => {});
