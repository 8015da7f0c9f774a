import { describe, expect, it } from 'vitest';
import { violationsFromEvents } from './live-events.ts';

describe('violationsFromEvents', () => {
  it('keeps SPC events as open violations, newest first', () => {
    const rows = violationsFromEvents([
      { kind: 'spc', ts: 1, agent: 'a', name: 'hw.gpu.temperature', labels: { 'hw.id': '0' }, rule: '1', value: 91, center: 60, sigma: 5 } as never,
      { kind: 'probe', ts: 2, agent: 'a', provider: 'openai' } as never,
      { kind: 'spc', ts: 3, agent: 'a', name: 'x', labels: {}, rule: '2', value: 1, center: 0, sigma: 1 } as never,
    ]);
    expect(rows.map((r) => [r.ts, r.rule, r.state])).toEqual([[3, '2', 'open'], [1, '1', 'open']]);
  });
});
