/**
 * The prompt of one probe run: short, asking for a few short tokens so a small max_tokens still
 * streams several chunks, and carrying a fresh nonce so no provider-side prompt cache can answer
 * it and hide a regression.
 */
import { randomBytes } from 'node:crypto';

/** The built-in prompt; `{nonce}` is replaced at every run. */
export const DEFAULT_PROMPT = 'Count from 1 to 10, digits separated by spaces, nothing else. Run {nonce}.';

/** A fresh 12-hex-digit nonce. */
export function newNonce(): string {
  return randomBytes(6).toString('hex');
}

/** The prompt for one run: `template` with `{nonce}` replaced, or the nonce appended when it has none. */
export function probePrompt(template: string = DEFAULT_PROMPT, nonce: string = newNonce()): string {
  return template.includes('{nonce}') ? template.split('{nonce}').join(nonce) : `${template} [${nonce}]`;
}
