/**
 * The ids an agent introduces itself with. The stream id scopes sequence numbers: it belongs to
 * the buffer that numbers the frames (lmdb-buffer.ts keeps it with them), so a new buffer is a new
 * stream. The boot id is new at every start.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const STREAM_ID = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * The stream id an older agent kept in DATA/agent.json, or null. Read only to carry on the stream
 * of a buffer written before the buffer kept its own; never created.
 */
export function readLegacyStream(dataDir: string): string | null {
  try {
    const parsed = JSON.parse(readFileSync(join(dataDir, 'agent.json'), 'utf8')) as { stream?: unknown };
    return typeof parsed.stream === 'string' && STREAM_ID.test(parsed.stream) ? parsed.stream : null;
  } catch {
    return null;
  }
}

/** True for a string the protocol accepts as a stream id. */
export function isStreamId(value: unknown): value is string {
  return typeof value === 'string' && STREAM_ID.test(value);
}

/** A new random stream id (16 characters of base64url). */
export function newStreamId(): string {
  return randomBytes(12).toString('base64url');
}

/** A new random boot id. */
export function newBootId(): string {
  return randomBytes(9).toString('base64url');
}
