/**
 * A user's clone has nothing beside it: no code, test or bench may read a folder outside the
 * repository, and every fixture folder carries the README that says where its data came from.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES_DIR, REPO_ROOT } from './support/fixtures.ts';

describe('the repository is self-contained', () => {
  it('no tracked source reaches beside the checkout', () => {
    const files = execFileSync('git', ['ls-files', '*.ts', '*.mjs', '*.js', '*.sh', 'tests/support/bin/*', '.ci/*'], { cwd: REPO_ROOT, encoding: 'utf8' }).split('\n').filter(Boolean);
    expect(files.length).toBeGreaterThan(100);
    const offenders = files.filter((f) => f !== 'tests/self-contained.test.ts').filter((f) => {
      const text = readFileSync(join(REPO_ROOT, f), 'utf8');
      return /['"]\.\.['"],\s*['"]shared['"]|\.\.\/shared\b/.test(text);
    });
    expect(offenders).toEqual([]);
  });

  it('every fixture folder has its provenance README', () => {
    const folders = readdirSync(FIXTURES_DIR).filter((d) => statSync(join(FIXTURES_DIR, d)).isDirectory());
    expect(folders.sort()).toEqual(['anomaly', 'latency', 'nvidia-smi', 'providers', 'spc']);
    for (const d of folders) expect(existsSync(join(FIXTURES_DIR, d, 'README.md')), d).toBe(true);
  });
});
