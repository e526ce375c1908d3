// A switchable, recording HTTP proxy between the browser and the test server. It is the "network"
// of the engine suites: every engine can be cut off by closing it (new connections are refused
// and open keep-alive sockets are destroyed, as when a phone loses signal), whether or not the
// engine has network emulation of its own. It also records every push (which mutation ids were
// sent, how often, and what the server answered) so a test can assert that the queue drained
// exactly once, and collects CSP violation reports: it appends `report-uri` to the server's
// Content-Security-Policy (reporting only, enforcement unchanged), because neither WebDriver BiDi
// in Firefox nor classic WebDriver in WebKit can watch violations from before the page's scripts.
import { createServer, request, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { z } from 'zod';

export const CSP_REPORT_PATH = '/__e2e-csp-report';

const PushBodySchema = z.object({
  mutations: z.array(z.object({ id: z.string(), entity: z.string(), entityId: z.string() })),
});
const PushAnswerSchema = z.object({
  results: z.array(z.object({ id: z.string(), status: z.string() })),
});
// Firefox and WebKit send the report-uri format: { "csp-report": { ... } } (fields as in CSP2).
const CspReportSchema = z.object({
  'csp-report': z
    .object({
      'document-uri': z.string().optional(),
      'violated-directive': z.string().optional(),
      'effective-directive': z.string().optional(),
      'blocked-uri': z.string().optional(),
      'source-file': z.string().optional(),
      'line-number': z.number().optional(),
    })
    .passthrough(),
});

export interface PushRecord {
  /** The mutations of the request, in order. */
  mutations: { id: string; entity: string; entityId: string }[];
  /** HTTP status of the answer, and the per-mutation results when it was a 200. */
  status: number;
  results: { id: string; status: string }[];
}

export interface SwitchableProxy {
  readonly url: string;
  readonly port: number;
  /** Every push that reached the server through the proxy, in arrival order. */
  readonly pushes: readonly PushRecord[];
  /** Whether the proxy accepts connections now. */
  readonly up: boolean;
  /** Cuts the network (refuse new connections, destroy open ones) or restores it on the same port. */
  setUp(up: boolean): Promise<void>;
  /** Returns and forgets the CSP violation reports received so far, one line each. */
  takeCspReports(): string[];
  close(): Promise<void>;
}

// Hop-by-hop headers are the proxy's own business on each side (RFC 9110 7.6.1).
const HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te', 'trailer']);

function forwardable(h: IncomingHttpHeaders): IncomingHttpHeaders {
  const out: IncomingHttpHeaders = {};
  for (const [k, v] of Object.entries(h)) if (!HOP.has(k)) out[k] = v;
  return out;
}

function readBody(stream: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () => resolve(Buffer.concat(chunks)));
    stream.on('error', reject);
  });
}

function parseJson(buf: Buffer): unknown {
  try {
    return JSON.parse(buf.toString('utf8'));
  } catch {
    return undefined;
  }
}

/** Starts the proxy on a given port (or a free one) in front of `upstream` (http://127.0.0.1:PORT). */
export async function startProxy(opts: { upstream: string; port?: number }): Promise<SwitchableProxy> {
  const upstream = new URL(opts.upstream);
  const pushes: PushRecord[] = [];
  const cspReports: string[] = [];
  const sockets = new Set<Socket>();
  let server: Server | undefined;
  let port = opts.port ?? 0;

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const path = req.url ?? '/';
    if (req.method === 'POST' && path === CSP_REPORT_PATH) {
      const parsed = CspReportSchema.safeParse(parseJson(await readBody(req)));
      if (parsed.success) {
        const r = parsed.data['csp-report'];
        cspReports.push(`${r['document-uri'] ?? '?'}: ${r['effective-directive'] ?? r['violated-directive'] ?? '?'} blocked ${r['blocked-uri'] || '(inline)'}${r['source-file'] ? ` at ${r['source-file']}:${r['line-number'] ?? '?'}` : ''}`);
      } else cspReports.push(`unparsable CSP report on ${CSP_REPORT_PATH}`);
      res.writeHead(204).end();
      return;
    }
    const isPush = req.method === 'POST' && path.startsWith('/api/v1/sync/push');
    const body = await readBody(req);
    const up = request(
      { host: upstream.hostname, port: upstream.port, method: req.method, path, headers: { ...forwardable(req.headers), 'content-length': String(body.length) } }, // Host kept: the app sees the origin the browser uses
      (answer) => {
        void (async () => {
          const headers = forwardable(answer.headers);
          const csp = headers['content-security-policy'];
          if (typeof csp === 'string' && !/report-uri/.test(csp)) headers['content-security-policy'] = `${csp}; report-uri ${CSP_REPORT_PATH}`;
          const payload = await readBody(answer);
          if (isPush) {
            const sent = PushBodySchema.safeParse(parseJson(body));
            const got = PushAnswerSchema.safeParse(parseJson(payload));
            pushes.push({ mutations: sent.success ? sent.data.mutations : [], status: answer.statusCode ?? 0, results: got.success ? got.data.results : [] });
          }
          headers['content-length'] = String(payload.length);
          res.writeHead(answer.statusCode ?? 502, headers).end(payload);
        })().catch(() => res.destroy());
      },
    );
    // The upstream is down too (a test stopping the server itself): the browser sees a dropped connection.
    up.on('error', () => res.destroy());
    up.end(body);
  };

  const listen = () =>
    new Promise<void>((resolve, reject) => {
      const s = createServer((req, res) => void handle(req, res).catch(() => res.destroy()));
      s.on('connection', (sock) => {
        sockets.add(sock);
        sock.once('close', () => sockets.delete(sock));
      });
      s.once('error', reject);
      s.listen(port, '127.0.0.1', () => {
        const addr = s.address();
        port = typeof addr === 'object' && addr ? addr.port : port;
        server = s;
        resolve();
      });
    });

  const shut = () =>
    new Promise<void>((resolve) => {
      const s = server;
      server = undefined;
      if (!s) return resolve();
      s.close(() => resolve());
      for (const sock of sockets) sock.destroy();
    });

  await listen();
  return {
    get url() {
      return `http://127.0.0.1:${port}`;
    },
    get port() {
      return port;
    },
    pushes,
    get up() {
      return server !== undefined;
    },
    async setUp(up) {
      if (up && !server) await listen();
      else if (!up && server) await shut();
    },
    takeCspReports: () => cspReports.splice(0),
    close: shut,
  };
}
