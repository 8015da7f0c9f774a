/**
 * `bench compare` as text: a fixed-width table for a terminal, or GitHub-flavoured markdown for a
 * pull-request comment (a verdict line first, then one row per target and metric, then the
 * warnings). Both show what the verdict rests on: the medians, the change, the Hodges–Lehmann
 * shift with its interval, and the Holm-adjusted p.
 */
import type { CompareResult, RunComparison } from '@sigmascope/protocol/stats/run-comparison';

const num = (v: number | null | undefined, d = 1): string => (v === null || v === undefined ? '–' : v.toFixed(d));
const pct = (v: number | null): string => (v === null ? '–' : `${v >= 0 ? '+' : ''}${(v * 100).toFixed(1)} %`);
const p = (v: number | null): string => (v === null ? '–' : v < 1e-4 ? v.toExponential(1) : v.toFixed(4));
const hl = (c: RunComparison): string => (c.hodges_lehmann === null ? '–' : `${num(c.hodges_lehmann.shift, 2)} [${num(c.hodges_lehmann.ci[0], 2)}, ${num(c.hodges_lehmann.ci[1], 2)}]`);
const mark = { regression: 'REGRESSION', improvement: 'improvement', no_change: 'no change' } as const;

function cells(c: RunComparison): string[] {
  return [c.target, c.metric, String(c.a.n), String(c.b.n), num(c.a.median, 2), num(c.b.median, 2), pct(c.change), hl(c), num(c.cliffs_delta, 3), p(c.mann_whitney?.p ?? null), p(c.p_adjusted), mark[c.verdict]];
}
const HEAD = ['target', 'metric', 'n A', 'n B', 'median A', 'median B', 'change', 'HL shift [95 % CI]', 'delta', 'p (MWU)', 'p (Holm)', 'verdict'];

function headline(r: CompareResult): string {
  return r.regressions > 0 ? `${r.regressions} regression${r.regressions === 1 ? '' : 's'}: B is worse than A beyond ${Math.round(r.threshold * 100)} % with Holm-adjusted p < ${r.alpha}` : `no regression (threshold ${Math.round(r.threshold * 100)} %, alpha ${r.alpha})`;
}

function warnings(r: CompareResult): string[] {
  const out = r.comparisons.flatMap((c) => c.warnings.map((w) => `${c.target} ${c.metric}: ${w}`));
  if (r.unmatched.length > 0) out.push(`targets in only one run (not compared): ${r.unmatched.join(', ')}`);
  return out;
}

/** The terminal table. */
export function compareTable(r: CompareResult): string {
  const rows = r.comparisons.map(cells);
  const widths = HEAD.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] as string).length)));
  const line = (cs: string[]): string => cs.map((c, i) => (i < 2 || i === cs.length - 1 ? c.padEnd(widths[i] as number) : c.padStart(widths[i] as number))).join('  ').trimEnd();
  return [`A ${r.a}  B ${r.b}`, headline(r), '', line(HEAD), ...rows.map(line), ...warnings(r).map((w) => `warning: ${w}`)].join('\n');
}

/** Markdown for a pull-request comment. */
export function compareMarkdown(r: CompareResult): string {
  const esc = (s: string): string => s.replace(/\|/g, '\\|');
  const rows = r.comparisons.map((c) => `| ${cells(c).map(esc).join(' | ')} |`);
  const w = warnings(r);
  return [
    `### Benchmark comparison: ${r.regressions > 0 ? '❌' : '✅'} ${headline(r)}`,
    '',
    `A \`${r.a}\` → B \`${r.b}\``,
    '',
    `| ${HEAD.join(' | ')} |`,
    `|${HEAD.map((_, i) => (i < 2 || i === HEAD.length - 1 ? ' --- ' : ' ---: ')).join('|')}|`,
    ...rows,
    ...(w.length > 0 ? ['', ...w.map((x) => `- ⚠️ ${esc(x)}`)] : []),
    '',
    '<sub>Mann–Whitney U (two-sided) and Welch’s t as scipy.stats computes them; p adjusted with Holm over all rows; a verdict needs both a change beyond the threshold and an adjusted p below alpha.</sub>',
  ].join('\n');
}
