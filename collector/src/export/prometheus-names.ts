/**
 * The OpenTelemetry → Prometheus name translation, in one place (the OpenTelemetry
 * specification's "Prometheus and OpenMetrics Compatibility", as the OpenTelemetry Collector's
 * translator applies it):
 *
 *   metric  characters outside [a-zA-Z0-9_:] become `_`, runs of `_` collapse, leading and
 *           trailing `_` go; the unit's Prometheus word is appended unless the name already ends
 *           with it (`s` → `_seconds`, `By` → `_bytes`, `1` → `_ratio` for gauges, `{token}` →
 *           nothing, `{token}/s` → `_per_second`); a counter gets `_total`.
 *           hw.gpu.power.draw (W) → hw_gpu_power_draw_watts; system.network.io (By, counter) →
 *           system_network_io_bytes_total.
 *   label   characters outside [a-zA-Z0-9_] become `_`; a leading digit gets `key_` before it;
 *           names starting with `__` are Prometheus' own and are escaped the same way.
 *           hw.id → hw_id; gen_ai.provider.name → gen_ai_provider_name.
 *
 * Names are cached: the translation runs once per distinct name, not once per sample.
 */
import { catalogNames, metricShape } from './metric-catalog.ts';
import type { MetricShape } from './metric-catalog.ts';

/** UCUM units and their Prometheus words (the translator's table, the units these metrics use and their neighbours). */
const UNIT_WORDS: Readonly<Record<string, string>> = {
  d: 'days', h: 'hours', min: 'minutes', s: 'seconds', ms: 'milliseconds', us: 'microseconds', ns: 'nanoseconds',
  By: 'bytes', KiBy: 'kibibytes', MiBy: 'mebibytes', GiBy: 'gibibytes', TiBy: 'tibibytes', KBy: 'kilobytes', MBy: 'megabytes', GBy: 'gigabytes', TBy: 'terabytes',
  m: 'meters', V: 'volts', A: 'amperes', J: 'joules', W: 'watts', g: 'grams', Cel: 'celsius', Hz: 'hertz', '%': 'percent',
};
const PER_WORDS: Readonly<Record<string, string>> = { s: 'second', m: 'minute', h: 'hour', d: 'day', w: 'week', mo: 'month', y: 'year' };

const metricCache = new Map<string, string>();
const labelCache = new Map<string, string>();

/** The Prometheus metric name of an OpenTelemetry metric, with its unit and type suffixes. */
export function prometheusMetricName(name: string): string {
  let out = metricCache.get(name);
  if (out === undefined) {
    out = translateMetric(name);
    if (metricCache.size < 100_000) metricCache.set(name, out);
  }
  return out;
}

/** The Prometheus label name of an OpenTelemetry attribute name. */
export function prometheusLabelName(name: string): string {
  let out = labelCache.get(name);
  if (out === undefined) {
    out = translateLabel(name);
    if (labelCache.size < 100_000) labelCache.set(name, out);
  }
  return out;
}

function translateMetric(name: string): string {
  return translateMetricName(name, metricShape(name));
}

/** The translation for any unit and kind (prometheusMetricName takes them from the catalog). */
export function translateMetricName(name: string, shape: MetricShape): string {
  let base = sanitize(name, /[^a-zA-Z0-9_:]/g);
  for (const suffix of unitSuffixes(shape.unit, shape.kind === 'gauge')) if (!base.endsWith(`_${suffix}`) && base !== suffix) base = `${base}_${suffix}`;
  if (shape.kind === 'counter' && !base.endsWith('_total')) base = `${base}_total`;
  return base;
}

/** The unit's words in order: `By` → [bytes], `{token}/s` → [per_second], `1` → [ratio] (gauges). */
function unitSuffixes(unit: string, isGauge: boolean): string[] {
  if (unit === '') return [];
  if (unit === '1') return isGauge ? ['ratio'] : [];
  const [main = '', per] = unit.split('/', 2);
  const out: string[] = [];
  const word = (u: string, table: Readonly<Record<string, string>>): string => (u.startsWith('{') || u === '' ? '' : (table[u] ?? sanitize(u, /[^a-zA-Z0-9]/g)));
  const m = word(main, UNIT_WORDS);
  if (m !== '') out.push(m);
  if (per !== undefined) {
    const p = word(per, PER_WORDS);
    if (p !== '') out.push(`per_${p}`);
  }
  return out;
}

function translateLabel(name: string): string {
  let out = name.replace(/[^a-zA-Z0-9_]/g, '_');
  if (/^[0-9]/.test(out)) out = `key_${out}`;
  else if (out.startsWith('__')) out = `key${out}`;
  return out;
}

function sanitize(name: string, invalid: RegExp): string {
  return name.replace(invalid, '_').replace(/_+/g, '_').replace(/^_+|_+$/g, '');
}

/**
 * Reverse lookups for a reader of the engine (the Prometheus query backend): Prometheus names
 * back to the OpenTelemetry names this collector knows (the catalog, plus any name `learn` was
 * given); a name it does not know comes back as it is.
 */
export class NameBook {
  private readonly metrics = new Map<string, string>();
  private readonly labels = new Map<string, string>();

  constructor(labelNames: Iterable<string> = []) {
    for (const n of catalogNames()) this.learnMetric(n);
    for (const l of labelNames) this.learnLabel(l);
  }

  learnMetric(otelName: string): void {
    this.metrics.set(prometheusMetricName(otelName), otelName);
  }

  learnLabel(otelName: string): void {
    this.labels.set(prometheusLabelName(otelName), otelName);
  }

  metricOf(promName: string): string {
    return this.metrics.get(promName) ?? promName;
  }

  labelOf(promName: string): string {
    return this.labels.get(promName) ?? promName;
  }
}
