import { describe, expect, it, vi } from 'vitest';
import type { RequestRecord } from '../output/request-record.ts';
import { progressDisplay } from './progress-display.ts';

/** A finished request with this TTFT (null: it failed). */
const record = (i: number, ttft: number | null): RequestRecord => ({
  target: 't', prompt_id: `p${i}`, scheduled_ms: i, sent_ms: i, ok: ttft !== null, error_type: ttft === null ? 'timeout' : null, status: ttft === null ? null : 200,
  connect_ms: 0, ttfb_ms: ttft, ttft_ms: ttft, tpot_ms: null, itl_ms: [], e2e_ms: (ttft ?? 0) + 10, input_tokens: null, output_tokens: null, check: null, cost_usd: null,
});

/** TTFTs in a scrambled order (a multiplicative step through 0…n−1), every seventh request failed. */
function scrambled(n: number): (number | null)[] {
  return Array.from({ length: n }, (_, i) => (i % 7 === 3 ? null : ((i * 37) % n) + 0.25));
}

/** The median as the display shows it: the lower middle of the sorted values, one decimal. */
function lowerMedian(xs: (number | null)[]): string {
  const s = xs.filter((x): x is number => x !== null).sort((a, b) => a - b);
  return (s[(s.length - 1) >> 1] as number).toFixed(1);
}

function fakeStream(isTTY: boolean): { stream: NodeJS.WriteStream; writes: string[] } {
  const writes: string[] = [];
  const stream = { isTTY, columns: 160, write: (s: string) => (writes.push(s), true) } as unknown as NodeJS.WriteStream;
  return { stream, writes };
}

describe('bench run progress', () => {
  it('plain lines carry the running TTFT median and error count of what finished', () => {
    const { stream, writes } = fakeStream(false);
    const display = progressDisplay(stream);
    const ttfts = scrambled(101);
    display.stage({ target: 't', label: 'synchronous', requests: 101, durationS: null });
    ttfts.forEach((t, i) => display.record(record(i, t)));
    display.end('bench: wrote here');
    const firstTenth = ttfts.slice(0, 11);
    expect(writes[1]).toContain(`at 11/101 requests, ${firstTenth.filter((t) => t === null).length} errors, TTFT p50 ${lowerMedian(firstTenth)} ms`);
    expect(writes.at(-2)).toContain(`done 101/101 requests, ${ttfts.filter((t) => t === null).length} errors, TTFT p50 ${lowerMedian(ttfts)} ms`);
    expect(writes.at(-1)).toBe('bench: wrote here\n');
  });

  it('on a terminal a finished request writes nothing: the bar redraws on its own timer, and shows the totals at the end', () => {
    const { stream, writes } = fakeStream(true);
    const display = progressDisplay(stream);
    const ttfts = scrambled(60);
    display.stage({ target: 't', label: 'poisson 20/s', requests: 60, durationS: null });
    const drawn = writes.length;
    // Requests finishing a second apart on the wall clock (only Date is faked: the bar's timer
    // cannot fire inside this loop), long past any redraw interval: still not one write.
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      ttfts.forEach((t, i) => {
        vi.setSystemTime(Date.now() + 1_000);
        display.record(record(i, t));
      });
    } finally {
      vi.useRealTimers();
    }
    expect(writes.length).toBe(drawn);
    display.end();
    const last = writes.filter((w) => w.includes('requests')).at(-1);
    expect(last).toContain('60/60 requests');
    expect(last).toContain(`${ttfts.filter((t) => t === null).length} errors`);
    expect(last).toContain(`TTFT p50 ${lowerMedian(ttfts)} ms`);
  });
});
