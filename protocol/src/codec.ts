/**
 * The one configured MessagePack codec. Nothing else in Sigmascope imports msgpackr.
 *
 * Decoding treats every byte as hostile, in three steps: a structural pre-scan (no extension
 * types, bounded depth, count and decoded size), msgpackr with fixed options (no records, no
 * structured clone, 64-bit integers as numbers), then the strict schema check.
 */
import { Packr, Unpackr } from 'msgpackr';
import { MAX_FRAME_BYTES, RejectCode } from './frames.ts';
import type { Frame } from './frames.ts';
import { scanMessagePack } from './msgpack-scan.ts';
import type { ScanLimits, ScanResult, TopLevelLayout } from './msgpack-scan.ts';
import { validateFrame } from './validate.ts';
import type { Validated } from './validate.ts';

const OPTIONS = {
  useRecords: false,
  structuredClone: false,
  moreTypes: false,
  mapsAsObjects: true,
  int64AsType: 'number',
  bundleStrings: false,
  useTimestamp32: false,
} as const;

const packr = new Packr(OPTIONS);
const unpackr = new Unpackr(OPTIONS);

/** Limits applied to every frame from the network. */
export const FRAME_SCAN_LIMITS: ScanLimits = {
  maxDepth: 6,
  maxNodes: 300_000,
  maxDecodedBytes: 16 * MAX_FRAME_BYTES,
  maxKeyLength: 32,
};

/** Encodes a frame. The bytes are what the agent stores in its buffer and sends, unchanged. */
export function encodeFrame(frame: Frame): Uint8Array {
  switch (frame.t) {
    case 'batch':
      return packr.pack({ ...frame, t0: wideInt(frame.t0) });
    case 'hello':
    case 'welcome':
    case 'status':
      return packr.pack({ ...frame, clock: wideInt(frame.clock) });
    case 'sync':
      return packr.pack({ t: 'sync', violations: frame.violations.map((v) => ({ ...v, ts: wideInt(v.ts) })), baselines: frame.baselines.map((b) => ({ ...b, at: wideInt(b.at) })) });
    default:
      return packr.pack(frame);
  }
}

/**
 * msgpackr writes a number beyond 32 bits as a float64; the protocol says clocks and t0 are
 * integers (ms since the epoch), so they go as int64 (a BigInt to the packer), same 9 bytes.
 * The decoder reads them back as numbers (int64AsType), and still takes an integral float64.
 */
function wideInt(n: number): number | bigint {
  return Number.isSafeInteger(n) && (n > 0xffff_ffff || n < -0x8000_0000) ? BigInt(n) : n;
}

/**
 * Decodes and validates one frame from untrusted bytes. Never throws: every failure is a
 * `{ok: false, code, detail}` with a stable code from RejectCode. (A connection that receives
 * many frames uses a FrameDecoder, which also reuses a repeated batch dictionary.)
 */
export function decodeFrame(bytes: Uint8Array, limits: ScanLimits = FRAME_SCAN_LIMITS): Validated<Frame> {
  const scan = prescanFrame(bytes, limits);
  if (!scan.ok) return scan;
  const value = unpackScanned(bytes);
  return value.ok ? validateFrame(value.value) : value;
}

/** The checks before any decoder runs: the frame's size, then the structural scan (see msgpack-scan.ts). */
export function prescanFrame(bytes: Uint8Array, limits: ScanLimits = FRAME_SCAN_LIMITS, layout?: TopLevelLayout): ScanResult {
  if (bytes.byteLength > MAX_FRAME_BYTES) return { ok: false, code: RejectCode.tooLarge, detail: `frame of ${bytes.byteLength} bytes` };
  return scanMessagePack(bytes, limits, layout);
}

/** msgpackr with the fixed options, on bytes that passed the scan. Never throws. */
export function unpackScanned(bytes: Uint8Array): { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly code: RejectCode; readonly detail: string } {
  try {
    return { ok: true, value: unpackr.unpack(bytes) };
  } catch (err) {
    return { ok: false, code: RejectCode.malformed, detail: err instanceof Error ? err.message : String(err) };
  }
}
