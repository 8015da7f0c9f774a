/**
 * Parsing of /proc/net/dev: cumulative bytes received and transmitted per interface. Pure.
 * Loopback and the per-container virtual links a container host creates by the hundred (veth,
 * Calico, LXC) are left out: they would double-count traffic that also crosses a real interface
 * and multiply the number of series.
 */

/** Cumulative byte counters of one interface since it appeared. */
export interface InterfaceBytes {
  readonly name: string;
  readonly receive: number;
  readonly transmit: number;
}

const SKIPPED = /^(lo$|veth|cali|lxc)/;

/** Whether an interface is reported (not loopback, not a per-container virtual link). */
export function isReportedInterface(name: string): boolean {
  return !SKIPPED.test(name);
}

/** Parses /proc/net/dev. Lines that do not have the 16 counters are ignored. */
export function parseNetDev(text: string): InterfaceBytes[] {
  const out: InterfaceBytes[] = [];
  for (const line of text.split('\n')) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const name = line.slice(0, colon).trim();
    if (name === '' || !isReportedInterface(name)) continue;
    const f = line.slice(colon + 1).trim().split(/\s+/);
    if (f.length < 16) continue;
    const receive = Number(f[0]);
    const transmit = Number(f[8]);
    if (Number.isFinite(receive) && Number.isFinite(transmit)) out.push({ name, receive, transmit });
  }
  return out;
}
