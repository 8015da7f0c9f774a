/**
 * Bounds on ingest connections: at most `maxTotal` open at once (a further upgrade is refused
 * 503 before it happens), and one per agent token: a second connection of the same agent
 * replaces the first, which is closed 4003 (`replaced`). An agent that reconnects after a link
 * it has not noticed dying is the common case, and it must win over its own ghost; two processes
 * sharing one token keep replacing each other, which shows in the counters.
 *
 *   upgrade ─ admit() ─ full? ─▶ 503          opened(agent, ws) ─▶ the agent's previous ws.close(4003)
 */

/** What a connection needs to be closed as replaced. */
export interface Closable {
  close(code: number, reason: string): void;
}

export const DEFAULT_MAX_CONNECTIONS = 10_000;

export class ConnectionCaps<T extends Closable> {
  private readonly maxTotal: number;
  private readonly replacedCode: number;
  private readonly byAgent = new Map<string, T>();
  private open = 0;
  /** Connections closed because the same agent connected again. */
  replaced = 0;

  constructor(maxTotal: number, replacedCode: number) {
    this.maxTotal = maxTotal;
    this.replacedCode = replacedCode;
  }

  /** False when the total is reached and `agentId` has no connection its new one would replace: the upgrade must be refused. */
  admit(agentId: string): boolean {
    return this.open < this.maxTotal || this.byAgent.has(agentId);
  }

  /** A connection of `agentId` is open: the previous one of that agent, if any, is closed. */
  opened(agentId: string, conn: T): void {
    this.open++;
    const previous = this.byAgent.get(agentId);
    this.byAgent.set(agentId, conn);
    if (previous !== undefined && previous !== conn) {
      this.replaced++;
      previous.close(this.replacedCode, 'replaced by a newer connection of this agent');
    }
  }

  /** A connection closed (once per `opened`). */
  closed(agentId: string, conn: T): void {
    this.open--;
    if (this.byAgent.get(agentId) === conn) this.byAgent.delete(agentId);
  }
}
