/**
 * Export of what a chart shows: the canvas as PNG (on the panel's background, since the canvas
 * itself is transparent) and the data as CSV (one row per point, RFC 4180 quoting).
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

/** Long-format CSV of several series: `time,ts_ms,series,value`, ordered by series then time. */
export function seriesCsv(series: readonly { label: string; points: readonly (readonly [number, number])[] }[]): string {
  const rows: (string | number)[][] = [];
  for (const s of series) for (const [ts, v] of s.points) rows.push([new Date(ts).toISOString(), ts, s.label, v]);
  return csvText(['time', 'ts_ms', 'series', 'value'], rows);
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

/** Downloads the canvas as PNG, painted over `background`. */
export function downloadPng(canvas: HTMLCanvasElement, background: string, name: string): void {
  const out = document.createElement('canvas');
  out.width = canvas.width;
  out.height = canvas.height;
  const ctx = out.getContext('2d');
  if (!ctx) return;
  ctx.fillStyle = background;
  ctx.fillRect(0, 0, out.width, out.height);
  ctx.drawImage(canvas, 0, 0);
  out.toBlob((blob) => { if (blob) download(`${name}.png`, blob); }, 'image/png');
}

/** Downloads CSV text as `name.csv`. */
export function downloadCsv(text: string, name: string): void {
  download(`${name}.csv`, new Blob([text], { type: 'text/csv;charset=utf-8' }));
}
