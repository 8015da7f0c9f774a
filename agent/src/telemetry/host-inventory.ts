/**
 * The host's inventory (CPU model and cores, OS, hostname, memory total), read once at start-up
 * with systeminformation and shown through status().info. systeminformation spawns shell
 * commands for most of what it reports, so it is never called in the tick; and it runs in a
 * short-lived child process (inventory-child.ts), so the library never lives in the agent's
 * memory. This source writes no samples.
 */
import { runJsonChild } from './inventory-child.ts';
import type { SourceStatus, TelemetrySource } from './source.ts';

/** What the status page shows about the host. Fields are null where the library had no answer. */
export interface HostInventory {
  readonly hostname: string | null;
  readonly os: { readonly platform: string | null; readonly distro: string | null; readonly release: string | null; readonly kernel: string | null; readonly arch: string | null };
  readonly cpu: { readonly model: string | null; readonly cores: number | null; readonly physicalCores: number | null };
  readonly memoryTotalBytes: number | null;
}

/** How long a read may take, and the signal that abandons it (the source's stop or timeout). */
export interface InventoryReadOptions {
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
}

/** Reads the inventory; the default asks systeminformation. Injectable for tests. */
export type InventoryReader = (options: InventoryReadOptions) => Promise<HostInventory>;

/** Options of the host source. */
export interface HostSourceOptions {
  readonly read?: InventoryReader;
  /** Give up on the inventory after this long (ms); the agent samples regardless. */
  readonly timeoutMs?: number;
}

// Runs in the child (`node -e` / `bun -e`): systeminformation's three reads as one JSON object.
const SCRIPT = `
const [url] = process.argv.slice(-1);
import(url).then(async (m) => {
  const si = m.default ?? m;
  const [cpu, os, mem] = await Promise.all([si.cpu(), si.osInfo(), si.mem()]);
  process.stdout.write(JSON.stringify({ cpu, os, mem }), () => process.exit(0));
}).catch((e) => { process.stderr.write(String((e && e.message) || e)); process.exit(3); });
`;

type Fields = Readonly<Record<string, unknown>>;
const fields = (v: unknown): Fields => (typeof v === 'object' && v !== null ? (v as Fields) : {});
const text = (s: unknown): string | null => (typeof s !== 'string' || s.trim() === '' ? null : s.trim());
const count = (n: unknown): number | null => (typeof n === 'number' && Number.isFinite(n) && n > 0 ? n : null);

/** The inventory from what systeminformation's cpu(), osInfo() and mem() returned. */
export function hostInventoryFrom(answer: unknown): HostInventory {
  const { cpu, os, mem } = fields(answer);
  const c = fields(cpu);
  const o = fields(os);
  const model = text([c.manufacturer, c.brand].filter((s): s is string => typeof s === 'string' && s.trim() !== '').join(' '));
  return {
    hostname: text(o.fqdn) ?? text(o.hostname),
    os: { platform: text(o.platform), distro: text(o.distro), release: text(o.release), kernel: text(o.kernel), arch: text(o.arch) },
    cpu: { model, cores: count(c.cores), physicalCores: count(c.physicalCores) },
    memoryTotalBytes: count(fields(mem).total),
  };
}

/** Asks systeminformation, in a child process, for the CPU, OS and memory, all three at once. */
export async function readHostInventory(options: InventoryReadOptions = { timeoutMs: 15_000 }): Promise<HostInventory> {
  const r = await runJsonChild(SCRIPT, [import.meta.resolve('systeminformation')], options);
  if (!r.ok) throw new Error(r.reason);
  return hostInventoryFrom(r.value);
}

/**
 * Creates the host source. start() begins the inventory and returns at once; status() is
 * `starting` until it arrives, then `ok` with the inventory as info (or `degraded` with the
 * reason if it failed or timed out). stop() abandons a read still running.
 */
export function createHostSource(options: HostSourceOptions = {}): TelemetrySource {
  const read = options.read ?? readHostInventory;
  const timeoutMs = options.timeoutMs ?? 15_000;
  let status: SourceStatus = { state: 'starting' };
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const abandon = new AbortController();

  return {
    name: 'host',
    async start() {
      const timeout = new Promise<string>((resolve) => {
        timer = setTimeout(() => resolve(`host inventory timed out after ${timeoutMs} ms`), timeoutMs);
        timer.unref?.();
      });
      const reading = read({ timeoutMs, signal: abandon.signal }).then(
        (inv) => inv,
        (err: unknown) => `host inventory failed: ${err instanceof Error ? err.message : String(err)}`,
      );
      // Not awaited: the sampler starts while the inventory is still being read.
      void Promise.race([reading, timeout]).then((r) => {
        clearTimeout(timer);
        abandon.abort();
        if (stopped) return;
        status = typeof r === 'string' ? { state: 'degraded', detail: r } : { state: 'ok', info: { ...r } };
      });
    },
    collect() {},
    status: () => status,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      abandon.abort();
      status = { state: 'stopped', ...(status.info ? { info: status.info } : {}) };
    },
  };
}
