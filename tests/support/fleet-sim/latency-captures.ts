/**
 * Real per-request LLM latencies (tests/fixtures/latency: LLMPerf leaderboard raw data, five
 * hosted providers) as the simulated fleet's source of provider noise: every simulated probe
 * draws one recorded request, so the spread, the skew and the occasional slow request are
 * those of a real provider, not of a formula.
 */
import { readFileSync } from 'node:fs';
import { cellNumber, parseCsv } from '../../../cli/spc-csv.ts';
import { fixture } from '../fixtures.ts';

/** One recorded request: time to first token and mean inter-token latency, seconds. */
export interface RecordedRequest {
  readonly ttft: number;
  readonly itl: number;
}

export const CAPTURES = ['together_70b', 'anyscale_70b', 'groq_70b', 'bedrock_70b', 'replicate_70b'] as const;
export type CaptureName = (typeof CAPTURES)[number];

const cache = new Map<CaptureName, readonly RecordedRequest[]>();

/** The successful requests of one capture, in file order (rows with an error code are left out). */
export function recordedRequests(name: CaptureName): readonly RecordedRequest[] {
  const hit = cache.get(name);
  if (hit !== undefined) return hit;
  const parsed = parseCsv(readFileSync(fixture('latency', `llmperf-leaderboard__${name}.csv`), 'utf8'));
  if (!parsed.ok) throw new Error(`latency capture ${name}: ${parsed.error}`);
  const col = (h: string): number => {
    const i = parsed.table.header.indexOf(h);
    if (i < 0) throw new Error(`latency capture ${name}: no column ${h}`);
    return i;
  };
  const [ttft, itl, error] = [col('ttft_s'), col('inter_token_latency_s'), col('error_code')];
  const rows: RecordedRequest[] = [];
  for (const r of parsed.table.rows) {
    const t = cellNumber(r[ttft] ?? '');
    const g = cellNumber(r[itl] ?? '');
    if ((r[error] ?? '') === '' && t !== undefined && g !== undefined && t > 0 && g > 0) rows.push({ ttft: t, itl: g });
  }
  cache.set(name, rows);
  return rows;
}
