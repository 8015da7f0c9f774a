/**
 * Incident signatures and their nearest neighbours (schema/features/incident-signatures.ts).
 * The search is two-staged, because an exact cosine scan of 100,000 × 192 floats in vec0 takes
 * 100–200 ms on these machines while a Hamming scan of their 384-bit SimHash codes takes a few:
 * the codes choose `candidates` (50 by default: vec0's cost grows with k, about 5 ms of CPU at
 * k = 10 and 10 ms at 50 for 100,000 codes), the exact float signatures rank them.
 *
 *   query ──vec0 bit[384] KNN (Hamming)──▶ candidates ──vec_distance_cosine(float[192])──▶ top k
 */
import type { Statement } from 'better-sqlite3';
import type { SqliteDb } from '../schema/sqlite-db.ts';

/** What is kept of a past incident beside its signature. */
export interface SignatureMeta {
  readonly incidentId: string;
  readonly startedAt: number;
  readonly cause: string;
  readonly summary: string;
  readonly note: string | null;
  readonly state: string;
  readonly resolvedAt: number | null;
}

/** One neighbour: the incident and its cosine distance (0 = the same shape, 2 = opposite). */
export interface SignatureMatch extends SignatureMeta {
  readonly distance: number;
}

export class SignatureRows {
  private readonly s: Record<'find' | 'insertMeta' | 'updateMeta' | 'insertBits' | 'deleteBits' | 'knnBits' | 'rank' | 'count', Statement>;
  private readonly put: (meta: SignatureMeta, embedding: Float32Array, bits: Uint8Array) => void;

  constructor(db: SqliteDb) {
    this.s = {
      find: db.prepare('select id from incident_signatures where incident_id = ?').pluck(),
      insertMeta: db.prepare('insert into incident_signatures (incident_id, started_at, cause, summary, note, state, resolved_at, embedding) values (?, ?, ?, ?, ?, ?, ?, ?)'),
      updateMeta: db.prepare('update incident_signatures set started_at = ?, cause = ?, summary = ?, note = ?, state = ?, resolved_at = ?, embedding = ? where id = ?'),
      insertBits: db.prepare('insert into incident_signature_bits (rowid, signs) values (?, vec_bit(?))'),
      deleteBits: db.prepare('delete from incident_signature_bits where rowid = ?'),
      knnBits: db.prepare('select rowid from incident_signature_bits where signs match vec_bit(?) and k = ?').pluck(),
      rank: db.prepare(
        `select incident_id, started_at, cause, summary, note, state, resolved_at, vec_distance_cosine(embedding, ?) as distance
         from incident_signatures where id in (select value from json_each(?)) and incident_id != ? order by distance limit ?`,
      ),
      count: db.prepare('select count(*) from incident_signatures').pluck(),
    };
    this.put = db.transaction((meta: SignatureMeta, embedding: Float32Array, bits: Uint8Array) => {
      const blob = Buffer.from(embedding.buffer, embedding.byteOffset, embedding.byteLength);
      const id = this.s.find.get(meta.incidentId) as number | undefined;
      const args = [meta.startedAt, meta.cause, meta.summary, meta.note, meta.state, meta.resolvedAt, blob] as const;
      if (id === undefined) {
        const rowid = this.s.insertMeta.run(meta.incidentId, ...args).lastInsertRowid;
        this.s.insertBits.run(BigInt(rowid), bits);
      } else {
        this.s.updateMeta.run(...args, id);
        this.s.deleteBits.run(BigInt(id));
        this.s.insertBits.run(BigInt(id), bits);
      }
    });
  }

  /** Stores (or replaces) an incident's signature and what is shown of it, in one transaction. */
  upsert(meta: SignatureMeta, embedding: Float32Array, bits: Uint8Array): void {
    this.put(meta, embedding, bits);
  }

  /** The `k` stored incidents nearest to `embedding` (not `exclude` itself), nearest first. */
  nearest(embedding: Float32Array, bits: Uint8Array, k: number, exclude = '', candidates = Math.max(50, 2 * k)): SignatureMatch[] {
    const ids = this.s.knnBits.all(bits, Math.max(k + 1, Math.min(4096, candidates))) as number[];
    if (ids.length === 0) return [];
    const rows = this.s.rank.all(Buffer.from(embedding.buffer, embedding.byteOffset, embedding.byteLength), JSON.stringify(ids), exclude, k) as Record<string, unknown>[];
    return rows.map((r) => ({
      incidentId: r.incident_id as string, startedAt: r.started_at as number, cause: r.cause as string, summary: r.summary as string,
      note: (r.note as string | null) ?? null, state: r.state as string, resolvedAt: (r.resolved_at as number | null) ?? null, distance: r.distance as number,
    }));
  }

  /** Signatures stored. */
  count(): number {
    return this.s.count.get() as number;
  }
}
