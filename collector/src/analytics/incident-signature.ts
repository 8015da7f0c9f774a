/**
 * The fixed-length signature of an incident's window, for "have we seen this before?": twelve
 * series kinds around the onset, each as 16 one-minute robust z-scores against the half hour
 * before the window, so two incidents compare by the shape of what moved, not by its units.
 *
 *   baseline: 30 min            window: 6 min before the onset … 10 min after (16 minutes)
 *   ├──────────────────────────┼──────┼onset────────────────┤
 *   per kind: z_t = (mean of the minute − baseline median) / (1.4826 · baseline MAD), averaged over
 *   the kind's series (the incident's agents; probes of its provider and model), clipped at ±8
 *
 * Kinds: the probe phases (DNS, connect, TLS, time to first byte, time to first chunk, whole
 * operation; on the log scale, as latency shifts multiply) and the host's CPU, GPU utilization,
 * GPU memory, GPU temperature, inference queue and KV cache. A kind without data reads 0 (as
 * usual). The embedding is z / 8 (192 floats). The bits are its signs on 384 fixed random
 * hyperplanes (SimHash, Charikar 2002): the share of bits two signatures differ in estimates the
 * angle between them, so a Hamming search finds candidates in cosine order for signature-rows.ts
 * to rank exactly. The hyperplanes come from a fixed seed: changing it means indexing again.
 */
import { seededNormal } from '@sigmascope/protocol/spc/seeded-normal';
import type { Incident } from '@sigmascope/protocol/incident';
import { Label, Metric } from '@sigmascope/protocol/metrics';
import type { SeriesRef, TimeSeriesReader } from '../store/store.ts';

const MINUTE = 60_000;
export const SIGNATURE_BUCKETS = 16;
const BEFORE = 6;
const BASELINE_MINUTES = 30;
const CLIP = 8;
const MAD_TO_SIGMA = 1.482602218505602;

interface Kind {
  readonly metric: string;
  readonly probe: boolean;
}

/** The kinds, in signature order. */
export const SIGNATURE_KINDS: readonly Kind[] = [
  { metric: Metric.probeDnsDuration, probe: true },
  { metric: Metric.probeConnectDuration, probe: true },
  { metric: Metric.probeTlsDuration, probe: true },
  { metric: Metric.probeTimeToFirstByte, probe: true },
  { metric: Metric.genAiTimeToFirstChunk, probe: true },
  { metric: Metric.genAiDuration, probe: true },
  { metric: Metric.cpuUtilization, probe: false },
  { metric: Metric.gpuUtilization, probe: false },
  { metric: Metric.gpuMemoryUtilization, probe: false },
  { metric: Metric.gpuTemperature, probe: false },
  { metric: Metric.inferenceRequestsWaiting, probe: false },
  { metric: Metric.inferenceKvCacheUtilization, probe: false },
];

export const SIGNATURE_LENGTH = SIGNATURE_KINDS.length * SIGNATURE_BUCKETS;
export const SIGNATURE_BITS = 384;

/** The hyperplanes, row-major: SIGNATURE_BITS × SIGNATURE_LENGTH standard normal draws of one seed. */
const PLANES: Float32Array = (() => {
  const rnd = seededNormal(0x5167);
  return Float32Array.from({ length: SIGNATURE_BITS * SIGNATURE_LENGTH }, () => rnd());
})();

export interface IncidentSignature {
  readonly embedding: Float32Array;
  readonly bits: Uint8Array;
  /** Kinds that had data in both the baseline and the window. */
  readonly kindsSeen: number;
}

/** Which series of a kind speak for the incident. */
function accepts(incident: Incident, kind: Kind): (s: SeriesRef) => boolean {
  const agents = new Set(incident.scope.agents);
  const { provider, model } = incident.scope;
  return (s) => {
    if (agents.size > 0 && !agents.has(s.agent)) return false;
    if (s.labels[Label.errorType] !== undefined) return false;
    if (kind.metric === Metric.cpuUtilization && s.labels[Label.cpuMode] === 'idle') return false;
    if (!kind.probe) return true;
    return (provider === null || s.labels[Label.genAiProvider] === provider) && (model === null || s.labels[Label.genAiModel] === model);
  };
}

function median(sorted: readonly number[]): number {
  const n = sorted.length;
  return n % 2 === 1 ? (sorted[(n - 1) / 2] as number) : ((sorted[n / 2 - 1] as number) + (sorted[n / 2] as number)) / 2;
}

/** One series' minute z-scores over the window (NaN where it has no data), or null without a baseline. */
function seriesZ(reader: TimeSeriesReader, s: SeriesRef, windowStart: number, log: boolean): Float64Array | null {
  const base = windowStart - BASELINE_MINUTES * MINUTE;
  const f = (x: number): number => (log ? Math.log(Math.max(x, 1e-9)) : x);
  const minutes = reader.buckets(s.id, '1m', base, windowStart + SIGNATURE_BUCKETS * MINUTE);
  const before: number[] = [];
  const z = new Float64Array(SIGNATURE_BUCKETS).fill(Number.NaN);
  for (const m of minutes) if (m.count > 0 && m.start < windowStart) before.push(f(m.sum / m.count));
  if (before.length < 3) return null;
  before.sort((a, b) => a - b);
  const mid = median(before);
  const mad = median(before.map((x) => Math.abs(x - mid)).sort((a, b) => a - b));
  const scale = Math.max(mad * MAD_TO_SIGMA, 1e-3 * Math.abs(mid), 1e-9);
  for (const m of minutes) {
    if (m.count === 0 || m.start < windowStart) continue;
    const i = Math.floor((m.start - windowStart) / MINUTE);
    if (i < SIGNATURE_BUCKETS) z[i] = (f(m.sum / m.count) - mid) / scale;
  }
  return z;
}

/** The signature of `incident` from the stored series around its onset. */
export function incidentSignature(incident: Incident, reader: TimeSeriesReader): IncidentSignature {
  const windowStart = Math.floor(incident.startedAt / MINUTE) * MINUTE - BEFORE * MINUTE;
  const raw = new Float64Array(SIGNATURE_LENGTH);
  let kindsSeen = 0;
  SIGNATURE_KINDS.forEach((kind, k) => {
    const sum = new Float64Array(SIGNATURE_BUCKETS);
    const count = new Uint32Array(SIGNATURE_BUCKETS);
    for (const s of reader.findSeries(kind.metric, accepts(incident, kind), 256).series) {
      const z = seriesZ(reader, s, windowStart, kind.probe);
      if (z === null) continue;
      z.forEach((v, i) => {
        if (Number.isNaN(v)) return;
        sum[i] = (sum[i] as number) + v;
        count[i] = (count[i] as number) + 1;
      });
    }
    if (count.some((c) => c > 0)) kindsSeen++;
    for (let i = 0; i < SIGNATURE_BUCKETS; i++) raw[k * SIGNATURE_BUCKETS + i] = (count[i] as number) > 0 ? (sum[i] as number) / (count[i] as number) : 0;
  });
  return { ...signatureFromZ(raw), kindsSeen };
}

/** The embedding and bits of a vector of z-scores (SIGNATURE_LENGTH of them). */
export function signatureFromZ(z: ArrayLike<number>): { embedding: Float32Array; bits: Uint8Array } {
  const n = SIGNATURE_LENGTH;
  if (z.length !== n) throw new RangeError(`a signature has ${n} components, not ${z.length}`);
  const embedding = new Float32Array(n);
  for (let j = 0; j < n; j++) embedding[j] = Math.max(-CLIP, Math.min(CLIP, z[j] as number)) / CLIP;
  const bits = new Uint8Array(SIGNATURE_BITS / 8);
  for (let b = 0; b < SIGNATURE_BITS; b++) {
    let dot = 0;
    for (let j = 0, o = b * n; j < n; j++) dot += (PLANES[o + j] as number) * (embedding[j] as number);
    if (dot > 0) bits[b >> 3] = (bits[b >> 3] as number) | (1 << (b & 7));
  }
  return { embedding, bits };
}
