/**
 * What run.json records about where a run happened: versions (Sigmascope, the runtime, the
 * platform) and the host's inventory with its GPUs, read once through the agent's own
 * inventory readers (each in a short-lived child, bounded in time). An inventory that cannot be
 * read is recorded as such, with the reason; it never stops a run.
 */
import os from 'node:os';
import { readHostInventory } from '@sigmascope/agent/telemetry/host-inventory';
import type { HostInventory } from '@sigmascope/agent/telemetry/host-inventory';
import { readXmlInventory } from '@sigmascope/agent/telemetry/gpu/nvidia-smi-xml';
import type { NvidiaInventory } from '@sigmascope/agent/telemetry/gpu/nvidia-inventory';

export interface Versions {
  readonly sigmascope: string;
  readonly node: string;
  readonly platform: string;
}

export interface HostRecord {
  readonly hostname: string;
  readonly inventory: HostInventory | null;
  readonly gpus: NvidiaInventory | null;
  /** Why an inventory is missing (no nvidia-smi on this host, a timeout). */
  readonly notes: readonly string[];
}

/** The versions of this process. */
export function versions(sigmascope: string): Versions {
  return { sigmascope, node: process.version, platform: `${process.platform}-${process.arch}` };
}

/** Reads the host and GPU inventories, both at once, each within `timeoutMs`. */
export async function hostRecord(timeoutMs = 10_000): Promise<HostRecord> {
  const notes: string[] = [];
  const [inventory, gpus] = await Promise.all([
    readHostInventory({ timeoutMs }).catch((err: unknown) => (notes.push(`host inventory: ${err instanceof Error ? err.message : String(err)}`), null)),
    readXmlInventory(timeoutMs).then((r) => (r.ok ? r.inventory : (notes.push(`gpu inventory: ${r.reason}`), null))),
  ]);
  return { hostname: inventory?.hostname ?? os.hostname(), inventory, gpus, notes };
}
