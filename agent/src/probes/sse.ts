/**
 * Incremental Server-Sent-Events framing, pure: text in, items out, any split of the input.
 * Survives what real providers send: `\n`, `\r\n` and `\r` line ends (Gemini separates events
 * with `\r\n\r\n`), comment lines (OpenRouter's `: OPENROUTER PROCESSING`), a last event without
 * a trailing blank line, and text that is not SSE at all (Vertex appends a pretty-printed JSON
 * error with no `data:` prefix): such lines come out as one `raw` item so the caller can read it.
 */

export type SseItem =
  | { readonly type: 'event'; readonly event: string; readonly data: string }
  | { readonly type: 'comment'; readonly text: string }
  | { readonly type: 'raw'; readonly text: string };

const FIELDS = new Set(['data', 'event', 'id', 'retry']);

/** One stream's parser. Feed text with `push`, then call `end` once. */
export class SseParser {
  private pending = '';
  private event = '';
  private data: string[] = [];
  private hasData = false;
  private raw: string[] = [];

  /** Parses every complete line in `text`; returns the items they complete. */
  push(text: string): SseItem[] {
    const out: SseItem[] = [];
    let buf = this.pending + text;
    // A trailing `\r` may be the first half of `\r\n`: keep it for the next push.
    let start = 0;
    for (let i = 0; i < buf.length; i++) {
      const c = buf.charCodeAt(i);
      if (c !== 10 && c !== 13) continue;
      if (c === 13 && i === buf.length - 1) break;
      this.line(buf.slice(start, i), out);
      if (c === 13 && buf.charCodeAt(i + 1) === 10) i++;
      start = i + 1;
    }
    buf = buf.slice(start);
    this.pending = buf;
    return out;
  }

  /** Flushes the last line and any event or raw text not closed by a blank line. */
  end(): SseItem[] {
    const out: SseItem[] = [];
    const rest = this.pending.endsWith('\r') ? this.pending.slice(0, -1) : this.pending;
    this.pending = '';
    if (rest.length > 0) this.line(rest, out);
    this.dispatch(out);
    this.flushRaw(out);
    return out;
  }

  private line(line: string, out: SseItem[]): void {
    if (line.length === 0) {
      this.flushRaw(out);
      this.dispatch(out);
      return;
    }
    if (line.charCodeAt(0) === 58 /* ':' */) {
      out.push({ type: 'comment', text: line.slice(1).trimStart() });
      return;
    }
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    if (!FIELDS.has(field)) {
      this.raw.push(line);
      return;
    }
    this.flushRaw(out);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.charCodeAt(0) === 32) value = value.slice(1);
    if (field === 'data') {
      this.data.push(value);
      this.hasData = true;
    } else if (field === 'event') this.event = value;
  }

  private dispatch(out: SseItem[]): void {
    if (this.hasData) out.push({ type: 'event', event: this.event || 'message', data: this.data.join('\n') });
    this.event = '';
    this.data = [];
    this.hasData = false;
  }

  private flushRaw(out: SseItem[]): void {
    if (this.raw.length === 0) return;
    out.push({ type: 'raw', text: this.raw.join('\n') });
    this.raw = [];
  }
}
