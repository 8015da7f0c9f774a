/**
 * An in-memory exporter: keeps every batch it was given and answers what it is told to. Tests
 * run the export stream against it, and the exporter contract test checks it like the others.
 */
import type { ExportBatch } from './export-batch.ts';
import type { Exporter, ExportResult } from './exporter.ts';

export class MemoryExporter implements Exporter {
  readonly protocol = 'memory';
  readonly target = 'memory';
  readonly received: ExportBatch[] = [];
  /** The answers to give, first first; when empty, 'ok'. */
  readonly answers: ExportResult[] = [];

  async send(batch: ExportBatch): Promise<ExportResult> {
    const answer = this.answers.shift() ?? { status: 'ok' };
    if (answer.status === 'ok') this.received.push(batch);
    return answer;
  }
}
