/**
 * Export of what a chart shows, so a file read on its own says what it is: the canvas as PNG
 * with the title, the time range, the legend and (for control charts) the limits drawn above it,
 * on the panel's background; the data as CSV, one row per point with the host, the full series
 * name and its unit (RFC 4180 quoting).
 */

/** A CSV cell: quoted when it holds a comma, quote or line break; null/undefined → empty. */
export function csvCell(v: string | number | null | undefined): string {
  if (v === null || v === undefined || (typeof v === 'number' && !Number.isFinite(v))) return '';
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** CSV text of a header and rows, CRLF line ends. */
export function csvText(header: readonly string[], rows: readonly (readonly (string | number | null | undefined)[])[]): string {
  return [header, ...rows].map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

/** A series as the CSV writes it: host, full series key (`name{label="v",…}`), unit name and points. */
export interface CsvSeries {
  readonly host: string;
  readonly key: string;
  readonly unit: string;
  readonly points: readonly (readonly [number, number])[];
}

/** Long-format CSV of several series: `time,ts_ms,host,series,unit,value`, ordered by series then time. */
export function seriesCsv(series: readonly CsvSeries[]): string {
  const rows: (string | number)[][] = [];
  for (const s of series) for (const [ts, v] of s.points) rows.push([new Date(ts).toISOString(), ts, s.host, s.key, s.unit, v]);
  return csvText(['time', 'ts_ms', 'host', 'series', 'unit', 'value'], rows);
}

/** What a PNG carries above the chart. */
export interface Figure {
  readonly title: string;
  /** The time range shown, e.g. "2026-12-03 12:00:00 – 12:15:00 (local time)". */
  readonly range: string;
  readonly legend: readonly { readonly color: string; readonly label: string }[];
  /** Further lines, e.g. "CL 312 ms · UCL 1.21 s · LCL 80.4 ms". */
  readonly notes?: readonly string[];
}

/** "2026-12-03 12:00:00 – 12:15:00 (local time)" for a range in ms. */
export function rangeText(from: number, to: number): string {
  const pad = (x: number): string => String(x).padStart(2, '0');
  const day = (d: Date): string => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
  const time = (d: Date): string => `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
  const a = new Date(from);
  const b = new Date(to);
  return `${day(a)} ${time(a)} – ${day(a) === day(b) ? '' : `${day(b)} `}${time(b)} (local time)`;
}

/** A file name safe on every OS from a chart title: "GPU util (gpu-01)" → "gpu-util-gpu-01". */
export function fileStem(title: string): string {
  return title.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '') || 'chart';
}

/** Starts a download of `blob` as `name` (browser only). */
export function download(name: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1_000);
}

/** Wraps legend entries into lines no wider than `width` (measured with the context's font). */
function legendLines(ctx: CanvasRenderingContext2D, entries: Figure['legend'], width: number, swatch: number): Figure['legend'][] {
  const lines: Figure['legend'][] = [[]];
  let x = 0;
  for (const e of entries) {
    const w = swatch + ctx.measureText(e.label).width + swatch * 2;
    if (x > 0 && x + w > width) { lines.push([]); x = 0; }
    (lines[lines.length - 1] as Figure['legend'][number][]).push(e);
    x += w;
  }
  return lines;
}

/**
 * The canvases stacked (a control chart and its dispersion chart), under a header with the title,
 * the range, notes and the legend, painted over `background` in `fg`: what downloadPng saves.
 */
export function figureCanvas(canvases: readonly HTMLCanvasElement[], figure: Figure, colors: { background: string; fg: string; muted: string }): HTMLCanvasElement {
  const scale = Math.max(1, (canvases[0]?.width ?? 1) / Math.max(1, canvases[0]?.clientWidth ?? 1));
  const width = Math.max(...canvases.map((c) => c.width), Math.round(480 * scale));
  const pad = Math.round(12 * scale);
  const line = Math.round(18 * scale);
  const out = document.createElement('canvas');
  const ctx = out.getContext('2d');
  if (!ctx) return out;
  const font = (px: number, weight = 400): string => `${weight} ${Math.round(px * scale)}px system-ui, sans-serif`;
  ctx.font = font(12);
  const legend = legendLines(ctx, figure.legend, width - 2 * pad, Math.round(12 * scale));
  const notes = figure.notes ?? [];
  const header = pad + line * 1.3 + line * (1 + notes.length + legend.length) + pad / 2;
  out.width = width;
  out.height = Math.round(header + canvases.reduce((h, c) => h + c.height, 0) + pad);
  ctx.fillStyle = colors.background;
  ctx.fillRect(0, 0, out.width, out.height);
  let y = pad + line;
  ctx.fillStyle = colors.fg;
  ctx.font = font(15, 600);
  ctx.fillText(figure.title, pad, y);
  y += line * 1.1;
  ctx.font = font(12);
  ctx.fillStyle = colors.muted;
  ctx.fillText(figure.range, pad, y);
  for (const n of notes) { y += line; ctx.fillStyle = colors.fg; ctx.fillText(n, pad, y); }
  const sw = Math.round(12 * scale);
  for (const entries of legend) {
    y += line;
    let x = pad;
    for (const e of entries) {
      ctx.fillStyle = e.color;
      ctx.fillRect(x, y - sw * 0.75, sw, Math.max(2, sw * 0.5));
      ctx.fillStyle = colors.fg;
      ctx.fillText(e.label, x + sw * 1.4, y);
      x += sw + ctx.measureText(e.label).width + sw * 2;
    }
  }
  let top = header;
  for (const c of canvases) { ctx.drawImage(c, 0, top); top += c.height; }
  return out;
}

/** Downloads the canvases as one PNG with its header (figureCanvas). */
export function downloadPng(canvases: readonly HTMLCanvasElement[], figure: Figure, colors: { background: string; fg: string; muted: string }, name: string): void {
  figureCanvas(canvases, figure, colors).toBlob((blob) => { if (blob) download(`${name}.png`, blob); }, 'image/png');
}

/** Downloads CSV text as `name.csv`. */
export function downloadCsv(text: string, name: string): void {
  download(`${name}.csv`, new Blob([text], { type: 'text/csv;charset=utf-8' }));
}
