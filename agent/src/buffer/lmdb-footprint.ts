/**
 * What a record of the frames table costs on disk, so the buffer's cap can count disk pages, not
 * frame bytes. LMDB keeps small values in leaf pages and values over about half a page in
 * overflow pages of their own; frames are written in key order with MDB_APPEND, so leaf pages
 * fill one after another and a record that does not fit in the last one starts a new page:
 *
 *   leaf page (4096):  [hdr 24][node][node]…[node][ unused tail ]   node = 8 + key 4 + value + index 2, even
 *   overflow record:   ⌈(24 + value) / 4096⌉ pages of its own, plus a small node in a leaf page
 *
 * A record is charged the bytes it adds to the file: its node, plus the unused tail of the leaf
 * page it could not fit in. The constants are those of the lmdb release the agent pins
 * (lmdb-footprint.test.ts checks them against the file's own page counts).
 */

const PAGE_HEADER = 24;
const NODE_HEADER = 8;
const KEY_BYTES = 4;
const INDEX_BYTES = 2;
/** The leaf node of an overflow record holds its first page number and txn id instead of the value. */
const OVERFLOW_REFERENCE = 16;

const even = (n: number): number => n + (n & 1);

/** Follows how the frames table's leaf pages fill as records are appended in seq order. */
export class LeafPacking {
  private readonly pageSize: number;
  private readonly nodeMax: number;
  /** Free bytes left in the last leaf page (0 before the first record). */
  private tailFree = 0;

  constructor(pageSize: number) {
    this.pageSize = pageSize;
    this.nodeMax = (((pageSize - PAGE_HEADER) / 2) & -2) - INDEX_BYTES;
  }

  /** Bytes the record of `valueBytes` adds on disk when appended; updates the last page's fill. */
  place(valueBytes: number): number {
    const inline = NODE_HEADER + KEY_BYTES + valueBytes <= this.nodeMax;
    const node = even(NODE_HEADER + KEY_BYTES + (inline ? valueBytes : OVERFLOW_REFERENCE) + INDEX_BYTES);
    let charged = node;
    if (node <= this.tailFree) this.tailFree -= node;
    else {
      // A new leaf page: what the last one could not hold is lost to this record.
      charged += this.tailFree + PAGE_HEADER;
      this.tailFree = this.pageSize - PAGE_HEADER - node;
    }
    if (!inline) charged += Math.floor((PAGE_HEADER - 1 + valueBytes) / this.pageSize + 1) * this.pageSize;
    return charged;
  }

  /** The fill state, to restore after a write that failed. */
  mark(): number {
    return this.tailFree;
  }

  restore(mark: number): void {
    this.tailFree = mark;
  }
}
