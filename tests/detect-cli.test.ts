/**
 * `sigmascope detect` as a user runs it: the built CLI in a child process, on a held-out NAB file
 * whose three labelled failures it must find (and nothing else), on LLMPerf latencies without
 * times, and on malformed files and options (exit 2, naming the line, column or flag).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './support/fixtures.ts';

const NAB = join(REPO_ROOT, 'tests', 'fixtures', 'anomaly');
const LATENCY_FILE = 'realKnownCause/ec2_request_latency_system_failure.csv';
const dir = mkdtempSync(join(tmpdir(), 'sigmascope-detect-'));

function detect(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [join(REPO_ROOT, 'bin', 'sigmascope.js'), 'detect', ...args], { cwd: REPO_ROOT }, (err, stdout, stderr) => {
      resolve({ code: err === null ? 0 : typeof err.code === 'number' ? err.code : 1, stdout, stderr });
    });
  });
}

function csv(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

interface Output { column: string; timestampColumn: string | null; points: number; anomalies: { row: number; line: number; time?: string; value: number; baseline: number; score: number }[] }

describe('sigmascope detect', () => {
  it('finds the three labelled failures of a held-out NAB file, each inside its window, and nothing else', async () => {
    const r = await detect(join(NAB, 'data', LATENCY_FILE), '--format', 'json');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as Output;
    expect(out).toMatchObject({ column: 'value', timestampColumn: 'timestamp', points: 4032 });
    const windows = (JSON.parse(readFileSync(join(NAB, 'combined_windows.json'), 'utf8')) as Record<string, [string, string][]>)[LATENCY_FILE] ?? [];
    const ms = (s: string): number => Date.parse(`${s.slice(0, 19).replace(' ', 'T')}Z`);
    expect(out.anomalies).toHaveLength(3);
    out.anomalies.forEach((a, i) => {
      const [from, to] = windows[i] as [string, string];
      const t = Date.parse(a.time as string);
      expect(t).toBeGreaterThanOrEqual(ms(from));
      expect(t).toBeLessThanOrEqual(ms(to));
      expect(a.score).toBeGreaterThanOrEqual(4.25);
      expect(a.line).toBe(a.row + 1);
    });
    const table = await detect(join(NAB, 'data', LATENCY_FILE));
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/anomalies {3}3\n/);
    for (const a of out.anomalies) expect(table.stdout).toContain(a.time as string);
  });

  it('works without times: rows are the points (LLMPerf TTFT, log scale), and no hour-of-day profile', async () => {
    const r = await detect(join(REPO_ROOT, 'tests', 'fixtures', 'latency', 'llmperf-leaderboard__anyscale_70b.csv'), '--column', 'ttft_s', '--transform', 'log', '--window', '30', '--format', 'json');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as Output & { options: { seasonality: string } };
    expect(out.timestampColumn).toBeNull();
    expect(out.options.seasonality).toBe('none');
    expect(out.anomalies.length).toBeGreaterThan(0);
    for (const a of out.anomalies) expect(a.time).toBeUndefined();
    const refused = await detect(join(REPO_ROOT, 'tests', 'fixtures', 'latency', 'llmperf-leaderboard__anyscale_70b.csv'), '--column', 'ttft_s', '--seasonality', 'daily');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/--seasonality: daily needs times/);
  });

  it('refuses malformed input naming where: a bad time, a text value, an unknown column or flag value', async () => {
    const cases: [string[], RegExp][] = [
      [[csv('bad-time.csv', 'timestamp,value\n2024-01-01 00:00:00,1\n2024-13-01 00:00:00,2\n')], /line 3, column "timestamp": "2024-13-01 00:00:00" is not a time/],
      [[csv('feb30.csv', 'time,value\n2024-02-30T00:00:00Z,1\n')], /line 2, column "time": "2024-02-30T00:00:00Z" is not a time/],
      [[csv('text.csv', 'timestamp,value\n2024-01-01 00:00:00,1\n2024-01-01 00:05:00,high\n'), '--column', 'value'], /line 3, column 2 \("value"\): "high" is not a number/],
      [[csv('ok.csv', 'timestamp,value\n2024-01-01 00:00:00,1\n'), '--column', 'latency'], /--column: no column "latency"/],
      [[csv('ok2.csv', 'timestamp,value\n2024-01-01 00:00:00,1\n'), '--threshold', 'high'], /--threshold: "high" is not a number/],
      [[csv('ok3.csv', 'timestamp,value\n2024-01-01 00:00:00,1\n'), '--format', 'xml'], /--format: "xml" is not one of json, table/],
      [[csv('empty.csv', '')], /the file has no rows/],
    ];
    for (const [args, message] of cases) {
      const r = await detect(...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stdout).toBe('');
    }
  });

  it('takes rows in file order when time goes back (a real NAB file repeats an hour), and says so on stderr', async () => {
    const r = await detect(join(NAB, 'data', 'realKnownCause', 'machine_temperature_system_failure.csv'), '--format', 'json');
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/line 10151: "2014-01-07 02:00:00" is earlier than the row before it \(1 such row\); rows are taken in file order/);
    expect((JSON.parse(r.stdout) as Output).points).toBe(22695);
  });

  it('prints its help', async () => {
    const r = await detect('--help');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/--timestamp-column NAME/);
  });
});
