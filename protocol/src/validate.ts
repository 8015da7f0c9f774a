/**
 * Strict schema checks for decoded frames. Every value from the network passes here before any
 * other code reads it; anything not exactly as the protocol says is rejected with a code.
 * Checks read own properties only, so a decoded `__proto__` key cannot lend a field.
 */
import { LIFECYCLE_WHATS } from './events.ts';
import type { AgentEvent } from './events.ts';
import { RejectCode, SYNC_LIMITS, VIOLATION_STATES } from './frames.ts';
import type { BatchFrame, Frame } from './frames.ts';
import { STATIC_STRINGS, stringAt } from './static-strings.ts';
import { LABEL_NAME_PATTERN, MAX_LABEL_VALUE_LENGTH, MAX_LABELS_PER_SERIES, MAX_NAME_LENGTH, METRIC_NAME_PATTERN } from './series.ts';

/**
 * A checked frame, or why not. `seq` is set on a rejected batch whose bytes decoded and still
 * show a valid sequence number, so the agent can drop that one frame instead of resending it.
 */
export type Validated<T> = { readonly ok: true; readonly frame: T } | { readonly ok: false; readonly code: RejectCode; readonly detail: string; readonly seq?: number };

/** Limits of one batch: anything larger is split by the agent, never accepted by the collector. */
export const BATCH_LIMITS = {
  maxSamples: 65_536,
  maxSeries: 16_384,
  maxStrings: 32_768,
  maxEvents: 1_024,
  maxStringLength: 1_024,
} as const;

/** Timestamps before 2000-01-01 or after 2200-01-01 are not plausible clocks. */
const MIN_TS = 946_684_800_000;
const MAX_TS = 7_258_118_400_000;

class Reject extends Error {
  readonly code: RejectCode;
  constructor(code: RejectCode, detail: string) {
    super(detail);
    this.code = code;
  }
}

const own = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);

function record(v: unknown, what: string): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v) || v instanceof Uint8Array) throw new Reject(RejectCode.schema, `${what} must be a map`);
  return v as Record<string, unknown>;
}
function onlyKeys(o: Record<string, unknown>, required: readonly string[], optional: readonly string[], what: string): void {
  for (const k of required) if (!own(o, k)) throw new Reject(RejectCode.schema, `${what}.${k} is missing`);
  for (const k of Object.keys(o)) if (!required.includes(k) && !optional.includes(k)) throw new Reject(RejectCode.schema, `${what} has unknown field ${JSON.stringify(k.slice(0, 32))}`);
}
function str(v: unknown, what: string, max: number = BATCH_LIMITS.maxStringLength): string {
  if (typeof v !== 'string') throw new Reject(RejectCode.schema, `${what} must be a string`);
  if (v.length > max) throw new Reject(RejectCode.schema, `${what} longer than ${max}`);
  return v;
}
function int(v: unknown, what: string, min: number, max: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) throw new Reject(RejectCode.schema, `${what} must be an integer in [${min}, ${max}]`);
  return v;
}
function num(v: unknown, what: string): number {
  if (typeof v !== 'number') throw new Reject(RejectCode.schema, `${what} must be a number`);
  if (!Number.isFinite(v)) throw new Reject(RejectCode.nonFiniteValue, `${what} is not finite`);
  return v;
}
function timestamp(v: unknown, what: string): number {
  return int(v, what, MIN_TS, MAX_TS);
}
/** `what` names the array in a rejection; `index`, when given, is its place in an outer array. */
function intArray(v: unknown, what: string, maxLength: number, min: number, max: number, index?: number): number[] {
  // The name of an element is built only for a rejection: this runs for every array of every batch.
  const name = (): string => (index === undefined ? what : `${what}[${index}]`);
  if (!Array.isArray(v)) throw new Reject(RejectCode.schema, `${name()} must be an array`);
  if (v.length > maxLength) throw new Reject(RejectCode.tooLarge, `${name()} has more than ${maxLength} entries`);
  for (let i = 0; i < v.length; i++) {
    const x = v[i];
    if (typeof x !== 'number' || !Number.isInteger(x) || x < min || x > max) throw new Reject(RejectCode.schema, `${name()}[${i}] must be an integer in [${min}, ${max}]`);
  }
  return v as number[];
}
function labels(v: unknown, what: string): Record<string, string> {
  const o = record(v, what);
  const keys = Object.keys(o);
  if (keys.length > MAX_LABELS_PER_SERIES) throw new Reject(RejectCode.schema, `${what} has more than ${MAX_LABELS_PER_SERIES} labels`);
  for (const k of keys) {
    if (k.length > MAX_NAME_LENGTH || !LABEL_NAME_PATTERN.test(k)) throw new Reject(RejectCode.schema, `${what} has an invalid label name`);
    str(o[k], `${what}.${k}`, MAX_LABEL_VALUE_LENGTH);
  }
  return o as Record<string, string>;
}
function metricName(v: unknown, what: string): string {
  const s = str(v, what, MAX_NAME_LENGTH);
  if (!METRIC_NAME_PATTERN.test(s)) throw new Reject(RejectCode.schema, `${what} is not a valid metric name`);
  return s;
}

function checkEvent(v: unknown, what: string): AgentEvent {
  const e = record(v, what);
  switch (e.kind) {
    case 'spc':
      onlyKeys(e, ['kind', 'ts', 'name', 'labels', 'rule', 'value', 'center', 'sigma'], [], what);
      timestamp(e.ts, `${what}.ts`); metricName(e.name, `${what}.name`); labels(e.labels, `${what}.labels`);
      str(e.rule, `${what}.rule`, 32); num(e.value, `${what}.value`); num(e.center, `${what}.center`); num(e.sigma, `${what}.sigma`);
      break;
    case 'probe':
      onlyKeys(e, ['kind', 'ts', 'provider', 'model', 'errorType'], ['status', 'message'], what);
      timestamp(e.ts, `${what}.ts`); str(e.provider, `${what}.provider`, 64); str(e.model, `${what}.model`, 256); str(e.errorType, `${what}.errorType`, 64);
      if (own(e, 'status')) int(e.status, `${what}.status`, 100, 599);
      if (own(e, 'message')) str(e.message, `${what}.message`);
      break;
    case 'lifecycle':
      onlyKeys(e, ['kind', 'ts', 'what'], ['detail', 'count'], what);
      timestamp(e.ts, `${what}.ts`);
      if (!(LIFECYCLE_WHATS as readonly unknown[]).includes(e.what)) throw new Reject(RejectCode.schema, `${what}.what is not a lifecycle event`);
      if (own(e, 'detail')) str(e.detail, `${what}.detail`);
      if (own(e, 'count')) int(e.count, `${what}.count`, 0, Number.MAX_SAFE_INTEGER);
      break;
    default:
      throw new Reject(RejectCode.schema, `${what}.kind is not an event kind`);
  }
  return e as unknown as AgentEvent;
}

/**
 * `dictionaryChecked`: strs, ls and sr are a dictionary that already passed these checks (the
 * same decoded arrays as an earlier batch's): only what ties them to the rest is checked again.
 */
function checkBatch(o: Record<string, unknown>, dictionaryChecked: boolean): BatchFrame {
  onlyKeys(o, ['t', 'seq', 't0', 'strs', 'ls', 'sr', 'n', 'dt', 'v', 'ev'], [], 'batch');
  int(o.seq, 'batch.seq', 1, Number.MAX_SAFE_INTEGER);
  timestamp(o.t0, 'batch.t0');
  const sr = dictionaryChecked ? (o.sr as number[]) : checkDictionary(o);
  const n = intArray(o.n, 'batch.n', BATCH_LIMITS.maxSeries, 1, BATCH_LIMITS.maxSamples);
  if (n.length * 2 !== sr.length) throw new Reject(RejectCode.schema, 'batch.n must have one count per series');
  let total = 0;
  for (const c of n) total += c;
  if (total > BATCH_LIMITS.maxSamples) throw new Reject(RejectCode.tooLarge, `batch holds more than ${BATCH_LIMITS.maxSamples} samples`);
  const t0 = o.t0 as number;
  const dt = intArray(o.dt, 'batch.dt', BATCH_LIMITS.maxSamples, 0, MAX_TS - t0);
  if (dt.length !== total) throw new Reject(RejectCode.schema, `batch.dt has ${dt.length} entries for ${total} samples`);
  if (!(o.v instanceof Uint8Array)) throw new Reject(RejectCode.schema, 'batch.v must be binary');
  if (o.v.byteLength !== total * 8) throw new Reject(RejectCode.schema, `batch.v has ${o.v.byteLength} bytes for ${total} samples`);
  checkDistinctTimestamps(n, dt);
  const values = new DataView(o.v.buffer, o.v.byteOffset, o.v.byteLength);
  for (let i = 0; i < total; i++) {
    if (!Number.isFinite(values.getFloat64(i * 8, true))) throw new Reject(RejectCode.nonFiniteValue, `sample ${i} is not finite`);
  }
  if (!Array.isArray(o.ev)) throw new Reject(RejectCode.schema, 'batch.ev must be an array');
  if (o.ev.length > BATCH_LIMITS.maxEvents) throw new Reject(RejectCode.tooLarge, `batch has more than ${BATCH_LIMITS.maxEvents} events`);
  o.ev.forEach((e, i) => checkEvent(e, `batch.ev[${i}]`));
  return o as unknown as BatchFrame;
}

/** Checks a batch's strs, ls and sr on their own; returns sr. */
function checkDictionary(o: Record<string, unknown>): number[] {
  if (!Array.isArray(o.strs)) throw new Reject(RejectCode.schema, 'batch.strs must be an array');
  if (o.strs.length > BATCH_LIMITS.maxStrings) throw new Reject(RejectCode.tooLarge, `batch.strs has more than ${BATCH_LIMITS.maxStrings} entries`);
  for (let i = 0; i < o.strs.length; i++) if (typeof o.strs[i] !== 'string' || (o.strs[i] as string).length > BATCH_LIMITS.maxStringLength) str(o.strs[i], `batch.strs[${i}]`);
  const strs = o.strs as string[];
  // String indices cover the static table first, then this batch's own strings.
  const nStr = STATIC_STRINGS.length + strs.length;
  const at = (i: number): string => stringAt(i, strs) as string;
  // A batch names the same few metrics and label keys in every series: each string index is
  // checked as a name once per batch (0 not yet, 1 valid, 2 not), not once per use.
  const nameChecked = new Uint8Array(nStr);
  const validName = (i: number): boolean => {
    let c = nameChecked[i];
    if (c === 0) {
      const s = at(i);
      c = nameChecked[i] = s.length <= MAX_NAME_LENGTH && METRIC_NAME_PATTERN.test(s) ? 1 : 2;
    }
    return c === 1;
  };

  if (!Array.isArray(o.ls)) throw new Reject(RejectCode.schema, 'batch.ls must be an array');
  if (o.ls.length > BATCH_LIMITS.maxSeries) throw new Reject(RejectCode.tooLarge, 'batch.ls is too long');
  for (let i = 0; i < o.ls.length; i++) {
    const flat = intArray(o.ls[i], 'batch.ls', 2 * MAX_LABELS_PER_SERIES, 0, nStr - 1, i);
    if (flat.length % 2 !== 0) throw new Reject(RejectCode.schema, `batch.ls[${i}] must hold key/value pairs`);
    for (let j = 0; j < flat.length; j += 2) {
      const k = flat[j] as number;
      if (!validName(k)) throw new Reject(RejectCode.schema, `batch.ls[${i}] has an invalid label name`);
      if (at(flat[j + 1] as number).length > MAX_LABEL_VALUE_LENGTH) throw new Reject(RejectCode.schema, `batch.ls[${i}] has a label value longer than ${MAX_LABEL_VALUE_LENGTH}`);
      if (j > 0 && !(at(k) > at(flat[j - 2] as number))) throw new Reject(RejectCode.schema, `batch.ls[${i}] keys must be unique and sorted`);
    }
  }
  const sr = intArray(o.sr, 'batch.sr', 2 * BATCH_LIMITS.maxSeries, 0, Math.max(nStr, o.ls.length) - 1);
  if (sr.length % 2 !== 0) throw new Reject(RejectCode.schema, 'batch.sr must hold name/label-set pairs');
  for (let i = 0; i < sr.length; i += 2) {
    if ((sr[i] as number) >= nStr) throw new Reject(RejectCode.schema, `batch.sr[${i}] is not a string index`);
    if (!validName(sr[i] as number)) throw new Reject(RejectCode.schema, `batch.sr[${i}] names an invalid metric`);
    if ((sr[i + 1] as number) >= o.ls.length) throw new Reject(RejectCode.schema, `batch.sr[${i + 1}] is not a label-set index`);
  }
  checkDistinctSeries(sr, o.ls as number[][], at);
  return sr;
}

/**
 * Each series at most once per batch, however it is spelled (the same string at two indices, the
 * same label set twice in `ls`): a batch that lists one series twice would store its points twice.
 * Label keys are sorted and unique (checked above), so the strings spell a label set one way only.
 */
function checkDistinctSeries(sr: readonly number[], ls: readonly (readonly number[])[], at: (i: number) => string): void {
  const setKeys = ls.map((flat) => flat.map((i) => at(i)).join('\u0000'));
  const seen = new Set<string>();
  for (let i = 0; i < sr.length; i += 2) {
    const key = `${at(sr[i] as number)}\u0001${setKeys[sr[i + 1] as number] as string}`;
    if (seen.has(key)) throw new Reject(RejectCode.schema, `batch.sr[${i}] lists series ${JSON.stringify(at(sr[i] as number))} a second time`);
    seen.add(key);
  }
}

/** No series holds two samples at one timestamp: one point per (series, ts). */
function checkDistinctTimestamps(n: readonly number[], dt: readonly number[]): void {
  let k = 0;
  for (let s = 0; s < n.length; s++) {
    const count = n[s] as number;
    if (count > 1) {
      const seen = new Set<number>();
      for (let i = k; i < k + count; i++) {
        if (seen.has(dt[i] as number)) throw new Reject(RejectCode.schema, `series ${s} of the batch has two samples at t0 + ${dt[i] as number} ms`);
        seen.add(dt[i] as number);
      }
    }
    k += count;
  }
}

/** A sync frame: bounded lists of exact entries, each naming a series key, rule, time and state. */
function checkSync(o: Record<string, unknown>): void {
  onlyKeys(o, ['t', 'violations', 'baselines'], [], 'sync');
  const list = (v: unknown, what: string, max: number): unknown[] => {
    if (!Array.isArray(v)) throw new Reject(RejectCode.schema, `${what} must be an array`);
    if (v.length > max) throw new Reject(RejectCode.tooLarge, `${what} has more than ${max} entries`);
    return v;
  };
  list(o.violations, 'sync.violations', SYNC_LIMITS.maxViolations).forEach((v, i) => {
    const what = `sync.violations[${i}]`;
    const e = record(v, what);
    onlyKeys(e, ['key', 'rule', 'ts', 'state'], [], what);
    str(e.key, `${what}.key`, SYNC_LIMITS.maxKeyLength); str(e.rule, `${what}.rule`, 32); timestamp(e.ts, `${what}.ts`);
    if (!(VIOLATION_STATES as readonly unknown[]).includes(e.state)) throw new Reject(RejectCode.schema, `${what}.state must be one of ${VIOLATION_STATES.join(', ')}`);
  });
  list(o.baselines, 'sync.baselines', SYNC_LIMITS.maxBaselines).forEach((v, i) => {
    const what = `sync.baselines[${i}]`;
    const e = record(v, what);
    onlyKeys(e, ['key', 'at'], [], what);
    str(e.key, `${what}.key`, SYNC_LIMITS.maxKeyLength); timestamp(e.at, `${what}.at`);
  });
}

/**
 * Checks a decoded value against the frame schema. Never throws. `dictionaryChecked`: see
 * checkBatch (FrameDecoder sets it for a batch whose dictionary it took from an earlier one).
 */
export function validateFrame(value: unknown, dictionaryChecked = false): Validated<Frame> {
  try {
    const o = record(value, 'frame');
    switch (o.t) {
      case 'hello':
        onlyKeys(o, ['t', 'proto', 'agentVersion', 'bootId', 'stream', 'hostname', 'clock'], [], 'hello');
        int(o.proto, 'hello.proto', 0, 65_535); str(o.agentVersion, 'hello.agentVersion', 64); str(o.bootId, 'hello.bootId', 64);
        if (!/^[A-Za-z0-9_-]{1,64}$/.test(str(o.stream, 'hello.stream', 64))) throw new Reject(RejectCode.schema, 'hello.stream must be 1-64 of [A-Za-z0-9_-]');
        str(o.hostname, 'hello.hostname', 255); timestamp(o.clock, 'hello.clock');
        break;
      case 'welcome':
        onlyKeys(o, ['t', 'proto', 'agentId', 'lastSeq', 'clock'], [], 'welcome');
        int(o.proto, 'welcome.proto', 0, 65_535); str(o.agentId, 'welcome.agentId', 128);
        int(o.lastSeq, 'welcome.lastSeq', 0, Number.MAX_SAFE_INTEGER); timestamp(o.clock, 'welcome.clock');
        break;
      case 'batch':
        checkBatch(o, dictionaryChecked);
        break;
      case 'status':
        onlyKeys(o, ['t', 'clock', 'bufferFrames', 'bufferBytes', 'droppedSamples'], [], 'status');
        timestamp(o.clock, 'status.clock');
        int(o.bufferFrames, 'status.bufferFrames', 0, Number.MAX_SAFE_INTEGER);
        int(o.bufferBytes, 'status.bufferBytes', 0, Number.MAX_SAFE_INTEGER);
        int(o.droppedSamples, 'status.droppedSamples', 0, Number.MAX_SAFE_INTEGER);
        break;
      case 'ack':
        onlyKeys(o, ['t', 'seq'], ['dup'], 'ack');
        int(o.seq, 'ack.seq', 1, Number.MAX_SAFE_INTEGER);
        if (own(o, 'dup') && typeof o.dup !== 'boolean') throw new Reject(RejectCode.schema, 'ack.dup must be a boolean');
        break;
      case 'sync':
        checkSync(o);
        break;
      case 'error':
        onlyKeys(o, ['t', 'code', 'detail'], ['seq'], 'error');
        str(o.code, 'error.code', 64); str(o.detail, 'error.detail');
        if (own(o, 'seq')) int(o.seq, 'error.seq', 1, Number.MAX_SAFE_INTEGER);
        break;
      default:
        throw new Reject(RejectCode.schema, 'frame.t is not a frame type');
    }
    return { ok: true, frame: o as unknown as Frame };
  } catch (err) {
    const seq = seqHint(value);
    const code = err instanceof Reject ? err.code : RejectCode.schema;
    const detail = err instanceof Reject ? err.message : String(err);
    return seq === undefined ? { ok: false, code, detail } : { ok: false, code, detail, seq };
  }
}

function seqHint(value: unknown): number | undefined {
  if (typeof value !== 'object' || value === null || !own(value, 'seq') || (value as { t?: unknown }).t !== 'batch') return undefined;
  const seq = (value as { seq: unknown }).seq;
  return typeof seq === 'number' && Number.isSafeInteger(seq) && seq >= 1 ? seq : undefined;
}
