import { describe, expect, it } from 'vitest';
import { loadCollectorConfig } from '../config/collector-config.ts';
import { DEFAULT_INCIDENTS_CONFIG, incidentsConfig } from './incidents-config.ts';

describe('incidents config', () => {
  it('defaults, and every key in its unit', () => {
    expect(loadCollectorConfig(undefined, 'c.yaml', {}, {}).incidents).toEqual(DEFAULT_INCIDENTS_CONFIG);
    expect(incidentsConfig({ enabled: false, intervalSeconds: 2, baselineMinutes: 30, settleSeconds: 10, unknownSettleSeconds: 90, resolveAfterSeconds: 600, rebaselineAfterMinutes: 120 }, 'c.yaml: incidents')).toEqual({
      enabled: false, intervalMs: 2_000, baselineMs: 1_800_000, settleMs: 10_000, unknownSettleMs: 90_000, resolveAfterMs: 600_000, rebaselineAfterMs: 7_200_000,
    });
  });

  it('refuses bad values and unknown keys, naming them', () => {
    expect(() => loadCollectorConfig({ incidents: { resolveAfterSeconds: 'soon' } }, 'c.yaml', {}, {})).toThrow(/c\.yaml: incidents\.resolveAfterSeconds.*"soon"/);
    expect(() => loadCollectorConfig({ incidents: { intervalSeconds: 0 } }, 'c.yaml', {}, {})).toThrow(/incidents\.intervalSeconds.*0/);
    expect(() => loadCollectorConfig({ incidents: { sensitivity: 3 } }, 'c.yaml', {}, {})).toThrow(/incidents\.sensitivity.*unknown setting/);
    expect(() => loadCollectorConfig({ incidents: { enabled: 'maybe' } }, 'c.yaml', {}, {})).toThrow(/incidents\.enabled.*"maybe"/);
  });
});
