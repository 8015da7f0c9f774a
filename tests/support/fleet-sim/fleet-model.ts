/**
 * The simulated fleet: GPU hosts that each probe some hosted providers and their own local vLLM,
 * and report what a real agent reports, with the same names and labels (DESIGN.md, docs/probes.md):
 * probe phases per run (DNS, connect, TLS, TTFB, TTFT, chunk gaps, duration), host CPU and
 * memory, every GPU, and the local inference server at 2 Hz. Faults (faults.ts) change what the
 * hosts see while they last. Deterministic: one seed, one fleet, the same numbers on every run,
 * however the time is cut into batches.
 *
 * Where the numbers come from: a provider's own time per run is one recorded request of a real
 * provider (latency-captures.ts); the path adds the agent's round trip (5–60 ms, jittered) to
 * connect, TLS and the first byte; telemetry is an AR(1) wobble around a per-host level.
 */
import { Label, Metric } from '@sigmascope/protocol/metrics';
import { series } from '@sigmascope/protocol/series';
import type { Series } from '@sigmascope/protocol/series';
import { seededNormal } from '@sigmascope/protocol/spc/seeded-normal';
import { seededUniform } from '@sigmascope/protocol/stats/seeded-uniform';
import { recordedRequests } from './latency-captures.ts';
import type { CaptureName, RecordedRequest } from './latency-captures.ts';
import { activeFaults } from './faults.ts';
import type { Fault } from './faults.ts';

/** A provider and model a host probes, and the capture its latencies come from. */
export interface SimTarget {
  readonly provider: string;
  readonly model: string;
  readonly capture: CaptureName;
  /** The host's own server over loopback: no DNS, no TLS, no path to slow down. */
  readonly local: boolean;
}

export const HOSTED: readonly SimTarget[] = [
  { provider: 'openai', model: 'gpt-4o-mini', capture: 'together_70b', local: false },
  { provider: 'anthropic', model: 'claude-3-5-haiku-latest', capture: 'anyscale_70b', local: false },
  { provider: 'gcp.gemini', model: 'gemini-2.0-flash', capture: 'groq_70b', local: false },
];
export const LOCAL_VLLM: SimTarget = { provider: 'vllm', model: 'meta-llama/Llama-3.1-8B-Instruct', capture: 'bedrock_70b', local: true };

export interface SimHost {
  readonly id: string;
  readonly hostname: string;
  readonly probeIntervalMs: number;
  readonly targets: readonly SimTarget[];
  /** Round trip to each hosted provider (s). */
  readonly rtt: Readonly<Record<string, number>>;
  readonly gpus: number;
  readonly cpuBusy: number;
  readonly gpuUtil: number;
  readonly seed: number;
}

/** Output tokens per probe run (the agent's default maxTokens). */
const TOKENS = 16;
const TICK_MS = 500;

/**
 * A fleet of `size` hosts: probes every 2–5 s, each host probes openai and its local vLLM,
 * and anthropic or gemini with some chance, so that every hosted provider has at least four
 * vantage points and some hosts do not probe it.
 */
export function simFleet(seed: number, size = 12): SimHost[] {
  const u = seededUniform(seed);
  const hosts: SimHost[] = [];
  for (let i = 0; i < size; i++) {
    const targets: SimTarget[] = [HOSTED[0] as SimTarget];
    if (i % 4 !== 3) targets.push(HOSTED[1] as SimTarget);
    if (i % 2 === 0) targets.push(HOSTED[2] as SimTarget);
    targets.push(LOCAL_VLLM);
    const rtt: Record<string, number> = {};
    for (const t of HOSTED) rtt[t.provider] = 0.005 + 0.055 * u();
    const name = `gpu-${String(i + 1).padStart(2, '0')}`;
    hosts.push({ id: name, hostname: `${name}.sim`, probeIntervalMs: Math.round(2000 + 3000 * u()), targets, rtt, gpus: 2, cpuBusy: 0.2 + 0.25 * u(), gpuUtil: 0.35 + 0.25 * u(), seed: Math.floor(u() * 2 ** 31) });
  }
  return hosts;
}

/** Receives each sample the host produces, in time order per host. */
export type SampleEmit = (s: Series, ts: number, value: number) => void;

/** A wobble around a level: x ← φx + σ√(1−φ²)·N(0,1), stationary with sd σ. */
class Wobble {
  private x = 0;
  private readonly normal: () => number;
  private readonly phi: number;
  private readonly sd: number;
  constructor(normal: () => number, phi: number, sd: number) {
    this.normal = normal;
    this.phi = phi;
    this.sd = sd;
  }

  next(): number {
    this.x = this.phi * this.x + this.sd * Math.sqrt(1 - this.phi * this.phi) * this.normal();
    return this.x;
  }
}

/** One simulated host: call `advance(to)` with increasing times; it emits every sample with ts in (last, to]. */
export class SimHostModel {
  readonly spec: SimHost;
  private readonly faults: () => readonly Fault[];
  private readonly u: () => number;
  private readonly n: () => number;
  private readonly captures = new Map<CaptureName, readonly RecordedRequest[]>();
  private readonly w: Record<'cpu' | 'gpu' | 'mem' | 'kv' | 'ttft' | 'tpot', Wobble>;
  private nextTick: number | null = null;
  private readonly nextProbe = new Map<SimTarget, number>();
  private temperature: number[] = [];
  private readonly s = seriesSet();

  constructor(spec: SimHost, faults: () => readonly Fault[]) {
    this.spec = spec;
    this.faults = faults;
    this.u = seededUniform(spec.seed);
    this.n = seededNormal(spec.seed ^ 0x5bd1e995);
    this.w = { cpu: new Wobble(this.n, 0.9, 0.05), gpu: new Wobble(this.n, 0.8, 0.08), mem: new Wobble(this.n, 0.98, 0.005), kv: new Wobble(this.n, 0.9, 0.03), ttft: new Wobble(this.n, 0.5, 0.15), tpot: new Wobble(this.n, 0.5, 0.08) };
    for (const t of spec.targets) this.captures.set(t.capture, recordedRequests(t.capture));
  }

  advance(to: number, emit: SampleEmit): void {
    if (this.nextTick === null) {
      this.nextTick = Math.ceil(to / TICK_MS) * TICK_MS;
      this.spec.targets.forEach((t, i) => this.nextProbe.set(t, this.nextTick as number + Math.round(((i + 1) * this.spec.probeIntervalMs) / (this.spec.targets.length + 1))));
      this.temperature = Array.from({ length: this.spec.gpus }, () => 50 + 10 * this.spec.gpuUtil);
      return;
    }
    for (;;) {
      let probeAt = Number.POSITIVE_INFINITY;
      let due: SimTarget | null = null;
      for (const [t, at] of this.nextProbe) if (at < probeAt) [probeAt, due] = [at, t];
      const next = Math.min(this.nextTick, probeAt);
      if (next > to) return;
      if (due !== null && probeAt <= this.nextTick) {
        this.probe(due, probeAt, emit);
        this.nextProbe.set(due, probeAt + Math.round(this.spec.probeIntervalMs * (0.9 + 0.2 * this.u())));
      } else {
        this.tick(this.nextTick, emit);
        this.nextTick += TICK_MS;
      }
    }
  }

  /** What the faults active at `ts` do to this host. */
  private effects(ts: number): { providerFactor: (p: string, m: string) => number; delay: number; gpu: number; cpu: number } {
    let delay = 0;
    let gpu = 1;
    let cpu = 1;
    const provider: Fault[] = [];
    for (const f of activeFaults(this.faults(), ts)) {
      if (f.kind === 'provider') provider.push(f);
      else if (f.agent !== this.spec.id) continue;
      else if (f.kind === 'network') delay += f.delayMs / 1000;
      else if (f.saturate === 'gpu') gpu = Math.max(gpu, f.factor);
      else cpu = Math.max(cpu, f.factor);
    }
    const providerFactor = (p: string, m: string): number => provider.reduce((x, f) => (f.kind === 'provider' && f.provider === p && (f.model === null || f.model === m) ? x * f.factor : x), 1);
    return { providerFactor, delay, gpu, cpu };
  }

  private probe(t: SimTarget, ts: number, emit: SampleEmit): void {
    const e = this.effects(ts);
    const rows = this.captures.get(t.capture) as readonly RecordedRequest[];
    const r = rows[Math.floor(this.u() * rows.length)] as RecordedRequest;
    const jitter = (): number => Math.exp(0.1 * this.n());
    const labels = { [Label.genAiProvider]: t.provider, [Label.genAiModel]: t.model, [Label.genAiOperation]: 'chat' };
    let dns: number | null = null;
    let tls: number | null = null;
    let connect: number;
    let rtt: number;
    if (t.local) {
      connect = 0.0002 * jitter();
      rtt = 0.0003 * jitter();
    } else {
      const base = this.spec.rtt[t.provider] as number;
      dns = 0.002 * Math.exp(0.4 * this.n());
      connect = base * jitter() + e.delay;
      tls = base * jitter() + 0.002 + e.delay;
      rtt = base * jitter() + e.delay;
    }
    const before = (dns ?? 0) + connect + (tls ?? 0) + rtt;
    // The far end: a recorded request; a slower provider makes the whole TTFT `factor` times longer;
    // a saturated host does the same to its own server (and, CPU-starved, a little to every probe it makes).
    const factor = t.local ? Math.max(e.gpu, e.cpu) : e.providerFactor(t.provider, t.model) * (e.cpu > 1 ? 1.05 : 1);
    const server = factor * (before + r.ttft) - before;
    const gap = r.itl * (1 + (factor - 1) / 2) * Math.exp(0.05 * this.n());
    const ttfb = before + 0.1 * server;
    const ttft = before + server;
    const duration = ttft + (TOKENS - 1) * gap;
    const out = (name: string, v: number | null): void => {
      if (v !== null) emit(series(name, labels), ts, v);
    };
    out(Metric.probeDnsDuration, dns);
    out(Metric.probeConnectDuration, connect);
    out(Metric.probeTlsDuration, tls);
    out(Metric.probeTimeToFirstByte, ttfb);
    out(Metric.genAiTimeToFirstChunk, ttft);
    out(Metric.genAiTimePerOutputChunk, gap);
    out(Metric.genAiDuration, duration);
    emit(series(Metric.genAiTokenUsage, { ...labels, [Label.genAiTokenType]: 'input' }), ts, 24);
    emit(series(Metric.genAiTokenUsage, { ...labels, [Label.genAiTokenType]: 'output' }), ts, TOKENS);
    out(Metric.probeOutputTokensPerSecond, (TOKENS - 1) / ((TOKENS - 1) * gap));
  }

  private tick(ts: number, emit: SampleEmit): void {
    const e = this.effects(ts);
    const clip = (x: number): number => Math.min(1, Math.max(0, x));
    const cpuBusy = e.cpu > 1 ? clip(0.97 + 0.01 * this.n()) : clip(this.spec.cpuBusy + this.w.cpu.next());
    const idle = 1 - cpuBusy;
    for (const [mode, share] of [['user', 0.8], ['system', 0.17], ['iowait', 0.03]] as const) emit(this.s.cpu(mode), ts, cpuBusy * share);
    emit(this.s.cpu('idle'), ts, idle);
    emit(this.s.load, ts, 32 * cpuBusy + this.n() * 0.5);
    emit(this.s.memUtil, ts, clip(0.42 + this.w.mem.next()));
    emit(this.s.memUsage, ts, (0.42 + this.w.mem.next()) * 2 ** 39);
    // GPU saturation pins utilization and power and heats the card; a CPU-starved host leaves its GPUs waiting.
    const gpuLevel = e.gpu > 1 ? 0.98 : e.cpu > 1 ? this.spec.gpuUtil * 0.6 : this.spec.gpuUtil;
    for (let g = 0; g < this.spec.gpus; g++) {
      const util = clip(gpuLevel + (e.gpu > 1 ? 0.01 * this.n() : this.w.gpu.next()));
      const temp = (this.temperature[g] as number) + (50 + 30 * util - (this.temperature[g] as number)) * 0.02 + 0.3 * this.n();
      this.temperature[g] = temp;
      const gs = this.s.gpu(g);
      emit(gs.util, ts, util);
      emit(gs.memUtil, ts, 0.9 + 0.002 * this.n());
      emit(gs.temp, ts, Math.round(temp));
      emit(gs.power, ts, 120 + 500 * util + 8 * this.n());
      emit(gs.clockGraphics, ts, 1_980e6 - (temp > 80 ? 300e6 : 0));
      emit(gs.clockMemory, ts, 2_619e6);
    }
    const load = Math.max(e.gpu, e.cpu);
    const waiting = load > 1 ? Math.max(0, Math.round(6 * load + 3 * this.n())) : this.u() < 0.15 ? 1 : 0;
    emit(this.s.waiting, ts, waiting);
    emit(this.s.running, ts, Math.max(0, Math.round((load > 1 ? 14 : 6) + 1.5 * this.n())));
    emit(this.s.kv, ts, clip((load > 1 ? 0.93 : 0.38) + this.w.kv.next()));
    emit(this.s.serverTtft, ts, 0.06 * load * Math.exp(this.w.ttft.next()));
    emit(this.s.serverTpot, ts, 0.012 * (1 + (load - 1) / 2) * Math.exp(this.w.tpot.next()));
  }
}

/** The host's telemetry series, built once. */
function seriesSet() {
  const server = { [Label.genAiProvider]: 'vllm', [Label.serverAddress]: '127.0.0.1:8000', [Label.genAiModel]: LOCAL_VLLM.model };
  const cpu = new Map<string, Series>();
  const gpus = new Map<number, Record<'util' | 'memUtil' | 'temp' | 'power' | 'clockGraphics' | 'clockMemory', Series>>();
  return {
    cpu: (mode: string): Series => {
      let s = cpu.get(mode);
      if (s === undefined) cpu.set(mode, (s = series(Metric.cpuUtilization, { [Label.cpuMode]: mode })));
      return s;
    },
    gpu: (g: number) => {
      let s = gpus.get(g);
      if (s === undefined) {
        const l = { [Label.hwId]: `GPU-${String(g).padStart(8, '0')}-sim`, [Label.hwModel]: 'NVIDIA H100 80GB HBM3' };
        s = { util: series(Metric.gpuUtilization, l), memUtil: series(Metric.gpuMemoryUtilization, l), temp: series(Metric.gpuTemperature, l), power: series(Metric.gpuPowerDraw, l), clockGraphics: series(Metric.gpuClockGraphics, l), clockMemory: series(Metric.gpuClockMemory, l) };
        gpus.set(g, s);
      }
      return s;
    },
    load: series(Metric.cpuLoadAverage1m),
    memUtil: series(Metric.memoryUtilization),
    memUsage: series(Metric.memoryUsage, { [Label.memoryState]: 'used' }),
    waiting: series(Metric.inferenceRequestsWaiting, server),
    running: series(Metric.inferenceRequestsRunning, server),
    kv: series(Metric.inferenceKvCacheUtilization, server),
    serverTtft: series(Metric.genAiServerTimeToFirstToken, server),
    serverTpot: series(Metric.genAiServerTimePerOutputToken, server),
  };
}
