/** Ids of alerts (`al_…`), notifications (`msg_…`, the Standard Webhooks message id) and silences (`sil_…`): random, URL-safe. */
import { randomBytes } from 'node:crypto';

export function newId(prefix: 'al' | 'msg' | 'sil'): string {
  return `${prefix}_${randomBytes(15).toString('base64url')}`;
}
