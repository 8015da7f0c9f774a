/**
 * The single-host view both pages show: GPUs, then the host's series on one time axis (every
 * panel shares the range, so the GPU, the inference server, the host and the probes line up):
 * GPU utilization with provider TTFT, the inference server's queue and KV cache, CPU and memory,
 * network and disks as bytes per second, and the probe's phases. Then the list of its metrics for
 * drill-down, and its violations. The dashboard renders it for the host in the URL; the agent's
 * status page renders it for itself. Template functions reading a LiveController: no state.
 */
import { html } from 'lit';
import type { TemplateResult } from 'lit';
import { Label, Metric } from '@sigmascope/protocol/metrics';
import { seriesKey } from '@sigmascope/protocol/series';
import type { Labels } from '@sigmascope/protocol/series';
import type { LiveController, SeriesRequest } from '../live/live-controller.ts';
import { toChartSeries, seriesLabel } from '../charts/series-datasets.ts';
import { gpuCards } from '../gpu/gpu-cards.ts';
import { rangeBounds } from '../controls/time-range.ts';
import { routeHref } from './route.ts';
import '../charts/series-panel.ts';
import '../gpu/gpu-panel.ts';
import '../violations/violations-list.ts';

/**
 * The panels of a host: a title, the metrics drawn together on one time axis, and series left
 * out (CPU idle time would only mirror the busy modes).
 */
export const HOST_PANELS: readonly { readonly title: string; readonly names: readonly string[]; readonly hide?: (labels: Labels) => boolean; readonly empty?: string }[] = [
  // Failed probes are counted in the providers view; their durations (a 30 s timeout) would flatten the charts.
  { title: 'GPU utilization and provider TTFT', names: [Metric.gpuUtilization, Metric.genAiTimeToFirstChunk], hide: (l) => l[Label.errorType] !== undefined },
  { title: 'Inference server: queue, running, KV cache', names: [Metric.inferenceRequestsWaiting, Metric.inferenceRequestsRunning, Metric.inferenceKvCacheUtilization], empty: 'No inference server on this host is scraped (probes.inference in the agent config: vLLM, TGI, llama.cpp, Ollama).' },
  { title: 'CPU and memory', names: [Metric.cpuUtilization, Metric.memoryUtilization], hide: (l) => l[Label.cpuMode] === 'idle' },
  { title: 'Network, bytes per second', names: [Metric.networkIo] },
  { title: 'Disks, bytes per second', names: [Metric.diskIo] },
  { title: 'Probe phases: DNS, connect, TLS, first byte, first token, total', names: [Metric.probeDnsDuration, Metric.probeConnectDuration, Metric.probeTlsDuration, Metric.probeTimeToFirstByte, Metric.genAiTimeToFirstChunk, Metric.genAiDuration], hide: (l) => l[Label.errorType] !== undefined, empty: 'No probes from this host yet (probes.targets in the agent config).' },
];

/** What the GPU cards read besides the charts' series: loaded too, so a past range shows every card value. */
const CARD_METRICS = [Metric.gpuMemoryUsage, Metric.gpuMemoryLimit, Metric.gpuMemoryUtilization, Metric.gpuTemperature, Metric.gpuPowerDraw, Metric.gpuClockGraphics, Metric.gpuClockMemory, Metric.gpuIndex];

/** The history the host view needs, for LiveController.loadSeries. */
export function hostSeriesRequests(agent: string): SeriesRequest[] {
  const names = new Set([...HOST_PANELS.flatMap((p) => p.names), ...CARD_METRICS]);
  return [...names].map((name) => ({ name, agent }));
}

/**
 * Options of the view. `drill` adds the metric list with links to each series (dashboard only);
 * `fitToData` starts the time axis at the first point held when that is later than the range
 * start (the agent keeps no history and a new host has little: the lines would sit in a corner).
 */
export interface HostViewOptions {
  readonly fitToData: boolean;
  readonly now: number;
  readonly hostName: string;
  readonly drill: boolean;
  readonly editableViolations: boolean;
}

/** Series of one metric in GPU order ("GPU 0" before "GPU 1"; their keys sort by uuid). */
function byGpu<T extends { labels: Labels }>(series: T[], aliases: ReadonlyMap<string, string>): T[] {
  const rank = (s: T): string => aliases.get(s.labels[Label.hwId] ?? '')?.padStart(12, ' ') ?? '';
  return [...series].sort((a, b) => (rank(a) < rank(b) ? -1 : rank(a) > rank(b) ? 1 : 0));
}

/** The host's sections. */
export function hostView(c: LiveController, agent: string, o: HostViewOptions): TemplateResult {
  const { from, to } = rangeBounds(c.range, c.range.end === null && c.paused ? c.lastFrameAt ?? o.now : o.now);
  const latest = c.window.latest().filter((p) => p.agent === agent);
  const series = c.window.all().filter((s) => s.agent === agent);
  const first = Math.min(...series.map((s) => s.points[0]?.[0] ?? Infinity));
  const bounds = { min: o.fitToData && Number.isFinite(first) ? Math.max(from, Math.min(first, to - 10_000)) : from, max: to };
  const names = [...new Set(series.map((s) => s.name))].sort();
  const cards = gpuCards(latest);
  // Charts name a GPU as its card does ("GPU 0"), not by its uuid.
  const aliases = new Map(cards.filter((g) => g.index !== null).map((g) => [g.id, `GPU ${g.index}`]));
  return html`
    <gpu-panel .cards=${cards} heading="GPUs on ${o.hostName}"></gpu-panel>
    <div class="charts">
      ${HOST_PANELS.map((p) => html`<series-panel heading=${p.title} .bounds=${bounds} .empty=${p.empty ?? ''}
        .series=${toChartSeries(p.names.flatMap((name) => byGpu(c.window.select({ name, agent }), aliases)).filter((s) => !p.hide?.(s.labels)), new Map([[agent, o.hostName]]), aliases)}></series-panel>`)}
    </div>
    ${o.drill ? html`<section class="panel metrics" aria-label="Series of ${o.hostName}">
      <h2>Series</h2>
      ${names.length === 0 ? html`<p class="muted">No samples from this host in the range.</p>` : html`<ul>
        ${names.map((name) => html`<li><strong>${name}</strong> ${series.filter((s) => s.name === name).map((s) => html`
          <a href=${routeHref({ view: 'series', agent, name, labels: s.labels })} title=${seriesKey(name, s.labels)}>${seriesLabel(s, undefined, aliases) || name}</a>`)}</li>`)}
      </ul>`}
    </section>` : null}
    <violations-list heading="Violations on ${o.hostName}" .violations=${c.violations.filter((v) => v.agent === agent)}
      .hostNames=${new Map([[agent, o.hostName]])} .editable=${o.editableViolations} .now=${o.now}></violations-list>
  `;
}
