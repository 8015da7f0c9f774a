import { describe, expect, it } from 'vitest';
import type { IncidentChange } from '@sigmascope/protocol/incident';
import { MemoryAuditSink } from '../../audit/audit-entry.ts';
import { IncidentRows } from '../../store/rows/incident-rows.ts';
import { openDatabase } from '../../store/schema/sqlite-db.ts';
import { scratchDirs } from '../../../../tests/support/scratch-dirs.ts';
import type { Finding } from '../attribution/attribute.ts';
import { DEFAULT_INCIDENTS_CONFIG } from '../incidents-config.ts';
import { IncidentTracker } from './incident-tracker.ts';

const freshDir = scratchDirs('incident-tracker-');
const T = Date.UTC(2025, 0, 1, 12);
const PASS = DEFAULT_INCIDENTS_CONFIG.intervalMs;

function finding(cause: Finding['cause'], agents: string[], provider: string | null = null): Finding {
  const signals = agents.map((agent) => ({
    key: `${agent}|ttft|${provider}`, agent, role: 'probe' as const, phase: 'ttft' as const, provider, model: null, name: 'gen_ai.client.operation.time_to_first_chunk', onset: T - 10_000,
    evidence: { agent, name: 'gen_ai.client.operation.time_to_first_chunk', labels: {}, baseline: 0.4, current: 0.9, shift: 2.25, score: 7 },
  }));
  return { cause, confidence: cause === 'unknown' ? 0.3 : 0.9, scope: { provider, model: null, agents }, startedAt: T - 10_000, signals, vantage: cause === 'provider' ? { probing: agents.length, degraded: agents.length } : null };
}

function setup(dir = freshDir()) {
  const { db } = openDatabase(dir);
  const rows = new IncidentRows(db);
  const audit = new MemoryAuditSink();
  const tracker = new IncidentTracker(rows, audit, DEFAULT_INCIDENTS_CONFIG, (a) => `host ${a}`, T);
  const changes: IncidentChange[] = [];
  tracker.subscribe((c) => changes.push(c));
  return { db, rows, audit, tracker, changes, dir };
}

/** Runs passes from `from` to `to`, each seeing `findings(now)`; shifted keys are those of the findings. */
function passes(tracker: IncidentTracker, from: number, to: number, findings: (now: number) => Finding[]): void {
  for (let now = from; now <= to; now += PASS) {
    const fs = findings(now);
    tracker.step(fs, new Set(fs.flatMap((f) => f.signals.map((s) => s.key))), now);
  }
}

describe('incident tracker', () => {
  it('opens after the settle time, once, writes before it tells, and resolves after its signals stay quiet', () => {
    const { rows, audit, tracker, changes } = setup();
    const f = finding('provider', ['a', 'b', 'c'], 'openai');
    passes(tracker, T, T + DEFAULT_INCIDENTS_CONFIG.settleMs - PASS, () => [f]);
    expect(tracker.open()).toEqual([]);
    let seenInRows = false;
    tracker.subscribe((c) => (seenInRows = rows.get(c.incident.id)?.state === c.incident.state));
    passes(tracker, T + DEFAULT_INCIDENTS_CONFIG.settleMs, T + 120_000, () => [f]);
    expect(seenInRows).toBe(true);
    expect(changes.map((c) => c.kind)).toEqual(['opened', 'updated']);
    const [open] = tracker.open();
    expect(open).toMatchObject({ state: 'open', cause: 'provider', openedAt: T + DEFAULT_INCIDENTS_CONFIG.settleMs, startedAt: T - 10_000, scope: { provider: 'openai', agents: ['a', 'b', 'c'] } });
    expect(open?.summary).toContain('openai is slower at 3 of 3 vantage points');
    // Quiet: resolved only after resolveAfterMs.
    passes(tracker, T + 125_000, T + 125_000 + DEFAULT_INCIDENTS_CONFIG.resolveAfterMs - PASS, () => []);
    expect(tracker.open()).toHaveLength(1);
    passes(tracker, T + 125_000 + DEFAULT_INCIDENTS_CONFIG.resolveAfterMs, T + 125_000 + DEFAULT_INCIDENTS_CONFIG.resolveAfterMs, () => []);
    expect(tracker.open()).toEqual([]);
    expect(rows.get(open?.id as string)).toMatchObject({ state: 'resolved', resolvedAt: T + 125_000 + DEFAULT_INCIDENTS_CONFIG.resolveAfterMs });
    expect(audit.entries.map((e) => `${e.actor} ${e.action}`)).toEqual(['system incident.open', 'system incident.resolve']);
  });

  it('a signal flapping once a minute for twenty minutes is one incident', () => {
    const { rows, tracker } = setup();
    const f = finding('host', ['gpu-3']);
    passes(tracker, T, T + 20 * 60_000, (now) => (Math.floor((now - T) / 60_000) % 2 === 0 ? [f] : []));
    expect(rows.list({ from: 0, to: Number.MAX_SAFE_INTEGER, state: 'all', limit: 10 })).toHaveLength(1);
  });

  it('an unknown finding must hold longer; a brief one opens nothing', () => {
    const { tracker } = setup();
    const f = finding('unknown', ['gpu-5'], 'openai');
    passes(tracker, T, T + 30_000, () => [f]);
    passes(tracker, T + 35_000, T + 60_000, () => []);
    expect(tracker.open()).toEqual([]);
    passes(tracker, T + 65_000, T + 65_000 + DEFAULT_INCIDENTS_CONFIG.unknownSettleMs, () => [f]);
    expect(tracker.open().map((i) => i.cause)).toEqual(['unknown']);
  });

  it('keeps its cause against a lingering tail of unknown findings, and takes a clearer cause', () => {
    const { tracker } = setup();
    passes(tracker, T, T + 30_000, () => [finding('provider', ['a', 'b', 'c'], 'openai')]);
    passes(tracker, T + 35_000, T + 60_000, () => [finding('unknown', ['a'], 'openai')]);
    expect(tracker.open().map((i) => i.cause)).toEqual(['provider']);
    const t2 = setup().tracker;
    passes(t2, T, T + 70_000, () => [finding('unknown', ['a'], 'openai')]);
    passes(t2, T + 75_000, T + 80_000, () => [finding('provider', ['a', 'b', 'c'], 'openai')]);
    expect(t2.open().map((i) => i.cause)).toEqual(['provider']);
  });

  it('acknowledges and resolves with a note through the audit sink; resolved by a person, it does not open again at once', () => {
    const { audit, tracker, changes } = setup();
    const f = finding('network', ['gpu-7'], 'openai');
    passes(tracker, T, T + 30_000, () => [f]);
    const id = (tracker.open()[0] as { id: string }).id;
    expect(tracker.setState('inc_nope', 'acknowledged', null, 'ops', T)).toEqual({ ok: false, status: 404, message: 'no incident inc_nope' });
    expect(tracker.setState(id, 'acknowledged', 'looking', 'ops', T + 31_000)).toMatchObject({ ok: true, incident: { state: 'acknowledged', note: 'looking' } });
    expect(tracker.setState(id, 'resolved', 'ISP fixed it', 'ops', T + 32_000)).toMatchObject({ ok: true, incident: { state: 'resolved', note: 'ISP fixed it', resolvedAt: T + 32_000 } });
    expect(tracker.setState(id, 'acknowledged', null, 'ops', T + 33_000)).toMatchObject({ ok: false, status: 409 });
    passes(tracker, T + 35_000, T + 120_000, () => [f]);
    expect(tracker.open()).toEqual([]);
    expect(changes.map((c) => c.kind)).toEqual(['opened', 'acknowledged', 'resolved']);
    expect(audit.entries.slice(1).map((e) => [e.actor, e.action, e.target, e.detail?.note])).toEqual([['ops', 'incident.acknowledge', id, 'looking'], ['ops', 'incident.resolve', id, 'ISP fixed it']]);
  });

  it('a restarted collector goes on with the incidents left open', () => {
    const first = setup();
    const f = finding('host', ['gpu-9']);
    passes(first.tracker, T, T + 30_000, () => [f]);
    const id = (first.tracker.open()[0] as { id: string }).id;
    first.db.close();
    const again = setup(first.dir);
    expect(again.tracker.open().map((i) => i.id)).toEqual([id]);
    passes(again.tracker, T + 40_000, T + 60_000, () => [f]);
    expect(again.tracker.open().map((i) => i.id)).toEqual([id]);
    expect(again.changes.map((c) => c.kind)).not.toContain('opened');
  });
});
