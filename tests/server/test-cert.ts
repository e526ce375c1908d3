// A throw-away self-signed certificate for localhost and 127.0.0.1 (Debian's openssl), for the
// TLS tests and the HTTPS browser test.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

export const OPENSSL = '/usr/bin/openssl';

/** Writes `<name>.crt` and `<name>.key` into `dir`; returns their paths. */
export function selfSignedCert(dir: string, name: string): { cert: string; key: string } {
  const cert = join(dir, `${name}.crt`);
  const key = join(dir, `${name}.key`);
  const subject = ['-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1'];
  execFileSync(OPENSSL, ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', ...subject, '-days', '1', '-keyout', key, '-out', cert], { stdio: 'ignore' });
  return { cert, key };
}
