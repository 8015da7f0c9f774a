/**
 * Parsing of `nvidia-smi --query-gpu=… --format=csv[,noheader][,nounits]` output. Pure.
 *
 * The agent's own loop asks for `noheader,nounits`; the captures in the fixtures use plain `csv`
 * (a header whose names carry units, `memory.used [MiB]`, and values with units, `19818 MiB`).
 * Both read the same here. Any cell that is not a number (`[N/A]`, `[Not Supported]`, a bare
 * `N/A`, `[Requested functionality has been deprecated]`, `[GPU is lost]`, empty) yields no value:
 * never NaN, never an error.
 */

/** The numeric fields the GPU source turns into series. */
export const NUMERIC_FIELDS = [
  'utilization.gpu',
  'memory.used',
  'memory.total',
  'temperature.gpu',
  'power.draw',
  'clocks.current.graphics',
  'clocks.current.memory',
  'ecc.errors.corrected.volatile.total',
  'ecc.errors.uncorrected.volatile.total',
] as const;
export type NumericField = (typeof NUMERIC_FIELDS)[number];

/** Fields that identify a GPU rather than measure it. */
export const IDENTITY_FIELDS = ['index', 'uuid', 'name', 'pci.bus_id', 'mig.mode.current'] as const;

/** What the agent's loop asks for, in this order. `index` and `uuid` are required; the rest may be dropped on drivers that do not know them. */
export const QUERY_FIELDS: readonly string[] = [...IDENTITY_FIELDS, ...NUMERIC_FIELDS];
export const REQUIRED_FIELDS: readonly string[] = ['index', 'uuid'];

/** Older spellings nvidia-smi still accepts, mapped to the names used above. */
const ALIASES: Readonly<Record<string, string>> = {
  gpu_uuid: 'uuid',
  gpu_name: 'name',
  gpu_bus_id: 'pci.bus_id',
  'clocks.gr': 'clocks.current.graphics',
  'clocks.mem': 'clocks.current.memory',
  'clocks.sm': 'clocks.current.sm',
};

/** One GPU in one query row. `id` is what `hw.id` carries: the uuid, else the index, else the row's position. */
export interface GpuRow {
  readonly id: string;
  readonly uuid: string | null;
  readonly index: number | null;
  readonly name: string | null;
  readonly busId: string | null;
  /** `Enabled` / `Disabled` on MIG-capable GPUs, null elsewhere. */
  readonly migMode: string | null;
  readonly values: Readonly<Partial<Record<NumericField, number>>>;
}

/** A field name as nvidia-smi's header or a query list spells it, without ` [unit]`, aliases resolved. */
export function canonicalField(raw: string): string {
  const name = raw.replace(/\s*\[[^\]]*\]\s*$/, '').trim();
  return ALIASES[name] ?? name;
}

const NUMBER = /^(-?\d+(?:\.\d+)?)(?:\s*(?:%|[A-Za-z]+))?$/;

/** A cell as a number (its unit, if any, dropped), or undefined for every placeholder or text. */
export function parseQueryValue(raw: string): number | undefined {
  const m = NUMBER.exec(raw.trim());
  if (m === null) return undefined;
  const n = Number(m[1]);
  return Number.isFinite(n) ? n : undefined;
}

/** A cell as text, or null for the placeholders. */
function textValue(raw: string | undefined): string | null {
  if (raw === undefined) return null;
  const t = raw.trim();
  return t === '' || t === 'N/A' || t.startsWith('[') ? null : t;
}

/**
 * One data line read against `fields` (canonical names, in query order). Null when the line does
 * not have one cell per field: a message nvidia-smi printed instead of a row.
 */
export function parseQueryLine(line: string, fields: readonly string[], position = 0): GpuRow | null {
  const cells = line.split(',');
  if (cells.length !== fields.length) return null;
  const at = columnsOf(fields);
  const cell = (f: string): string | undefined => {
    const i = at.get(f);
    return i === undefined ? undefined : cells[i];
  };
  const values: Partial<Record<NumericField, number>> = {};
  for (const f of NUMERIC_FIELDS) {
    const c = cell(f);
    const v = c === undefined ? undefined : parseQueryValue(c);
    if (v !== undefined) values[f] = v;
  }
  const uuid = textValue(cell('uuid'));
  const indexCell = cell('index');
  const index = indexCell === undefined ? undefined : parseQueryValue(indexCell);
  return {
    id: uuid ?? (index !== undefined ? String(index) : String(position)),
    uuid,
    index: index ?? null,
    name: textValue(cell('name')),
    busId: textValue(cell('pci.bus_id')),
    migMode: textValue(cell('mig.mode.current')),
    values,
  };
}

// The loop parses the same field list twice a second per GPU: map names to columns once per list.
const columnCache = new WeakMap<readonly string[], ReadonlyMap<string, number>>();
function columnsOf(fields: readonly string[]): ReadonlyMap<string, number> {
  let m = columnCache.get(fields);
  if (m === undefined) {
    m = new Map(fields.map((f, i) => [f, i]));
    columnCache.set(fields, m);
  }
  return m;
}

/**
 * Every GPU row of a whole output. `fields` is the query list; pass null when the output has a
 * header (plain `csv`), which then names the columns. A header line is recognised and skipped
 * either way. Lines that are not rows are ignored.
 */
export function parseQueryCsv(text: string, fields: readonly string[] | null): GpuRow[] {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  let names = fields?.map(canonicalField) ?? null;
  const first = lines[0];
  if (first !== undefined) {
    const header = first.split(',').map(canonicalField);
    const isHeader = names === null || (header.length === names.length && header.every((h, i) => h === names?.[i]));
    if (isHeader) {
      names = header;
      lines.shift();
    }
  }
  if (names === null) return [];
  const rows: GpuRow[] = [];
  for (const line of lines) {
    const row = parseQueryLine(line, names, rows.length);
    if (row !== null) rows.push(row);
  }
  return rows;
}
