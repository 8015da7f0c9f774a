/**
 * Reads an `spcChart` result (GET /api/v1/spc, computed by protocol's SPC) into what the
 * spc-chart draws: points, centre and limits, the ±1σ/±2σ/±3σ zones, violation markers with
 * their rule, and capability when spec limits exist. The web draws only what the API returns;
 * the one thing derived here is the zone width, taken from the limits so subgroup charts
 * (limits at ±3σ/√n) get zones of the plotted statistic. Pure and tolerant of point shapes.
 */

/** One plotted point: x is the timestamp when the result has them, else the point index. */
export interface SpcPoint {
  readonly index: number;
  readonly x: number;
  readonly y: number;
}

/** A rule firing at a point. */
export interface SpcMarker extends SpcPoint {
  readonly rule: string;
  readonly ruleNo: number | null;
}

/** Capability indices; present only when the user gave spec limits. */
export interface SpcCapability {
  readonly cp: number | null;
  readonly cpk: number | null;
  readonly pp: number | null;
  readonly ppk: number | null;
  readonly lsl: number | null;
  readonly usl: number | null;
}

/** Everything the chart needs. */
export interface SpcView {
  readonly chart: string;
  readonly center: number;
  readonly sigma: number;
  readonly lcl: number;
  readonly ucl: number;
  /** Width of one zone on the plotted scale: (UCL − CL) / 3. */
  readonly zoneWidth: number;
  readonly xIsTime: boolean;
  readonly points: readonly SpcPoint[];
  readonly markers: readonly SpcMarker[];
  readonly capability: SpcCapability | null;
}

/** A shaded band between two y values. */
export interface ZoneBand {
  readonly zone: 'A' | 'B' | 'C';
  readonly from: number;
  readonly to: number;
}

/** What each Nelson rule means, for the legend. */
export const RULE_NAMES: Readonly<Record<number, string>> = {
  1: 'Rule 1: a point beyond 3σ',
  2: 'Rule 2: 9 in a row on one side of the centre',
  3: 'Rule 3: 6 in a row steadily rising or falling',
  4: 'Rule 4: 14 in a row alternating up and down',
  5: 'Rule 5: 2 of 3 beyond 2σ on one side',
  6: 'Rule 6: 4 of 5 beyond 1σ on one side',
  7: 'Rule 7: 15 in a row within 1σ',
  8: 'Rule 8: 8 in a row beyond 1σ, both sides',
};

/** Marker colour per rule (Okabe–Ito, never the points' blue) and shape, so colour is not the only cue. */
export const RULE_STYLE: Readonly<Record<number, { color: string; shape: string }>> = {
  1: { color: '#D55E00', shape: 'triangle' },
  2: { color: '#E69F00', shape: 'rect' },
  3: { color: '#CC79A7', shape: 'rectRot' },
  4: { color: '#56B4E9', shape: 'star' },
  5: { color: '#009E73', shape: 'crossRot' },
  6: { color: '#F0E442', shape: 'rectRounded' },
  7: { color: '#999999', shape: 'cross' },
  8: { color: '#999999', shape: 'circle' },
};

/** The rule number in "1", "rule1", "nelson-5", 3; null when there is none in 1..8. */
export function ruleNumber(rule: unknown): number | null {
  const m = /([1-8])(?!\d)/.exec(String(rule));
  return m ? Number(m[1]) : null;
}

/** The legend text of a rule. */
export function ruleName(rule: string): string {
  const n = ruleNumber(rule);
  return n === null ? `Rule ${rule}` : (RULE_NAMES[n] as string);
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

function readPoint(p: unknown, index: number): { ts: number | null; y: number } | null {
  if (typeof p === 'number') return Number.isFinite(p) ? { ts: null, y: p } : null;
  if (Array.isArray(p)) return num(p[1]) === null ? null : { ts: num(p[0]), y: p[1] as number };
  if (p && typeof p === 'object') {
    const o = p as Record<string, unknown>;
    const y = num(o.value) ?? num(o.y) ?? num(o.mean);
    if (y === null) return null;
    return { ts: num(o.ts) ?? num(o.x) ?? num(o.time), y };
  }
  void index;
  return null;
}

/** Parses an spcChart result; null when it lacks a centre, limits or points. */
export function readSpcChart(json: unknown): SpcView | null {
  if (!json || typeof json !== 'object') return null;
  const o = json as Record<string, unknown>;
  const center = num(o.center);
  const ucl = num(o.ucl);
  const lcl = num(o.lcl);
  const sigma = num(o.sigma);
  if (center === null || ucl === null || lcl === null || !Array.isArray(o.points)) return null;
  const raw = (o.points as unknown[]).map(readPoint);
  const xIsTime = raw.length > 0 && raw.every((p) => p === null || p.ts !== null);
  const points: SpcPoint[] = [];
  raw.forEach((p, index) => { if (p) points.push({ index, x: xIsTime ? (p.ts as number) : index, y: p.y }); });
  const byIndex = new Map(points.map((p) => [p.index, p]));
  const byTs = new Map(points.map((p) => [p.x, p]));
  const markers: SpcMarker[] = [];
  for (const v of Array.isArray(o.violations) ? (o.violations as Record<string, unknown>[]) : []) {
    const at = (num(v.index) !== null ? byIndex.get(v.index as number) : undefined) ?? (num(v.ts) !== null ? byTs.get(v.ts as number) : undefined);
    if (!at) continue;
    const rule = String(v.rule ?? '?');
    markers.push({ ...at, rule, ruleNo: ruleNumber(rule) });
  }
  const c = o.capability as Record<string, unknown> | undefined | null;
  const capability = c && typeof c === 'object'
    ? { cp: num(c.cp), cpk: num(c.cpk), pp: num(c.pp), ppk: num(c.ppk), lsl: num(c.lsl), usl: num(c.usl) }
    : null;
  const width = (ucl - center) / 3;
  return {
    chart: typeof o.chart === 'string' ? o.chart : 'individuals',
    center, ucl, lcl,
    sigma: sigma ?? width,
    zoneWidth: width > 0 ? width : (sigma ?? 0),
    xIsTime, points, markers, capability,
  };
}

/** The six shaded bands, C nearest the centre, A next to the limits. */
export function zoneBands(view: Pick<SpcView, 'center' | 'zoneWidth'>): ZoneBand[] {
  const { center: c, zoneWidth: w } = view;
  const bands: ZoneBand[] = [];
  (['C', 'B', 'A'] as const).forEach((zone, i) => {
    bands.push({ zone, from: c + i * w, to: c + (i + 1) * w });
    bands.push({ zone, from: c - (i + 1) * w, to: c - i * w });
  });
  return bands;
}

/** The rules that fired, in rule order, each with its markers (one legend entry per rule). */
export function markersByRule(markers: readonly SpcMarker[]): { rule: string; ruleNo: number | null; markers: SpcMarker[] }[] {
  const groups = new Map<string, SpcMarker[]>();
  for (const m of markers) {
    const key = m.ruleNo === null ? m.rule : String(m.ruleNo);
    groups.set(key, [...(groups.get(key) ?? []), m]);
  }
  return [...groups.entries()]
    .map(([rule, ms]) => ({ rule, ruleNo: ruleNumber(rule), markers: ms }))
    .sort((a, b) => (a.ruleNo ?? 99) - (b.ruleNo ?? 99));
}
