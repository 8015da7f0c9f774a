/**
 * The series ids of a batch frame's dictionary, remembered per connection. Every frame carries
 * its own dictionary (`strs`, `ls`, `sr`) so that it decodes alone, and an agent sends the same
 * dictionary frame after frame; comparing it with the previous frame's costs far less than keying
 * and looking up every series again.
 *
 *   frame ── strs, ls, sr equal to the last resolved? ── yes ─▶ its ids
 *                                                   └── no ──▶ resolve every series ─▶ tentative
 *   transaction committed ─▶ tentative becomes the last resolved
 *   transaction rolled back ─▶ tentative forgotten (its new ids never existed)
 */
import type { BatchFrame } from '@sigmascope/protocol/frames';
import type { HeadSlots } from './head.ts';
import { encodeSeriesIds } from './intake-record.ts';

/** A batch's dictionary: its strings, label sets and series. */
export interface BatchDictionary {
  readonly strs: readonly string[];
  readonly ls: readonly (readonly number[])[];
  readonly sr: readonly number[];
}

/** A dictionary and the store's id of each of its series, in `sr` order. */
export interface ResolvedDictionary extends BatchDictionary {
  readonly ids: readonly number[];
  /** The ids as the intake record stores them before each frame (see intake-record.ts). */
  readonly idBytes: Uint8Array;
  /** The head's series of `ids`, filled in by the head as frames are appended. */
  readonly slots: HeadSlots;
}

/** One per connection (or per caller that sends one stream of frames); not shared between agents. */
export class FrameSeriesCache {
  private last: ResolvedDictionary | null = null;
  private tentative: ResolvedDictionary | null = null;

  /** The resolution of `frame`'s dictionary if it equals the last one (tentative first), else null. */
  lookup(frame: BatchFrame): ResolvedDictionary | null {
    if (this.tentative !== null && sameDictionary(this.tentative, frame)) return this.tentative;
    if (this.last !== null && sameDictionary(this.last, frame)) return this.last;
    return null;
  }

  /** Records a resolution made inside the current transaction. */
  propose(frame: BatchFrame, ids: readonly number[]): ResolvedDictionary {
    this.tentative = { strs: frame.strs, ls: frame.ls, sr: frame.sr, ids, idBytes: encodeSeriesIds(ids), slots: [] };
    return this.tentative;
  }

  /** The transaction that used the proposal committed. */
  committed(): void {
    if (this.tentative !== null) this.last = this.tentative;
    this.tentative = null;
  }

  /** The transaction rolled back: ids it created do not exist. */
  rolledBack(): void {
    this.tentative = null;
  }
}

/** True when the two dictionaries are the same, entry for entry (cheap when a decoder reused the arrays). */
export function sameDictionary(d: BatchDictionary, f: BatchDictionary): boolean {
  return sameInts(d.sr, f.sr) && sameStrings(d.strs, f.strs) && sameSets(d.ls, f.ls);
}

function sameInts(a: readonly number[], b: readonly number[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

// The identity checks hit when the connection's FrameDecoder reused the dictionary's arrays.
function sameStrings(a: readonly string[], b: readonly string[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function sameSets(a: readonly (readonly number[])[], b: readonly (readonly number[])[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!sameInts(a[i] as number[], b[i] as number[])) return false;
  return true;
}
