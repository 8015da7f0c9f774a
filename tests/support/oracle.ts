/**
 * The end-of-scenario check (RELIABILITY.md): after the agent's buffer is drained to the
 * collector, every sample it produced is either stored exactly once, quarantined by the collector
 * (stamped too far in the future: kept apart and counted), refused by it (a new series beyond the
 * series caps: counted), or counted as dropped by the agent.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { expect } from 'vitest';
import { countDuplicateSamples } from '../../collector/src/store/duplicate-audit.ts';
import type { CollectorHandle } from './fleet.ts';
import { quarantinedFor, refusedFor, storedFor } from './fleet.ts';
import { runCli } from './processes.ts';

export interface DrainCounters {
  ok: boolean;
  frames: number;
  samples: number;
  counters: { produced: number; acked: number; dropped: Record<string, number>; quarantinedFrames: number };
}

/** Ships what an (already stopped) agent still buffers, without sampling; returns its final counters. */
export function drainAgent(collector: CollectorHandle, token: string, dataDir: string): DrainCounters {
  const r = runCli(['agent', '--drain', '--data', dataDir, '--collector', `ws://127.0.0.1:${collector.port}/ingest`, '--drain-timeout-ms', '60000'], { env: { SIGMASCOPE_TOKEN: token, SIGMASCOPE_LOG_LEVEL: 'warn' } });
  if (r.status !== 0) throw new Error(`drain failed (${r.status}): ${r.stdout}\n${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop() as string) as DrainCounters;
}

/**
 * Samples in the collector's database that repeat (series, ts, value): 0 unless something was
 * stored twice. On the chunked layout the samples live in chunks and intake records, so the
 * check decodes both (the same audit as the store's duplicateRowCount) instead of grouping rows.
 */
export function duplicateRows(collector: CollectorHandle): number {
  const db = new Database(join(collector.dataDir, 'sigmascope.db'), { readonly: true, fileMustExist: true });
  try {
    return countDuplicateSamples(db);
  } finally {
    db.close();
  }
}

/** One producer's books at the end of a scenario. */
export interface Books {
  readonly produced: number;
  readonly stored: number;
  readonly quarantined: number;
  /** Acknowledged but refused under the series caps. */
  readonly refused: number;
  readonly dropped: number;
  readonly buffered: number;
}

/**
 * The oracle's equation for one producer: produced = stored + quarantined + refused + dropped,
 * nothing still buffered. `who` names the producer in the failure message.
 */
export function expectBalanced(who: string, b: Books): void {
  expect(b.buffered, `${who}: samples still buffered after the drain`).toBe(0);
  expect(b.produced, `${who}: produced nothing`).toBeGreaterThan(0);
  expect(b.stored + b.quarantined + b.refused + b.dropped, `${who}: stored ${b.stored} + quarantined ${b.quarantined} + refused ${b.refused} + dropped ${b.dropped} vs produced ${b.produced}`).toBe(b.produced);
}

/**
 * produced = stored + quarantined + refused + dropped (by reason), buffered = 0, zero duplicate
 * rows; nothing quarantined unless the scenario gives the agent a clock far ahead, nothing refused
 * unless it runs into the series caps. Returns the figures.
 */
export async function expectConservation(collector: CollectorHandle, agentId: string, token: string, dataDir: string, opts: { clockFarAhead?: boolean; seriesCapped?: boolean; skipDuplicateAudit?: boolean } = {}): Promise<{ produced: number; stored: number; quarantined: number; refused: number; dropped: number; droppedBy: Record<string, number> }> {
  const final = drainAgent(collector, token, dataDir);
  const stored = await storedFor(collector, agentId);
  const quarantined = await quarantinedFor(collector, agentId);
  const refused = await refusedFor(collector, agentId);
  const dropped = Object.values(final.counters.dropped).reduce((a, b) => a + b, 0);
  if (opts.clockFarAhead !== true) expect(quarantined, 'samples quarantined from an agent whose clock is not far ahead').toBe(0);
  if (opts.seriesCapped !== true) expect(refused, 'samples refused from an agent under the series caps').toBe(0);
  expectBalanced(agentId, { produced: final.counters.produced, stored, quarantined, refused, dropped, buffered: final.samples });
  // A scenario with many agents audits the whole database once at the end instead.
  if (opts.skipDuplicateAudit !== true) expect(duplicateRows(collector)).toBe(0);
  return { produced: final.counters.produced, stored, quarantined, refused, dropped, droppedBy: final.counters.dropped };
}
