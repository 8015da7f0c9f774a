/**
 * How one GPU row becomes series values, in the units of the conventions (DESIGN.md). Pure.
 *
 *   utilization.gpu %            → hw.gpu.utilization          ratio (÷100)
 *   memory.used / memory.total MiB → hw.gpu.memory.usage / .limit  bytes (×1048576)
 *   memory.used ÷ memory.total   → hw.gpu.memory.utilization   ratio (the share of memory in use,
 *                                   as the convention defines it; not nvidia-smi's
 *                                   utilization.memory, which is memory-controller busy time)
 *   temperature.gpu °C           → hw.gpu.temperature          °C
 *   power.draw W                 → hw.gpu.power.draw           W
 *   clocks.current.graphics / .memory MHz → hw.gpu.clock.graphics / .memory  Hz (×1e6)
 *   ecc.errors.{corrected,uncorrected}.volatile.total → hw.errors {error.type, hw.type=gpu}
 *   index                        → sigmascope.gpu.index        the number nvidia-smi shows ("GPU 0")
 *
 * Every series carries `hw.id` (the GPU uuid; under MIG the parent GPU's, which is what
 * --query-gpu reports) and `hw.model` (the product name) when nvidia-smi gave one.
 */
import { Label, Metric } from '@sigmascope/protocol/metrics';
import type { MetricName } from '@sigmascope/protocol/metrics';
import type { GpuRow, NumericField } from './nvidia-query.ts';

/** The OpenTelemetry hardware attribute for a component's model name (proposed as Label.hwModel). */
export const HW_MODEL_LABEL = Label.hwModel;

const MIB = 1024 * 1024;

/** One value of one GPU series; `key` identifies the series within this GPU. */
export interface GpuValue {
  readonly key: string;
  readonly name: MetricName;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

const DIRECT: readonly { field: NumericField; name: MetricName; scale: number }[] = [
  { field: 'utilization.gpu', name: Metric.gpuUtilization, scale: 0.01 },
  { field: 'memory.used', name: Metric.gpuMemoryUsage, scale: MIB },
  { field: 'memory.total', name: Metric.gpuMemoryLimit, scale: MIB },
  { field: 'temperature.gpu', name: Metric.gpuTemperature, scale: 1 },
  { field: 'power.draw', name: Metric.gpuPowerDraw, scale: 1 },
  { field: 'clocks.current.graphics', name: Metric.gpuClockGraphics, scale: 1e6 },
  { field: 'clocks.current.memory', name: Metric.gpuClockMemory, scale: 1e6 },
];

const ERRORS: readonly { field: NumericField; errorType: string }[] = [
  { field: 'ecc.errors.corrected.volatile.total', errorType: 'ecc_corrected' },
  { field: 'ecc.errors.uncorrected.volatile.total', errorType: 'ecc_uncorrected' },
];

/** The values of one row; fields the GPU did not report produce nothing. */
export function gpuValues(row: GpuRow): GpuValue[] {
  const base: Record<string, string> = { [Label.hwId]: row.id };
  if (row.name !== null) base[HW_MODEL_LABEL] = row.name;
  const out: GpuValue[] = [];
  for (const d of DIRECT) {
    const v = row.values[d.field];
    if (v !== undefined) out.push({ key: d.name, name: d.name, labels: base, value: v * d.scale });
  }
  if (row.index !== null) out.push({ key: Metric.gpuIndex, name: Metric.gpuIndex, labels: base, value: row.index });
  const used = row.values['memory.used'];
  const total = row.values['memory.total'];
  if (used !== undefined && total !== undefined && total > 0) {
    out.push({ key: Metric.gpuMemoryUtilization, name: Metric.gpuMemoryUtilization, labels: base, value: used / total });
  }
  for (const e of ERRORS) {
    const v = row.values[e.field];
    if (v !== undefined) {
      out.push({ key: `${Metric.hwErrors}\0${e.errorType}`, name: Metric.hwErrors, labels: { ...base, [Label.hwType]: 'gpu', [Label.errorType]: e.errorType }, value: v });
    }
  }
  return out;
}
