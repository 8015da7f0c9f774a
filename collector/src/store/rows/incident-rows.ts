/**
 * Incident rows (schema: features/incidents.ts): the incidents the collector found, as the API
 * serves them, with the keys of the signals each rests on. Written by the incident tracker on
 * every change; read by the API and, at start-up, by the tracker for the incidents still open.
 */
import type { Statement } from 'better-sqlite3';
import type { Incident, IncidentCause, IncidentEvidence, IncidentState } from '@sigmascope/protocol/incident';
import type { SqliteDb } from '../schema/sqlite-db.ts';

/** An incident with the keys of its signals (collector/src/incidents/detection/detector.ts, signalKey). */
export interface IncidentRecord {
  readonly incident: Incident;
  readonly signals: readonly string[];
}

/** Which incidents a list wants: `open` means not resolved (open or acknowledged). */
export interface IncidentFilter {
  /** Incidents active at some time in [from, to]: started by `to`, not resolved before `from`. */
  readonly from: number;
  readonly to: number;
  readonly state: IncidentState | 'all';
  readonly cause?: IncidentCause;
  readonly limit: number;
}

interface Row {
  id: string; state: IncidentState; started_at: number; opened_at: number; resolved_at: number | null; cause: IncidentCause; confidence: number;
  provider: string | null; model: string | null; agents: string; summary: string; evidence: string; note: string | null; signals: string;
}

const COLUMNS = 'id, state, started_at, opened_at, resolved_at, cause, confidence, provider, model, agents, summary, evidence, note, signals';

export class IncidentRows {
  private readonly s: Record<'upsert' | 'get' | 'unresolved' | 'list', Statement>;

  constructor(db: SqliteDb) {
    this.s = {
      upsert: db.prepare(
        `insert into incidents (${COLUMNS}, updated_at) values (@id, @state, @started_at, @opened_at, @resolved_at, @cause, @confidence, @provider, @model, @agents, @summary, @evidence, @note, @signals, @updated_at)
         on conflict (id) do update set state = excluded.state, started_at = excluded.started_at, resolved_at = excluded.resolved_at, cause = excluded.cause,
           confidence = excluded.confidence, provider = excluded.provider, model = excluded.model, agents = excluded.agents, summary = excluded.summary,
           evidence = excluded.evidence, note = excluded.note, signals = excluded.signals, updated_at = excluded.updated_at`,
      ),
      get: db.prepare(`select ${COLUMNS} from incidents where id = ?`),
      unresolved: db.prepare(`select ${COLUMNS} from incidents where state != 'resolved' order by started_at`),
      list: db.prepare(
        `select ${COLUMNS} from incidents
         where started_at <= @to and (resolved_at is null or resolved_at >= @from)
           and (@state = 'all' or (@state = 'open' and state != 'resolved') or state = @state) and (@cause is null or cause = @cause)
         order by started_at desc, id desc limit @limit`,
      ),
    };
  }

  /** Writes an incident as it stands now (insert or replace). */
  save(r: IncidentRecord, at: number): void {
    const i = r.incident;
    this.s.upsert.run({
      id: i.id, state: i.state, started_at: i.startedAt, opened_at: i.openedAt, resolved_at: i.resolvedAt, cause: i.cause, confidence: i.confidence,
      provider: i.scope.provider, model: i.scope.model, agents: JSON.stringify(i.scope.agents), summary: i.summary, evidence: JSON.stringify(i.evidence),
      note: i.note ?? null, signals: JSON.stringify(r.signals), updated_at: at,
    });
  }

  get(id: string): Incident | null {
    const row = this.s.get.get(id) as Row | undefined;
    return row === undefined ? null : toIncident(row);
  }

  /** Incidents not resolved, oldest first, with their signals. */
  unresolved(): IncidentRecord[] {
    return (this.s.unresolved.all() as Row[]).map((row) => ({ incident: toIncident(row), signals: JSON.parse(row.signals) as string[] }));
  }

  /** Newest first (by estimated onset). */
  list(f: IncidentFilter): Incident[] {
    return (this.s.list.all({ from: f.from, to: f.to, state: f.state, cause: f.cause ?? null, limit: f.limit }) as Row[]).map(toIncident);
  }
}

function toIncident(r: Row): Incident {
  return {
    id: r.id, state: r.state, startedAt: r.started_at, openedAt: r.opened_at, resolvedAt: r.resolved_at, cause: r.cause, confidence: r.confidence,
    scope: { provider: r.provider, model: r.model, agents: JSON.parse(r.agents) as string[] }, summary: r.summary,
    evidence: JSON.parse(r.evidence) as IncidentEvidence[], note: r.note,
  };
}
