/**
 * What `bench replay` may run: the configuration recorded in run.json, once its hashes still hold.
 * run.json's `config` must hash to its `config_sha256` (an edited run.json is refused), and the
 * dataset must be the one recorded: a dataset file is read again and its bytes must hash to
 * `dataset.sha256`; an inline dataset's records must hash to it. Any mismatch is refused with
 * both hashes in the message. The replay then runs the recorded records, seed and profile, so
 * its run.json carries the same suite, dataset and config hashes.
 */
import { ConfigError } from '@sigmascope/protocol/config-error';
import { datasetFileSha256 } from '../dataset/load-dataset.ts';
import { canonicalSha256 } from '../output/canonical-json.ts';
import { loadRun } from '../output/run-files.ts';
import type { RunRecord } from '../output/run-record.ts';
import { configSha256 } from '../execute/run-suite.ts';
import type { ResolvedSuite } from '../suite/suite.ts';

/** The recorded run and the suite to run again; throws ConfigError when a hash no longer matches. */
export function replayableSuite(ref: string): { run: RunRecord; suite: ResolvedSuite } {
  const { run } = loadRun(ref);
  const suite = run.config;
  const recorded = configSha256(suite);
  if (recorded !== run.config_sha256) throw new ConfigError(`run ${run.id}`, `its recorded configuration hashes to ${recorded}, not the config_sha256 ${run.config_sha256} it claims: run.json was changed`);
  if (suite.dataset.source === 'file') {
    const path = suite.dataset.path as string;
    const now = datasetFileSha256(path);
    if (now === null) throw new ConfigError(path, `the dataset of run ${run.id} is gone; replay needs the same file (sha256 ${run.dataset.sha256})`);
    if (now !== run.dataset.sha256) throw new ConfigError(path, `the dataset changed since run ${run.id}: its sha256 is ${now}, the run recorded ${run.dataset.sha256}; refusing to replay on different data`);
  } else {
    const now = canonicalSha256(suite.dataset.records);
    if (now !== run.dataset.sha256) throw new ConfigError(`run ${run.id}`, `its inline dataset hashes to ${now}, not the recorded ${run.dataset.sha256}`);
  }
  return { run, suite };
}
