/**
 * One benchmark run, start to end: a run folder, the host's inventory, then every target in the
 * suite's order, one after another (so targets never compete for this host's CPU or network),
 * each through the same stages and the same arrival schedule (one seed for all) over its own
 * keep-alive connections (closed when it is done), and last run.json with its summaries. An abort (Ctrl-C) stops sending, keeps every request that
 * finished, and still writes run.json, marked interrupted.
 */
import { randomBytes } from 'node:crypto';
import { warmUpTransport } from '@sigmascope/agent/probes/http-transport';
import { DEFAULT_PRICES } from '@sigmascope/agent/probes/prices';
import { PROBE_DEFAULTS } from '@sigmascope/agent/probes/probes-config';
import { createProbe, providerAdapter } from '@sigmascope/agent/probes/registry';
import { summarize } from '../accounting/summarize.ts';
import type { SummaryWithStages } from '@sigmascope/protocol/bench-records';
import { compileExpectation } from '../dataset/checks.ts';
import { canonicalSha256 } from '../output/canonical-json.ts';
import { hostRecord, versions } from '../output/provenance.ts';
import type { HostRecord } from '../output/provenance.ts';
import type { RequestRecord } from '../output/request-record.ts';
import { createRunFolder } from '../output/run-files.ts';
import type { RunRecord } from '../output/run-record.ts';
import type { ProgressDisplay } from '../progress/progress-display.ts';
import { stagesOf } from '../schedule/stages.ts';
import type { ResolvedSuite } from '../suite/suite.ts';
import { connectionPool } from './connection-pool.ts';
import { runTarget } from './run-target.ts';

export interface SuiteRunOptions {
  readonly suite: ResolvedSuite;
  readonly suiteSha256: string;
  readonly suitePath: string | null;
  /** Each target's key by target name (null: none). */
  readonly keys: ReadonlyMap<string, string | null>;
  readonly outDir: string;
  readonly progress: ProgressDisplay;
  readonly signal: AbortSignal;
  readonly version: string;
  readonly replayOf?: string | null;
  /** The host record; read from this host when absent. */
  readonly host?: HostRecord;
}

/** The hash of a resolved suite: its canonical JSON, without the dataset's local path. */
export function configSha256(suite: ResolvedSuite): string {
  return canonicalSha256({ ...suite, dataset: { ...suite.dataset, path: null } });
}

function runId(startedAt: Date): string {
  return `${startedAt.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}-${randomBytes(3).toString('hex')}`;
}

function stageLabel(suite: ResolvedSuite, index: number, count: number): string {
  const p = suite.profile;
  switch (p.type) {
    case 'synchronous':
      return 'synchronous';
    case 'concurrent':
      return `concurrent ×${p.concurrency}`;
    case 'constant':
    case 'poisson':
      return `${p.type} ${p.rate}/s`;
    case 'sweep':
      return `sweep ${p.rates?.[index]}/s (${index + 1} of ${count})`;
  }
}

/** Runs the suite; resolves with run.json's content and the folder it was written to. */
export async function runSuite(o: SuiteRunOptions): Promise<{ run: RunRecord; dir: string }> {
  const { suite } = o;
  const started = new Date();
  const id = runId(started);
  const folder = createRunFolder(o.outDir, id);
  const [host] = await Promise.all([o.host ?? hostRecord(), warmUpTransport()]);
  const origin = performance.now();
  const clock = (): number => performance.now() - origin;
  const checks = suite.dataset.records.map((r, i) => (r.expect === undefined ? null : compileExpectation(r.expect, `dataset[${i}].expect`)));
  const byTarget = new Map<string, { records: RequestRecord[]; stages: RequestRecord[][] }>();

  for (const target of suite.targets) {
    if (o.signal.aborted) break;
    const adapter = providerAdapter(target.provider);
    const pool = adapter === null ? null : connectionPool(target.url ?? (adapter.defaultUrl as string));
    const probe = createProbe(
      {
        name: target.name, provider: target.provider, model: target.model, url: target.url, genAiProvider: adapter?.genAiProvider ?? 'demo', keyName: target.name,
        intervalMs: PROBE_DEFAULTS.intervalMs, maxTokens: suite.maxTokens, timeoutMs: PROBE_DEFAULTS.timeoutMs * 4, idleTimeoutMs: PROBE_DEFAULTS.idleTimeoutMs,
        maxBytes: PROBE_DEFAULTS.maxBytes * 4, dailyTokenBudget: 0,
      },
      { key: (name) => o.keys.get(name) ?? null, prices: DEFAULT_PRICES, demoSeed: suite.seed, ...(pool !== null ? { agent: pool } : {}) },
    );
    const stages = stagesOf(suite.profile, suite.seed);
    const mine = { records: [] as RequestRecord[], stages: stages.map(() => [] as RequestRecord[]) };
    byTarget.set(target.name, mine);
    try {
      await runTarget({
        target: target.name, probe, records: suite.dataset.records, checks, stages, warmup: suite.profile.warmup, maxTokens: suite.maxTokens, clock, signal: o.signal,
        onStage: (i) => o.progress.stage({ target: target.name, label: stageLabel(suite, i, stages.length), requests: stages[i]?.requests ?? null, durationS: suite.profile.duration }),
        onRecord(r, stage) {
          folder.append(r);
          mine.records.push(r);
          mine.stages[stage]?.push(r);
          o.progress.record(r);
        },
      });
    } finally {
      pool?.destroy();
    }
  }

  const summary: Record<string, SummaryWithStages> = {};
  for (const [name, t] of byTarget) {
    const base = summarize(t.records, suite.slo);
    summary[name] = suite.profile.type === 'sweep' ? { ...base, stages: t.stages.map((s, i) => ({ rate: suite.profile.rates?.[i] as number, ...summarize(s, suite.slo) })) } : base;
  }
  const run: RunRecord = {
    id,
    suite: { name: suite.name, sha256: o.suiteSha256, path: o.suitePath },
    dataset: { sha256: suite.dataset.sha256, count: suite.dataset.records.length, source: suite.dataset.source, path: suite.dataset.path },
    config_sha256: configSha256(suite),
    config: suite,
    seed: suite.seed,
    versions: versions(o.version),
    host,
    startedAt: started.toISOString(),
    endedAt: new Date().toISOString(),
    warmup: { requests: suite.profile.warmup, excluded: true },
    interrupted: o.signal.aborted,
    replay_of: o.replayOf ?? null,
    summary,
  };
  folder.finish(run);
  return { run, dir: folder.dir };
}
