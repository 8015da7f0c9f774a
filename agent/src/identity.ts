/**
 * The agent's stable identity on disk (DATA/agent.json): the stream id that scopes its sequence
 * numbers, created once with the data dir. The boot id is new at every start.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface AgentIdentity {
  readonly stream: string;
  readonly createdAt: number;
}

/** Reads DATA/agent.json, or creates it (atomically) when absent or unreadable. */
export function loadIdentity(dataDir: string, now: number = Date.now()): AgentIdentity {
  mkdirSync(dataDir, { recursive: true });
  const path = join(dataDir, 'agent.json');
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as Partial<AgentIdentity>;
    if (typeof parsed.stream === 'string' && /^[A-Za-z0-9_-]{1,64}$/.test(parsed.stream) && typeof parsed.createdAt === 'number') {
      return { stream: parsed.stream, createdAt: parsed.createdAt };
    }
  } catch {
    // absent or unreadable: a new identity below
  }
  const identity: AgentIdentity = { stream: randomBytes(12).toString('base64url'), createdAt: now };
  writeFileSync(`${path}.tmp`, `${JSON.stringify(identity)}\n`, { mode: 0o600 });
  renameSync(`${path}.tmp`, path);
  return identity;
}

/** A new random boot id. */
export function newBootId(): string {
  return randomBytes(9).toString('base64url');
}
