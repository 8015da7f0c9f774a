/**
 * Agents and their health: connected or not, how long since the collector heard from each, clock
 * skew, stored samples. `state` is 'ok', 'stale' (connected but silent for staleMs), 'skewed'
 * (clock off by more than skewMs), or 'disconnected'.
 */
import type { AgentInfo } from '../store/store.ts';

export interface AgentHealth extends AgentInfo {
  readonly connected: boolean;
  readonly lastSeenAgoMs: number;
  readonly state: 'ok' | 'stale' | 'skewed' | 'disconnected';
}

export function agentHealth(agents: readonly AgentInfo[], connected: ReadonlySet<string>, now: number, staleMs = 30_000, skewMs = 5_000): AgentHealth[] {
  return agents.map((a) => {
    const isConnected = connected.has(a.id);
    const ago = Math.max(0, now - a.lastSeen);
    const state = !isConnected ? 'disconnected' : ago > staleMs ? 'stale' : Math.abs(a.clockSkewMs) > skewMs ? 'skewed' : 'ok';
    return { ...a, connected: isConnected, lastSeenAgoMs: ago, state };
  });
}
