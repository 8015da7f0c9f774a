/** A chart as an inline SVG element (the HTML report embeds it: no script, no network). */
import { chartMarks } from './chart-geometry.ts';
import type { ChartData as Chart } from '@sigmascope/protocol/stats/run-charts';

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const n = (v: number): string => (Math.round(v * 10) / 10).toString();

/** The SVG text of `chart` at `width` × `height`. */
export function svgChart(chart: Chart, width = 640, height = 340): string {
  const m = chartMarks(chart, width, height);
  const p = m.plot;
  const out: string[] = [`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="100%" role="img" aria-label="${esc(m.title)}" font-family="system-ui, sans-serif" font-size="11">`];
  out.push(`<text x="${n(p.x)}" y="18" font-size="13" font-weight="600">${esc(m.title)}</text>`);
  for (const t of m.yTicks) out.push(`<line x1="${n(p.x)}" x2="${n(p.x + p.w)}" y1="${n(t.at)}" y2="${n(t.at)}" stroke="#e3e3e3"/><text x="${n(p.x - 6)}" y="${n(t.at + 4)}" text-anchor="end" fill="#444">${esc(t.label)}</text>`);
  for (const t of m.xTicks) out.push(`<line x1="${n(t.at)}" x2="${n(t.at)}" y1="${n(p.y + p.h)}" y2="${n(p.y + p.h + 4)}" stroke="#888"/><text x="${n(t.at)}" y="${n(p.y + p.h + 16)}" text-anchor="middle" fill="#444">${esc(t.label)}</text>`);
  out.push(`<rect x="${n(p.x)}" y="${n(p.y)}" width="${n(p.w)}" height="${n(p.h)}" fill="none" stroke="#888"/>`);
  for (const b of m.bars) out.push(`<rect x="${n(b.x)}" y="${n(b.y)}" width="${n(b.w)}" height="${n(Math.max(0, b.h))}" fill="${b.color}" fill-opacity="0.85"/>`);
  for (const l of m.lines) out.push(`<polyline fill="none" stroke="${l.color}" stroke-width="1.8"${l.dashed ? ' stroke-dasharray="5 4"' : ''} points="${l.points.map(([x, y]) => `${n(x)},${n(y)}`).join(' ')}"/>`);
  out.push(`<text x="${n(p.x + p.w / 2)}" y="${n(p.y + p.h + 32)}" text-anchor="middle" fill="#222">${esc(m.xLabel)}</text>`);
  out.push(`<text transform="translate(14 ${n(p.y + p.h / 2)}) rotate(-90)" text-anchor="middle" fill="#222">${esc(m.yLabel)}</text>`);
  let lx = p.x;
  for (const e of m.legend) {
    out.push(`<rect x="${n(lx)}" y="${n(height - 16)}" width="10" height="10" fill="${e.color}"/><text x="${n(lx + 14)}" y="${n(height - 7)}">${esc(e.name)}</text>`);
    lx += 24 + e.name.length * 6.2;
  }
  out.push('</svg>');
  return out.join('');
}
