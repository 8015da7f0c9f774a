/**
 * Alerts and silences as the collector's API serves them (GET /api/v1/alerts, /api/v1/silences;
 * docs/alerts.md) and the dashboard reads them. Times in ms since the epoch. An alert names its
 * channels only: never a URL or a secret.
 */
import type { Incident } from './incident.ts';

export const ALERT_STATES = ['firing', 'resolved'] as const;
export type AlertState = (typeof ALERT_STATES)[number];

export const NOTIFICATION_KINDS = ['firing', 'resolved', 'repeat'] as const;
/** `repeat`: the firing notification again after repeatInterval, under a new id. */
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

export const DELIVERY_STATES = ['pending', 'delivered', 'failed'] as const;
/** `failed`: given up (a permanent refusal, or retried past giveUpAfter); the reason is kept. */
export type DeliveryState = (typeof DELIVERY_STATES)[number];

/** One notification's way to one channel. */
export interface Delivery {
  /** The notification id: the webhook-id, the email Message-ID, shown in Slack. */
  readonly id: string;
  readonly channel: string;
  readonly kind: NotificationKind;
  readonly state: DeliveryState;
  readonly attempts: number;
  readonly createdAt: number;
  readonly nextAt: number | null;
  readonly deliveredAt: number | null;
  /** Why the last attempt failed; for `failed`, why it was given up. */
  readonly lastError: string | null;
  /** HTTP status or SMTP reply code of the last attempt. */
  readonly lastStatus: number | null;
}

/** A silence: alerts whose labels match every matcher notify nobody between startsAt and endsAt. */
export interface Silence {
  readonly id: string;
  /** label → value; `*` and `?` are wildcards; the label `rule` matches the rule name. */
  readonly matchers: Readonly<Record<string, string>>;
  readonly startsAt: number;
  readonly endsAt: number;
  readonly comment: string;
  readonly createdBy: string;
  readonly createdAt: number;
}

/** Why a firing alert notifies nobody now: a silence, or an open provider incident that explains it. */
export type Suppression = { readonly by: 'silence'; readonly id: string } | { readonly by: 'incident'; readonly id: string } | null;

/** An alert with its suppression and every notification's delivery. */
export interface AlertView {
  readonly id: string;
  readonly rule: string;
  readonly state: AlertState;
  readonly labels: Readonly<Record<string, string>>;
  readonly summary: string;
  readonly startsAt: number;
  readonly endsAt: number | null;
  readonly incident: Incident | null;
  readonly acknowledged: { readonly by: string; readonly at: number; readonly note: string | null } | null;
  readonly suppressed: Suppression;
  readonly deliveries: readonly Delivery[];
}
