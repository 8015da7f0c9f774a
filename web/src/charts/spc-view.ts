/**
 * Reads an `spcChart` result (GET /api/v1/spc, computed by protocol's SPC) into what the
 * spc-chart draws: points, centre and limits, the ±1σ/±2σ/±3σ zones, violation markers with
 * their rule, and capability when spec limits exist. The web draws only what the API returns;
 * the one thing derived here is the zone width, taken from the limits so subgroup charts
 * (limits at ±3σ/√n) get zones of the plotted statistic, unless the result carries its own
 * `zones` ({sigma1, sigma2, sigma3} as [low, high]). A log-transformed chart is read in the
 * data's units: points exp(value), centre, limits and zone edges from the result's `inUnits`
 * (asymmetric zones, σ as a factor), so latency reads in seconds and no limit is negative. The
 * dispersion chart (MR, R or S) is read beside it. Pure and tolerant of point shapes.
 */
import { RULE_DESCRIPTIONS } from '@sigmascope/protocol/spc/rules';

/** One plotted point: x is the timestamp when the result has them, else the point index. */
export interface SpcPoint {
  readonly index: number;
  readonly x: number;
  readonly y: number;
}

/** A rule firing at a point. */
export interface SpcMarker extends SpcPoint {
  readonly rule: string;
  /** Style slot 1..8 (see ruleNumber). */
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

/** The MR, R or S chart under the location chart, on the same x positions. */
export interface DispersionView {
  readonly kind: 'mr' | 'r' | 's';
  readonly title: string;
  readonly center: number;
  readonly lcl: number;
  readonly ucl: number;
  readonly points: readonly { readonly x: number; readonly y: number; readonly beyond: boolean }[];
}

/** Everything the chart needs. */
export interface SpcView {
  readonly chart: string;
  readonly center: number;
  readonly sigma: number;
  readonly lcl: number;
  readonly ucl: number;
  /** Width of one zone on the plotted scale: from `zones.sigma1`, else (UCL − CL) / 3. */
  readonly zoneWidth: number;
  readonly xIsTime: boolean;
  readonly points: readonly SpcPoint[];
  readonly markers: readonly SpcMarker[];
  readonly capability: SpcCapability | null;
  /** True when values were charted as ln(value) and are drawn back in their own units. */
  readonly log: boolean;
  /** exp(σ) of a log chart: one σ multiplies a value by this; null otherwise. */
  readonly sigmaFactor: number | null;
  /** Shaded bands; absent: symmetric bands of zoneWidth around the centre. */
  readonly bands: readonly ZoneBand[] | null;
  readonly dispersion: DispersionView | null;
  /** A counter charted on its rate (`of: "rate"`). */
  readonly rate: boolean;
  /** Values left out as the subgroup still filling. */
  readonly dropped: number;
  /** The latest re-baseline of the series: the chart starts there. */
  readonly baseline: { readonly from: number; readonly at: number; readonly by: string } | null;
}

/** A shaded band between two y values. */
export interface ZoneBand {
  readonly zone: 'A' | 'B' | 'C';
  readonly from: number;
  readonly to: number;
}

/** Marker colour and shape per style slot 1..8 (Okabe–Ito, never the points' blue); shape too, so colour is not the only cue. */
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

/** Western Electric rules share the style of the Nelson rule that tests the same thing. */
const WE_STYLE: Readonly<Record<string, number>> = { we1: 1, we2: 5, we3: 6, we4: 2 };

/**
 * The style slot (1..8) of a rule id: `nelson3` → 3, `we2` → 5 (the same test as Nelson 5), and
 * a bare digit for older ids ("1", "rule1"); null when there is none.
 */
export function ruleNumber(rule: unknown): number | null {
  const id = String(rule);
  if (WE_STYLE[id] !== undefined) return WE_STYLE[id] as number;
  const m = /([1-8])(?!\d)/.exec(id);
  return m ? Number(m[1]) : null;
}

/** Short label of a rule: "Nelson 1", "WE 2", else "Rule x". */
export function ruleShort(rule: string): string {
  const m = /^(nelson|we)(\d)$/.exec(rule);
  if (m) return `${m[1] === 'we' ? 'WE' : 'Nelson'} ${m[2]}`;
  return /^\d$/.test(rule) ? `Rule ${rule}` : rule;
}

/** The legend text of a rule: "Nelson 1: one point beyond 3σ" (descriptions from protocol's catalogue). */
export function ruleName(rule: string): string {
  const known = (RULE_DESCRIPTIONS as Readonly<Record<string, string>>)[rule];
  if (known) return `${ruleShort(rule)}: ${known}`;
  const n = /^(?:rule)?([1-8])$/.exec(rule);
  const desc = n ? (RULE_DESCRIPTIONS as Readonly<Record<string, string>>)[`nelson${n[1]}`] : undefined;
  return desc ? `${ruleShort(rule)}: ${desc}` : ruleShort(rule);
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

const DISPERSION_TITLES = { mr: 'Moving range (MR)', r: 'Range (R)', s: 'Standard deviation (S)' } as const;

/** Asymmetric bands from zone edges [low, high] at 1σ, 2σ and 3σ around `center`. */
function bandsFrom(center: number, z: { sigma1: number[]; sigma2: number[]; sigma3: number[] }): ZoneBand[] {
  const [l1, h1] = z.sigma1 as [number, number];
  const [l2, h2] = z.sigma2 as [number, number];
  const [l3, h3] = z.sigma3 as [number, number];
  return [
    { zone: 'C', from: center, to: h1 }, { zone: 'C', from: l1, to: center },
    { zone: 'B', from: h1, to: h2 }, { zone: 'B', from: l2, to: l1 },
    { zone: 'A', from: h2, to: h3 }, { zone: 'A', from: l3, to: l2 },
  ];
}

function readDispersion(o: Record<string, unknown>, xs: readonly number[], log: boolean): DispersionView | null {
  const d = o.dispersion as Record<string, unknown> | undefined;
  if (!d || typeof d !== 'object' || !Array.isArray(d.points)) return null;
  const kind = d.kind === 'mr' || d.kind === 'r' || d.kind === 's' ? d.kind : null;
  const center = num(d.center);
  const lcl = num(d.lcl);
  const ucl = num(d.ucl);
  if (kind === null || center === null || lcl === null || ucl === null) return null;
  const beyond = new Set(Array.isArray(d.beyond) ? (d.beyond as unknown[]).filter((i): i is number => typeof i === 'number') : []);
  const points: { x: number; y: number; beyond: boolean }[] = [];
  (d.points as unknown[]).forEach((p, i) => {
    const y = p && typeof p === 'object' ? num((p as Record<string, unknown>).value) : null;
    const x = xs[i];
    if (y !== null && x !== undefined) points.push({ x, y, beyond: beyond.has(i) });
  });
  return { kind, title: `${DISPERSION_TITLES[kind]}${log ? ' of ln(value)' : ''}`, center, lcl, ucl, points };
}

function readBaseline(b: unknown): SpcView['baseline'] {
  if (!b || typeof b !== 'object') return null;
  const o = b as Record<string, unknown>;
  const from = num(o.from);
  const at = num(o.at);
  return from === null || at === null ? null : { from, at, by: typeof o.by === 'string' ? o.by : '?' };
}

/** Parses an spcChart result; null when it lacks a centre, limits or points. */
export function readSpcChart(json: unknown): SpcView | null {
  if (!json || typeof json !== 'object') return null;
  const outer = json as Record<string, unknown>;
  // protocol's spcChart() answers {ok: true, chart: {...}}; the API may send either form.
  const o = (outer.ok === true && outer.chart && typeof outer.chart === 'object' ? outer.chart : outer) as Record<string, unknown>;
  const center = num(o.center);
  const ucl = num(o.ucl);
  const lcl = num(o.lcl);
  const sigma = num(o.sigma);
  if (center === null || ucl === null || lcl === null || !Array.isArray(o.points)) return null;
  const u = o.inUnits as Record<string, unknown> | undefined;
  const inUnits = o.transform === 'log' && u && typeof u === 'object' && num(u.center) !== null && num(u.lcl) !== null && num(u.ucl) !== null ? u : null;
  const log = inUnits !== null;
  const raw = (o.points as unknown[]).map(readPoint);
  const xIsTime = raw.length > 0 && raw.every((p) => p === null || p.ts !== null);
  const points: SpcPoint[] = [];
  raw.forEach((p, index) => { if (p) points.push({ index, x: xIsTime ? (p.ts as number) : index, y: log ? Math.exp(p.y) : p.y }); });
  const xs = raw.map((p, index) => (p && xIsTime ? (p.ts as number) : index));
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
  const z = o.zones as { sigma1?: unknown } | undefined;
  const s1 = z && Array.isArray(z.sigma1) ? (z.sigma1 as unknown[]).map(num) : null;
  const width = s1 && s1[0] !== null && s1[1] !== null && s1[0] !== undefined && s1[1] !== undefined ? (s1[1] - s1[0]) / 2 : (ucl - center) / 3;
  const uz = inUnits?.zones as { sigma1: number[]; sigma2: number[]; sigma3: number[] } | undefined;
  const validZones = uz !== undefined && ['sigma1', 'sigma2', 'sigma3'].every((k) => Array.isArray((uz as Record<string, unknown>)[k]));
  return {
    chart: typeof o.chart === 'string' ? o.chart : 'individuals',
    center: log ? (inUnits.center as number) : center,
    ucl: log ? (inUnits.ucl as number) : ucl,
    lcl: log ? (inUnits.lcl as number) : lcl,
    sigma: sigma ?? width,
    zoneWidth: width > 0 ? width : (sigma ?? 0),
    xIsTime, points, markers, capability,
    log,
    sigmaFactor: log ? num(inUnits.sigmaFactor) : null,
    bands: log && validZones ? bandsFrom(inUnits.center as number, uz) : null,
    dispersion: readDispersion(o, xs, log),
    rate: o.of === 'rate',
    dropped: num(o.dropped) ?? 0,
    baseline: readBaseline(o.baseline),
  };
}

/** The six shaded bands, C nearest the centre, A next to the limits. */
export function zoneBands(view: Pick<SpcView, 'center' | 'zoneWidth'> & { readonly bands?: readonly ZoneBand[] | null }): ZoneBand[] {
  if (view.bands) return [...view.bands];
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
    groups.set(m.rule, [...(groups.get(m.rule) ?? []), m]);
  }
  return [...groups.entries()]
    .map(([rule, ms]) => ({ rule, ruleNo: ruleNumber(rule), markers: ms }))
    .sort((a, b) => (a.ruleNo ?? 99) - (b.ruleNo ?? 99));
}
