/** A chart drawn into a PDFKit document at (x, y), with the same marks as the SVG. */
import type PDFDocument from 'pdfkit';
import { chartMarks } from './chart-geometry.ts';
import type { ChartData as Chart } from '@sigmascope/protocol/stats/run-charts';

/** Draws `chart` in a `width` × `height` box whose top-left corner is (x, y). */
export function drawPdfChart(doc: PDFKit.PDFDocument, chart: Chart, x: number, y: number, width: number, height: number): void {
  const m = chartMarks(chart, width, height);
  const p = { x: m.plot.x + x, y: m.plot.y + y, w: m.plot.w, h: m.plot.h };
  doc.save();
  doc.font('Helvetica-Bold').fontSize(10.5).fillColor('#000').text(m.title, p.x, y + 8, { lineBreak: false });
  doc.font('Helvetica').fontSize(7.5);
  for (const t of m.yTicks) {
    doc.moveTo(p.x, t.at + y).lineTo(p.x + p.w, t.at + y).lineWidth(0.4).strokeColor('#dddddd').stroke();
    doc.fillColor('#444').text(t.label, x, t.at + y - 3, { width: m.plot.x - 6, align: 'right', lineBreak: false });
  }
  for (const t of m.xTicks) {
    doc.moveTo(t.at + x, p.y + p.h).lineTo(t.at + x, p.y + p.h + 3).lineWidth(0.5).strokeColor('#888888').stroke();
    doc.fillColor('#444').text(t.label, t.at + x - 30, p.y + p.h + 6, { width: 60, align: 'center', lineBreak: false });
  }
  doc.rect(p.x, p.y, p.w, p.h).lineWidth(0.6).strokeColor('#888888').stroke();
  for (const b of m.bars) if (b.h > 0) doc.rect(b.x + x, b.y + y, b.w, b.h).fillOpacity(0.85).fill(b.color).fillOpacity(1);
  for (const l of m.lines) {
    const [first, ...rest] = l.points;
    if (first === undefined) continue;
    doc.moveTo(first[0] + x, first[1] + y);
    for (const [px, py] of rest) doc.lineTo(px + x, py + y);
    if (l.dashed) doc.dash(4, { space: 3 });
    doc.lineWidth(1.3).strokeColor(l.color).stroke();
    doc.undash();
  }
  doc.fillColor('#222').fontSize(8.5).text(m.xLabel, p.x, p.y + p.h + 20, { width: p.w, align: 'center', lineBreak: false });
  doc.save().rotate(-90, { origin: [x + 8, p.y + p.h / 2] }).text(m.yLabel, x + 8 - p.h / 2, p.y + p.h / 2 - 4, { width: p.h, align: 'center', lineBreak: false }).restore();
  let lx = p.x;
  for (const e of m.legend) {
    doc.rect(lx, y + height - 16, 8, 8).fill(e.color);
    doc.fillColor('#222').fontSize(8).text(e.name, lx + 11, y + height - 16, { lineBreak: false });
    lx += 22 + doc.widthOfString(e.name);
  }
  doc.restore();
}
