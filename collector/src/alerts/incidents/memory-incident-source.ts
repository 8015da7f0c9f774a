/**
 * An IncidentSource held in memory: the collector's until the incidents work supplies the real
 * one (then it starts empty and stays so), and the tests' way to open, update and resolve
 * incidents by hand. Listeners are called after each change, in order; one that throws is skipped.
 */
import type { Incident, IncidentChange, IncidentChangeKind, IncidentSource } from '@sigmascope/protocol/incident';

export class MemoryIncidentSource implements IncidentSource {
  private readonly incidents = new Map<string, Incident>();
  private readonly listeners = new Set<(change: IncidentChange) => void>();

  open(): readonly Incident[] {
    return [...this.incidents.values()].filter((i) => i.state !== 'resolved');
  }

  subscribe(listener: (change: IncidentChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Adds or replaces an incident and tells the listeners (`opened` the first time, else by its state). */
  put(incident: Incident): void {
    const before = this.incidents.get(incident.id);
    this.incidents.set(incident.id, incident);
    const kind: IncidentChangeKind = before === undefined ? 'opened' : incident.state === 'resolved' ? 'resolved' : incident.state === 'acknowledged' && before.state !== 'acknowledged' ? 'acknowledged' : 'updated';
    for (const l of this.listeners) {
      try {
        l({ kind, incident });
      } catch {
        // A listener's failure is its own affair (the IncidentSource contract).
      }
    }
  }

  /** Resolves an open incident at `at`; does nothing for an unknown id. */
  resolve(id: string, at: number): void {
    const i = this.incidents.get(id);
    if (i !== undefined) this.put({ ...i, state: 'resolved', resolvedAt: at });
  }
}
