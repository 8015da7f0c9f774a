/**
 * run.json (DESIGN.md "Benchmarks and experiments"): provenance, then the summary per target.
 * `config` is the resolved suite (dataset records included, keys only by reference) whose
 * canonical JSON `config_sha256` hashes; `bench replay` runs it again.
 */
import type { SummaryWithStages } from '@sigmascope/protocol/bench-records';
import type { ResolvedSuite } from '../suite/suite.ts';
import type { HostRecord, Versions } from './provenance.ts';

export interface RunRecord {
  readonly id: string;
  readonly suite: { readonly name: string; readonly sha256: string; readonly path: string | null };
  readonly dataset: { readonly sha256: string; readonly count: number; readonly source: 'file' | 'inline'; readonly path: string | null };
  readonly config_sha256: string;
  readonly config: ResolvedSuite;
  readonly seed: number;
  readonly versions: Versions;
  readonly host: HostRecord;
  readonly startedAt: string;
  readonly endedAt: string;
  /** Warm-up requests per target, sent first and excluded from requests.jsonl and the summary. */
  readonly warmup: { readonly requests: number; readonly excluded: true };
  /** True when the run was stopped (Ctrl-C) before its limits: it holds what finished. */
  readonly interrupted: boolean;
  /** The run this one replays, when it is a replay. */
  readonly replay_of: string | null;
  readonly summary: Readonly<Record<string, SummaryWithStages>>;
}
