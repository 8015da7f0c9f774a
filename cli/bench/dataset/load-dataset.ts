/**
 * A suite's dataset: a JSONL file (one `{id, prompt, expect?}` per line, blank lines allowed) or
 * an inline list, validated record by record (the error names the line or index and the value).
 * Its `sha256` is of the file's exact bytes, or of the inline list's canonical JSON, so replay can
 * tell a changed dataset from the recorded one.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ConfigError } from '@sigmascope/protocol/config-error';
import { section, stringValue } from '@sigmascope/protocol/config-fields';
import { canonicalSha256 } from '../output/canonical-json.ts';
import type { DatasetRecord, ResolvedSuite } from '../suite/suite.ts';
import { compileExpectation } from './checks.ts';

type Dataset = ResolvedSuite['dataset'];

const MAX_RECORDS = 1_000_000;

function record(raw: unknown, where: string): DatasetRecord {
  const s = section(raw, where, ['id', 'prompt', 'expect']);
  const id = typeof s.id === 'number' && Number.isSafeInteger(s.id) ? String(s.id) : stringValue(s.id, `${where}.id`, /^[^\n]{1,200}$/, 'an id of 1 to 200 characters');
  const prompt = stringValue(s.prompt, `${where}.prompt`);
  if (s.expect === undefined) return Object.freeze({ id, prompt });
  const expect = compileExpectation(s.expect, `${where}.expect`).expectation;
  return Object.freeze({ id, prompt, expect });
}

function checked(records: DatasetRecord[], where: string): readonly DatasetRecord[] {
  if (records.length === 0) throw new ConfigError(where, 'the dataset has no records');
  const seen = new Set<string>();
  for (const r of records) {
    if (seen.has(r.id)) throw new ConfigError(where, `id ${JSON.stringify(r.id)} appears twice`);
    seen.add(r.id);
  }
  return Object.freeze(records);
}

/** Hex SHA-256 of a dataset file's bytes, or null when it cannot be read. */
export function datasetFileSha256(path: string): string | null {
  try {
    return createHash('sha256').update(readFileSync(path)).digest('hex');
  } catch {
    return null;
  }
}

/** Loads and validates a JSONL dataset file. */
export function loadDatasetFile(path: string, where: string): Dataset {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (err) {
    throw new ConfigError(where, `cannot read the dataset ${JSON.stringify(path)} (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
  const records: DatasetRecord[] = [];
  bytes.toString('utf8').split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    if (records.length >= MAX_RECORDS) throw new ConfigError(where, `more than ${MAX_RECORDS} records`);
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw new ConfigError(`${path}:${i + 1}`, `not a JSON object: ${JSON.stringify(line.slice(0, 80))}`);
    }
    records.push(record(value, `${path}:${i + 1}`));
  });
  return Object.freeze({ source: 'file' as const, path, sha256: createHash('sha256').update(bytes).digest('hex'), records: checked(records, path) });
}

/** Validates an inline dataset (`dataset.inline`). */
export function inlineDataset(raw: unknown, where: string): Dataset {
  if (!Array.isArray(raw)) throw new ConfigError(where, 'must be a list of {id, prompt, expect?}');
  if (raw.length > MAX_RECORDS) throw new ConfigError(where, `more than ${MAX_RECORDS} records`);
  const records = checked(raw.map((r, i) => record(r, `${where}[${i}]`)), where);
  return Object.freeze({ source: 'inline' as const, path: null, sha256: canonicalSha256(records), records });
}
