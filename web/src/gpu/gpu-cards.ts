/**
 * Shapes the GPU panel: one card per GPU (distinct `hw.id`) of one host from the latest values
 * of the `hw.gpu.*` series. Pure.
 */
import { Label, Metric } from '@sigmascope/protocol/metrics';
import type { LatestPoint } from '../fleet/fleet-rows.ts';

/** One GPU as its card shows it; null where the GPU does not report a value. */
export interface GpuCard {
  readonly id: string;
  readonly model: string | null;
  /** nvidia-smi's number for the GPU ("GPU 0"), from `sigmascope.gpu.index`. */
  readonly index: number | null;
  /** "GPU 0 · H100 80GB": what a person calls it; the uuid (`id`) is the detail. */
  readonly title: string;
  readonly util: number | null;
  readonly memUsed: number | null;
  readonly memLimit: number | null;
  readonly memUtil: number | null;
  readonly temperature: number | null;
  readonly power: number | null;
  readonly clockGraphics: number | null;
  readonly clockMemory: number | null;
  readonly ts: number | null;
}

const FIELDS: Readonly<Record<string, keyof GpuCard>> = {
  [Metric.gpuUtilization]: 'util',
  [Metric.gpuMemoryUsage]: 'memUsed',
  [Metric.gpuMemoryLimit]: 'memLimit',
  [Metric.gpuMemoryUtilization]: 'memUtil',
  [Metric.gpuTemperature]: 'temperature',
  [Metric.gpuPowerDraw]: 'power',
  [Metric.gpuClockGraphics]: 'clockGraphics',
  [Metric.gpuClockMemory]: 'clockMemory',
  [Metric.gpuIndex]: 'index',
};

/** The model without the vendor and the memory type: "NVIDIA H100 80GB HBM3" → "H100 80GB". */
export function shortModel(model: string): string {
  return model.replace(/^NVIDIA\s+/i, '').replace(/\s+HBM\w*$/i, '').trim() || model;
}

/** "GPU 0 · H100 80GB", "GPU 0", "H100 80GB" or "GPU" for what is known. */
export function gpuTitle(index: number | null, model: string | null): string {
  const name = index === null ? 'GPU' : `GPU ${index}`;
  return model === null ? name : `${name} · ${shortModel(model)}`;
}

/** Cards for the GPUs in `points` (one agent's latest values), ordered by id (numerically when numeric). */
export function gpuCards(points: readonly LatestPoint[]): GpuCard[] {
  const cards = new Map<string, Record<string, unknown>>();
  for (const p of points) {
    const field = FIELDS[p.name];
    if (!field) continue;
    const id = p.labels[Label.hwId] ?? '0';
    const card = cards.get(id) ?? { id, model: p.labels['hw.model'] ?? p.labels['hw.name'] ?? null, ts: null };
    card[field] = p.value;
    card.ts = Math.max((card.ts as number | null) ?? p.ts, p.ts);
    cards.set(id, card);
  }
  const out = [...cards.values()].map((c): GpuCard => {
    const memUsed = (c.memUsed as number | undefined) ?? null;
    const memLimit = (c.memLimit as number | undefined) ?? null;
    const index = (c.index as number | undefined) ?? null;
    return {
      id: c.id as string,
      model: c.model as string | null,
      index,
      title: gpuTitle(index, c.model as string | null),
      util: (c.util as number | undefined) ?? null,
      memUsed, memLimit,
      memUtil: (c.memUtil as number | undefined) ?? (memUsed !== null && memLimit ? memUsed / memLimit : null),
      temperature: (c.temperature as number | undefined) ?? null,
      power: (c.power as number | undefined) ?? null,
      clockGraphics: (c.clockGraphics as number | undefined) ?? null,
      clockMemory: (c.clockMemory as number | undefined) ?? null,
      ts: c.ts as number | null,
    };
  });
  const numeric = (s: string): number => (/^\d+$/.test(s) ? Number(s) : Number.NaN);
  return out.sort((a, b) => {
    if (a.index !== null && b.index !== null) return a.index - b.index;
    const x = numeric(a.id);
    const y = numeric(b.id);
    return Number.isNaN(x) || Number.isNaN(y) ? a.id.localeCompare(b.id) : x - y;
  });
}
