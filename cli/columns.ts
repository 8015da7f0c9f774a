/** Rows of fields on stdout: tab-separated for scripts, in aligned columns on a terminal for people. */
export function printRows(rows: readonly (readonly string[])[]): void {
  if (!process.stdout.isTTY) return void rows.forEach((r) => console.log(r.join('\t')));
  const widths = rows.reduce<number[]>((w, r) => r.map((f, i) => Math.max(w[i] ?? 0, f.length)), []);
  for (const r of rows) console.log(r.map((f, i) => (i === r.length - 1 ? f : f.padEnd(widths[i] ?? 0))).join('  '));
}
