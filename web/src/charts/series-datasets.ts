/**
 * Shapes series (from `/api/v1/series` or the live window) into what the time-series panel
 * draws: one line per series with a readable label, a palette colour and a y axis per unit.
 * Pure; the panel turns these into Chart.js datasets.
 */
import type { Labels } from '@sigmascope/protocol/series';
import { seriesKey } from '@sigmascope/protocol/series';
import { Label } from '@sigmascope/protocol/metrics';
import { counterRates, isCounter } from '@sigmascope/protocol/counters';
import { seriesColor } from '../theme/palette.ts';
import { unitOf } from '../format/units.ts';
import type { UnitKind } from '../format/units.ts';

/** A series as the API and the window both give it. */
export interface SeriesInput {
  readonly agent?: string;
  readonly name: string;
  readonly labels: Labels;
  readonly points: readonly (readonly [number, number])[];
}

/** One line of the panel. */
export interface ChartSeries {
  readonly id: string;
  readonly label: string;
  /** The host's name (or agent id) and the full series key, for exports. */
  readonly host: string;
  readonly key: string;
  readonly unit: UnitKind;
  readonly color: string;
  readonly points: readonly (readonly [number, number])[];
}

/** Short metric titles for labels; the full name stays in the tooltip and CSV. */
const SHORT: Readonly<Record<string, string>> = {
  'hw.gpu.utilization': 'GPU util',
  'hw.gpu.memory.utilization': 'GPU mem util',
  'hw.gpu.memory.usage': 'GPU mem',
  'hw.gpu.temperature': 'GPU temp',
  'hw.gpu.power.draw': 'GPU power',
  'system.cpu.utilization': 'CPU',
  'system.memory.utilization': 'Memory',
  'system.memory.usage': 'Memory',
  'system.network.io': 'Network',
  'system.disk.io': 'Disk',
  'hw.errors': 'GPU errors',
  'sigmascope.inference.requests.waiting': 'Queued',
  'sigmascope.inference.requests.running': 'Running',
  'sigmascope.inference.kv_cache.utilization': 'KV cache',
  'gen_ai.server.time_to_first_token': 'Server TTFT',
  'gen_ai.server.time_per_output_token': 'Server TPOT',
  'gen_ai.client.operation.time_to_first_chunk': 'TTFT',
  'gen_ai.client.operation.duration': 'Latency',
  'gen_ai.client.operation.time_per_output_chunk': 'Per chunk',
  'sigmascope.probe.dns.duration': 'DNS',
  'sigmascope.probe.connect.duration': 'Connect',
  'sigmascope.probe.tls.duration': 'TLS',
  'sigmascope.probe.time_to_first_byte': 'TTFB',
  'sigmascope.probe.server_time': 'Server time',
  'hw.gpu.clock.graphics': 'GPU clock',
  'hw.gpu.clock.memory': 'GPU mem clock',
};

/** Labels worth showing, in order; others are appended as k=v. */
const SHOWN = [Label.hwId, Label.genAiProvider, Label.genAiModel, Label.serverAddress, Label.cpuMode, Label.memoryState, Label.networkInterface, Label.networkDirection, Label.device, Label.diskDirection, Label.genAiTokenType];

/** Labels that never add to a series' name. */
const HIDDEN = [Label.genAiOperation, Label.hwType, Label.hwModel];

/**
 * A readable label: "host · TTFT openai/gpt-4o-mini" or "GPU util GPU 0". `aliases` replaces label
 * values by what people call them (a GPU's uuid by "GPU 0").
 */
export function seriesLabel(s: { agent?: string; name: string; labels: Labels }, hostName?: string, aliases: ReadonlyMap<string, string> = new Map()): string {
  const parts: string[] = [];
  // hw.model describes the GPU its hw.id already names; operation and type say nothing new either.
  const extra = Object.keys(s.labels).filter((k) => !SHOWN.includes(k as never) && !HIDDEN.includes(k as never)).sort();
  for (const k of SHOWN) if (s.labels[k] !== undefined) parts.push(aliases.get(s.labels[k] as string) ?? (s.labels[k] as string));
  for (const k of extra) parts.push(`${k}=${s.labels[k]}`);
  const title = SHORT[s.name] ?? s.name;
  const body = [title, parts.join('/')].filter(Boolean).join(' ');
  return hostName ? `${hostName} · ${body}` : body;
}

/**
 * One ChartSeries per input, coloured in order. A counter (`system.network.io`, …) becomes its
 * per-second rate: its cumulative value says nothing on a chart. `hostNames` maps agent ids to
 * names; the host is named in the label only when the inputs come from more than one agent.
 */
export function toChartSeries(inputs: readonly SeriesInput[], hostNames: ReadonlyMap<string, string> = new Map(), aliases: ReadonlyMap<string, string> = new Map()): ChartSeries[] {
  const agents = new Set(inputs.map((s) => s.agent ?? ''));
  return inputs.map((s, i) => {
    const rate = isCounter(s.name);
    const host = hostNames.get(s.agent ?? '') ?? s.agent ?? '';
    const label = seriesLabel(s, agents.size > 1 ? host : undefined, aliases);
    return {
      id: `${s.agent ?? ''}|${s.name}|${JSON.stringify(s.labels)}`,
      label: rate ? `${label} /s` : label,
      host,
      key: seriesKey(rate ? `${s.name}.rate` : s.name, s.labels),
      unit: unitOf(s.name, rate),
      color: seriesColor(i),
      points: rate ? counterRates(s.points) : s.points,
    };
  });
}

/** The y axes the series need: one per unit, first on the left, the rest on the right. */
export function axesFor(series: readonly ChartSeries[]): { id: string; unit: UnitKind; position: 'left' | 'right' }[] {
  const units = [...new Set(series.map((s) => s.unit))];
  return units.map((unit, i) => ({ id: `y-${unit}`, unit, position: i === 0 ? 'left' : 'right' }));
}
