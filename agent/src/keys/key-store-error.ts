/**
 * Why the key store refused. A refusal is a configuration problem the operator must fix (exit 2
 * with the message); there is never a plaintext fallback.
 */
import { ConfigError } from '@sigmascope/protocol/config-error';

export const KeyStoreRefusal = {
  missingMasterKey: 'missing_master_key',
  badMasterKey: 'bad_master_key',
  wrongMasterKey: 'wrong_master_key',
  insecureKeyFile: 'insecure_key_file',
  tampered: 'tampered',
  unreadable: 'unreadable',
} as const;
export type KeyStoreRefusal = (typeof KeyStoreRefusal)[keyof typeof KeyStoreRefusal];

/** A refusal with a stable code; `where` names the file or variable at fault. */
export class KeyStoreError extends ConfigError {
  readonly code: KeyStoreRefusal;
  constructor(code: KeyStoreRefusal, where: string, message: string) {
    super(where, message);
    this.name = 'KeyStoreError';
    this.code = code;
  }
}
