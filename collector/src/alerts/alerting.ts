/**
 * Alerting, assembled: rules (rules/) → engine (engine/) → outbox (outbox/) → channels
 * (channels/), on the collector's SQLite file, with every state change in the audit log. The
 * collector's main.ts builds one and starts it; the API routes (api/alert-routes.ts) read and act
 * through it. Never serves a channel's URL or secret: views name channels only.
 */
import type { IncidentSource } from '@sigmascope/protocol/incident';
import type { Logger } from '@sigmascope/protocol/log';
import type { AuditSink } from '../audit/audit-entry.ts';
import { AlertRows } from '../store/rows/alert-rows.ts';
import { NotificationRows } from '../store/rows/notification-rows.ts';
import { SilenceRows } from '../store/rows/silence-rows.ts';
import type { SqliteDb } from '../store/schema/sqlite-db.ts';
import type { AlertView } from '@sigmascope/protocol/alert-view';
import type { Alert, AlertState, Silence } from './alert.ts';
import { channelFor } from './channels/channel-types.ts';
import type { Channel } from './channels/channel.ts';
import type { AlertsConfig } from './config/alerts-config.ts';
import { AlertEngine } from './engine/alert-engine.ts';
import { newId } from './engine/alert-ids.ts';
import { suppressionOf } from './engine/suppression.ts';
import { Outbox } from './outbox/outbox.ts';
import { ruleEvaluator } from './rules/rule-kinds.ts';
import type { RuleContext } from './rules/rule-evaluator.ts';


export interface AlertingDeps {
  readonly config: AlertsConfig;
  readonly db: SqliteDb;
  readonly store: RuleContext['store'];
  readonly connectedAgents: () => ReadonlySet<string>;
  readonly incidents: IncidentSource;
  readonly audit: AuditSink;
  readonly log: Logger;
  readonly clock?: () => number;
  /** Channels by name instead of those the config describes (tests). */
  readonly channels?: ReadonlyMap<string, Channel>;
}

export class Alerting {
  readonly engine: AlertEngine;
  readonly outbox: Outbox;
  private readonly d: AlertingDeps;
  private readonly clock: () => number;
  private readonly alerts: AlertRows;
  private readonly notifications: NotificationRows;
  private readonly silences: SilenceRows;

  constructor(deps: AlertingDeps) {
    this.d = deps;
    this.clock = deps.clock ?? Date.now;
    this.alerts = new AlertRows(deps.db);
    this.notifications = new NotificationRows(deps.db);
    this.silences = new SilenceRows(deps.db);
    const ctx: RuleContext = { store: deps.store, connectedAgents: deps.connectedAgents, incidents: deps.incidents };
    const channels = deps.channels ?? new Map(deps.config.channels.map((c) => [c.name, channelFor(c, deps.config.delivery)]));
    this.outbox = new Outbox({ rows: this.notifications, channels, delivery: deps.config.delivery, log: deps.log, clock: this.clock });
    this.engine = new AlertEngine({
      rules: deps.config.rules.map((r) => ruleEvaluator(r, ctx)), alerts: this.alerts, notifications: this.notifications, silences: this.silences,
      incidents: deps.incidents, audit: deps.audit, repeatIntervalMs: deps.config.repeatIntervalMs, log: deps.log, clock: this.clock, onQueued: () => this.outbox.wake(),
    });
  }

  start(): void {
    this.outbox.start();
    this.engine.start(this.d.config.evaluateEveryMs);
  }

  async stop(): Promise<void> {
    this.engine.stop();
    await this.outbox.stop();
  }

  /** Alerts overlapping [from, to], newest first, each with its suppression and deliveries. */
  list(filter: { state: AlertState | 'all'; from: number; to: number; limit: number }): AlertView[] {
    const now = this.clock();
    const silences = this.silences.active(now);
    const incidents = this.d.incidents.open();
    return this.alerts.list({ ...filter, now }).map((a) => this.view(a, silences, incidents, now));
  }

  /** Acknowledges an alert as `actor`; null when there is none with that id. */
  acknowledge(id: string, actor: string, note: string | null): AlertView | null {
    const a = this.engine.acknowledge(id, actor, note);
    const now = this.clock();
    return a === null ? null : this.view(a, this.silences.active(now), this.d.incidents.open(), now);
  }

  /** Creates a silence (audited as silence.create); the next evaluation honours it. */
  createSilence(input: { matchers: Record<string, string>; startsAt: number; endsAt: number; comment: string }, actor: string): Silence {
    const now = this.clock();
    const s: Silence = { id: newId('sil'), ...input, createdBy: actor, createdAt: now };
    this.alerts.transaction(() => {
      this.silences.insert(s);
      this.d.audit.record({ at: now, actor, action: 'silence.create', target: s.id, detail: { matchers: s.matchers, startsAt: s.startsAt, endsAt: s.endsAt, comment: s.comment } });
    });
    return s;
  }

  /** Silences, newest first; `active` keeps those in force now, `expired` those over. */
  listSilences(state: 'active' | 'expired' | 'all', limit: number): Silence[] {
    const now = this.clock();
    return this.silences.list(limit).filter((s) => state === 'all' || (state === 'active' ? s.endsAt > now : s.endsAt <= now));
  }

  /** Ends a silence now (audited as silence.expire); null when unknown, false when already over. */
  expireSilence(id: string, actor: string): Silence | null | false {
    const now = this.clock();
    return this.alerts.transaction(() => {
      if (this.silences.get(id) === null) return null;
      if (!this.silences.expire(id, now)) return false;
      this.d.audit.record({ at: now, actor, action: 'silence.expire', target: id });
      return this.silences.get(id);
    });
  }

  private view(a: Alert, silences: readonly Silence[], incidents: ReturnType<IncidentSource['open']>, now: number): AlertView {
    const { groupKey: _g, notified: _n, lastNotifiedAt: _l, members: _m, ...rest } = a;
    const kind = this.engine.ruleKind(a.rule);
    return { ...rest, suppressed: a.state === 'firing' && kind !== null ? suppressionOf(a, kind, silences, incidents, now) : null, deliveries: this.notifications.forAlert(a.id) };
  }
}
