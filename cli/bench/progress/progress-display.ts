/**
 * What a person sees while a suite runs, on stderr. On a TTY: one cli-progress bar per target and
 * stage (requests done of the stage's limit, or seconds of its duration when it has no request
 * limit), with errors and the running TTFT median, redrawn on the bar's own timer (4 a second,
 * never from inside `record`, so a finished request does not write to the terminal while other
 * requests are being timed). Elsewhere (CI logs, pipes): plain lines, one
 * when a stage starts, one at every tenth of it, one when it ends. Never writes to stdout, which
 * carries the result.
 */
import cliProgress from 'cli-progress';
import type { RequestRecord } from '../output/request-record.ts';

export interface StageInfo {
  readonly target: string;
  /** `synchronous`, `concurrent ×8`, `poisson 5/s`, `sweep 2/s (1 of 4)` … */
  readonly label: string;
  readonly requests: number | null;
  readonly durationS: number | null;
}

export interface ProgressDisplay {
  stage(info: StageInfo): void;
  record(r: RequestRecord): void;
  /** Ends the display; `note` is a last line (why the run stopped, where it was written). */
  end(note?: string): void;
  /** A line between bars (Ctrl-C): the current bar stops first, so nothing draws over it. */
  note(line: string): void;
}

class StageTally {
  done = 0;
  errors = 0;
  private readonly ttfts: number[] = [];
  readonly started = performance.now();
  readonly info: StageInfo;
  constructor(info: StageInfo) {
    this.info = info;
  }
  // Kept sorted by insertion (a binary search and one move), so a finished request costs
  // microseconds here even late in a long run, while other requests' chunks are being stamped.
  add(r: RequestRecord): void {
    this.done++;
    if (!r.ok) this.errors++;
    if (r.ttft_ms === null) return;
    let lo = 0;
    let hi = this.ttfts.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.ttfts[mid] as number) <= r.ttft_ms) lo = mid + 1;
      else hi = mid;
    }
    this.ttfts.splice(lo, 0, r.ttft_ms);
  }
  medianTtft(): string {
    if (this.ttfts.length === 0) return '–';
    return (this.ttfts[(this.ttfts.length - 1) >> 1] as number).toFixed(1);
  }
  elapsedS(): number {
    return (performance.now() - this.started) / 1000;
  }
}

function plainDisplay(write: (line: string) => void): ProgressDisplay {
  let t: StageTally | null = null;
  let nextTenth = 1;
  const line = (s: StageTally, what: string): void => write(`bench ${s.info.target} ${s.info.label}: ${what} ${s.done}${s.info.requests !== null ? `/${s.info.requests}` : ''} requests, ${s.errors} errors, TTFT p50 ${s.medianTtft()} ms, ${s.elapsedS().toFixed(1)} s\n`);
  const close = (): void => {
    if (t !== null) line(t, 'done');
    t = null;
  };
  return {
    stage(info) {
      close();
      t = new StageTally(info);
      nextTenth = 1;
      write(`bench ${info.target} ${info.label}: starting (${info.requests !== null ? `${info.requests} requests` : ''}${info.requests !== null && info.durationS !== null ? ', ' : ''}${info.durationS !== null ? `at most ${info.durationS} s` : ''})\n`);
    },
    record(r) {
      if (t === null) return;
      t.add(r);
      const fraction = t.info.requests !== null ? t.done / t.info.requests : t.info.durationS !== null ? t.elapsedS() / t.info.durationS : 0;
      if (fraction >= nextTenth / 10 && nextTenth < 10) {
        while (fraction >= nextTenth / 10) nextTenth++;
        line(t, 'at');
      }
    },
    end(note) {
      close();
      if (note) write(`${note}\n`);
    },
    note: (l) => write(`${l}\n`),
  };
}

function ttyDisplay(stream: NodeJS.WriteStream): ProgressDisplay {
  let t: StageTally | null = null;
  let bar: cliProgress.SingleBar | null = null;
  let timer: NodeJS.Timeout | null = null;
  const payload = (s: StageTally) => ({ target: s.info.target, label: s.info.label, errors: s.errors, ttft: s.medianTtft(), done: s.done });
  const value = (s: StageTally): number => (s.info.requests !== null ? s.done : Math.min(s.info.durationS ?? 0, Math.floor(s.elapsedS())));
  // A stage that ran to its end shows full; an interrupted one where it stopped.
  const close = (complete = true): void => {
    if (timer !== null) clearInterval(timer);
    timer = null;
    if (bar !== null && t !== null) {
      bar.update(complete && t.info.requests === null ? (t.info.durationS ?? 0) : value(t), payload(t));
      bar.stop();
    }
    bar = null;
    t = null;
  };
  return {
    stage(info) {
      close();
      const s = new StageTally(info);
      t = s;
      const unit = info.requests !== null ? '{value}/{total} requests' : '{value}/{total} s, {done} requests';
      bar = new cliProgress.SingleBar({ stream, format: `{target} {label} [{bar}] ${unit} | {errors} errors | TTFT p50 {ttft} ms | {duration_formatted}`, hideCursor: true, barsize: 28, fps: 4, synchronousUpdate: false }, cliProgress.Presets.shades_classic);
      bar.start(info.requests ?? info.durationS ?? 1, 0, payload(s));
      // A duration-limited stage moves with the clock even while no request finishes.
      if (info.requests === null) timer = setInterval(() => bar?.update(value(s), payload(s)), 500);
    },
    record(r) {
      if (t === null || bar === null) return;
      t.add(r);
      bar.update(value(t), payload(t));
    },
    end(note) {
      close();
      if (note) stream.write(`${note}\n`);
    },
    note(l) {
      close(false);
      stream.write(`${l}\n`);
    },
  };
}

/** The display for `stream`: bars on a TTY, plain lines otherwise. */
export function progressDisplay(stream: NodeJS.WriteStream = process.stderr): ProgressDisplay {
  return stream.isTTY ? ttyDisplay(stream) : plainDisplay((l) => stream.write(l));
}

/** A display that shows nothing (tests, --quiet callers). */
export const silentProgress: ProgressDisplay = { stage: () => {}, record: () => {}, end: () => {}, note: () => {} };
