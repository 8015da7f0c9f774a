/**
 * `sigmascope bench run SUITE.yaml` and `bench replay RUN`: read and check everything first (the
 * suite, its dataset, every key; exit 2 naming a bad value), then run with a progress display on
 * stderr, write DIR/<run id>/run.json and requests.jsonl, print the summary on stdout, and upload
 * the run when a collector is named. The first Ctrl-C stops sending and writes what finished;
 * a second one exits at once.
 */
import { resolve } from 'node:path';
import { ConfigError } from '@sigmascope/protocol/config-error';
import { enumValue, urlValue } from '@sigmascope/protocol/config-fields';
import { parseFlags, stringFlag } from '../args.ts';
import type { Parsed } from '../args.ts';
// The version of the probe code that times the requests (importing cli/main.ts here would pull the
// command table into a shared chunk of the build).
import { AGENT_VERSION as VERSION } from '@sigmascope/agent/version';
import { resolveTargetKeys } from './execute/target-keys.ts';
import { runSuite } from './execute/run-suite.ts';
import { DEFAULT_RUNS_DIR } from './output/run-files.ts';
import { summaryTable } from './output/summary-table.ts';
import { progressDisplay } from './progress/progress-display.ts';
import { readSuiteFile } from './suite/parse-suite.ts';
import type { ResolvedSuite } from './suite/suite.ts';
import { replayableSuite } from './replay/replay-check.ts';
import { collectorToken, uploadRun } from './upload/upload-run.ts';

export const RUN_FLAGS = { out: { type: 'string' }, format: { type: 'string' }, collector: { type: 'string' }, 'token-file': { type: 'string' }, data: { type: 'string' } } as const;

export const RUN_HELP = `Usage: sigmascope bench run SUITE.yaml [--out DIR] [--format table|json] [--collector URL [--token-file FILE]] [--data DIR]
       sigmascope bench replay RUN [same options]

Runs a benchmark suite and writes DIR/<run id>/run.json and requests.jsonl (DIR defaults to
${DEFAULT_RUNS_DIR}). Progress goes to stderr (a bar on a terminal, plain lines otherwise); the
summary to stdout. Ctrl-C stops sending and writes what finished (run.json says interrupted).
replay re-runs a recorded run's configuration and refuses when its dataset file has changed.

--collector URL uploads the run (POST URL/api/v1/runs) with the token from --token-file or
SIGMASCOPE_TOKEN (an admin or agent token; never on the command line).
Keys: a target's key: env:NAME or a key store name; without one, the provider's usual variable
(OPENAI_API_KEY, …) or the key store entry named for the provider (DIR of --data, SIGMASCOPE_DATA
or ./.sigmascope/agent; master key SIGMASCOPE_MASTER_KEY).
Exit codes: 0 done, 1 interrupted or every request failed or the upload failed, 2 usage/config.`;

interface Io {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly out: (text: string) => void;
}

async function execute(suite: ResolvedSuite, suiteSha256: string, suitePath: string | null, values: Parsed['values'], io: Io, replayOf: string | null): Promise<number> {
  const format = enumValue(stringFlag(values, 'format') ?? 'table', '--format', ['table', 'json'] as const);
  const collector = stringFlag(values, 'collector');
  const upload = collector === undefined ? null : { url: urlValue(collector, '--collector', ['http:', 'https:']), token: collectorToken(stringFlag(values, 'token-file'), io.env) };
  const data = stringFlag(values, 'data');
  const keys = resolveTargetKeys(suite.targets, { env: io.env, ...(data !== undefined ? { dataDir: data } : {}) });
  const outDir = resolve(stringFlag(values, 'out') ?? DEFAULT_RUNS_DIR);

  const abort = new AbortController();
  const progress = progressDisplay();
  const onSigint = (): void => {
    if (abort.signal.aborted) process.exit(130);
    progress.note('bench: stopping; writing what finished (Ctrl-C again to quit at once)');
    abort.abort();
  };
  process.on('SIGINT', onSigint);
  try {
    const { run, dir } = await runSuite({ suite, suiteSha256, suitePath, keys, outDir, progress, signal: abort.signal, version: VERSION, replayOf });
    progress.end(`bench: ${run.interrupted ? 'interrupted; kept what finished in' : 'wrote'} ${dir}`);
    io.out(format === 'json' ? `${JSON.stringify(run)}\n` : `${summaryTable(run)}\n`);
    let code = run.interrupted || Object.values(run.summary).every((s) => s.requests === s.errors) ? 1 : 0;
    if (upload !== null) {
      const r = await uploadRun(upload.url, upload.token, dir);
      process.stderr.write(r.ok ? `bench: uploaded to ${r.location}\n` : `bench: upload failed: ${r.reason}\n`);
      if (!r.ok) code = 1;
    }
    return code;
  } finally {
    process.off('SIGINT', onSigint);
  }
}

/** `bench run ARGV`; resolves to the exit code. */
export async function benchRun(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseFlags('bench run', argv, RUN_FLAGS, true);
  if (values.help) return (io.out(`${RUN_HELP}\n`), 0);
  if (positionals.length !== 1) throw new ConfigError('bench run', 'give exactly one suite file');
  const path = resolve(positionals[0] as string);
  const { suite, sha256 } = readSuiteFile(path);
  return execute(suite, sha256, path, values, io, null);
}

/** `bench replay ARGV`: the recorded configuration, after checking the dataset's hash. */
export async function benchReplay(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseFlags('bench replay', argv, RUN_FLAGS, true);
  if (values.help) return (io.out(`${RUN_HELP}\n`), 0);
  if (positionals.length !== 1) throw new ConfigError('bench replay', 'give exactly one run');
  const { run, suite } = replayableSuite(positionals[0] as string);
  return execute(suite, run.suite.sha256, run.suite.path, values, io, run.id);
}
