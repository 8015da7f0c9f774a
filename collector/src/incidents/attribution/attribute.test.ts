import { describe, expect, it } from 'vitest';
import { signalKey, targetKey } from '../detection/detector.ts';
import type { ShiftedSignal, Snapshot } from '../detection/detector.ts';
import type { ProbePhase, SignalRole } from '../detection/signal-catalog.ts';
import { attribute } from './attribute.ts';
import { summarize } from './summary.ts';

const T = Date.UTC(2025, 0, 1, 12);
const PHASE_NAME: Record<ProbePhase, string> = {
  dns: 'sigmascope.probe.dns.duration', connect: 'sigmascope.probe.connect.duration', tls: 'sigmascope.probe.tls.duration', ttfb: 'sigmascope.probe.time_to_first_byte',
  ttft: 'gen_ai.client.operation.time_to_first_chunk', server: 'sigmascope.probe.server_time', gap: 'gen_ai.client.operation.time_per_output_chunk', duration: 'gen_ai.client.operation.duration',
};
const MODEL: Record<string, string> = { openai: 'gpt-4o-mini', anthropic: 'claude-3-5-haiku-latest', vllm: 'llama' };

function probe(agent: string, provider: string, phase: ProbePhase, shift = 2, onset = T): ShiftedSignal {
  const labels = { 'gen_ai.provider.name': provider, 'gen_ai.request.model': MODEL[provider] as string };
  const name = PHASE_NAME[phase];
  return { key: signalKey(agent, name, labels), agent, role: 'probe', phase, provider, model: MODEL[provider] as string, name, onset, evidence: { agent, name, labels, baseline: 0.4, current: 0.4 * shift, shift, score: 6 } };
}

function telemetry(agent: string, role: SignalRole, name: string, baseline: number, current: number): ShiftedSignal {
  return { key: signalKey(agent, name, {}), agent, role, phase: null, provider: role === 'server' ? 'vllm' : null, model: null, name, onset: T, evidence: { agent, name, labels: {}, baseline, current, shift: current - baseline, score: 9 } };
}

/** Twelve agents probe openai, the even ones anthropic too, each its own vLLM. */
function snapshot(shifted: ShiftedSignal[]): Snapshot {
  const agents = Array.from({ length: 12 }, (_, i) => `gpu-${i + 1}`);
  const vantage = new Map([[targetKey('openai', MODEL.openai as string), new Set(agents)], [targetKey('anthropic', MODEL.anthropic as string), new Set(agents.filter((_, i) => i % 2 === 0))], [targetKey('vllm', 'llama'), new Set(agents)]]);
  return { now: T + 60_000, shifted, vantage, inControl: () => true };
}

describe('attribution', () => {
  it('a provider slower at most of the vantage points that probe it, elsewhere normal: provider', () => {
    const seen = ['gpu-1', 'gpu-3', 'gpu-5', 'gpu-7', 'gpu-9'].flatMap((a, i) => [probe(a, 'anthropic', 'ttft', 2.1, T + i * 1000), probe(a, 'anthropic', 'server', 2.3, T + i * 1000)]);
    const [f, ...rest] = attribute(snapshot(seen));
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ cause: 'provider', scope: { provider: 'anthropic', model: 'claude-3-5-haiku-latest', agents: ['gpu-1', 'gpu-3', 'gpu-5', 'gpu-7', 'gpu-9'] }, vantage: { probing: 6, degraded: 5 }, startedAt: T + 2000 });
    expect(f?.confidence).toBeGreaterThan(0.85);
    expect(summarize(f as never, (a) => a)).toBe('anthropic/claude-3-5-haiku-latest is slower at 5 of 6 vantage points: TTFT 2.1× baseline (median over them); their network paths and hosts are normal.');
  });

  it('fewer than half of the vantage points is not the provider', () => {
    const seen = ['gpu-1', 'gpu-2', 'gpu-3'].map((a) => probe(a, 'openai', 'ttft'));
    expect(attribute(snapshot(seen)).map((f) => f.cause)).toEqual(['unknown']);
  });

  it('one host degrading on what it serves with its GPU and queue up: host, that host alone', () => {
    const seen = [probe('gpu-4', 'vllm', 'ttft', 2.5), telemetry('gpu-4', 'gpu', 'hw.gpu.utilization', 0.45, 0.98), telemetry('gpu-4', 'server', 'sigmascope.inference.requests.waiting', 0, 14)];
    const [f, ...rest] = attribute(snapshot(seen));
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ cause: 'host', confidence: 1, scope: { provider: 'vllm', agents: ['gpu-4'] } });
  });

  it('connect and TLS up across what one host probes, the far end normal: network', () => {
    const seen = ['openai', 'anthropic'].flatMap((p) => [probe('gpu-6', p, 'connect', 3), probe('gpu-6', p, 'tls', 3), probe('gpu-6', p, 'ttft', 1.3)]);
    const [f, ...rest] = attribute(snapshot(seen));
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ cause: 'network', confidence: 1, scope: { provider: null, agents: ['gpu-6'] } });
  });

  it('host telemetry moving while nothing degrades is no incident', () => {
    expect(attribute(snapshot([telemetry('gpu-2', 'host', 'system.cpu.utilization', 0.7, 0.1), telemetry('gpu-2', 'gpu', 'hw.gpu.temperature', 60, 75)]))).toEqual([]);
  });

  it('a provider pattern at agents whose hosts are all busy too is unknown, not the provider', () => {
    const seen = ['gpu-1', 'gpu-3', 'gpu-5', 'gpu-7'].flatMap((a) => [probe(a, 'anthropic', 'ttft'), telemetry(a, 'host', 'system.cpu.utilization', 0.7, 0.05)]);
    expect(attribute(snapshot(seen)).map((f) => f.cause)).toEqual(['unknown']);
  });

  it('two faults of different kinds at once are two findings; agent faults of one kind that start together are one', () => {
    const seen = [
      ...['gpu-1', 'gpu-3', 'gpu-5', 'gpu-7', 'gpu-9', 'gpu-11'].map((a) => probe(a, 'anthropic', 'server')),
      probe('gpu-2', 'vllm', 'ttft'), telemetry('gpu-2', 'gpu', 'hw.gpu.utilization', 0.4, 0.99),
      probe('gpu-8', 'openai', 'connect', 3, T + 10_000), probe('gpu-10', 'openai', 'connect', 3, T + 30_000),
    ];
    const got = attribute(snapshot(seen)).map((f) => `${f.cause}:${f.scope.agents.join(',')}`);
    expect(got.sort()).toEqual(['host:gpu-2', 'network:gpu-10,gpu-8', 'provider:gpu-1,gpu-11,gpu-3,gpu-5,gpu-7,gpu-9']);
  });
});
