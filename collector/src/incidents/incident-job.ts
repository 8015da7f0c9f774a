/**
 * The collector's incident job, on a timer every `intervalMs`:
 *
 *   detector.pass(now)  ──snapshot──▶  attribute(snapshot)  ──findings──▶  tracker.step  ──▶ rows, audit, listeners
 *   (what the store holds)              (cause, scope, evidence)            (open, update, resolve)
 *
 * A pass that throws is logged and the next one runs as usual; the job never throws into the
 * event loop. `passNow` runs one pass at a given time (tests, benchmarks).
 */
import type { Logger } from '@sigmascope/protocol/log';
import type { AuditSink } from '../audit/audit-entry.ts';
import type { IncidentRows } from '../store/rows/incident-rows.ts';
import type { Store } from '../store/store.ts';
import { attribute } from './attribution/attribute.ts';
import { Detector } from './detection/detector.ts';
import { detectorOptions } from './detection/detector-options.ts';
import type { IncidentsConfig } from './incidents-config.ts';
import { IncidentTracker } from './tracking/incident-tracker.ts';

export interface IncidentJobDeps {
  readonly store: Store;
  readonly rows: IncidentRows;
  readonly audit: AuditSink;
  readonly config: IncidentsConfig;
  readonly log: Logger;
  readonly clock?: () => number;
}

/** Figures of the last pass, for /metrics and benchmarks. */
export interface PassFigures {
  readonly at: number;
  readonly ms: number;
  readonly series: number;
  readonly shifted: number;
  readonly findings: number;
}

export interface IncidentJob {
  readonly tracker: IncidentTracker;
  readonly lastPass: PassFigures | null;
  passNow(now: number): PassFigures;
  stop(): void;
}

const NAMES_EVERY_MS = 60_000;

/** Creates the job; with `config.enabled` its timer starts at once. */
export function startIncidentJob(d: IncidentJobDeps): IncidentJob {
  const clock = d.clock ?? Date.now;
  const detector = new Detector(d.store, detectorOptions({ baselineMs: d.config.baselineMs, rebaselineAfterMs: d.config.rebaselineAfterMs }));
  // Display names for summaries, read again at most once a minute.
  let names = new Map<string, string>();
  let namesAt = Number.NEGATIVE_INFINITY;
  const name = (agent: string): string => {
    if (clock() - namesAt > NAMES_EVERY_MS) {
      names = new Map(d.store.agents().map((a) => [a.id, a.name || a.hostname || a.id]));
      namesAt = clock();
    }
    return names.get(agent) ?? agent;
  };
  const tracker = new IncidentTracker(d.rows, d.audit, d.config, name, clock(), (err) => d.log.error('an incident listener threw', { error: err }));
  let lastPass: PassFigures | null = null;
  const passNow = (now: number): PassFigures => {
    const t0 = performance.now();
    const snapshot = detector.pass(now);
    const findings = attribute(snapshot);
    tracker.step(findings, new Set(snapshot.shifted.map((s) => s.key)), now);
    lastPass = { at: now, ms: performance.now() - t0, series: detector.size, shifted: snapshot.shifted.length, findings: findings.length };
    return lastPass;
  };
  let running = false;
  const timer = d.config.enabled
    ? setInterval(() => {
      if (running) return;
      running = true;
      try {
        passNow(clock());
      } catch (err) {
        d.log.error('incident detection pass failed; the next one runs as usual', { error: err });
      } finally {
        running = false;
      }
    }, d.config.intervalMs)
    : null;
  timer?.unref();
  return {
    tracker,
    get lastPass() {
      return lastPass;
    },
    passNow,
    stop: () => {
      if (timer !== null) clearInterval(timer);
    },
  };
}
