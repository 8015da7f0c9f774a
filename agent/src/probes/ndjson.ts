/**
 * Incremental newline-delimited JSON framing, pure: text in, parsed lines out, any split of the
 * input. Blank lines are skipped; a last line without a newline (as Ollama captures end) is
 * parsed by `end`. A line that is not JSON comes out as `{ok: false}` with its text.
 */

export type NdjsonItem = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly text: string };

/** One stream's parser. Feed text with `push`, then call `end` once. */
export class NdjsonParser {
  private pending = '';

  /** Parses every complete line in `text`. */
  push(text: string): NdjsonItem[] {
    const buf = this.pending + text;
    const lines = buf.split('\n');
    this.pending = lines.pop() ?? '';
    return lines.flatMap((l) => parseLine(l));
  }

  /** Parses the unterminated last line, if any. */
  end(): NdjsonItem[] {
    const rest = this.pending;
    this.pending = '';
    return parseLine(rest);
  }
}

function parseLine(line: string): NdjsonItem[] {
  const t = line.trim();
  if (t.length === 0) return [];
  try {
    return [{ ok: true, value: JSON.parse(t) as unknown }];
  } catch {
    return [{ ok: false, text: t.slice(0, 200) }];
  }
}
