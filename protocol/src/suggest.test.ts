import { describe, expect, it } from 'vitest';
import { closestName, didYouMean } from './suggest.ts';

describe('closestName', () => {
  const keys = ['data', 'name', 'collector', 'status', 'sampler', 'buffer', 'uplink', 'telemetry', 'probes', 'spc', 'log'];

  it('finds the key a typo meant', () => {
    expect(closestName('colector', keys)).toBe('collector');
    expect(closestName('probe', keys)).toBe('probes');
    expect(closestName('telemetri', keys)).toBe('telemetry');
    expect(closestName('status_port', ['statusPort', 'port'])).toBe('statusPort');
    expect(closestName('--statusport', ['--status-port', '--status-listen'])).toBe('--status-port');
  });

  it('proposes nothing for a word that is not close to any', () => {
    expect(closestName('gpus', keys)).toBeNull();
    expect(closestName('x', ['data'])).toBeNull();
    expect(didYouMean('zzz', keys)).toBe('');
    expect(didYouMean('buffr', keys)).toBe(' (did you mean "buffer"?)');
  });
});
