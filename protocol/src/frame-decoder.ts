/**
 * Decodes the frames of one connection, as decodeFrame does, with one saving: a batch carries its
 * own dictionary (`strs`, `ls`, `sr`) so that it decodes alone, and an agent sends the same
 * dictionary frame after frame. When a batch's dictionary is byte for byte the one of this
 * connection's previous valid batch, the decoded and validated arrays of that batch are reused
 * (shared and frozen) and only the rest of the frame is decoded and checked.
 *
 *   bytes ── size, scan (+ where the top-level entries start) ──┐
 *            strs, ls, sr bytes equal the remembered ones? ─ no ─┴▶ decodeFrame's path; a valid
 *                                                               batch's dictionary is remembered
 *                                                        └ yes ─▶ the other entries as a map of
 *                                                                 their own → msgpackr → the
 *                                                                 remembered arrays → validate
 *                                                                 (dictionary checks skipped)
 *
 * A map with a dictionary key twice (in any spelling), or more entries than a batch has, takes the
 * full path, so the frame reads as decodeFrame reads its bytes (a replay of the intake does).
 */
import { FRAME_SCAN_LIMITS, prescanFrame, unpackScanned } from './codec.ts';
import type { BatchFrame, Frame } from './frames.ts';
import type { TopLevelLayout } from './msgpack-scan.ts';
import { validateFrame } from './validate.ts';
import type { Validated } from './validate.ts';

const DICTIONARY_KEYS = ['strs', 'ls', 'sr'] as const;
/** Each key as MessagePack writes it (fixstr). */
const KEY_BYTES = DICTIONARY_KEYS.map((k) => Uint8Array.from([0xa0 | k.length, ...Array.from(k, (c) => c.charCodeAt(0))]));
/** A batch has 10 entries; room for a few more before the layout gives up. */
const MAX_ENTRIES = 16;

interface Dictionary {
  /** The value bytes of strs, ls and sr, in that order. */
  readonly bytes: readonly Uint8Array[];
  readonly strs: BatchFrame['strs'];
  readonly ls: BatchFrame['ls'];
  readonly sr: BatchFrame['sr'];
}

export class FrameDecoder {
  private last: Dictionary | null = null;
  private readonly layout: TopLevelLayout = { count: -1, keyStart: new Int32Array(MAX_ENTRIES), valueStart: new Int32Array(MAX_ENTRIES) };
  /** Batches decoded with a remembered dictionary (for tests and stats). */
  reused = 0;

  decode(bytes: Uint8Array): Validated<Frame> {
    const scan = prescanFrame(bytes, FRAME_SCAN_LIMITS, this.layout);
    if (!scan.ok) return scan;
    const at = this.dictionaryEntries(bytes);
    if (at !== null && this.last !== null && this.sameDictionary(bytes, at)) {
      const rest = unpackScanned(this.without(bytes, at));
      if (!rest.ok) return rest;
      const o = rest.value;
      // A dictionary key spelled another way (str8 instead of fixstr) would make msgpackr's
      // reading of the whole frame, which a replay of the stored bytes does, differ: full path.
      if (typeof o === 'object' && o !== null && !Array.isArray(o) && !(o instanceof Uint8Array) && !DICTIONARY_KEYS.some((k) => Object.prototype.hasOwnProperty.call(o, k))) {
        const { strs, ls, sr } = this.last;
        Object.assign(o, { strs, ls, sr });
        const checked = validateFrame(o, true);
        if (checked.ok) this.reused++;
        return checked;
      }
    }
    const value = unpackScanned(bytes);
    if (!value.ok) return value;
    const checked = validateFrame(value.value);
    if (checked.ok && checked.frame.t === 'batch' && at !== null) {
      const f = checked.frame;
      // Frozen: later frames share these arrays, so nobody may change them.
      for (const set of f.ls) Object.freeze(set);
      this.last = { bytes: at.map((i) => bytes.slice(this.layout.valueStart[i], this.entryEnd(bytes, i))), strs: Object.freeze(f.strs), ls: Object.freeze(f.ls), sr: Object.freeze(f.sr) };
    }
    return checked;
  }

  /** Entry indices of strs, ls and sr, or null unless each is there exactly once. */
  private dictionaryEntries(bytes: Uint8Array): number[] | null {
    const { count, keyStart } = this.layout;
    if (count < 0) return null;
    const found = [-1, -1, -1];
    for (let i = 0; i < count; i++) {
      for (let k = 0; k < KEY_BYTES.length; k++) {
        if (!startsWith(bytes, keyStart[i] as number, KEY_BYTES[k] as Uint8Array)) continue;
        if (found[k] !== -1) return null;
        found[k] = i;
      }
    }
    return found.includes(-1) ? null : found;
  }

  private entryEnd(bytes: Uint8Array, i: number): number {
    return i + 1 < this.layout.count ? (this.layout.keyStart[i + 1] as number) : bytes.length;
  }

  private sameDictionary(bytes: Uint8Array, at: readonly number[]): boolean {
    const remembered = (this.last as Dictionary).bytes;
    for (let k = 0; k < at.length; k++) {
      const i = at[k] as number;
      const start = this.layout.valueStart[i] as number;
      const r = remembered[k] as Uint8Array;
      if (this.entryEnd(bytes, i) - start !== r.length) return false;
      for (let j = 0; j < r.length; j++) if (bytes[start + j] !== r[j]) return false;
    }
    return true;
  }

  /** The message as a map of its other entries (same bytes, a new map header). */
  private without(bytes: Uint8Array, skip: readonly number[]): Uint8Array {
    const { count, keyStart } = this.layout;
    const kept = count - skip.length;
    let size = kept <= 15 ? 1 : 3;
    for (let i = 0; i < count; i++) if (!skip.includes(i)) size += this.entryEnd(bytes, i) - (keyStart[i] as number);
    const out = new Uint8Array(size);
    let pos = 0;
    if (kept <= 15) out[pos++] = 0x80 | kept;
    else (out[pos++] = 0xde), (out[pos++] = kept >> 8), (out[pos++] = kept & 0xff);
    for (let i = 0; i < count; i++) {
      if (skip.includes(i)) continue;
      const part = bytes.subarray(keyStart[i] as number, this.entryEnd(bytes, i));
      out.set(part, pos);
      pos += part.length;
    }
    return out;
  }
}

function startsWith(bytes: Uint8Array, at: number, prefix: Uint8Array): boolean {
  if (at + prefix.length > bytes.length) return false;
  for (let j = 0; j < prefix.length; j++) if (bytes[at + j] !== prefix[j]) return false;
  return true;
}
