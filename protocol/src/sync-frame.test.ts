/**
 * The collector → agent `sync` frame (protocol 2): what the agent's strict decoder takes and what
 * it refuses, each refusal with the code and the field that made it.
 */
import { describe, expect, it } from 'vitest';
import { Packr } from 'msgpackr';
import { decodeFrame, encodeFrame } from './codec.ts';
import { RejectCode, SYNC_LIMITS } from './frames.ts';
import type { SyncFrame } from './frames.ts';

const T = 1_763_900_000_000;
const KEY = 'hw.gpu.temperature{hw.id="GPU-1"}';
const good: SyncFrame = { t: 'sync', violations: [{ key: KEY, rule: 'nelson-1', ts: T, state: 'acknowledged' }], baselines: [{ key: KEY, at: T + 5 }] };
/** Packs any value as the wire would carry it, so a test can send what no encoder makes. */
const raw = (v: unknown): Uint8Array => new Packr({ useRecords: false }).pack(v);

describe('sync frame', () => {
  it('round-trips, its timestamps as integers', () => {
    const d = decodeFrame(encodeFrame(good));
    expect(d).toEqual({ ok: true, frame: good });
  });

  it.each([
    ['an unknown field', { ...good, extra: 1 }, RejectCode.schema, /sync has unknown field "extra"/],
    ['a missing list', { t: 'sync', violations: [] }, RejectCode.schema, /sync.baselines is missing/],
    ['a state outside the three', { ...good, violations: [{ key: KEY, rule: 'nelson-1', ts: T, state: 'deleted' }] }, RejectCode.schema, /sync.violations\[0\].state must be one of open, acknowledged, resolved/],
    ['a violation with an extra field', { ...good, violations: [{ key: KEY, rule: 'nelson-1', ts: T, state: 'open', by: 'x' }] }, RejectCode.schema, /sync.violations\[0\] has unknown field "by"/],
    ['a timestamp outside 2000–2200', { ...good, baselines: [{ key: KEY, at: 12 }] }, RejectCode.schema, /sync.baselines\[0\].at must be an integer/],
    ['a fractional timestamp', { ...good, violations: [{ key: KEY, rule: 'nelson-1', ts: T + 0.5, state: 'open' }] }, RejectCode.schema, /sync.violations\[0\].ts must be an integer/],
    ['a key longer than the limit', { ...good, baselines: [{ key: 'x'.repeat(SYNC_LIMITS.maxKeyLength + 1), at: T }] }, RejectCode.schema, /sync.baselines\[0\].key longer than 1024/],
    ['a list that is not a list', { ...good, violations: { 0: 1 } }, RejectCode.schema, /sync.violations must be an array/],
    ['an entry that is not a map', { ...good, baselines: [[KEY, T]] }, RejectCode.schema, /sync.baselines\[0\] must be a map/],
    ['too many entries', { ...good, baselines: Array.from({ length: SYNC_LIMITS.maxBaselines + 1 }, () => ({ key: 'k', at: T })) }, RejectCode.tooLarge, /sync.baselines has more than 1000 entries/],
  ])('refuses %s', (_what, value, code, detail) => {
    const d = decodeFrame(raw(value));
    expect(d.ok).toBe(false);
    if (d.ok) return;
    expect(d.code).toBe(code);
    expect(d.detail).toMatch(detail);
  });
});
