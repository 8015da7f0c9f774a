/**
 * The dashboard's reads of benchmark runs (collector /api/v1/runs…), with the shapes it uses.
 * Same-origin requests: the session cookie authenticates them. A failure is an Error whose
 * message a page shows as it is.
 */
import type { CompareResult, RequestSample } from '@sigmascope/protocol/stats/run-comparison';
import type { RunListing, SummaryWithStages } from '@sigmascope/protocol/bench-records';

/** The parts of run.json the pages show. */
export interface StoredRun {
  readonly id: string;
  readonly suite: { readonly name: string; readonly sha256: string };
  readonly dataset: { readonly sha256: string; readonly count: number; readonly source: string };
  readonly config_sha256: string;
  readonly seed: number;
  readonly versions: { readonly sigmascope: string; readonly node: string; readonly platform: string };
  readonly host: { readonly hostname: string; readonly inventory: { readonly cpu: { readonly model: string | null } } | null; readonly gpus: { readonly gpus: readonly { readonly name: string | null }[] } | null };
  readonly startedAt: string;
  readonly endedAt: string;
  readonly interrupted: boolean;
  readonly warmup: { readonly requests: number };
  readonly config: { readonly profile: { readonly type: string } };
  readonly summary: Readonly<Record<string, SummaryWithStages>>;
}

async function get<T>(url: string): Promise<T> {
  const res = await fetch(url, { headers: { accept: 'application/json' } });
  if (res.status === 401 || res.status === 403) throw new Error('not signed in: open the dashboard link that `sigmascope start` printed');
  if (!res.ok) {
    const body = (await res.json().catch(() => null)) as { error?: { message?: string } } | null;
    throw new Error(body?.error?.message ?? `HTTP ${res.status}`);
  }
  return (await res.json()) as T;
}

/** Uploaded runs, newest first. */
export const listRuns = (): Promise<readonly RunListing[]> => get<{ runs: RunListing[] }>('/api/v1/runs').then((r) => r.runs);
/** One run and its requests. */
export const fetchRun = (id: string): Promise<{ run: StoredRun; requests: RequestSample[] }> => get(`/api/v1/runs/${encodeURIComponent(id)}`);
/** B against baseline A, as `bench compare` computes it. */
export const fetchComparison = (a: string, b: string): Promise<CompareResult> => get(`/api/v1/runs/compare?a=${encodeURIComponent(a)}&b=${encodeURIComponent(b)}`);
