import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scratchDirs } from '../../../tests/support/scratch-dirs.ts';
import { isLoopback, loadStatusToken } from './status-gate.ts';

const freshDir = scratchDirs('status-gate-');

describe('status gate', () => {
  it('knows loopback addresses', () => {
    for (const a of ['127.0.0.1', '127.1.2.3', '::1', '[::1]', 'localhost', '::ffff:127.0.0.1']) expect(isLoopback(a), a).toBe(true);
    for (const a of ['0.0.0.0', '::', '10.0.0.1', '192.168.1.5', '::ffff:10.0.0.1', 'example.com']) expect(isLoopback(a), a).toBe(false);
  });

  it('creates the token file 0600 once and keeps it; refuses a loose or empty one', () => {
    const path = join(freshDir(), 'status-token');
    const token = loadStatusToken(path);
    expect(loadStatusToken(path)).toBe(token);
    chmodSync(path, 0o644);
    expect(() => loadStatusToken(path)).toThrow(`status.tokenFile: ${path} is readable by others (mode 644): chmod 600 ${path}`);
    const empty = join(freshDir(), 'empty');
    writeFileSync(empty, '\n', { mode: 0o600 });
    expect(() => loadStatusToken(empty)).toThrow('holds no token');
  });
});
