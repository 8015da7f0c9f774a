import { describe, expect, it } from 'vitest';
import { parseFlags } from './args.ts';

const SPEC = { 'status-port': { type: 'string' }, center: { type: 'string' }, demo: { type: 'boolean' } } as const;

describe('parseFlags', () => {
  it('names an unknown flag and the one it was probably meant to be', () => {
    expect(() => parseFlags('agent', ['--statusport', '7301'], SPEC)).toThrow(`agent: unknown flag --statusport (did you mean "--status-port"?); see 'sigmascope agent --help'`);
    expect(() => parseFlags('agent', ['--bogus'], SPEC)).toThrow(/^agent: unknown flag --bogus; see/);
  });

  it('takes a negative number as the value of a string flag', () => {
    expect(parseFlags('spc', ['--center', '-5.5'], SPEC).values.center).toBe('-5.5');
    expect(parseFlags('spc', ['--center', '-.5'], SPEC).values.center).toBe('-.5');
    expect(() => parseFlags('spc', ['--center', '--demo'], SPEC)).toThrow(/--center/);
  });
});
