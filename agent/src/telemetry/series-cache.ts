/**
 * Series objects for the sources, built once per distinct key and reused every tick: building a
 * series sorts its labels and renders its canonical key, work a 2 Hz loop should not repeat.
 */
import { series } from '@sigmascope/protocol/series';
import type { Series } from '@sigmascope/protocol/series';

/** A memo of series by a caller-chosen key. Grows with the distinct series a source has produced. */
export class SeriesCache {
  private readonly byKey = new Map<string, Series>();

  /**
   * The series for `name` and `labels`; `key` must identify the pair (for example the metric name
   * and the label values joined). `labels` is only read the first time a key is seen.
   */
  get(key: string, name: string, labels: Record<string, string>): Series {
    let s = this.byKey.get(key);
    if (s === undefined) {
      s = series(name, labels);
      this.byKey.set(key, s);
    }
    return s;
  }
}
