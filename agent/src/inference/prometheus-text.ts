/**
 * A parser of the Prometheus text exposition format (what vLLM, TGI and llama.cpp serve on
 * /metrics): `name{label="value",…} value [timestamp]` lines; `#` lines are skipped. Pure.
 * Malformed lines are skipped and counted, never thrown: a server upgrade must not stop scraping.
 */

export interface PromSample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

const LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)(?:\s+-?\d+)?\s*$/;
const LABEL = /\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*=\s*"((?:[^"\\]|\\.)*)"\s*,?/gy;

/** Parses a whole exposition. */
export function parsePrometheusText(text: string): { samples: PromSample[]; skipped: number } {
  const samples: PromSample[] = [];
  let skipped = 0;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line.length === 0 || line.startsWith('#')) continue;
    const m = LINE.exec(line);
    const value = m ? parseValue(m[3] as string) : null;
    const labels = m ? parseLabels(m[2] ?? '') : null;
    if (!m || value === null || labels === null) {
      skipped++;
      continue;
    }
    samples.push({ name: m[1] as string, labels, value });
  }
  return { samples, skipped };
}

function parseValue(v: string): number | null {
  if (v === 'NaN') return Number.NaN;
  if (v === '+Inf' || v === 'Inf') return Number.POSITIVE_INFINITY;
  if (v === '-Inf') return Number.NEGATIVE_INFINITY;
  const n = Number(v);
  return v.length > 0 && !Number.isNaN(n) ? n : null;
}

function parseLabels(s: string): Record<string, string> | null {
  const out: Record<string, string> = {};
  LABEL.lastIndex = 0;
  let at = 0;
  while (at < s.length) {
    LABEL.lastIndex = at;
    const m = LABEL.exec(s);
    if (!m) return s.slice(at).trim() === '' ? out : null;
    out[m[1] as string] = (m[2] as string).replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
    at = LABEL.lastIndex;
  }
  return out;
}
