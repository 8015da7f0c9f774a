/**
 * The alert vocabulary every part of collector/src/alerts shares (docs/alerts.md):
 *
 *   rule ──evaluate(now)──▶ Condition[] (what is wrong now, one per series / agent / incident)
 *        ──grouped by the rule's groupBy──▶ Alert (fires once, resolves once)
 *        ──per channel──▶ Notification (queued in the outbox, same id on every retry)
 */
import type { Incident } from '@sigmascope/protocol/incident';

import type { AlertState, NotificationKind } from '@sigmascope/protocol/alert-view';

export type { AlertState, Delivery, DeliveryState, NotificationKind, Silence } from '@sigmascope/protocol/alert-view';

/** One thing a rule finds wrong at an evaluation. */
export interface Condition {
  /** Stable across evaluations for the same thing (series, agent, incident): hysteresis and grouping key on it. */
  readonly key: string;
  /** Labels for matching (silences, inhibition, groupBy); `agent` is the agent id when there is one. */
  readonly labels: Readonly<Record<string, string>>;
  /** One sentence a person reads in a notification. */
  readonly summary: string;
  /** When the condition began (ms), as well as the data tells. */
  readonly since: number;
  /** The incident an `incident` rule matched. */
  readonly incident?: Incident;
}

/** An alert as stored and served. */
export interface Alert {
  readonly id: string;
  readonly rule: string;
  /** Rule name plus the values of its groupBy labels: one firing alert per group key. */
  readonly groupKey: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly summary: string;
  readonly state: AlertState;
  readonly startsAt: number;
  readonly endsAt: number | null;
  /** Keys of the conditions currently grouped into this alert (empty once resolved). */
  readonly members: readonly string[];
  readonly incident: Incident | null;
  /** True once its firing notifications were queued: only then is a resolve sent. */
  readonly notified: boolean;
  readonly lastNotifiedAt: number | null;
  readonly acknowledged: { readonly by: string; readonly at: number; readonly note: string | null } | null;
}

/** What every channel renders: a snapshot of the alert taken when the notification was queued. */
export interface Notification {
  /** Stable for this notification: the webhook-id, the email Message-ID, shown in Slack. */
  readonly id: string;
  readonly kind: NotificationKind;
  /** When it was queued (ms). */
  readonly createdAt: number;
  readonly alert: {
    readonly id: string;
    readonly rule: string;
    readonly state: AlertState;
    readonly startsAt: number;
    readonly endsAt: number | null;
    readonly summary: string;
    readonly labels: Readonly<Record<string, string>>;
    readonly incident: Incident | null;
  };
}
