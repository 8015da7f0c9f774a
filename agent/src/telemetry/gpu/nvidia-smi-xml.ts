/**
 * The one-time GPU inventory through node-nvidia-smi (`nvidia-smi -q -x`, parsed from XML).
 *
 * The library runs `nvidia-smi` from PATH through a shell with no timeout. It runs in a
 * short-lived child process (../inventory-child.ts), so neither it nor its XML parser ever lives
 * in the agent's memory, and a hung query is killed with its shell at the timeout; the GPU source
 * then keeps the inventory it built from the query rows. Called once per start, never in the
 * tick: the full query takes seconds on a multi-GPU host.
 */
import { runJsonChild } from '../inventory-child.ts';
import { inventoryFromXml } from './nvidia-inventory.ts';
import type { NvidiaInventory } from './nvidia-inventory.ts';

/** An inventory, or the reason there is none. */
export type XmlInventoryResult = { readonly ok: true; readonly inventory: NvidiaInventory } | { readonly ok: false; readonly reason: string };

// Runs in the child (`node -e` / `bun -e`): exit 4 when the library cannot be loaded, 3 when the
// query failed (the library hands over an Error or the stderr text), else the parsed XML as JSON.
const SCRIPT = `
const [url] = process.argv.slice(-1);
import(url).then((m) => (m.default ?? m)((err, data) => {
  if (err !== null && err !== undefined) { process.stderr.write(err instanceof Error ? err.message : String(err)); process.exit(3); }
  process.stdout.write(JSON.stringify(data ?? null), () => process.exit(0));
}), (e) => { process.stderr.write(String((e && e.message) || e)); process.exit(4); });
`;
const UNAVAILABLE = 4;
const FAILED = 3;

/** Reads the inventory via node-nvidia-smi within `timeoutMs`; `signal` abandons it. Never throws. */
export async function readXmlInventory(timeoutMs: number, signal?: AbortSignal): Promise<XmlInventoryResult> {
  let url: string;
  try {
    url = import.meta.resolve('node-nvidia-smi');
  } catch (err) {
    return { ok: false, reason: `node-nvidia-smi unavailable: ${err instanceof Error ? err.message : String(err)}` };
  }
  const r = await runJsonChild(SCRIPT, [url], { timeoutMs, ...(signal ? { signal } : {}) });
  if (!r.ok) {
    if (r.exitCode === UNAVAILABLE) return { ok: false, reason: `node-nvidia-smi unavailable: ${r.reason}` };
    if (r.exitCode === FAILED) return { ok: false, reason: `nvidia-smi -q -x failed: ${r.reason.slice(0, 300)}` };
    if (r.exitCode === null && r.reason.startsWith('no answer within')) return { ok: false, reason: `nvidia-smi -q -x gave no answer within ${timeoutMs} ms` };
    return { ok: false, reason: `nvidia-smi -q -x: ${r.reason}` };
  }
  const inventory = inventoryFromXml(r.value);
  return inventory === null ? { ok: false, reason: 'nvidia-smi -q -x: unexpected output' } : { ok: true, inventory };
}
