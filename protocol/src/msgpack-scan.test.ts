import { describe, expect, it } from 'vitest';
import { Packr } from 'msgpackr';
import { scanMessagePack } from './msgpack-scan.ts';
import type { ScanLimits } from './msgpack-scan.ts';

const LIMITS: ScanLimits = { maxDepth: 6, maxNodes: 1_000, maxDecodedBytes: 1 << 20, maxKeyLength: 32 };
const packr = new Packr({ useRecords: false });

describe('scanMessagePack: arrays of small integers (skipped as runs)', () => {
  it('counts every value of mixed arrays as a value-by-value walk would', () => {
    // 1 map + 3 keys + the three arrays and their elements (fixints, a negative fixint, a uint16, a string, nil).
    const value = { a: [1, 2, 3, 300, 4, 5, -1, 6], b: [[0, 0], [127, 'x', 9]], c: [null, 7, 8] };
    const r = scanMessagePack(packr.pack(value), LIMITS);
    const expected = 1 + 3 + 1 + 8 + 1 + 2 + 3 + 2 + 1 + 3;
    expect(r).toEqual({ ok: true, nodes: expected });
  });

  it('refuses an array of fixints with more values than maxNodes', () => {
    const bytes = packr.pack(new Array(2_000).fill(1));
    expect(scanMessagePack(bytes, LIMITS)).toMatchObject({ ok: false, code: 'too_large' });
    expect(scanMessagePack(packr.pack(new Array(999).fill(1)), LIMITS)).toEqual({ ok: true, nodes: 1_000 });
  });

  it('refuses an array of fixints cut short, and one followed by trailing bytes', () => {
    const bytes = packr.pack([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(scanMessagePack(bytes.subarray(0, bytes.length - 2), LIMITS)).toMatchObject({ ok: false, code: 'malformed' });
    expect(scanMessagePack(new Uint8Array([...bytes, 1, 2]), LIMITS)).toMatchObject({ ok: false, code: 'malformed' });
  });

  it('still reads a fixint run as map values one by one (keys must be strings)', () => {
    // {1: 2} written by hand: a map whose key is a fixint is refused, run or not.
    expect(scanMessagePack(new Uint8Array([0x81, 0x01, 0x02]), LIMITS)).toMatchObject({ ok: false, code: 'schema' });
    expect(scanMessagePack(packr.pack({ k: 1 }), LIMITS)).toEqual({ ok: true, nodes: 3 });
  });

  it('bounds the decoded size of a long run', () => {
    const r = scanMessagePack(packr.pack(new Array(900).fill(0)), { ...LIMITS, maxDecodedBytes: 4_096 });
    expect(r).toMatchObject({ ok: false, code: 'too_large' });
  });
});
