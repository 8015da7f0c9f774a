/**
 * The single-host view both pages show: GPUs, the host's series on one time axis (GPU
 * utilization under provider TTFT, CPU and memory, probe latency), the list of its metrics for
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
export const HOST_PANELS: readonly { readonly title: string; readonly names: readonly string[]; readonly hide?: (labels: Labels) => boolean }[] = [
  { title: 'GPU utilization and provider TTFT', names: [Metric.gpuUtilization, Metric.genAiTimeToFirstChunk] },
  { title: 'CPU and memory', names: [Metric.cpuUtilization, Metric.memoryUtilization], hide: (l) => l[Label.cpuMode] === 'idle' },
  // Failed probes are counted in the providers view; their durations (a 15 s timeout) would flatten the chart.
  { title: 'Probe latency and its network part', names: [Metric.genAiDuration, Metric.probeConnectDuration, Metric.probeTlsDuration, Metric.probeTimeToFirstByte], hide: (l) => l[Label.errorType] !== undefined },
];

/** The history the host view needs, for LiveController.loadSeries. */
export function hostSeriesRequests(agent: string): SeriesRequest[] {
  return HOST_PANELS.flatMap((p) => p.names.map((name) => ({ name, agent })));
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

/** The host's sections. */
export function hostView(c: LiveController, agent: string, o: HostViewOptions): TemplateResult {
  const { from, to } = rangeBounds(c.range, c.range.end === null && c.paused ? c.lastFrameAt ?? o.now : o.now);
  const latest = c.window.latest().filter((p) => p.agent === agent);
  const series = c.window.all().filter((s) => s.agent === agent);
  const first = Math.min(...series.map((s) => s.points[0]?.[0] ?? Infinity));
  const bounds = { min: o.fitToData && Number.isFinite(first) ? Math.max(from, Math.min(first, to - 10_000)) : from, max: to };
  const names = [...new Set(series.map((s) => s.name))].sort();
  return html`
    <gpu-panel .cards=${gpuCards(latest)} heading="GPUs on ${o.hostName}"></gpu-panel>
    <div class="charts">
      ${HOST_PANELS.map((p) => html`<series-panel heading=${p.title} .bounds=${bounds}
        .series=${toChartSeries(p.names.flatMap((name) => c.window.select({ name, agent })).filter((s) => !p.hide?.(s.labels)))}></series-panel>`)}
    </div>
    ${o.drill ? html`<section class="panel metrics" aria-label="Series of ${o.hostName}">
      <h2>Series</h2>
      ${names.length === 0 ? html`<p class="muted">No samples from this host in the range.</p>` : html`<ul>
        ${names.map((name) => html`<li><strong>${name}</strong> ${series.filter((s) => s.name === name).map((s) => html`
          <a href=${routeHref({ view: 'series', agent, name, labels: s.labels })} title=${seriesKey(name, s.labels)}>${seriesLabel(s) || name}</a>`)}</li>`)}
      </ul>`}
    </section>` : null}
    <violations-list heading="Violations on ${o.hostName}" .violations=${c.violations.filter((v) => v.agent === agent)}
      .hostNames=${new Map([[agent, o.hostName]])} .editable=${o.editableViolations} .now=${o.now}></violations-list>
  `;
}
