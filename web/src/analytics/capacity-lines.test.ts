import { describe, expect, it } from 'vitest';
import type { CapacityResult } from './analytics-types.ts';
import { capacityLines, reachText } from './capacity-lines.ts';

const H = 3_600_000;
const GiB = 2 ** 30;

describe('capacity lines', () => {
  it('words each kind of row with its interval and a tone that warns when a limit is near', () => {
    const r: CapacityResult = {
      agent: 'gpu-01', now: 0, lookbackMs: 6 * H, horizonMs: 24 * H, level: 0.8,
      rows: [
        { kind: 'gpu_memory', label: 'GPU 0', labels: { 'hw.id': '0' }, unit: 'bytes', current: 52 * GiB, limit: 80 * GiB, reach: { expected: 14 * H, earliest: 13 * H, latest: 15.5 * H }, ahead: null, model: 'AAN' },
        { kind: 'gpu_memory', label: 'GPU GPU-00000000-0000-0000-0000-000000000001', labels: { 'hw.id': 'GPU-00000000-0000-0000-0000-000000000001' }, unit: 'bytes', current: 79 * GiB, limit: 80 * GiB, reach: { expected: 1.5 * H, earliest: 0.5 * H, latest: 3 * H }, ahead: null, model: 'AAN' },
        { kind: 'kv_cache', label: 'llama-3.1-8b', labels: {}, unit: 'ratio', current: 0.35, limit: 1, reach: { expected: null, earliest: null, latest: null }, ahead: null, model: 'AAN' },
        { kind: 'probe_spend', label: 'probes', labels: {}, unit: 'usd', current: 0.12, limit: 0.5, reach: { expected: null, earliest: 20 * H, latest: null }, ahead: { at: 10 * H, value: 0.31, lower: 0.25, upper: 0.37 }, model: 'AAN' },
        { kind: 'latency', label: 'openai gpt-4o-mini', labels: {}, unit: 'seconds', current: 0.31, limit: null, reach: null, ahead: { at: H, value: 0.33, lower: 0.29, upper: 0.38 }, trendPerHour: 0.04, model: 'AAN' },
      ],
    };
    expect(capacityLines(r)).toEqual([
      { title: 'GPU 0 memory', now: '52.0 GiB of 80.0 GiB', outlook: 'full in 14.0 h (13.0 h–15.5 h)', tone: 'ok', hint: '0' },
      { title: 'GPU …0001 memory', now: '79.0 GiB of 80.0 GiB', outlook: 'full in 1.5 h (30 min–3.0 h)', tone: 'bad', hint: 'GPU-00000000-0000-0000-0000-000000000001' },
      { title: 'KV cache llama-3.1-8b', now: '35 %', outlook: 'not full within 1.0 d', tone: 'ok', hint: 'llama-3.1-8b' },
      { title: 'Probe spend', now: '$0.12 today', outlook: '$0.31 by midnight UTC ($0.25–$0.37, 80 %) · budget $0.50: spent in more than 10.0 h (from 20.0 h)', tone: 'ok', hint: 'sigmascope.probe.cost of every probe target' },
      { title: 'TTFT openai gpt-4o-mini', now: '310 ms', outlook: 'in 1 h 330 ms (290 ms–380 ms) · +4.0 %/h', tone: 'ok', hint: 'time to first chunk, 10-minute means' },
    ]);
  });

  it('says "now" when the limit is already reached and bounds an open-ended interval by the horizon', () => {
    expect(reachText({ expected: 0, earliest: 0, latest: 0 }, 24 * H, 'full')).toBe('full now');
    expect(reachText({ expected: 2 * H, earliest: H, latest: null }, 24 * H, 'full')).toBe('full in 2.0 h (from 1.0 h)');
  });
});
