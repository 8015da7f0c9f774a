/**
 * The query parser and the metric mapping on every real capture in tests/fixtures/nvidia-smi:
 * the values asserted are the ones the captures state.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Metric } from '@sigmascope/protocol/metrics';
import { fixture } from '../../../../tests/support/fixtures.ts';
import { gpuValues } from './gpu-metrics.ts';
import { parseQueryCsv, parseQueryLine, parseQueryValue, QUERY_FIELDS } from './nvidia-query.ts';
import type { GpuRow } from './nvidia-query.ts';

/** The `--query-gpu … --format=csv` sections of a capture: header line + value line, per state. */
function querySections(text: string): Map<'idle' | 'load', string> {
  const lines = text.split('\n');
  const out = new Map<'idle' | 'load', string>();
  lines.forEach((l, i) => {
    const m = /^# (idle|load) :: query-gpu/.exec(l);
    if (m) out.set(m[1] as 'idle' | 'load', `${lines[i + 3]}\n${lines[i + 4]}\n`);
  });
  return out;
}

type Expect = { util?: number; used: number; total: number; temp: number; power: number; gclk: number; mclk: number; ecc?: number; mig: string | null };
/** As the captures state them (utilization %, memory MiB, °C, W, MHz). */
const CAPTURES: Record<string, { name: string; idle: Expect; load: Expect }> = {
  'linux-x86_64__nvidia-h100-80gb-hbm3__590.48.01.txt': {
    name: 'NVIDIA H100 80GB HBM3',
    idle: { util: 0, used: 0, total: 81559, temp: 41, power: 69.85, gclk: 345, mclk: 2619, ecc: 0, mig: 'Disabled' },
    load: { util: 100, used: 19818, total: 81559, temp: 59, power: 631.95, gclk: 1980, mclk: 2619, ecc: 0, mig: 'Disabled' },
  },
  'linux-x86_64__nvidia-h100-mig__590.48.01.txt': {
    name: 'NVIDIA H100 80GB HBM3',
    idle: { used: 59, total: 81559, temp: 42, power: 71.15, gclk: 345, mclk: 2619, ecc: 0, mig: 'Enabled' },
    load: { used: 11125, total: 81559, temp: 53, power: 433.78, gclk: 1980, mclk: 2619, ecc: 0, mig: 'Enabled' },
  },
  'linux-x86_64__nvidia-h200__590.48.01.txt': {
    name: 'NVIDIA H200',
    idle: { util: 0, used: 0, total: 143771, temp: 28, power: 77.71, gclk: 345, mclk: 3201, ecc: 0, mig: 'Disabled' },
    load: { util: 100, used: 32362, total: 143771, temp: 52, power: 627.4, gclk: 1980, mclk: 3201, ecc: 0, mig: 'Disabled' },
  },
  'linux-x86_64__nvidia-h200-mig__590.48.01.txt': {
    name: 'NVIDIA H200',
    idle: { used: 55, total: 143771, temp: 28, power: 78.28, gclk: 345, mclk: 3201, ecc: 0, mig: 'Enabled' },
    load: { used: 16959, total: 143771, temp: 36, power: 295.01, gclk: 1980, mclk: 3201, ecc: 0, mig: 'Enabled' },
  },
  'linux-x86_64__nvidia-l40s__595.80.txt': {
    name: 'NVIDIA L40S',
    idle: { util: 100, used: 0, total: 46068, temp: 63, power: 144.97, gclk: 2520, mclk: 9001, ecc: 0, mig: null },
    load: { util: 9, used: 1235, total: 46068, temp: 54, power: 110.23, gclk: 2520, mclk: 9001, ecc: 0, mig: null },
  },
  'linux-x86_64__nvidia-geforce-rtx-4080-super__595.71.05.txt': {
    name: 'NVIDIA GeForce RTX 4080 SUPER',
    idle: { util: 0, used: 596, total: 16376, temp: 43, power: 26.2, gclk: 210, mclk: 405, mig: null },
    load: { util: 7, used: 1474, total: 16376, temp: 46, power: 84.24, gclk: 2805, mclk: 11251, mig: null },
  },
  'linux-x86_64__nvidia-geforce-rtx-2080-super__610.57.04.txt': {
    name: 'NVIDIA GeForce RTX 2080 SUPER',
    idle: { util: 0, used: 211, total: 8192, temp: 33, power: 39.17, gclk: 765, mclk: 810, mig: null },
    load: { util: 8, used: 815, total: 8192, temp: 38, power: 98.14, gclk: 2070, mclk: 7500, mig: null },
  },
  'windows-x86_64__nvidia-geforce-rtx-2080-super__610.62.txt': {
    name: 'NVIDIA GeForce RTX 2080 SUPER',
    idle: { util: 0, used: 797, total: 8192, temp: 40, power: 39.25, gclk: 300, mclk: 405, mig: null },
    load: { util: 7, used: 1366, total: 8192, temp: 44, power: 97.99, gclk: 2040, mclk: 7500, mig: null },
  },
};

const MIB = 1048576;
const valueOf = (row: GpuRow, name: string, errorType?: string): number | undefined =>
  gpuValues(row).find((v) => v.name === name && (errorType === undefined || v.labels['error.type'] === errorType))?.value;

describe('nvidia-smi --query-gpu captures', () => {
  it('covers every capture in the fixtures', () => {
    expect(readdirSync(fixture('nvidia-smi', 'captures')).sort()).toEqual(Object.keys(CAPTURES).sort());
  });

  for (const [file, want] of Object.entries(CAPTURES)) {
    for (const state of ['idle', 'load'] as const) {
      it(`${file} (${state}): the parsed row and its series values match the capture`, () => {
        const csv = querySections(readFileSync(fixture('nvidia-smi', 'captures', file), 'utf8')).get(state);
        expect(csv).toBeDefined();
        const rows = parseQueryCsv(csv as string, null);
        expect(rows).toHaveLength(1);
        const row = rows[0] as GpuRow;
        const e = want[state];
        expect(row).toMatchObject({ id: 'GPU-00000000-0000-0000-0000-000000000000', index: 0, name: want.name, migMode: e.mig });
        expect(row.values).toEqual({
          ...(e.util !== undefined ? { 'utilization.gpu': e.util } : {}),
          'memory.used': e.used,
          'memory.total': e.total,
          'temperature.gpu': e.temp,
          'power.draw': e.power,
          'clocks.current.graphics': e.gclk,
          'clocks.current.memory': e.mclk,
          ...(e.ecc !== undefined ? { 'ecc.errors.corrected.volatile.total': e.ecc, 'ecc.errors.uncorrected.volatile.total': e.ecc } : {}),
        });
        // Under MIG utilization is [N/A]: no sample, never NaN.
        expect(valueOf(row, Metric.gpuUtilization)).toBe(e.util === undefined ? undefined : e.util / 100);
        expect(valueOf(row, Metric.gpuMemoryUsage)).toBe(e.used * MIB);
        expect(valueOf(row, Metric.gpuMemoryLimit)).toBe(e.total * MIB);
        expect(valueOf(row, Metric.gpuMemoryUtilization)).toBeCloseTo(e.used / e.total, 12);
        expect(valueOf(row, Metric.gpuTemperature)).toBe(e.temp);
        expect(valueOf(row, Metric.gpuPowerDraw)).toBe(e.power);
        expect(valueOf(row, Metric.gpuClockGraphics)).toBe(e.gclk * 1e6);
        expect(valueOf(row, Metric.gpuClockMemory)).toBe(e.mclk * 1e6);
        expect(valueOf(row, Metric.hwErrors, 'ecc_uncorrected')).toBe(e.ecc);
        for (const v of gpuValues(row)) {
          expect(Number.isFinite(v.value)).toBe(true);
          expect(v.labels).toMatchObject({ 'hw.id': row.id, 'hw.model': want.name });
        }
      });
    }
  }

  it('reads the agent’s own noheader,nounits loop format the same way', () => {
    // The H100 load row as `--format=csv,noheader,nounits` prints it for QUERY_FIELDS.
    const line = '0, GPU-00000000-0000-0000-0000-000000000000, NVIDIA H100 80GB HBM3, 00000000:00:09.0, Disabled, 100, 19818, 81559, 59, 631.95, 1980, 2619, 0, 0';
    const row = parseQueryLine(line, QUERY_FIELDS);
    expect(row).not.toBeNull();
    expect(valueOf(row as GpuRow, Metric.gpuPowerDraw)).toBe(631.95);
    expect(valueOf(row as GpuRow, Metric.gpuMemoryUsage)).toBe(19818 * MIB);
    expect(row?.busId).toBe('00000000:00:09.0');
    // A message nvidia-smi prints instead of rows is not a row.
    expect(parseQueryLine('NVIDIA-SMI has failed because it couldn\'t communicate with the NVIDIA driver.', QUERY_FIELDS)).toBeNull();
  });
});

describe('placeholders and units', () => {
  it('turns every placeholder into no value and strips units', () => {
    for (const p of ['[N/A]', '[Not Supported]', 'N/A', '[Requested functionality has been deprecated]', '[GPU is lost]', '[Unknown Error]', '', ' ', 'Enabled', 'P0', '0x0000', '2026/07/14 08:12:38.696']) {
      expect(parseQueryValue(p)).toBeUndefined();
    }
    expect(parseQueryValue(' 631.95 W')).toBe(631.95);
    expect(parseQueryValue('19818 MiB')).toBe(19818);
    expect(parseQueryValue('100 %')).toBe(100);
    expect(parseQueryValue('9.0')).toBe(9);
  });
});

describe('csv,nounits: units in the header, none in the values', () => {
  // nvidia-smi's `nounits` drops the units from the values but keeps them in the header
  // (`memory.used [MiB]`). Built from the H100 capture's idle query: its own header, and its values
  // with the unit words removed as `nounits` prints them.
  it('reads the H100 idle row', () => {
    const section = querySections(readFileSync(fixture('nvidia-smi', 'captures', 'linux-x86_64__nvidia-h100-80gb-hbm3__590.48.01.txt'), 'utf8')).get('idle') as string;
    const [header, values] = section.split('\n') as [string, string];
    const nounits = values.split(', ').map((v) => v.replace(/^(-?[\d.]+) (?:%|MiB|W|MHz|C)$/, '$1')).join(', ');
    expect(nounits).not.toMatch(/\d (?:MiB|W|MHz)\b/);
    const rows = parseQueryCsv(`${header}\n${nounits}\n`, null);
    expect(rows).toHaveLength(1);
    const row = rows[0] as GpuRow;
    expect(row.name).toBe('NVIDIA H100 80GB HBM3');
    expect(valueOf(row, Metric.gpuMemoryUsage)).toBe(0);
    expect(valueOf(row, Metric.gpuMemoryLimit)).toBe(81559 * MIB);
    expect(valueOf(row, Metric.gpuTemperature)).toBe(41);
    expect(valueOf(row, Metric.gpuPowerDraw)).toBe(69.85);
  });
});

/** The snippet file's blocks: the query's field list and format, and the output lines as posted. */
function snippetBlocks(text: string): { fields: string[]; header: boolean; output: string }[] {
  const blocks: { fields: string[]; header: boolean; output: string[] }[] = [];
  for (const line of text.split('\n')) {
    const cmd = /^\$ .*--query-gpu=(\S+) --format=(\S+)/.exec(line);
    if (cmd) blocks.push({ fields: (cmd[1] as string).split(','), header: !(cmd[2] as string).includes('noheader'), output: [] });
    else if (line.startsWith('#') || line.trim() === '') continue;
    else blocks.at(-1)?.output.push(line);
  }
  return blocks.map((b) => ({ fields: b.fields, header: b.header, output: b.output.join('\n') }));
}

describe('query snippets quoted in issues', () => {
  const blocks = snippetBlocks(readFileSync(fixture('nvidia-smi', 'query-gpu-snippets-from-issues.txt'), 'utf8'));
  const parse = (i: number): GpuRow[] => {
    const b = blocks[i];
    if (b === undefined) throw new Error(`no block ${i}`);
    return parseQueryCsv(b.output, b.header ? null : b.fields);
  };

  it('finds the six posted commands', () => {
    expect(blocks).toHaveLength(6);
  });

  it('[N/A] (new driver) and [Not Supported] (old driver) fan speeds give the same values', () => {
    const rows = parse(0);
    expect(rows).toHaveLength(2);
    for (const r of rows) expect(r.values).toEqual({ 'memory.total': 2004, 'memory.used': 0, 'temperature.gpu': 44, 'utilization.gpu': 0 });
    // Without uuid or index the GPU is named by its position.
    expect(rows.map((r) => r.id)).toEqual(['0', '1']);
  });

  it('a Windows GTX 770 row with units and [Not Supported] keeps only its temperature', () => {
    const [row] = parse(1);
    expect(row?.name).toBe('GeForce GTX 770');
    expect(row?.values).toEqual({ 'temperature.gpu': 52 });
  });

  it('a csv with header and only [Not Supported] yields a row without values', () => {
    expect(parse(2).map((r) => r.values)).toEqual([{}]);
    expect(parse(3).map((r) => r.values)).toEqual([{}]);
    expect(parse(4).map((r) => r.values)).toEqual([{}]);
  });

  it('a bare N/A and the old field aliases (gpu_uuid, clocks.mem) read correctly', () => {
    const [row] = parse(5);
    expect(row?.id).toBe('GPU-22b2c6ac-2d49-4863-197c-9c469071178a');
    expect(row?.values).toEqual({ 'memory.total': 7979, 'power.draw': 176.98, 'temperature.gpu': 45, 'clocks.current.graphics': 1965, 'clocks.current.memory': 7199, 'utilization.gpu': 86 });
  });
});
