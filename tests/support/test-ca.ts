/**
 * A certificate authority made in the test with Debian's openssl (.ci/run installs it): a CA,
 * server and client certificates it signs, and the bad cases TLS tests need: a certificate from
 * another CA, an expired one (issued under libfaketime ten days ago, valid for one), one for
 * another host name. Keys are EC P-256; files are PEM in a fresh directory.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from './processes.ts';

const FAKETIME_LIB = '/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1';

export interface CertFiles {
  readonly cert: string;
  readonly key: string;
}

function openssl(args: string[], env: Record<string, string> = {}): void {
  const r = spawnSync('openssl', args, { encoding: 'utf8', env: { ...process.env, ...env } });
  if (r.status !== 0) throw new Error(`openssl ${args.join(' ')}: ${r.stderr || r.error?.message}`);
}

export interface TestCa extends CertFiles {
  readonly dir: string;
  /** Signs a certificate for `cn` with these subject alt names (`IP:127.0.0.1`, `DNS:localhost`). */
  issue(name: string, opts?: { sans?: readonly string[]; client?: boolean; expired?: boolean }): CertFiles;
}

/** A new CA named `name` in its own directory. */
export function makeTestCa(name = 'Sigmascope Test CA'): TestCa {
  const dir = tempDir('sigmascope-ca-');
  const ca = { cert: join(dir, 'ca.pem'), key: join(dir, 'ca.key') };
  openssl(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', ca.key, '-out', ca.cert, '-days', '30', '-subj', `/CN=${name}`, '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
  let serial = 1;
  return {
    ...ca,
    dir,
    issue(cn, opts = {}) {
      const files = { cert: join(dir, `${cn}-${serial}.pem`), key: join(dir, `${cn}-${serial}.key`) };
      const csr = join(dir, `${cn}-${serial}.csr`);
      const ext = join(dir, `${cn}-${serial}.ext`);
      const sans = opts.sans ?? ['IP:127.0.0.1', 'DNS:localhost'];
      writeFileSync(ext, `basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=${opts.client ? 'clientAuth' : 'serverAuth'}\n${sans.length > 0 ? `subjectAltName=${sans.join(',')}\n` : ''}`);
      openssl(['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', files.key, '-out', csr, '-subj', `/CN=${cn}`]);
      // An expired certificate: issued "ten days ago" for one day, by a clock libfaketime turns back.
      const env: Record<string, string> = opts.expired ? { LD_PRELOAD: FAKETIME_LIB, FAKETIME: '-10d' } : {};
      openssl(['x509', '-req', '-in', csr, '-CA', ca.cert, '-CAkey', ca.key, '-set_serial', String(serial++), '-days', opts.expired ? '1' : '30', '-out', files.cert, '-extfile', ext], env);
      return files;
    },
  };
}
