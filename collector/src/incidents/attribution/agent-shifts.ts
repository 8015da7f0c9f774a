/**
 * One agent's shifted signals, sorted for attribution: per probed target, which phases moved and
 * whether that looks like the network path (connect, TLS, DNS) or the far end (its own time,
 * TTFT − TTFB, or chunk gaps; or TTFT/duration with every network phase normal); and apart, what
 * its host, GPUs and local inference server show. Pure.
 */
import { SERVED_LATENCY } from '../detection/signal-catalog.ts';
import type { ProbePhase } from '../detection/signal-catalog.ts';
import { targetKey } from '../detection/detector.ts';
import type { ShiftedSignal } from '../detection/detector.ts';

/** What one agent sees of one provider and model. */
export interface TargetShift {
  readonly target: string;
  readonly provider: string;
  readonly model: string;
  readonly phases: ReadonlySet<ProbePhase>;
  readonly signals: readonly ShiftedSignal[];
  /** Connect, TLS or DNS moved: the path to it is slower. */
  readonly network: boolean;
  /** The far end's own time moved. */
  readonly serverSide: boolean;
}

export interface AgentShifts {
  readonly agent: string;
  /** Probe shifts by target key. */
  readonly targets: ReadonlyMap<string, TargetShift>;
  /** Host and GPU telemetry, and the local server's load (queue, running, KV cache): what explains. */
  readonly explaining: readonly ShiftedSignal[];
  /** Latency the local inference server reports (server TTFT, time per token): what it serves. */
  readonly served: readonly ShiftedSignal[];
}

const NETWORK_PHASES: readonly ProbePhase[] = ['connect', 'tls', 'dns'];
const END_TO_END: readonly ProbePhase[] = ['ttft', 'ttfb', 'duration'];

/** Groups a snapshot's shifted signals by agent. */
export function agentShifts(shifted: readonly ShiftedSignal[]): Map<string, AgentShifts> {
  const raw = new Map<string, { probes: Map<string, ShiftedSignal[]>; explaining: ShiftedSignal[]; served: ShiftedSignal[] }>();
  for (const s of shifted) {
    let a = raw.get(s.agent);
    if (a === undefined) raw.set(s.agent, (a = { probes: new Map(), explaining: [], served: [] }));
    if (s.role === 'probe') {
      const t = targetKey(s.provider ?? '', s.model ?? '');
      const list = a.probes.get(t);
      if (list === undefined) a.probes.set(t, [s]);
      else list.push(s);
    } else if (s.role === 'server' && SERVED_LATENCY.has(s.name)) a.served.push(s);
    else a.explaining.push(s);
  }
  const out = new Map<string, AgentShifts>();
  for (const [agent, a] of raw) {
    const targets = new Map<string, TargetShift>();
    for (const [target, signals] of a.probes) {
      const phases = new Set(signals.map((s) => s.phase as ProbePhase));
      const network = NETWORK_PHASES.some((p) => phases.has(p));
      const serverSide = phases.has('server') || phases.has('gap') || (!network && END_TO_END.some((p) => phases.has(p)));
      const first = signals[0] as ShiftedSignal;
      targets.set(target, { target, provider: first.provider ?? '', model: first.model ?? '', phases, signals, network, serverSide });
    }
    out.set(agent, { agent, targets, explaining: a.explaining, served: a.served });
  }
  return out;
}
