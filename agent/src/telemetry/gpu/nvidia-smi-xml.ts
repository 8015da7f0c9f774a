/**
 * The one-time GPU inventory through node-nvidia-smi (`nvidia-smi -q -x`, parsed from XML).
 *
 * The library runs `nvidia-smi` from PATH through a shell with no timeout, so this wrapper races
 * it against one; on a timeout the answer is abandoned (the library gives no handle to kill its
 * child) and the GPU source keeps the inventory it built from the query rows. Called once per
 * start, never in the tick: the full query takes seconds on a multi-GPU host.
 */
import { createRequire } from 'node:module';
import { inventoryFromXml } from './nvidia-inventory.ts';
import type { NvidiaInventory } from './nvidia-inventory.ts';

type NodeNvidiaSmi = (callback: (err: unknown, data?: unknown) => void) => void;

/** An inventory, or the reason there is none. */
export type XmlInventoryResult = { readonly ok: true; readonly inventory: NvidiaInventory } | { readonly ok: false; readonly reason: string };

/** Reads the inventory via node-nvidia-smi within `timeoutMs`. Never throws. */
export function readXmlInventory(timeoutMs: number): Promise<XmlInventoryResult> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve({ ok: false, reason: `nvidia-smi -q -x gave no answer within ${timeoutMs} ms` }), timeoutMs);
    timer.unref?.();
    const done = (r: XmlInventoryResult): void => {
      clearTimeout(timer);
      resolve(r);
    };
    let smi: NodeNvidiaSmi;
    try {
      smi = createRequire(import.meta.url)('node-nvidia-smi') as NodeNvidiaSmi;
    } catch (err) {
      done({ ok: false, reason: `node-nvidia-smi unavailable: ${err instanceof Error ? err.message : String(err)}` });
      return;
    }
    smi((err, data) => {
      if (err !== null && err !== undefined) {
        // The library hands over either an Error or the stderr text.
        const message = err instanceof Error ? err.message : String(err);
        done({ ok: false, reason: `nvidia-smi -q -x failed: ${message.trim().slice(0, 300)}` });
        return;
      }
      const inventory = inventoryFromXml(data);
      done(inventory === null ? { ok: false, reason: 'nvidia-smi -q -x: unexpected output' } : { ok: true, inventory });
    });
  });
}
