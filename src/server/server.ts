/**
 * Local server mode: serves the built renderer over HTTP and the engine contract over a WebSocket,
 * bound to 127.0.0.1 by default. A per-launch token (in the URL the user opens) is required for the
 * socket, and the Origin and Host headers must be our own, so other local pages and DNS-rebinding
 * sites cannot drive the engine. Thin: it adapts the transport and holds no logic of its own.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, extname, join, normalize, sep } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { packMessage, unpackMessage } from '../contract/codec';
import { RequestEnvelopeSchema } from '../contract/schemas';
import type { WireMessage } from '../contract/wire';
import type { Engine } from '../engine/engine';
import { packageRoot } from '../engine/worker-path';
import { contentSecurityPolicy } from '../security/csp';

export interface ServerOptions {
  port?: number;
  host?: string;
  token?: string;
  rendererDir?: string;
  /** largest accepted request frame; requests are small, images only flow out */
  maxRequestBytes?: number;
  /** where dropped files are stored (POST /upload); default: a folder in the OS temp dir */
  uploadDir?: string;
  maxUploadBytes?: number;
}

export interface RunningServer {
  url: string;
  port: number;
  token: string;
  server: Server;
  close(): Promise<void>;
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.wasm': 'application/wasm',
  '.map': 'application/json',
};

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export async function startServer(engine: Engine, options: ServerOptions = {}): Promise<RunningServer> {
  const host = options.host ?? '127.0.0.1';
  const token = options.token ?? randomBytes(24).toString('hex');
  const rendererDir = options.rendererDir ?? join(packageRoot(), 'dist', 'renderer');
  const maxRequestBytes = options.maxRequestBytes ?? 1 << 20;
  let port = options.port ?? 0;
  const allowedHosts = () => new Set([`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`, `${host}:${port}`]);

  const uploadDir = options.uploadDir ?? join(tmpdir(), `mri-recon-uploads-${process.pid}`);
  const maxUploadBytes = options.maxUploadBytes ?? 8 * 2 ** 30;

  const handleUpload = (req: IncomingMessage, res: ServerResponse, headers: Record<string, string>) => {
    const json = (status: number, body: unknown) =>
      res.writeHead(status, { ...headers, 'Content-Type': 'application/json' }).end(JSON.stringify(body));
    const origin = req.headers.origin;
    if (origin !== undefined && !allowedHosts().has(origin.replace(/^https?:\/\//, '')))
      return json(403, { error: 'foreign origin' });
    if (!sameToken(String(req.headers['x-token'] ?? ''), token)) return json(401, { error: 'missing or wrong token' });
    const query = new URL(req.url ?? '/', 'http://x').searchParams;
    const name = basename(String(query.get('name') ?? '')).replace(/[^\w.+-]/g, '_');
    if (!name || name.startsWith('.')) return json(400, { error: 'upload needs ?name=<file name>' });
    // files of one dropped folder (a DICOM series) share a batch id and land in one folder
    const batch = query.get('batch');
    if (batch !== null && !/^[A-Za-z0-9_-]{1,64}$/.test(batch))
      return json(400, { error: 'batch must be 1–64 letters, digits, _ or -' });
    const declared = Number(req.headers['content-length'] ?? NaN);
    if (Number.isFinite(declared) && declared > maxUploadBytes)
      return json(413, { error: `file larger than ${maxUploadBytes} bytes` });
    const dir = join(uploadDir, batch ? `batch-${batch}` : randomBytes(6).toString('hex'));
    mkdirSync(dir, { recursive: true });
    const target = join(dir, name);
    let received = 0;
    const sink = createWriteStream(target, { flags: 'wx' });
    req.on('data', (chunk: Buffer) => {
      received += chunk.length;
      if (received > maxUploadBytes) {
        req.destroy();
        sink.destroy();
        rmSync(dir, { recursive: true, force: true });
        json(413, { error: `file larger than ${maxUploadBytes} bytes` });
      }
    });
    req.pipe(sink);
    sink.on('finish', () => json(200, { path: target, folder: dir, bytes: received }));
    sink.on('error', (e) => json(500, { error: `could not store the upload: ${e.message}` }));
  };

  const serveStatic = (req: IncomingMessage, res: ServerResponse) => {
    const headers = {
      'Content-Security-Policy': contentSecurityPolicy(),
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'Cross-Origin-Opener-Policy': 'same-origin',
      'Cache-Control': 'no-store',
    };
    if (!allowedHosts().has(req.headers.host ?? '')) {
      res.writeHead(421, headers).end('misdirected request');
      return;
    }
    if (req.method === 'POST' && new URL(req.url ?? '/', 'http://x').pathname === '/upload') {
      handleUpload(req, res, headers);
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, headers).end('method not allowed');
      return;
    }
    const urlPath = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const rel = normalize(urlPath === '/' ? '/index.html' : urlPath).replace(/^([/\\])+/, '');
    const file = join(rendererDir, rel);
    if (!file.startsWith(rendererDir + sep) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404, headers).end('not found');
      return;
    }
    res.writeHead(200, { ...headers, 'Content-Type': MIME[extname(file)] ?? 'application/octet-stream' });
    res.end(req.method === 'HEAD' ? undefined : readFileSync(file));
  };

  const server = createServer(serveStatic);
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: maxRequestBytes,
  });

  server.on('upgrade', (req, socket, head) => {
    const reject = (status: number, text: string) => {
      socket.write(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\n\r\n`);
      socket.destroy();
    };
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname !== '/ws') return reject(404, 'Not Found');
    if (!allowedHosts().has(req.headers.host ?? '')) return reject(421, 'Misdirected Request');
    const origin = req.headers.origin;
    if (origin !== undefined && !allowedHosts().has(origin.replace(/^https?:\/\//, ''))) return reject(403, 'Forbidden');
    const given = url.searchParams.get('token') ?? '';
    if (!sameToken(given, token)) return reject(401, 'Unauthorized');
    wss.handleUpgrade(req, socket, head, (ws) => attach(ws));
  });

  const attach = (ws: WebSocket) => {
    const send = (msg: WireMessage) => {
      if (ws.readyState === ws.OPEN) ws.send(packMessage(msg));
    };
    const unsubscribe = engine.subscribe((ev) => send({ kind: 'event', ...ev }));
    ws.on('close', unsubscribe);
    ws.on('error', unsubscribe);
    ws.on('message', async (data, isBinary) => {
      let id = -1;
      try {
        const bytes = isBinary ? new Uint8Array(data as Buffer) : new TextEncoder().encode(String(data));
        const decoded = isBinary ? unpackMessage(bytes) : JSON.parse(String(data));
        const env = RequestEnvelopeSchema.safeParse(decoded);
        if (!env.success) {
          const maybeId = (decoded as { id?: unknown })?.id;
          send({
            kind: 'response',
            id: typeof maybeId === 'number' ? maybeId : -1,
            ok: false,
            error: { code: 'invalid_request', message: 'malformed request envelope' },
          });
          return;
        }
        id = env.data.id;
        const out = await engine.request(env.data.method, env.data.params);
        send({ kind: 'response', id, ...out });
      } catch (e) {
        send({
          kind: 'response',
          id,
          ok: false,
          error: { code: 'invalid_request', message: `malformed message: ${(e as Error).message}` },
        });
      }
    });
  };

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  port = (server.address() as { port: number }).port;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shownHost}:${port}/?token=${token}`,
    port,
    token,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        for (const c of wss.clients) c.terminate();
        wss.close();
        server.close(() => resolve());
        server.closeAllConnections();
        if (!options.uploadDir) rmSync(uploadDir, { recursive: true, force: true });
      }),
  };
}
