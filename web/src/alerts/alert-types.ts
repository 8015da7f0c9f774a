/** The JSON of GET /api/v1/alerts and /api/v1/silences (docs/api.md), as the dashboard reads it. */
export interface DeliveryJson {
  readonly id: string;
  readonly channel: string;
  readonly kind: 'firing' | 'resolved' | 'repeat';
  readonly state: 'pending' | 'delivered' | 'failed';
  readonly attempts: number;
  readonly createdAt: number;
  readonly nextAt: number | null;
  readonly deliveredAt: number | null;
  readonly lastError: string | null;
  readonly lastStatus: number | null;
}

export interface AlertJson {
  readonly id: string;
  readonly rule: string;
  readonly state: 'firing' | 'resolved';
  readonly labels: Readonly<Record<string, string>>;
  readonly summary: string;
  readonly startsAt: number;
  readonly endsAt: number | null;
  readonly acknowledged: { readonly by: string; readonly at: number; readonly note: string | null } | null;
  readonly suppressed: { readonly by: 'silence' | 'incident'; readonly id: string } | null;
  readonly deliveries: readonly DeliveryJson[];
}

export interface SilenceJson {
  readonly id: string;
  readonly matchers: Readonly<Record<string, string>>;
  readonly startsAt: number;
  readonly endsAt: number;
  readonly comment: string;
  readonly createdBy: string;
  readonly createdAt: number;
}
