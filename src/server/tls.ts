// Transport settings of the server: built-in HTTPS (certificate and key files named in the
// environment), which proxies to trust for X-Forwarded-* (client address, https behind a
// terminating proxy), and the timeouts that bound a slow or stalled client.
import { readFileSync } from 'node:fs';
import type * as http from 'node:http';
import { isIP } from 'node:net';
import { createSecureContext } from 'node:tls';
import type { FastifyHttpOptions } from 'fastify';

export interface TlsFiles {
  cert: string | Buffer;
  key: string | Buffer;
}

/** What `trustProxy` takes: false, true (any proxy), or addresses / CIDR ranges / proxy-addr names. */
export type TrustProxy = boolean | string | string[];

export interface ServerTimeouts {
  /** Whole request (headers and body) must arrive within this (ms). A 2 MiB push at ~140 kbit/s takes 120 s. */
  requestTimeout: number;
  /** Request headers must arrive within this (ms): slow-header clients hold no socket for long. */
  headersTimeout: number;
  /** A socket with no traffic either way is closed after this (ms). Above any export's first pass. */
  connectionTimeout: number;
  /** An idle keep-alive connection is closed after this (ms). Above the 60 s idle timeout of common
   * load balancers, so the proxy (not Node) closes a connection it might still reuse. */
  keepAliveTimeout: number;
}

export const DEFAULT_TIMEOUTS: ServerTimeouts = {
  requestTimeout: 120_000,
  headersTimeout: 15_000,
  connectionTimeout: 300_000,
  keepAliveTimeout: 72_000,
};

/** How often Node enforces requestTimeout / headersTimeout (its default, 30 s, would let a 15 s headers timeout run to 45 s). */
const CONNECTIONS_CHECKING_INTERVAL = 5_000;

const PROXY_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);
const PEM = /-----BEGIN [A-Z0-9 ]+-----/;

function readPem(variable: string, path: string): Buffer {
  let data: Buffer;
  try {
    data = readFileSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? String(e);
    throw new Error(`${variable}: cannot read ${path} (${code})`, { cause: e });
  }
  if (!PEM.test(data.toString('latin1'))) throw new Error(`${variable}: ${path} is not a PEM file (no -----BEGIN ...----- line)`);
  return data;
}

/**
 * Built-in HTTPS from `PUCHA_TLS_CERT` and `PUCHA_TLS_KEY` (paths of PEM files: the certificate,
 * with its chain after it, and an unencrypted private key). Neither set: undefined (plain HTTP,
 * e.g. behind a TLS-terminating proxy). Only one set, an unreadable file or a key that does not
 * belong to the certificate: an Error naming the variable, so the server refuses to start.
 */
export function readTlsFiles(env: NodeJS.ProcessEnv): { cert: Buffer; key: Buffer } | undefined {
  const certPath = env.PUCHA_TLS_CERT || undefined;
  const keyPath = env.PUCHA_TLS_KEY || undefined;
  if (!certPath && !keyPath) return undefined;
  if (!certPath || !keyPath)
    throw new Error(`PUCHA_TLS_CERT and PUCHA_TLS_KEY must be set together: ${certPath ? 'PUCHA_TLS_KEY' : 'PUCHA_TLS_CERT'} is missing`);
  const cert = readPem('PUCHA_TLS_CERT', certPath);
  const key = readPem('PUCHA_TLS_KEY', keyPath);
  try {
    createSecureContext({ cert, key });
  } catch (e) {
    throw new Error(
      `PUCHA_TLS_CERT (${certPath}) and PUCHA_TLS_KEY (${keyPath}) are not a usable certificate and private key: ${e instanceof Error ? e.message : String(e)}`,
      { cause: e },
    );
  }
  return { cert, key };
}

function validProxyEntry(entry: string): boolean {
  if (PROXY_NAMES.has(entry) || isIP(entry) !== 0) return true;
  const slash = entry.indexOf('/');
  if (slash < 0) return false;
  const family = isIP(entry.slice(0, slash));
  const bits = entry.slice(slash + 1);
  if (family === 0 || !/^\d{1,3}$/.test(bits)) return false;
  return Number(bits) <= (family === 4 ? 32 : 128);
}

/**
 * `PUCHA_TRUST_PROXY`: unset, `''`, `0` or `false`: trust no proxy (the socket address is the
 * client, X-Forwarded-* is ignored). `1` or `true`: trust any proxy (only when nothing can reach
 * the server but the proxy). Otherwise a comma-separated list of proxy addresses, CIDR ranges
 * (`10.0.0.0/8`, `fd00::/8`) or the names `loopback`, `linklocal`, `uniquelocal`; anything else
 * is an Error.
 */
export function parseTrustProxy(value: string | undefined): boolean | string[] {
  const v = (value ?? '').trim();
  if (v === '' || v === '0' || v.toLowerCase() === 'false') return false;
  if (v === '1' || v.toLowerCase() === 'true') return true;
  const entries = v.split(',').map((e) => e.trim());
  for (const e of entries) {
    if (!validProxyEntry(e))
      throw new Error(
        `PUCHA_TRUST_PROXY: ${JSON.stringify(e)} is not an IP address, a CIDR range (e.g. 10.0.0.0/8) or one of loopback, linklocal, uniquelocal`,
      );
  }
  return entries;
}

export interface TransportOptions {
  https?: TlsFiles | undefined;
  trustProxy?: TrustProxy | undefined;
  timeouts?: Partial<ServerTimeouts> | undefined;
}

type ServerOptions = Pick<
  FastifyHttpOptions<http.Server>,
  'http' | 'trustProxy' | 'requestTimeout' | 'connectionTimeout' | 'keepAliveTimeout'
>;

/** The Fastify factory options for TLS, proxy trust and timeouts. */
export function serverOptions(o: TransportOptions): ServerOptions {
  const t = { ...DEFAULT_TIMEOUTS, ...o.timeouts };
  for (const [k, v] of Object.entries(t)) {
    if (!Number.isInteger(v) || v < 0) throw new Error(`timeouts.${k} must be a whole number of ms >= 0, got ${v}`);
  }
  if (t.requestTimeout > 0 && t.headersTimeout > t.requestTimeout)
    throw new Error('timeouts.headersTimeout must not exceed timeouts.requestTimeout');
  const node = {
    requestTimeout: t.requestTimeout,
    headersTimeout: t.headersTimeout,
    connectionsCheckingInterval: Math.min(CONNECTIONS_CHECKING_INTERVAL, t.headersTimeout || CONNECTIONS_CHECKING_INTERVAL),
  };
  // With `https` Fastify creates an https.Server. The instance keeps the http typing the routes
  // are written against: its requests and replies are the same http.IncomingMessage/ServerResponse.
  const transport = (o.https ? { https: { cert: o.https.cert, key: o.https.key, ...node } } : { http: node }) as {
    http: http.ServerOptions;
  };
  return {
    ...transport,
    trustProxy: o.trustProxy ?? false,
    requestTimeout: t.requestTimeout,
    connectionTimeout: t.connectionTimeout,
    keepAliveTimeout: t.keepAliveTimeout,
  };
}
