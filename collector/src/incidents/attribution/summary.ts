/**
 * The one sentence a person reads first, built from a finding: who, what moved and by how much,
 * and why the cause is what it is. Pure.
 */
import type { IncidentEvidence } from '@sigmascope/protocol/incident';
import { formatValue, unitOf } from '@sigmascope/web/format/units';
import type { ShiftedSignal } from '../detection/detector.ts';
import { SERVED_LATENCY } from '../detection/signal-catalog.ts';
import type { ProbePhase } from '../detection/signal-catalog.ts';
import type { Finding } from './attribute.ts';

const PHASE_TITLE: Record<ProbePhase, string> = {
  dns: 'DNS', connect: 'connect', tls: 'TLS', ttfb: 'time to first byte', ttft: 'TTFT', server: 'server time (TTFT − TTFB)', gap: 'chunk gaps', duration: 'duration',
};

const SERIES_TITLE: Record<string, string> = {
  'system.cpu.utilization': 'idle CPU',
  'system.memory.utilization': 'memory use',
  'hw.gpu.utilization': 'GPU utilization',
  'hw.gpu.memory.utilization': 'GPU memory use',
  'hw.gpu.temperature': 'GPU temperature',
  'hw.gpu.power.draw': 'GPU power',
  'hw.gpu.clock.graphics': 'GPU graphics clock',
  'hw.gpu.clock.memory': 'GPU memory clock',
  'sigmascope.inference.requests.waiting': 'requests waiting',
  'sigmascope.inference.requests.running': 'requests running',
  'sigmascope.inference.kv_cache.utilization': 'KV cache use',
  'gen_ai.server.time_to_first_token': 'server TTFT',
  'gen_ai.server.time_per_output_token': 'server time per token',
};

/** The summary of `f`; `name` gives an agent's display name. */
export function summarize(f: Finding, name: (agent: string) => string): string {
  const target = f.scope.provider === null ? 'several providers' : f.scope.model === null ? f.scope.provider : `${f.scope.provider}/${f.scope.model}`;
  const hosts = f.scope.agents.map(name);
  const hostList = hosts.length <= 3 ? hosts.join(', ') : `${hosts.slice(0, 3).join(', ')} and ${hosts.length - 3} more`;
  const probes = f.signals.filter((s) => s.role === 'probe');
  switch (f.cause) {
    case 'provider': {
      const v = f.vantage as NonNullable<Finding['vantage']>;
      return `${target} is slower at ${v.degraded} of ${v.probing} vantage points: ${phaseShift(probes, 'ttft') ?? strongest(probes)} (median over them); their network paths and hosts are normal.`;
    }
    case 'host': {
      // The strongest of the host's own hardware and of its server's load: what a person checks first.
      const hardware = f.signals.filter((s) => s.role === 'host' || s.role === 'gpu').sort((a, b) => rank(a) - rank(b));
      const explaining = [hardware[0], f.signals.find((s) => s.role === 'server' && !SERVED_LATENCY.has(s.name))].filter((s): s is ShiftedSignal => s !== undefined);
      const served = phaseShift(probes, 'ttft') ?? (probes.length > 0 ? strongest(probes) : null);
      const parts = [explaining.slice(0, 2).map(level).join(', '), served === null ? '' : `${f.scope.provider === null ? 'its probes' : target} there ${served}`].filter((p) => p !== '');
      return `${hostList}: ${parts.join('; ')}, while other hosts see the same providers normal.`;
    }
    case 'network': {
      const providers = new Set(probes.map((s) => s.provider)).size;
      const phases = (['connect', 'tls', 'ttfb'] as const).map((p) => phaseShift(probes, p)).filter((x): x is string => x !== null);
      return `${hostList}: the network path is slower, ${phases.join(', ')} across ${providers} provider${providers === 1 ? '' : 's'}; the providers' own time and the host are normal.`;
    }
    case 'unknown':
      return `${target} at ${hostList}: ${phaseShift(probes, 'ttft') ?? (f.signals.length > 0 ? strongest(f.signals) : 'a shift')}; neither one provider, the network path nor the host explains it.`;
  }
}

/** Saturation reads first as utilization, then as what follows from it (heat, throttled clocks, power). */
const HARDWARE_ORDER = ['system.cpu.utilization', 'hw.gpu.utilization', 'system.memory.utilization', 'hw.gpu.memory.utilization', 'hw.gpu.clock.graphics', 'hw.gpu.temperature', 'hw.gpu.clock.memory', 'hw.gpu.power.draw'];
const rank = (s: ShiftedSignal): number => HARDWARE_ORDER.indexOf(s.name);

/** "TTFT 2.3× baseline", median over the signals of that phase; null when none. */
function phaseShift(signals: readonly ShiftedSignal[], phase: ProbePhase): string | null {
  const ratios = signals.filter((s) => s.phase === phase).map((s) => s.evidence.shift).sort((a, b) => a - b);
  if (ratios.length === 0) return null;
  return `${PHASE_TITLE[phase]} ${(ratios[ratios.length >> 1] as number).toFixed(1)}× baseline`;
}

function strongest(signals: readonly ShiftedSignal[]): string {
  const s = signals[0] as ShiftedSignal;
  return s.phase !== null ? `${PHASE_TITLE[s.phase]} ${s.evidence.shift.toFixed(1)}× baseline` : level(s);
}

/** "GPU utilization 98.0 % (baseline 45.0 %)". */
function level(s: ShiftedSignal): string {
  const e: IncidentEvidence = s.evidence;
  const unit = unitOf(s.name);
  return `${SERIES_TITLE[s.name] ?? s.name} ${formatValue(unit, e.current)} (baseline ${formatValue(unit, e.baseline)})`;
}
