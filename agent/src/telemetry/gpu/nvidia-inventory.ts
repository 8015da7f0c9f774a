/**
 * The GPU inventory: names, uuids, driver, MIG mode and devices, memory. Pure.
 *
 * Two readers feed it. `inventoryFromXml` reads what node-nvidia-smi returns for `nvidia-smi -q -x`
 * (xml2js with `explicitArray: false`): a `gpu` object for one GPU and an array for several,
 * every number a string with its unit (`81920 MiB`), `N/A` where there is nothing, and counts that
 * need not agree with the elements present (`attached_gpus` says 4 where one `<gpu>` is listed).
 * `inventoryFromRows` builds the same shape from the query loop's rows, so the status page has
 * an inventory even when the XML query is unavailable or slow.
 */
import type { GpuRow } from './nvidia-query.ts';

/** One MIG instance of a GPU. */
export interface MigDevice {
  readonly index: number | null;
  readonly gpuInstanceId: number | null;
  readonly computeInstanceId: number | null;
  readonly memoryTotalBytes: number | null;
}

/** One physical GPU. `index` is its position in nvidia-smi's order. */
export interface GpuInventoryEntry {
  readonly index: number | null;
  readonly uuid: string | null;
  readonly name: string | null;
  readonly busId: string | null;
  readonly memoryTotalBytes: number | null;
  readonly migMode: string | null;
  readonly migDevices: readonly MigDevice[];
}

/** The host's GPUs and driver. */
export interface NvidiaInventory {
  readonly driverVersion: string | null;
  readonly cudaVersion: string | null;
  /** What the driver says is attached; may differ from `gpus.length` (see the file comment). */
  readonly attachedGpus: number | null;
  readonly gpus: readonly GpuInventoryEntry[];
}

type Node = Readonly<Record<string, unknown>>;

const isNode = (v: unknown): v is Node => typeof v === 'object' && v !== null && !Array.isArray(v);
const child = (n: unknown, key: string): unknown => (isNode(n) ? n[key] : undefined);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined || v === '' ? [] : [v]);

/** Element text, or null for missing, empty and `N/A`. */
function text(v: unknown): string | null {
  if (typeof v !== 'string') return null;
  const t = v.trim();
  return t === '' || t === 'N/A' || t.startsWith('[') ? null : t;
}

function int(v: unknown): number | null {
  const t = text(v);
  if (t === null || !/^\d+$/.test(t)) return null;
  return Number(t);
}

const UNIT_BYTES: Readonly<Record<string, number>> = { B: 1, KiB: 1024, MiB: 1024 ** 2, GiB: 1024 ** 3 };

/** `"81920 MiB"` → bytes; null when absent or in an unknown unit. */
export function bytesFromText(v: unknown): number | null {
  const t = text(v);
  const m = t === null ? null : /^(\d+(?:\.\d+)?)\s*(B|KiB|MiB|GiB)$/.exec(t);
  if (m === null) return null;
  return Math.round(Number(m[1]) * (UNIT_BYTES[m[2] as string] as number));
}

/** Reads node-nvidia-smi's object for `nvidia-smi -q -x`; null when it is not that shape at all. */
export function inventoryFromXml(data: unknown): NvidiaInventory | null {
  const log = child(data, 'nvidia_smi_log');
  if (!isNode(log)) return null;
  const gpus = list(log.gpu).filter(isNode).map((g, position): GpuInventoryEntry => ({
    index: position,
    uuid: text(g.uuid),
    name: text(g.product_name),
    busId: text(child(g.$, 'id')) ?? text(child(g.pci, 'pci_bus_id')),
    memoryTotalBytes: bytesFromText(child(g.fb_memory_usage, 'total')),
    migMode: text(child(g.mig_mode, 'current_mig')),
    migDevices: list(child(g.mig_devices, 'mig_device')).filter(isNode).map((m) => ({
      index: int(m.index),
      gpuInstanceId: int(m.gpu_instance_id),
      computeInstanceId: int(m.compute_instance_id),
      memoryTotalBytes: bytesFromText(child(m.fb_memory_usage, 'total')),
    })),
  }));
  return { driverVersion: text(log.driver_version), cudaVersion: text(log.cuda_version), attachedGpus: int(log.attached_gpus), gpus };
}

/** The inventory the query rows alone can tell (no driver version, no MIG instances). */
export function inventoryFromRows(rows: Iterable<GpuRow>): NvidiaInventory {
  const gpus = [...rows]
    .sort((a, b) => (a.index ?? 0) - (b.index ?? 0))
    .map((r): GpuInventoryEntry => {
      const total = r.values['memory.total'];
      return { index: r.index, uuid: r.uuid, name: r.name, busId: r.busId, memoryTotalBytes: total === undefined ? null : total * 1024 * 1024, migMode: r.migMode, migDevices: [] };
    });
  return { driverVersion: null, cudaVersion: null, attachedGpus: gpus.length, gpus };
}
