/**
 * The host's inventory (CPU model and cores, OS, hostname, memory total), read once at start-up
 * with systeminformation and shown through status().info. systeminformation spawns shell
 * commands for most of what it reports, so it is never called in the tick; this source writes no
 * samples.
 */
import { cpu, mem, osInfo } from 'systeminformation';
import type { SourceStatus, TelemetrySource } from './source.ts';

/** What the status page shows about the host. Fields are null where the library had no answer. */
export interface HostInventory {
  readonly hostname: string | null;
  readonly os: { readonly platform: string | null; readonly distro: string | null; readonly release: string | null; readonly kernel: string | null; readonly arch: string | null };
  readonly cpu: { readonly model: string | null; readonly cores: number | null; readonly physicalCores: number | null };
  readonly memoryTotalBytes: number | null;
}

/** Reads the inventory; the default asks systeminformation. Injectable for tests. */
export type InventoryReader = () => Promise<HostInventory>;

/** Options of the host source. */
export interface HostSourceOptions {
  readonly read?: InventoryReader;
  /** Give up on the inventory after this long (ms); the agent samples regardless. */
  readonly timeoutMs?: number;
}

const text = (s: string | undefined): string | null => (s === undefined || s.trim() === '' ? null : s.trim());
const count = (n: number | undefined): number | null => (n !== undefined && Number.isFinite(n) && n > 0 ? n : null);

/** Asks systeminformation for the CPU, OS and memory, all three at once. */
export async function readHostInventory(): Promise<HostInventory> {
  const [c, o, m] = await Promise.all([cpu(), osInfo(), mem()]);
  const model = text([c.manufacturer, c.brand].filter((s) => s.trim() !== '').join(' '));
  return {
    hostname: text(o.fqdn) ?? text(o.hostname),
    os: { platform: text(o.platform), distro: text(o.distro), release: text(o.release), kernel: text(o.kernel), arch: text(o.arch) },
    cpu: { model, cores: count(c.cores), physicalCores: count(c.physicalCores) },
    memoryTotalBytes: count(m.total),
  };
}

/**
 * Creates the host source. start() begins the inventory and returns at once; status() is
 * `starting` until it arrives, then `ok` with the inventory as info (or `degraded` with the
 * reason if it failed or timed out).
 */
export function createHostSource(options: HostSourceOptions = {}): TelemetrySource {
  const read = options.read ?? readHostInventory;
  const timeoutMs = options.timeoutMs ?? 15_000;
  let status: SourceStatus = { state: 'starting' };
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;

  return {
    name: 'host',
    async start() {
      const timeout = new Promise<string>((resolve) => {
        timer = setTimeout(() => resolve(`host inventory timed out after ${timeoutMs} ms`), timeoutMs);
        timer.unref?.();
      });
      const reading = read().then(
        (inv) => inv,
        (err: unknown) => `host inventory failed: ${err instanceof Error ? err.message : String(err)}`,
      );
      // Not awaited: the sampler starts while the inventory is still being read.
      void Promise.race([reading, timeout]).then((r) => {
        clearTimeout(timer);
        if (stopped) return;
        status = typeof r === 'string' ? { state: 'degraded', detail: r } : { state: 'ok', info: { ...r } };
      });
    },
    collect() {},
    status: () => status,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      status = { state: 'stopped', ...(status.info ? { info: status.info } : {}) };
    },
  };
}
