/**
 * Parsing of /proc/meminfo into the OpenTelemetry memory states. Pure.
 *
 *   limit = MemTotal
 *   free = MemFree     buffers = Buffers     cached = Cached + SReclaimable
 *   used = limit − free − buffers − cached     (the four states sum to the limit)
 *
 * This is the split `free(1)` and the OpenTelemetry host-metrics receiver use. Where the kernel
 * reports more cache than fits (seen in some containers), cached is capped to what is left and
 * used is 0, so no state is negative and the sum still holds.
 */

/** Bytes per memory state, and the total. */
export interface MemoryBytes {
  readonly limit: number;
  readonly used: number;
  readonly free: number;
  readonly cached: number;
  readonly buffers: number;
}

/** Parses /proc/meminfo (values in kB = KiB). Null when MemTotal or MemFree is missing. */
export function parseMeminfo(text: string): MemoryBytes | null {
  const kb = new Map<string, number>();
  for (const line of text.split('\n')) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const n = Number.parseInt(line.slice(colon + 1), 10);
    if (Number.isFinite(n) && n >= 0) kb.set(line.slice(0, colon), n * 1024);
  }
  const limit = kb.get('MemTotal');
  const free = kb.get('MemFree');
  if (limit === undefined || free === undefined || limit <= 0) return null;
  const buffers = Math.min(kb.get('Buffers') ?? 0, limit - free);
  let cached = (kb.get('Cached') ?? 0) + (kb.get('SReclaimable') ?? 0);
  let used = limit - free - buffers - cached;
  if (used < 0) {
    cached = limit - free - buffers;
    used = 0;
  }
  return { limit, used, free, cached, buffers };
}
