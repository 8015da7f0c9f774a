/** The process logger: redacted JSON lines on stderr. */
import { createLogger } from '@sigmascope/protocol/log';
import type { Logger, LogLevel } from '@sigmascope/protocol/log';

export function processLogger(level: LogLevel, base: Record<string, unknown> = {}): Logger {
  return createLogger(level, (line) => process.stderr.write(`${line}\n`), base);
}
