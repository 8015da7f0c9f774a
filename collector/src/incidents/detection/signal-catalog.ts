/**
 * Which stored series the incident detector watches and how each one is judged: its role in
 * attribution (a probe phase, the host, a GPU, the local inference server), whether it is
 * compared on a log scale (latencies: a slowdown is a ratio) or linearly (ratios, counts,
 * degrees), which direction is a degradation, the smallest shift that counts, and the smallest
 * spread a baseline may claim (a flat series would otherwise make every wobble infinite).
 *
 * Probe series are judged point by point (one point per probe run); telemetry at 2 Hz is judged
 * on 10 s bucket means, so that its autocorrelated points are not counted as independent.
 */
import { Label, Metric } from '@sigmascope/protocol/metrics';
import type { Labels } from '@sigmascope/protocol/series';

/** What a signal says about a fault: what a vantage point sees, or what explains it. */
export type SignalRole = 'probe' | 'host' | 'gpu' | 'server';

/**
 * Probe phases (docs/probes.md). `server` is derived here, TTFT − TTFB of the same run: the
 * provider's part of the wait, which a slower network path leaves alone.
 */
export const PROBE_PHASES = ['dns', 'connect', 'tls', 'ttfb', 'ttft', 'server', 'gap', 'duration'] as const;
export type ProbePhase = (typeof PROBE_PHASES)[number];

/** Name under which the derived server part appears in evidence (it is not a stored series). */
export const SERVER_PART_NAME = 'sigmascope.probe.server_time';

export interface SignalSpec {
  readonly name: string;
  readonly role: SignalRole;
  /** For role `probe`. */
  readonly phase?: ProbePhase;
  /** `log`: judged on ln(value), shifts are ratios; `linear`: differences. */
  readonly scale: 'log' | 'linear';
  /** +1: a rise is the degradation; −1: a fall (idle CPU, GPU clocks). */
  readonly direction: 1 | -1;
  /** The smallest shift that counts, in judged units (ln ratio or the series' unit). */
  readonly minShift: number;
  /** The smallest robust standard deviation a baseline may have, in judged units. */
  readonly floor: number;
  /** 0: every point is an observation; otherwise points are averaged into buckets this wide (ms). */
  readonly bucketMs: number;
  /** Labels of the series this spec takes (default: all but failed probe runs). */
  readonly accepts?: (labels: Labels) => boolean;
}

const ln = Math.log;
const TELEMETRY_BUCKET_MS = 10_000;

const probe = (name: string, phase: ProbePhase, minRatio: number, floor: number): SignalSpec => ({ name, role: 'probe', phase, scale: 'log', direction: 1, minShift: ln(minRatio), floor, bucketMs: 0 });
const telemetry = (name: string, role: SignalRole, scale: 'log' | 'linear', direction: 1 | -1, minShift: number, floor: number, accepts?: (labels: Labels) => boolean): SignalSpec => ({
  name, role, scale, direction, minShift, floor, bucketMs: TELEMETRY_BUCKET_MS, ...(accepts ? { accepts } : {}),
});

/** Probe phases as stored (the derived `server` phase has no series of its own). */
export const PROBE_SIGNALS: readonly SignalSpec[] = [
  probe('sigmascope.probe.dns.duration', 'dns', 1.5, 0.1),
  probe('sigmascope.probe.connect.duration', 'connect', 1.3, 0.05),
  probe('sigmascope.probe.tls.duration', 'tls', 1.3, 0.05),
  probe('sigmascope.probe.time_to_first_byte', 'ttfb', 1.3, 0.05),
  probe(Metric.genAiTimeToFirstChunk, 'ttft', 1.3, 0.05),
  probe(Metric.genAiTimePerOutputChunk, 'gap', 1.3, 0.05),
  probe(Metric.genAiDuration, 'duration', 1.3, 0.05),
];

/** The derived phase: TTFT − TTFB of each run. */
export const SERVER_PART_SIGNAL: SignalSpec = probe(SERVER_PART_NAME, 'server', 1.3, 0.05);

/** Host, GPU and inference-server series. */
export const TELEMETRY_SIGNALS: readonly SignalSpec[] = [
  // Saturation shows as idle time gone; one series per host instead of one per mode.
  telemetry(Metric.cpuUtilization, 'host', 'linear', -1, 0.25, 0.03, (l) => l[Label.cpuMode] === 'idle'),
  telemetry(Metric.memoryUtilization, 'host', 'linear', 1, 0.1, 0.01),
  telemetry(Metric.gpuUtilization, 'gpu', 'linear', 1, 0.2, 0.04),
  telemetry(Metric.gpuMemoryUtilization, 'gpu', 'linear', 1, 0.1, 0.01),
  telemetry(Metric.gpuTemperature, 'gpu', 'linear', 1, 8, 1),
  telemetry(Metric.gpuPowerDraw, 'gpu', 'log', 1, ln(1.25), 0.03),
  // Throttling: clocks fall.
  telemetry(Metric.gpuClockGraphics, 'gpu', 'log', -1, ln(1.15), 0.01),
  telemetry(Metric.gpuClockMemory, 'gpu', 'log', -1, ln(1.15), 0.01),
  telemetry(Metric.inferenceRequestsWaiting, 'server', 'linear', 1, 3, 0.5),
  telemetry(Metric.inferenceRequestsRunning, 'server', 'linear', 1, 3, 0.5),
  telemetry(Metric.inferenceKvCacheUtilization, 'server', 'linear', 1, 0.15, 0.02),
  telemetry(Metric.genAiServerTimeToFirstToken, 'server', 'log', 1, ln(1.3), 0.05),
  telemetry(Metric.genAiServerTimePerOutputToken, 'server', 'log', 1, ln(1.2), 0.03),
];

/** Server series that are latencies the host serves (an impact), not load that explains one. */
export const SERVED_LATENCY = new Set<string>([Metric.genAiServerTimeToFirstToken, Metric.genAiServerTimePerOutputToken]);

/** Whether a stored series is a successful probe run's (failed runs carry `error.type` and are not latencies of the service). */
export function isProbeRun(labels: Labels): boolean {
  return labels[Label.errorType] === undefined && labels[Label.genAiProvider] !== undefined;
}
