/**
 * A structural pre-scan of MessagePack bytes from the network, run before any decoder sees them.
 * It walks the bytes without allocating values and refuses what a hostile peer could use against
 * a decoder: extension types (records, structured clone, Date, RegExp, Error, typed arrays),
 * the never-used 0xc1 byte, lengths that claim more than the input holds, nesting deeper than
 * `maxDepth`, more than `maxNodes` values, non-string map keys, and trailing bytes.
 * It also bounds the decoded size: an estimate of the heap the decoded value would need.
 */
import { RejectCode } from './frames.ts';

export interface ScanLimits {
  readonly maxDepth: number;
  readonly maxNodes: number;
  /** Upper bound on the estimated bytes of the decoded JavaScript value. */
  readonly maxDecodedBytes: number;
  readonly maxKeyLength: number;
}

/**
 * Where the entries of a top-level map start, filled in by the scan when asked: entry i's key at
 * `keyStart[i]`, its value at `valueStart[i]`; an entry ends where the next key starts (the last
 * at the end of the bytes). `count` is -1 when the message is not a map or has more entries than
 * `keyStart` holds.
 */
export interface TopLevelLayout {
  count: number;
  readonly keyStart: Int32Array;
  readonly valueStart: Int32Array;
}

export type ScanResult = { readonly ok: true; readonly nodes: number } | { readonly ok: false; readonly code: RejectCode; readonly detail: string };

// Rough heap cost of decoded values: enough to bound memory, not to account it exactly.
const COST_VALUE = 16;
const COST_CONTAINER = 64;

/** Scans one complete MessagePack message. Never throws; never allocates per value. */
export function scanMessagePack(bytes: Uint8Array, limits: ScanLimits, layout?: TopLevelLayout): ScanResult {
  const end = bytes.length;
  let pos = 0;
  // Entries of the root map recorded so far (layout only); -1 when the root is not a map that fits.
  let entries = layout === undefined ? -1 : 0;
  if (layout !== undefined) layout.count = -1;
  let nodes = 0;
  let decodedBytes = 0;
  // pending[i] = values still to read at depth i; keyNext[i] = the next value at depth i is a map key.
  const pending: number[] = [1];
  const isMap: boolean[] = [false];
  const keyNext: boolean[] = [false];

  const fail = (code: RejectCode, detail: string): ScanResult => ({ ok: false, code, detail });

  while (pending.length > 0) {
    const depth = pending.length - 1;
    if (pending[depth] === 0) {
      pending.pop();
      isMap.pop();
      keyNext.pop();
      continue;
    }
    if (isMap[depth] === false && pos < end && (bytes[pos] as number) <= 0x7f) {
      // A run of positive fixints in an array (a batch's offsets, counts and indices are mostly
      // that): one byte and one node each, nothing to descend into.
      let run = 0;
      const most = Math.min(pending[depth] as number, end - pos, limits.maxNodes - nodes + 1);
      while (run < most && (bytes[pos + run] as number) <= 0x7f) run++;
      pending[depth] = (pending[depth] as number) - run;
      nodes += run;
      if (nodes > limits.maxNodes) return fail(RejectCode.tooLarge, `more than ${limits.maxNodes} values`);
      pos += run;
      decodedBytes += COST_VALUE * run;
      if (decodedBytes > limits.maxDecodedBytes) return fail(RejectCode.tooLarge, `decoded size over ${limits.maxDecodedBytes} bytes`);
      continue;
    }
    pending[depth] = (pending[depth] as number) - 1;
    const wantKey = isMap[depth] === true && keyNext[depth] === true;
    if (isMap[depth]) keyNext[depth] = !keyNext[depth];
    if (depth === 1 && entries >= 0 && isMap[1] === true) {
      const l = layout as TopLevelLayout;
      if (wantKey) l.keyStart[entries] = pos;
      else l.valueStart[entries++] = pos;
    }

    if (pos >= end) return fail(RejectCode.malformed, `truncated at byte ${pos}`);
    if (++nodes > limits.maxNodes) return fail(RejectCode.tooLarge, `more than ${limits.maxNodes} values`);
    const b = bytes[pos++] as number;

    let strLen = -1;
    let container: 'array' | 'map' | null = null;
    let count = 0;
    let skip = 0;

    if (b <= 0x7f || b >= 0xe0) skip = 0; // fixint
    else if (b >= 0xa0 && b <= 0xbf) strLen = b & 0x1f;
    else if (b >= 0x90 && b <= 0x9f) (container = 'array'), (count = b & 0x0f);
    else if (b >= 0x80 && b <= 0x8f) (container = 'map'), (count = b & 0x0f);
    else {
      switch (b) {
        case 0xc0: case 0xc2: case 0xc3: skip = 0; break;
        case 0xca: skip = 4; break;
        case 0xcb: skip = 8; break;
        case 0xcc: case 0xd0: skip = 1; break;
        case 0xcd: case 0xd1: skip = 2; break;
        case 0xce: case 0xd2: skip = 4; break;
        case 0xcf: case 0xd3: skip = 8; break;
        case 0xd9: case 0xc4: { const n = readLength(bytes, pos, 1); if (n < 0) return fail(RejectCode.malformed, 'truncated length'); pos += 1; if (b === 0xd9) strLen = n; else skip = n; break; }
        case 0xda: case 0xc5: { const n = readLength(bytes, pos, 2); if (n < 0) return fail(RejectCode.malformed, 'truncated length'); pos += 2; if (b === 0xda) strLen = n; else skip = n; break; }
        case 0xdb: case 0xc6: { const n = readLength(bytes, pos, 4); if (n < 0) return fail(RejectCode.malformed, 'truncated length'); pos += 4; if (b === 0xdb) strLen = n; else skip = n; break; }
        case 0xdc: case 0xde: { const n = readLength(bytes, pos, 2); if (n < 0) return fail(RejectCode.malformed, 'truncated length'); pos += 2; container = b === 0xdc ? 'array' : 'map'; count = n; break; }
        case 0xdd: case 0xdf: { const n = readLength(bytes, pos, 4); if (n < 0) return fail(RejectCode.malformed, 'truncated length'); pos += 4; container = b === 0xdd ? 'array' : 'map'; count = n; break; }
        case 0xc7: case 0xc8: case 0xc9: case 0xd4: case 0xd5: case 0xd6: case 0xd7: case 0xd8:
          return fail(RejectCode.extensionType, `extension type at byte ${pos - 1}`);
        default:
          return fail(RejectCode.malformed, `invalid byte 0x${b.toString(16)} at ${pos - 1}`);
      }
    }

    if (wantKey && strLen < 0) return fail(RejectCode.schema, `non-string map key at byte ${pos - 1}`);
    if (strLen >= 0) {
      if (wantKey && strLen > limits.maxKeyLength) return fail(RejectCode.schema, `map key longer than ${limits.maxKeyLength}`);
      skip = strLen;
      decodedBytes += COST_VALUE + 2 * strLen;
    } else if (container === null) {
      decodedBytes += COST_VALUE + (b === 0xc4 || b === 0xc5 || b === 0xc6 ? skip : 0);
    }
    if (skip > 0) {
      if (pos + skip > end) return fail(RejectCode.malformed, `value at byte ${pos} runs past the end`);
      pos += skip;
    }
    if (container !== null) {
      const values = container === 'map' ? count * 2 : count;
      // Every value takes at least one byte: a longer claim is a lie about the input.
      if (values > end - pos) return fail(RejectCode.malformed, `${container} of ${count} claims more than the ${end - pos} bytes left`);
      if (pending.length > limits.maxDepth) return fail(RejectCode.tooDeep, `nesting deeper than ${limits.maxDepth}`);
      decodedBytes += COST_CONTAINER + 8 * values;
      if (depth === 0 && entries >= 0 && !(container === 'map' && count <= (layout as TopLevelLayout).keyStart.length)) entries = -1;
      pending.push(values);
      isMap.push(container === 'map');
      keyNext.push(true);
    }
    if (decodedBytes > limits.maxDecodedBytes) return fail(RejectCode.tooLarge, `decoded size over ${limits.maxDecodedBytes} bytes`);
  }
  if (pos !== end) return fail(RejectCode.malformed, `${end - pos} trailing bytes`);
  if (layout !== undefined && entries >= 0 && isMapRoot(bytes)) layout.count = entries;
  return { ok: true, nodes };
}

function readLength(bytes: Uint8Array, pos: number, width: 1 | 2 | 4): number {
  if (pos + width > bytes.length) return -1;
  if (width === 1) return bytes[pos] as number;
  if (width === 2) return ((bytes[pos] as number) << 8) | (bytes[pos + 1] as number);
  return (((bytes[pos] as number) << 24) >>> 0) + (((bytes[pos + 1] as number) << 16) | ((bytes[pos + 2] as number) << 8) | (bytes[pos + 3] as number));
}

/** The message's first byte opens a map (fixmap, map16, map32). */
function isMapRoot(bytes: Uint8Array): boolean {
  const b = bytes[0] as number;
  return (b >= 0x80 && b <= 0x8f) || b === 0xde || b === 0xdf;
}
