/**
 * The incident detector's eyes: it follows every watched series the store holds (signal-
 * catalog.ts), reads what arrived since its last pass (Store.pointsAfter: from memory in the
 * usual case) and judges each series against its own robust baseline (series-watch.ts). One
 * pass returns what attribution needs: the signals that have shifted now, and which agents
 * probe which provider and model (the vantage points).
 *
 *   pass(now) ─ discover new series (every discoverEveryMs; first read: the baseline's reach)
 *             ─ for each followed series: pointsAfter(cursor) → watch.add → watch.evaluate(now)
 *             ─ TTFT and TTFB of one run → the derived server part (server-part.ts)
 *             └▶ Snapshot { shifted signals with evidence and onset, vantage points }
 *
 * Works from stored samples alone; agents' SPC events are not needed.
 */
import type { IncidentEvidence } from '@sigmascope/protocol/incident';
import { Label, Metric } from '@sigmascope/protocol/metrics';
import { seriesKey } from '@sigmascope/protocol/series';
import type { Labels } from '@sigmascope/protocol/series';
import type { SeriesRef, Store } from '../../store/store.ts';
import type { DetectorOptions } from './detector-options.ts';
import { SeriesWatch } from './series-watch.ts';
import { ServerPart } from './server-part.ts';
import { isProbeRun, PROBE_SIGNALS, SERVER_PART_NAME, SERVER_PART_SIGNAL, TELEMETRY_SIGNALS } from './signal-catalog.ts';
import type { ProbePhase, SignalRole, SignalSpec } from './signal-catalog.ts';

/** The reads the detector needs. */
export type DetectorStore = Pick<Store, 'findSeries' | 'raw' | 'pointsAfter'>;

/** A signal that has shifted, as attribution sees it. */
export interface ShiftedSignal {
  /** agent, name and labels: stable across passes. */
  readonly key: string;
  readonly agent: string;
  readonly role: SignalRole;
  readonly phase: ProbePhase | null;
  /** `gen_ai.provider.name` and `gen_ai.request.model` of probe and inference-server series. */
  readonly provider: string | null;
  readonly model: string | null;
  readonly name: string;
  readonly onset: number;
  readonly evidence: IncidentEvidence;
}

/** One pass's view of the fleet. */
export interface Snapshot {
  readonly now: number;
  readonly shifted: readonly ShiftedSignal[];
  /** `provider\0model` → agents whose TTFT of it is judged (not learning, not stale). */
  readonly vantage: ReadonlyMap<string, ReadonlySet<string>>;
  /** Keys of signals judged in control now (not shifted, learning or stale). */
  readonly inControl: (key: string) => boolean;
}

/** The vantage key of a provider and model. */
export const targetKey = (provider: string, model: string): string => `${provider}\u0000${model}`;

interface Followed {
  readonly id: number;
  cursor: number;
  readonly watch: SeriesWatch;
  readonly key: string;
  /** For TTFT and TTFB: the target's derived server part. */
  readonly pairing: { readonly part: ServerPart; readonly side: 'ttft' | 'ttfb'; readonly watch: SeriesWatch } | null;
}

const SPECS = new Map<string, SignalSpec>([...PROBE_SIGNALS, ...TELEMETRY_SIGNALS].map((s) => [s.name, s]));
/** Labels of a probe series that name its target (the rest says which phase or run outcome). */
const TARGET_LABELS_DROP = new Set<string>([Label.errorType, Label.genAiTokenType]);

export class Detector {
  private readonly store: DetectorStore;
  private readonly o: DetectorOptions;
  private readonly followed: Followed[] = [];
  private readonly known = new Set<number>();
  private readonly byKey = new Map<string, SeriesWatch>();
  /** Per probe target (agent + target labels): its derived server part and its watch. */
  private readonly parts = new Map<string, { part: ServerPart; watch: SeriesWatch }>();
  private discoveredAt = Number.NEGATIVE_INFINITY;
  /** More new series were found than one pass takes: the next pass goes on. */
  private discoveryPending = false;

  constructor(store: DetectorStore, options: DetectorOptions) {
    this.store = store;
    this.o = options;
  }

  /** Series followed (the derived server parts included). */
  get size(): number {
    return this.byKey.size;
  }

  /** Reads what is new, judges every series at `now` and returns what shifted. */
  pass(now: number): Snapshot {
    if (this.discoveryPending || now - this.discoveredAt >= this.o.discoverEveryMs) {
      this.discoveredAt = now;
      this.discoveryPending = !this.discover(now);
    }
    for (const f of this.followed) {
      const p = this.store.pointsAfter(f.id, f.cursor);
      if (p.ts.length === 0) continue;
      f.cursor = p.ts[p.ts.length - 1] as number;
      this.feed(f, p.ts, p.values);
    }
    const shifted: ShiftedSignal[] = [];
    const vantage = new Map<string, Set<string>>();
    for (const [key, w] of this.byKey) {
      const state = w.evaluate(now);
      if (w.spec.phase === 'ttft' && (state === 'in_control' || state === 'shifted')) {
        const t = targetKey(w.labels[Label.genAiProvider] ?? '', w.labels[Label.genAiModel] ?? '');
        let set = vantage.get(t);
        if (set === undefined) vantage.set(t, (set = new Set()));
        set.add(w.agent);
      }
      if (state !== 'shifted') continue;
      const evidence = w.evidence();
      if (evidence === null) continue;
      shifted.push({
        key, agent: w.agent, role: w.spec.role, phase: w.spec.phase ?? null, name: w.name, onset: w.onset as number, evidence,
        provider: w.labels[Label.genAiProvider] ?? null, model: w.labels[Label.genAiModel] ?? null,
      });
    }
    const inControl = (key: string): boolean => this.byKey.get(key)?.state === 'in_control';
    return { now, shifted, vantage, inControl };
  }

  private feed(f: Followed, ts: Float64Array, values: Float64Array): void {
    f.watch.add(ts, values);
    if (f.pairing === null) return;
    const done = f.pairing.side === 'ttft' ? f.pairing.part.addTtft(ts, values) : f.pairing.part.addTtfb(ts, values);
    if (done.ts.length > 0) f.pairing.watch.add(done.ts, done.values);
  }

  /**
   * Follows series not followed yet, reading each one's history (the baseline's reach) from the
   * store; at most `maxNewPerPass` of them, so that a collector starting on a large fleet spreads
   * those reads over several passes. Returns whether it took every new series.
   */
  private discover(now: number): boolean {
    const reach = now - this.o.probe.baselineMs - this.o.probe.guardMs - 60_000;
    let budget = this.o.maxNewPerPass;
    for (const spec of SPECS.values()) {
      const accept = (s: SeriesRef): boolean => !this.known.has(s.id) && (spec.role !== 'probe' || isProbeRun(s.labels)) && (spec.accepts === undefined || spec.accepts(s.labels));
      const found = this.store.findSeries(spec.name, accept, budget);
      for (const ref of found.series) {
        budget--;
        this.known.add(ref.id);
        const f = this.follow(ref, spec);
        const p = this.store.raw(ref.id, reach, now);
        f.cursor = p.ts.length > 0 ? (p.ts[p.ts.length - 1] as number) : reach;
        this.feed(f, p.ts, p.values);
      }
      if (found.truncated || budget === 0) return false;
    }
    return true;
  }

  private follow(ref: SeriesRef, spec: SignalSpec): Followed {
    const thresholds = spec.bucketMs === 0 ? this.o.probe : this.o.telemetry;
    const key = signalKey(ref.agent, ref.name, ref.labels);
    const watch = new SeriesWatch(ref.agent, ref.name, ref.labels, spec, thresholds);
    this.byKey.set(key, watch);
    let pairing: Followed['pairing'] = null;
    if (ref.name === Metric.genAiTimeToFirstChunk || ref.name === 'sigmascope.probe.time_to_first_byte') {
      const target = targetLabels(ref.labels);
      const partKey = signalKey(ref.agent, SERVER_PART_NAME, target);
      let derived = this.parts.get(partKey);
      if (derived === undefined) {
        derived = { part: new ServerPart(), watch: new SeriesWatch(ref.agent, SERVER_PART_NAME, target, SERVER_PART_SIGNAL, this.o.probe) };
        this.parts.set(partKey, derived);
        this.byKey.set(partKey, derived.watch);
      }
      pairing = { part: derived.part, side: ref.name === Metric.genAiTimeToFirstChunk ? 'ttft' : 'ttfb', watch: derived.watch };
    }
    const f: Followed = { id: ref.id, cursor: Number.NEGATIVE_INFINITY, watch, key, pairing };
    this.followed.push(f);
    return f;
  }
}

/** The key of a signal: its agent, name and labels. */
export function signalKey(agent: string, name: string, labels: Labels): string {
  return `${agent}\u0000${seriesKey(name, labels)}`;
}

function targetLabels(labels: Labels): Labels {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(labels)) if (!TARGET_LABELS_DROP.has(k)) out[k] = v;
  return out;
}
