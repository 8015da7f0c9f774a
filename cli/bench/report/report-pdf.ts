/**
 * The PDF report, drawn with PDFKit (vector text and charts, the standard Helvetica fonts; no
 * browser needed): a first page with the provenance, summaries and comparison, then the charts,
 * two to a page, drawn from the same marks as the HTML report's SVG.
 */
import PDFDocument from 'pdfkit';
import { drawPdfChart } from './charts/pdf-chart.ts';
import type { ReportData } from './report-data.ts';

const f = (v: number | null | undefined, d = 1): string => (v === null || v === undefined ? '-' : v.toFixed(d));
const MARGIN = 40;

function columns(doc: PDFKit.PDFDocument, head: string[], rows: string[][], widths: number[]): void {
  const draw = (cells: string[], bold: boolean): void => {
    if (doc.y > doc.page.height - MARGIN - 14) doc.addPage();
    const y = doc.y;
    let x = MARGIN;
    doc.font(bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(7.5).fillColor('#111');
    cells.forEach((c, i) => {
      const w = widths[i] as number;
      doc.text(c, x, y, { width: w - 4, align: i === 0 ? 'left' : 'right', lineBreak: false, ellipsis: true });
      x += w;
    });
    doc.moveTo(MARGIN, y + 11).lineTo(x, y + 11).lineWidth(0.3).strokeColor('#cccccc').stroke();
    doc.x = MARGIN;
    doc.y = y + 13;
  };
  draw(head, true);
  for (const r of rows) draw(r, false);
  doc.moveDown(0.8);
}

function heading(doc: PDFKit.PDFDocument, text: string, size = 12): void {
  doc.font('Helvetica-Bold').fontSize(size).fillColor('#000').text(text, MARGIN, doc.y, { width: doc.page.width - 2 * MARGIN });
  doc.moveDown(0.3);
}

function body(doc: PDFKit.PDFDocument, text: string): void {
  doc.font('Helvetica').fontSize(8.5).fillColor('#222').text(text, MARGIN, doc.y, { width: doc.page.width - 2 * MARGIN });
}

/** The PDF bytes. */
export function reportPdf(d: ReportData): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A4', margin: MARGIN, info: { Title: `Sigmascope benchmark: ${d.runs.map((r) => r.suite.name).join(' vs ')}`, Producer: 'Sigmascope' } });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  heading(doc, `Sigmascope benchmark: ${d.runs.map((r) => r.suite.name).join(' vs ')}`, 16);
  d.runs.forEach((run, i) => {
    heading(doc, `${d.runs.length > 1 ? (i === 0 ? 'A: ' : 'B: ') : ''}run ${run.id}`);
    const gpus = run.host.gpus?.gpus.map((g) => g.name ?? 'GPU').join(', ') || 'none found';
    body(doc, [
      `suite ${run.suite.name}, sha256 ${run.suite.sha256}`,
      `dataset ${run.dataset.count} prompts (${run.dataset.source}), sha256 ${run.dataset.sha256}`,
      `config sha256 ${run.config_sha256}, seed ${run.seed}; warm-up ${run.warmup.requests} per target, excluded`,
      `${run.startedAt} to ${run.endedAt}${run.interrupted ? ' (interrupted)' : ''}`,
      `host ${run.host.hostname}, ${run.host.inventory?.cpu.model ?? 'CPU unknown'}, GPUs: ${gpus}; sigmascope ${run.versions.sigmascope}, node ${run.versions.node}, ${run.versions.platform}`,
    ].join('\n'));
    doc.moveDown(0.5);
    const rows = Object.entries(run.summary).flatMap(([t, s]) => [[t, s] as const, ...(s.stages ?? []).map((st) => [`  @ ${st.rate}/s`, st] as const)]).map(([t, s]) => [
      t, String(s.requests), String(s.errors), f(s.ttft_ms?.p50), f(s.ttft_ms?.p95), f(s.tpot_ms?.p50, 2), f(s.e2e_ms?.p50), f(s.e2e_ms?.p95), f(s.e2e_ms?.p99), f(s.requests_per_s, 2), f(s.output_tokens_per_s), f(s.goodput_rps, 2),
      s.check_pass_rate === null ? '-' : `${Math.round(s.check_pass_rate * 100)} %`,
    ]);
    columns(doc, ['target', 'req', 'err', 'TTFT p50', 'TTFT p95', 'TPOT p50', 'E2E p50', 'E2E p95', 'E2E p99', 'req/s', 'tok/s', 'good/s', 'checks'], rows, [85, 26, 24, 41, 41, 41, 41, 41, 41, 32, 34, 32, 32]);
  });
  const c = d.comparison;
  if (c !== null) {
    heading(doc, `B against A: ${c.regressions > 0 ? `${c.regressions} regression${c.regressions === 1 ? '' : 's'}` : 'no regression'}`);
    body(doc, `threshold ${c.threshold * 100} % on the median, alpha ${c.alpha}, Holm over ${c.comparisons.length} comparisons (Mann-Whitney U two-sided, as scipy.stats).`);
    doc.moveDown(0.4);
    columns(doc, ['target', 'metric', 'median A', 'median B', 'change', 'HL shift', 'HL 95 % CI', 'p (Holm)', 'verdict'], c.comparisons.map((x) => [
      x.target, x.metric, f(x.a.median, 2), f(x.b.median, 2), x.change === null ? '-' : `${(x.change * 100).toFixed(1)} %`, f(x.hodges_lehmann?.shift, 2),
      x.hodges_lehmann ? `${f(x.hodges_lehmann.ci[0], 2)} .. ${f(x.hodges_lehmann.ci[1], 2)}` : '-', x.p_adjusted === null ? '-' : x.p_adjusted.toPrecision(3), x.verdict.replace('_', ' '),
    ]), [100, 52, 48, 48, 44, 44, 80, 50, 60]);
  }
  body(doc, 'Times in milliseconds on the monotonic clock; percentiles with linear interpolation (numpy default).');

  const charts = [d.charts.latencyCdf, d.charts.ttftHistogram, ...(d.charts.throughputVsRate ? [d.charts.throughputVsRate] : [])];
  const w = doc.page.width - 2 * MARGIN;
  charts.forEach((chart, i) => {
    if (i % 2 === 0) doc.addPage();
    drawPdfChart(doc, chart, MARGIN, MARGIN + (i % 2) * 370, w, 340);
  });
  doc.end();
  return done;
}
