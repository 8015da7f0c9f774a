/**
 * The alert engine: every `evaluateEvery`, each rule says what is wrong; conditions are grouped
 * into alerts; an alert fires once, resolves once, and its notifications are queued in the
 * outbox — all of one pass in ONE transaction with its audit entries, so a crash leaves either
 * the whole change or none of it, and the next pass (after a restart too) picks up from the store.
 *
 *   rules ─▶ conditions ─group─▶ ┌ new group            → alert fires (audit alert.fire)
 *                                ├ group gone            → alert resolves (audit alert.resolve) → resolved to every channel told it fired
 *                                └ firing, not silenced/inhibited: first time → firing per channel
 *                                                                  repeatInterval later, unacknowledged → repeat
 */
import type { IncidentSource } from '@sigmascope/protocol/incident';
import type { Logger } from '@sigmascope/protocol/log';
import type { AuditSink } from '../../audit/audit-entry.ts';
import type { AlertRows } from '../../store/rows/alert-rows.ts';
import type { NotificationRows } from '../../store/rows/notification-rows.ts';
import type { SilenceRows } from '../../store/rows/silence-rows.ts';
import type { Alert, Condition, Notification, NotificationKind } from '../alert.ts';
import { labelsKey } from '../label-matchers.ts';
import type { RuleEvaluator } from '../rules/rule-evaluator.ts';
import { newId } from './alert-ids.ts';
import { suppressionOf } from './suppression.ts';

export interface AlertEngineDeps {
  readonly rules: readonly RuleEvaluator[];
  readonly alerts: AlertRows;
  readonly notifications: NotificationRows;
  readonly silences: SilenceRows;
  readonly incidents: IncidentSource;
  readonly audit: AuditSink;
  readonly repeatIntervalMs: number;
  readonly log: Logger;
  readonly clock?: () => number;
  /** Called after a pass that queued notifications, so the outbox sends them at once. */
  readonly onQueued?: () => void;
}

/** What one pass did. */
export interface PassResult {
  readonly fired: number;
  readonly resolved: number;
  readonly queued: number;
}

const ACTOR = 'system';

export class AlertEngine {
  private readonly d: AlertEngineDeps;
  private readonly clock: () => number;
  private readonly byName: ReadonlyMap<string, RuleEvaluator>;
  private timer: ReturnType<typeof setInterval> | null = null;
  private unsubscribe: (() => void) | null = null;

  constructor(deps: AlertEngineDeps) {
    this.d = deps;
    this.clock = deps.clock ?? Date.now;
    this.byName = new Map(deps.rules.map((r) => [r.config.name, r]));
  }

  /** Evaluates every `everyMs` (and at once, and whenever an incident changes) until stop(). */
  start(everyMs: number): void {
    const run = (): void => {
      try {
        this.evaluate();
      } catch (err) {
        this.d.log.error('alert evaluation failed', { err });
      }
    };
    this.timer = setInterval(run, everyMs);
    this.unsubscribe = this.d.incidents.subscribe(() => setImmediate(run));
    setImmediate(run);
  }

  stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    this.unsubscribe?.();
    this.unsubscribe = null;
  }

  /** The kind (`on`) of a rule by name; null for a rule no longer configured. */
  ruleKind(rule: string): string | null {
    return this.byName.get(rule)?.config.on ?? null;
  }

  /** One pass over every rule (see the module comment). */
  evaluate(): PassResult {
    const now = this.clock();
    const firing = this.d.alerts.firing();
    const members = new Set(firing.flatMap((a) => a.members.map((m) => `${a.rule}\u0000${m}`)));
    const groups = new Map<string, { rule: RuleEvaluator; labels: Record<string, string>; conditions: Condition[] }>();
    const evaluated = new Set<string>();
    for (const rule of this.d.rules) {
      const name = rule.config.name;
      let conditions: Condition[];
      try {
        conditions = rule.evaluate(now, (key) => members.has(`${name}\u0000${key}`));
      } catch (err) {
        this.d.log.warn('alert rule failed; its alerts stay as they are', { rule: name, err });
        continue;
      }
      evaluated.add(name);
      for (const c of conditions) {
        const labels = rule.config.groupBy === null ? { ...c.labels } : Object.fromEntries(rule.config.groupBy.map((k) => [k, c.labels[k] ?? '']));
        const groupKey = `${name}\u0000${rule.config.groupBy === null ? c.key : labelsKey(labels)}`;
        const g = groups.get(groupKey) ?? { rule, labels, conditions: [] };
        g.conditions.push(c);
        groups.set(groupKey, g);
      }
    }
    const silences = this.d.silences.active(now);
    const incidents = this.d.incidents.open();
    let fired = 0;
    let resolved = 0;
    let queued = 0;
    this.d.alerts.transaction(() => {
      const byGroup = new Map(firing.map((a) => [a.groupKey, a]));
      const stillFiring: Alert[] = [];
      for (const [groupKey, g] of groups) {
        const conds = [...g.conditions].sort((a, b) => a.since - b.since || a.key.localeCompare(b.key));
        const first = conds[0] as Condition;
        const summary = conds.length === 1 ? first.summary : `${conds.length} at once: ${first.summary}; and ${conds.length - 1} more`;
        const fields = { labels: g.labels, summary, members: conds.map((c) => c.key).sort(), incident: first.incident ?? null };
        const existing = byGroup.get(groupKey);
        if (existing === undefined) {
          const alert: Alert = { id: newId('al'), rule: g.rule.config.name, groupKey, state: 'firing', startsAt: first.since, endsAt: null, notified: false, lastNotifiedAt: null, acknowledged: null, ...fields };
          this.d.alerts.insert(alert);
          this.d.audit.record({ at: now, actor: ACTOR, action: 'alert.fire', target: alert.id, detail: { rule: alert.rule, summary, labels: g.labels } });
          fired++;
          stillFiring.push(alert);
        } else {
          byGroup.delete(groupKey);
          const updated = { ...existing, ...fields };
          if (JSON.stringify([existing.summary, existing.members, existing.labels, existing.incident]) !== JSON.stringify([updated.summary, updated.members, updated.labels, updated.incident])) this.d.alerts.update(updated);
          stillFiring.push(updated);
        }
      }
      // Firing alerts no group claimed: resolved, unless their rule could not be evaluated this time.
      for (const a of byGroup.values()) {
        if (this.byName.has(a.rule) && !evaluated.has(a.rule)) {
          stillFiring.push(a);
          continue;
        }
        const done: Alert = { ...a, state: 'resolved', endsAt: now, members: [] };
        this.d.alerts.update(done);
        this.d.audit.record({ at: now, actor: ACTOR, action: 'alert.resolve', target: a.id, detail: { rule: a.rule, summary: a.summary } });
        resolved++;
        if (a.notified) {
          const told = new Set(this.d.notifications.forAlert(a.id).filter((n) => n.kind !== 'resolved').map((n) => n.channel));
          for (const channel of told) queued += this.queue(done, 'resolved', channel, now);
        }
      }
      for (const a of stillFiring) {
        const rule = this.byName.get(a.rule);
        if (rule === undefined || suppressionOf(a, rule.config.on, silences, incidents, now) !== null) continue;
        const kind: NotificationKind | null = !a.notified ? 'firing' : a.acknowledged === null && now - (a.lastNotifiedAt ?? a.startsAt) >= this.d.repeatIntervalMs ? 'repeat' : null;
        if (kind === null) continue;
        for (const channel of rule.config.channels) queued += this.queue(a, kind, channel, now);
        this.d.alerts.update({ ...a, notified: true, lastNotifiedAt: now });
      }
    });
    if (queued > 0) this.d.onQueued?.();
    return { fired, resolved, queued };
  }

  /** Acknowledges a firing or resolved alert (no more repeats); null for an unknown id. Audited. */
  acknowledge(id: string, actor: string, note: string | null): Alert | null {
    const at = this.clock();
    return this.d.alerts.transaction(() => {
      if (this.d.alerts.get(id) === null) return null;
      this.d.alerts.acknowledge(id, actor, at, note);
      this.d.audit.record({ at, actor, action: 'alert.acknowledge', target: id, ...(note !== null ? { detail: { note } } : {}) });
      return this.d.alerts.get(id);
    });
  }

  private queue(a: Alert, kind: NotificationKind, channel: string, now: number): number {
    const n: Notification = {
      id: newId('msg'), kind, createdAt: now,
      alert: { id: a.id, rule: a.rule, state: a.state, startsAt: a.startsAt, endsAt: a.endsAt, summary: a.summary, labels: a.labels, incident: a.incident },
    };
    return this.d.notifications.enqueue(n, channel) ? 1 : 0;
  }
}
