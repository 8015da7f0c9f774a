import { describe, expect, it } from 'vitest';
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { ChunkedStore } from '../store/chunked-store.ts';
import { openDatabase } from '../store/schema/sqlite-db.ts';
import { scratchDirs } from '../../../tests/support/scratch-dirs.ts';
import { capabilityReport } from './capability-report.ts';
import { writeDailyReport } from './daily-report-job.ts';
import { reportCsv, reportHtml } from './report-formats.ts';
import { loadSloConfig } from './slo-config.ts';

const freshDir = scratchDirs('capability-');
const DAY = '2026-01-05';
const MIDNIGHT = Date.parse(`${DAY}T00:00:00Z`);
// Montgomery's aircraft-primer viscosity, qcc's `viscosity` individuals data (protocol/src/spc/testdata/viscosity.csv).
const VISCOSITY = readFileSync(join(import.meta.dirname, '../../../protocol/src/spc/testdata/viscosity.csv'), 'utf8').trim().split('\n').slice(1).map((l) => Number(l.split(',')[1]));
const TTFT = 'gen_ai.client.operation.time_to_first_chunk';
const labels = { 'gen_ai.provider.name': 'openai', 'gen_ai.request.model': 'gpt-4o', 'gen_ai.operation.name': 'chat' };

function storeWith(points: { agent: string; labels: Record<string, string>; values: number[]; start: number }[]) {
  const { db } = openDatabase(freshDir());
  const store = new ChunkedStore(db);
  let seq = 0;
  for (const p of points) store.storeBatch(p.agent, 'main', ++seq, [{ name: TTFT, labels: p.labels, ts: Float64Array.from(p.values.map((_, i) => p.start + i * 60_000)), values: Float64Array.from(p.values) }], [], p.start);
  return store;
}

describe('daily capability report', () => {
  it('Cp, Cpk, Pp, Ppk per provider × model × host by qcc’s conventions', () => {
    const store = storeWith([
      { agent: 'gpu-01', labels, values: VISCOSITY, start: MIDNIGHT + 3_600_000 },
      // The day before and failed probes stay out.
      { agent: 'gpu-01', labels, values: [50, 60, 70], start: MIDNIGHT - 3 * 60_000 - 1 },
      { agent: 'gpu-01', labels: { ...labels, 'error.type': 'timeout' }, values: [99, 99], start: MIDNIGHT + 60_000 },
      { agent: 'gpu-02', labels, values: [33.5], start: MIDNIGHT },
    ]);
    const slos = loadSloConfig([{ provider: 'openai', model: 'gpt-4o', metric: TTFT, lsl: 32, usl: 35, transform: 'none' }], 'test');
    const r = capabilityReport(store, (a) => `host-${a}`, slos, DAY, MIDNIGHT + 86_400_000);
    expect(r.rows.map((x) => [x.host, x.n])).toEqual([['host-gpu-01', 15], ['host-gpu-02', 1]]);
    const row = r.rows[0];
    // References from the published statistics (mean moving range 0.4807, centre 33.5233, σ = MR̄ / 1.128)
    // and the sample SD 0.335552 (Python statistics.stdev of the same 15 values).
    expect(row?.mean).toBeCloseTo(33.523333, 6);
    expect(row?.sigmaWithin).toBeCloseTo(0.480714 / 1.128, 6);
    expect(row?.sdOverall).toBeCloseTo(0.3355521, 6);
    expect(row?.cp).toBeCloseTo(1.173254, 5);
    expect(row?.cpk).toBeCloseTo(1.155003, 5);
    expect(row?.pp).toBeCloseTo(1.490081, 5);
    expect(row?.ppk).toBeCloseTo(1.466902, 5);
    expect(row?.outOfSpec).toBe(0);
    expect(r.rows[1]).toMatchObject({ n: 1, cpk: null, error: '1 probe: capability needs at least 2' });
    store.close();
  });

  it('log transform: limits and probes both on the log scale', () => {
    const values = [0.42, 0.51, 0.47, 0.62, 0.55, 0.49, 0.58, 0.44, 0.71, 0.5];
    const store = storeWith([{ agent: 'gpu-01', labels, values, start: MIDNIGHT }]);
    const [slo] = loadSloConfig([{ provider: 'openai', metric: TTFT, usl: 0.8 }], 'test');
    expect(slo?.transform).toBe('log');
    const row = capabilityReport(store, (a) => a, [slo as NonNullable<typeof slo>], DAY, MIDNIGHT + 86_400_000).rows[0];
    const logs = values.map(Math.log);
    const mean = logs.reduce((a, b) => a + b, 0) / logs.length;
    const sigma = logs.slice(1).reduce((s, v, i) => s + Math.abs(v - (logs[i] as number)), 0) / (logs.length - 1) / 1.128;
    expect(row?.cpk).toBeCloseTo((Math.log(0.8) - mean) / (3 * sigma), 10);
    expect(row?.cp).toBeNull(); // one-sided: Cpk only
    store.close();
  });

  it('CSV and HTML carry every row; the job writes a finished day once', () => {
    const store = storeWith([{ agent: 'gpu-01', labels: { ...labels, 'gen_ai.request.model': 'gpt-4o, "mini"' }, values: VISCOSITY, start: MIDNIGHT }]);
    const slos = loadSloConfig([{ provider: 'openai', metric: TTFT, lsl: 32, usl: 35, transform: 'none' }], 'test');
    const r = capabilityReport(store, (a) => a, slos, DAY, MIDNIGHT + 86_400_000);
    const csv = reportCsv(r).split('\r\n');
    expect(csv[0]).toBe('day,provider,model,host,agent,metric,transform,lsl,usl,n,mean,sigmaWithin,sdOverall,cp,cpk,pp,ppk,outOfSpec,error');
    expect(csv[1]).toMatch(/^2026-01-05,openai,"gpt-4o, ""mini""",gpu-01,gpu-01,gen_ai\.client\.operation\.time_to_first_chunk,none,32,35,15,/);
    expect(reportHtml(r)).toContain('<td class="n" style="color:#9a6700">1.16</td>'); // Cpk 1.155: marginal
    const dir = freshDir();
    const file = writeDailyReport(dir, store, (a) => a, slos, MIDNIGHT + 86_400_000 + 3_600_000);
    expect(file).toBe(join(dir, `capability-${DAY}.json`));
    expect(['json', 'csv', 'html'].every((ext) => existsSync(join(dir, `capability-${DAY}.${ext}`)))).toBe(true);
    expect((JSON.parse(readFileSync(file as string, 'utf8')) as { rows: unknown[] }).rows).toHaveLength(1);
    expect(writeDailyReport(dir, store, (a) => a, slos, MIDNIGHT + 86_400_000 + 7_200_000)).toBeNull();
    store.close();
  });
});
