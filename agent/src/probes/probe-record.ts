/**
 * Turns one probe result into samples and, on failure, a ProbeFailureEvent. One value per series
 * per run, stamped with the run's wall-clock start (SPC charts probe latency per completed probe).
 * Units as in OpenTelemetry: seconds; `gen_ai.*` names where the conventions have one, our own
 * `sigmascope.probe.*` names for the network phases, throughput and cost.
 */
import { Label, Metric } from '@sigmascope/protocol/metrics';
import { redact } from '@sigmascope/protocol/log';
import { series } from '@sigmascope/protocol/series';
import type { SampleSink } from '../pipeline/sample-sink.ts';
import type { ProbeResult } from './probe.ts';

/** Our own probe metrics (proposed for protocol/src/metrics.ts). */
export const ProbeMetric = {
  dnsDuration: 'sigmascope.probe.dns.duration',
  connectDuration: 'sigmascope.probe.connect.duration',
  tlsDuration: 'sigmascope.probe.tls.duration',
  timeToFirstByte: 'sigmascope.probe.time_to_first_byte',
  outputTokensPerSecond: 'sigmascope.probe.output_tokens_per_second',
  cost: 'sigmascope.probe.cost',
} as const;

/** Label marking series of the emulated demo provider. */
export const DEMO_LABEL = 'sigmascope.demo';
/** Label marking series timed by the passive pass-through (real requests, not probes). */
export const PASSIVE_LABEL = 'sigmascope.passive';

/** Who was probed: the labels every series of a run carries. */
export interface ProbeIdentity {
  readonly genAiProvider: string;
  readonly model: string;
  readonly demo: boolean;
  /** Timed from an application's own request by the pass-through. */
  readonly passive?: boolean;
}

/** Writes the run's samples (and its failure event) to `sink`. Never throws. */
export function recordProbeResult(sink: SampleSink, who: ProbeIdentity, r: ProbeResult): void {
  const labels: Record<string, string> = {
    [Label.genAiProvider]: who.genAiProvider,
    [Label.genAiModel]: who.model,
    [Label.genAiOperation]: 'chat',
  };
  if (who.demo) labels[DEMO_LABEL] = 'true';
  if (who.passive === true) labels[PASSIVE_LABEL] = 'true';
  if (r.errorType !== null) labels[Label.errorType] = r.errorType;
  const ts = r.startedAt;
  const seconds = (name: string, ms: number | null): void => {
    if (ms !== null && Number.isFinite(ms)) sink.add(series(name, labels), ts, ms / 1000);
  };
  seconds(Metric.genAiDuration, r.timings.totalMs);
  seconds(Metric.genAiTimeToFirstChunk, r.timings.ttftMs);
  if (r.chunkGapsMs.length > 0) seconds(Metric.genAiTimePerOutputChunk, r.chunkGapsMs.reduce((a, b) => a + b, 0) / r.chunkGapsMs.length);
  seconds(ProbeMetric.dnsDuration, r.timings.dnsMs);
  seconds(ProbeMetric.connectDuration, r.timings.connectMs);
  seconds(ProbeMetric.tlsDuration, r.timings.tlsMs);
  seconds(ProbeMetric.timeToFirstByte, r.timings.ttfbMs);
  if (r.inputTokens !== null) sink.add(series(Metric.genAiTokenUsage, { ...labels, [Label.genAiTokenType]: 'input' }), ts, r.inputTokens);
  if (r.outputTokens !== null) sink.add(series(Metric.genAiTokenUsage, { ...labels, [Label.genAiTokenType]: 'output' }), ts, r.outputTokens);
  if (r.tokensPerS !== null) sink.add(series(ProbeMetric.outputTokensPerSecond, labels), ts, r.tokensPerS);
  if (r.costUsd !== null) sink.add(series(ProbeMetric.cost, labels), ts, r.costUsd);
  if (r.errorType !== null) {
    sink.event({
      kind: 'probe', ts, provider: who.genAiProvider, model: who.model, errorType: r.errorType,
      ...(r.httpStatus !== null ? { status: r.httpStatus } : {}),
      ...(r.message !== null ? { message: redact(r.message).slice(0, 300) } : {}),
    });
  }
}
