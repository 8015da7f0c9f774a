/**
 * Turns each detector pass's findings into incidents with a life: a finding must hold for a
 * while before its incident opens, later findings about the same fault update it instead of
 * opening another, and it resolves only once all its signals have been back in control for
 * `resolveAfterMs`, so a flapping signal keeps one incident open instead of opening one a minute.
 * People acknowledge or resolve with a note (recorded through the AuditSink); the collector's
 * own opens and resolves are recorded too, as `system`.
 *
 * The IncidentSource of the alerting side: `open()` and `subscribe()`; a listener hears of a
 * change after its row is written.
 */
import type { Incident, IncidentChange, IncidentChangeKind, IncidentSource } from '@sigmascope/protocol/incident';
import type { AuditSink } from '../../audit/audit-entry.ts';
import type { IncidentRecord, IncidentRows } from '../../store/rows/incident-rows.ts';
import type { Finding } from '../attribution/attribute.ts';
import { summarize } from '../attribution/summary.ts';
import type { IncidentsConfig } from '../incidents-config.ts';
import { absorb, matchScore, newTrack } from './track.ts';
import type { Track } from './track.ts';

/** Evidence kept per incident, strongest first. */
export const MAX_EVIDENCE = 60;
/** Evidence of an open incident is rewritten at most this often while it only changes in value (ms). */
const EVIDENCE_EVERY_MS = 60_000;

export type TrackerSettings = Pick<IncidentsConfig, 'intervalMs' | 'settleMs' | 'unknownSettleMs' | 'resolveAfterMs'>;

/** The outcome of a person's change: the incident, or why not. */
export type StateChange = { ok: true; incident: Incident } | { ok: false; status: 404 | 409; message: string };

export class IncidentTracker implements IncidentSource {
  private readonly rows: IncidentRows;
  private readonly audit: AuditSink;
  private readonly o: TrackerSettings;
  private readonly name: (agent: string) => string;
  private tracks: Track[] = [];
  private readonly listeners = new Set<(change: IncidentChange) => void>();
  private readonly onListenerError: (err: unknown) => void;

  /** Loads the incidents left open by a previous run: they go on, and resolve once their signals stay quiet. */
  constructor(rows: IncidentRows, audit: AuditSink, settings: TrackerSettings, name: (agent: string) => string, now: number, onListenerError: (err: unknown) => void = () => {}) {
    this.rows = rows;
    this.audit = audit;
    this.o = settings;
    this.name = name;
    this.onListenerError = onListenerError;
    for (const r of rows.unresolved()) this.tracks.push(restored(r, now));
  }

  open(): readonly Incident[] {
    return this.tracks.flatMap((t) => (t.incident !== null && t.incident.state !== 'resolved' ? [t.incident] : []));
  }

  subscribe(listener: (change: IncidentChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** One pass: `findings` of the pass at `now`, `shifted` the keys of every signal shifted now. */
  step(findings: readonly Finding[], shifted: ReadonlySet<string>, now: number): void {
    for (const f of findings) {
      let best: Track | null = null;
      let score = 0;
      for (const t of this.tracks) {
        const s = matchScore(t, f);
        if (s > score) [best, score] = [t, s];
      }
      if (best === null) this.tracks.push(newTrack(f, now));
      else if (absorb(best, f, now) && best.incident !== null && !best.absorbing) this.save(best, now, 'updated');
    }
    const kept: Track[] = [];
    for (const t of this.tracks) {
      let moving = false;
      for (const k of t.keys) if (shifted.has(k)) { moving = true; break; }
      t.quietSince = moving ? null : (t.quietSince ?? now);
      if (t.incident === null) {
        // Pending: it opens once its finding held long enough, and is forgotten when it stops showing.
        if (now - t.lastSeen > 2 * this.o.intervalMs) continue;
        if (t.lastSeen === now && now - t.firstSeen >= (t.cause === 'unknown' ? this.o.unknownSettleMs : this.o.settleMs)) this.openIncident(t, now);
        kept.push(t);
        continue;
      }
      const quietFor = t.quietSince === null ? 0 : now - t.quietSince;
      if (t.absorbing) {
        if (quietFor < this.o.resolveAfterMs) kept.push(t);
        continue;
      }
      if (quietFor >= this.o.resolveAfterMs) {
        this.resolve(t, now, 'system', null);
        continue;
      }
      if (t.lastSeen === now && now - t.savedAt >= EVIDENCE_EVERY_MS) this.save(t, now, 'updated');
      kept.push(t);
    }
    this.tracks = kept;
  }

  /** A person acknowledges or resolves an incident, with an optional note. */
  setState(id: string, state: 'acknowledged' | 'resolved', note: string | null, actor: string, now: number): StateChange {
    const t = this.tracks.find((x) => x.incident?.id === id && !x.absorbing);
    if (t === undefined) {
      const stored = this.rows.get(id);
      if (stored === null) return { ok: false, status: 404, message: `no incident ${id}` };
      if (stored.state === state) return { ok: true, incident: stored };
      return { ok: false, status: 409, message: `incident ${id} is resolved; it cannot be ${state} again` };
    }
    const current = t.incident as Incident;
    if (current.state === state) return { ok: true, incident: current };
    if (state === 'resolved') {
      this.resolve(t, now, actor, note);
      // Its signals may still move: the track absorbs them until they are quiet, so it does not open again at once.
      if (t.quietSince === null || now - t.quietSince < this.o.resolveAfterMs) {
        t.absorbing = true;
        this.tracks = this.tracks.filter((x) => x !== t).concat(t);
      } else this.tracks = this.tracks.filter((x) => x !== t);
      return { ok: true, incident: t.incident as Incident };
    }
    t.incident = { ...current, state: 'acknowledged', note };
    this.write(t, now, 'acknowledged', actor, 'incident.acknowledge', note);
    return { ok: true, incident: t.incident };
  }

  private openIncident(t: Track, now: number): void {
    t.incident = { id: incidentId(now), state: 'open', startedAt: t.startedAt, openedAt: now, resolvedAt: null, cause: t.cause, confidence: t.confidence, scope: { provider: null, model: null, agents: [] }, summary: '', evidence: [], note: null };
    this.save(t, now, 'opened');
  }

  private resolve(t: Track, now: number, actor: string, note: string | null): void {
    const current = t.incident as Incident;
    t.incident = { ...current, state: 'resolved', resolvedAt: now, ...(actor === 'system' ? {} : { note }) };
    this.write(t, now, 'resolved', actor, 'incident.resolve', note);
  }

  /** Brings the incident up to date with the track's finding, then writes it and tells. */
  private save(t: Track, now: number, kind: IncidentChangeKind): void {
    const f = t.finding;
    const scope = { provider: f.scope.provider, model: f.scope.model, agents: [...t.agents].sort() };
    const current = t.incident as Incident;
    // A track restored after a restart has no finding of this run yet: it keeps what was written.
    const fresh = f.signals.length > 0;
    t.incident = {
      ...current, startedAt: Math.min(current.startedAt, t.startedAt), cause: t.cause, confidence: t.confidence, scope,
      summary: fresh ? summarize({ ...f, cause: t.cause, scope }, this.name) : current.summary,
      evidence: fresh ? f.signals.slice(0, MAX_EVIDENCE).map((s) => s.evidence) : current.evidence,
    };
    this.write(t, now, kind, 'system', kind === 'opened' ? 'incident.open' : null, null);
  }

  private write(t: Track, now: number, kind: IncidentChangeKind, actor: string, action: string | null, note: string | null): void {
    const incident = t.incident as Incident;
    this.rows.save({ incident, signals: [...t.keys] }, now);
    t.savedAt = now;
    if (action !== null) this.audit.record({ at: now, actor, action, target: incident.id, detail: { cause: incident.cause, summary: incident.summary, ...(note !== null ? { note } : {}) } });
    for (const listener of this.listeners) {
      try {
        listener({ kind, incident });
      } catch (err) {
        this.onListenerError(err);
      }
    }
  }
}

/** A track for an incident a previous run left open: quiet from now on until its signals say otherwise. */
function restored(r: IncidentRecord, now: number): Track {
  const i = r.incident;
  const finding: Finding = { cause: i.cause, confidence: i.confidence, scope: i.scope, startedAt: i.startedAt, signals: [], vantage: null };
  return {
    incident: i, cause: i.cause, confidence: i.confidence, finding, keys: new Set(r.signals), agents: new Set(i.scope.agents), startedAt: i.startedAt,
    firstSeen: i.openedAt, lastSeen: now, quietSince: now, absorbing: false, savedAt: now,
  };
}

/** A sortable, unguessable-enough id: `inc_` + ms in base 36 + 6 random hex digits. */
function incidentId(now: number): string {
  return `inc_${now.toString(36)}${Math.floor(Math.random() * 0x1000000).toString(16).padStart(6, '0')}`;
}
