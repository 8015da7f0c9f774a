/**
 * A benchmark suite as `bench run` executes it: validated, defaults applied, frozen. This resolved
 * form (with the dataset's records and hash, never a key) is what run.json records as `config`,
 * what its `config_sha256` hashes, and what `bench replay` runs again.
 */
import type { ProviderName } from '@sigmascope/agent/probes/registry';

/** One expectation on a completion (the dataset's `expect`). */
export type Expectation =
  | { readonly equals: string }
  | { readonly contains: string }
  | { readonly regex: string }
  | { readonly json_schema: Readonly<Record<string, unknown>> };

/** One prompt of the dataset. */
export interface DatasetRecord {
  readonly id: string;
  readonly prompt: string;
  readonly expect?: Expectation;
}

/**
 * Where a target's key comes from: `env:NAME` is an environment variable, anything else the name
 * of a key store entry (`sigmascope keys set NAME`). The key itself never appears in a suite.
 */
export interface SuiteTarget {
  readonly name: string;
  readonly provider: ProviderName;
  readonly url: string | null;
  readonly model: string;
  readonly key: string | null;
}

export const PROFILE_TYPES = ['synchronous', 'concurrent', 'constant', 'poisson', 'sweep'] as const;
export type ProfileType = (typeof PROFILE_TYPES)[number];

/**
 * How requests are sent to each target. `requests` is per target (per stage for a sweep), and
 * `duration` (seconds) likewise; whichever comes first ends it. `warmup` requests go first,
 * synchronously, and are excluded from everything measured.
 */
export interface LoadProfile {
  readonly type: ProfileType;
  readonly concurrency: number | null;
  readonly rate: number | null;
  readonly rates: readonly number[] | null;
  readonly requests: number | null;
  readonly duration: number | null;
  readonly warmup: number;
}

export interface Slo {
  readonly ttft_ms: number | null;
  readonly tpot_ms: number | null;
  readonly e2e_ms: number | null;
}

export interface ResolvedSuite {
  readonly name: string;
  readonly seed: number;
  readonly targets: readonly SuiteTarget[];
  readonly dataset: { readonly source: 'file' | 'inline'; readonly path: string | null; readonly sha256: string; readonly records: readonly DatasetRecord[] };
  readonly profile: LoadProfile;
  readonly maxTokens: number;
  readonly slo: Slo;
}
