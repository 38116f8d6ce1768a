import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { packMessage, unpackMessage } from '../../src/contract/codec';
import type { AnyEvent, Outcome, RequestName } from '../../src/contract/schemas';
import type { WireMessage } from '../../src/contract/wire';
import type { Engine } from '../../src/engine/engine';
import { startServer, type RunningServer } from '../../src/server/server';
import { testEngine } from '../helpers/engine';
import { requestTour } from '../helpers/request-tour';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

let engine: Engine;
let srv: RunningServer;
const rendererDir = mkdtempSync(join(tmpdir(), 'renderer-'));

beforeAll(async () => {
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>t</title>');
  engine = testEngine();
  srv = await startServer(engine, { port: 0, rendererDir });
});
afterAll(async () => {
  await srv.close();
  await engine.close();
});

function wsUrl(token = srv.token) {
  return `ws://127.0.0.1:${srv.port}/ws?token=${token}`;
}

async function client(url = wsUrl(), headers: Record<string, string> = { Origin: `http://127.0.0.1:${srv.port}` }) {
  const ws = new WebSocket(url, { headers });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
  });
  const pending = new Map<number, (o: Outcome<unknown>) => void>();
  const events: AnyEvent[] = [];
  const eventWaiters: ((ev: AnyEvent) => void)[] = [];
  ws.on('message', (data) => {
    const msg = unpackMessage(new Uint8Array(data as Buffer)) as WireMessage;
    if (msg.kind === 'response') {
      pending.get(msg.id)?.(msg.ok ? { ok: true, value: msg.value } : { ok: false, error: msg.error });
      pending.delete(msg.id);
    } else {
      const { kind: _k, ...ev } = msg;
      events.push(ev as AnyEvent);
      eventWaiters.forEach((w) => w(ev as AnyEvent));
    }
  });
  let id = 0;
  return {
    ws,
    events,
    call(method: RequestName | string, params: unknown): Promise<Outcome<unknown>> {
      return new Promise((resolve) => {
        const n = ++id;
        pending.set(n, resolve);
        ws.send(packMessage({ id: n, method, params }));
      });
    },
    raw(bytes: Uint8Array | string): Promise<WireMessage> {
      return new Promise((resolve) => {
        ws.once('message', (data) => resolve(unpackMessage(new Uint8Array(data as Buffer)) as WireMessage));
        ws.send(bytes);
      });
    },
    jobEnd(jobId: string): Promise<AnyEvent> {
      const done = (e: AnyEvent) => (e.event === 'job.result' || e.event === 'job.error') && e.payload.jobId === jobId;
      const seen = events.find(done);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve) => eventWaiters.push((e) => done(e) && resolve(e)));
    },
  };
}

describe('WebSocket transport', () => {
  it('carries every request type and matches the engine called directly', async () => {
    const c = await client();
    const viaWs = await requestTour(c.call, c.jobEnd);
    for (const [name, out] of viaWs) {
      expect(out.ok, name).toBe(true);
    }
    const info = viaWs.get('engine.info')!;
    expect(info).toEqual(await engine.request('engine.info', {}));
    const img = viaWs.get('scan.image') as { ok: true; value: { data: Float32Array } };
    expect(img.value.data).toBeInstanceOf(Float32Array);
    const scan = (await engine.call('scan.open', { demo: true })).scanId;
    const direct = await engine.call('scan.image', { scanId: scan, slice: 1, view: 'target' });
    expect(Array.from(img.value.data)).toEqual(Array.from(direct.data));
    c.ws.close();
  });

  it('streams progress events and cancels a job cleanly', async () => {
    const c = await client();
    const scan = (await c.call('scan.open', { demo: true })) as { ok: true; value: { scanId: string } };
    const start = (await c.call('recon.start', {
      scanId: scan.value.scanId,
      mask: { type: 'random', acceleration: 8, centerFraction: 0.04, seed: 999 },
      method: { method: 'zf' },
    })) as { ok: true; value: { jobId: string } };
    const cancel = await c.call('job.cancel', { jobId: start.value.jobId });
    expect(cancel.ok).toBe(true);
    const end = await c.jobEnd(start.value.jobId);
    expect(end.event === 'job.error' ? end.payload.cancelled : 'finished-before-cancel').toBe(true);
    // the connection and engine still work
    expect((await c.call('engine.info', {})).ok).toBe(true);
    c.ws.close();
  });

  it('answers malformed and hostile messages without dropping the connection', async () => {
    const c = await client();
    const notJson = await c.raw('{not json');
    expect(notJson).toMatchObject({ kind: 'response', ok: false, error: { code: 'invalid_request' } });
    const garbage = await c.raw(new Uint8Array([0xff, 0xff, 0xff, 0x7f, 1, 2, 3]));
    expect(garbage).toMatchObject({ kind: 'response', ok: false });
    const noMethod = await c.raw(packMessage({ id: 5, params: {} }));
    expect(noMethod).toMatchObject({ kind: 'response', id: 5, ok: false, error: { code: 'invalid_request' } });
    expect(await c.call('job.cancel', { jobId: 42 })).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    expect(await c.call('train.pause', { jobId: 'x', paused: 'yes' })).toMatchObject({
      ok: false,
      error: { code: 'invalid_request', message: expect.stringMatching(/^train\.pause: paused/) },
    });
    expect(await c.call('train.pause', { jobId: 'train-none', paused: true })).toMatchObject({
      ok: false,
      error: { code: 'not_found', message: 'no job train-none' },
    });
    expect(await c.call('scan.open', { path: '/etc/passwd' })).toMatchObject({ ok: false, error: { code: 'bad_input' } });
    expect(await c.call('constructor', {})).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    expect((await c.call('engine.info', {})).ok).toBe(true);
    c.ws.close();
  });

  it('refuses sockets without the token, with a wrong token, or from a foreign origin', async () => {
    await expect(client(`ws://127.0.0.1:${srv.port}/ws`)).rejects.toThrow(/401/);
    await expect(client(wsUrl('0'.repeat(48)))).rejects.toThrow(/401/);
    await expect(client(wsUrl(), { Origin: 'http://evil.example' })).rejects.toThrow(/403/);
    await expect(client(wsUrl(), { Origin: 'http://127.0.0.1:1' })).rejects.toThrow(/403/);
    await expect(client(wsUrl(), { Host: 'attacker.example:80', Origin: `http://127.0.0.1:${srv.port}` })).rejects.toThrow(/421/);
  });

  it('refuses oversized request frames', async () => {
    const c = await client();
    const closed = new Promise<number>((resolve) => c.ws.once('close', (code) => resolve(code)));
    c.ws.send(new Uint8Array(2 << 20));
    expect(await closed).toBe(1009);
  });

  it('serves the renderer with a strict CSP and no path traversal', async () => {
    const base = `http://127.0.0.1:${srv.port}`;
    const res = await fetch(`${base}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toMatch(/default-src 'none'.*script-src 'self'/);
    expect((await fetch(`${base}/../../etc/passwd`)).status).toBe(404);
    expect((await fetch(`${base}/%2e%2e/%2e%2e/etc/passwd`)).status).toBe(404);
    expect((await fetch(`${base}/`, { method: 'POST' })).status).toBe(405);
  });
});

describe('uploads (server mode drag and drop)', () => {
  it('stores a dropped file for the engine to open, only with the token', async () => {
    const { readFileSync } = await import('node:fs');
    const { SINGLECOIL } = await import('../helpers/paths');
    const base = `http://127.0.0.1:${srv.port}`;
    const body = readFileSync(SINGLECOIL);
    const denied = await fetch(`${base}/upload?name=scan.h5`, { method: 'POST', body });
    expect(denied.status).toBe(401);
    const foreign = await fetch(`${base}/upload?name=scan.h5`, {
      method: 'POST',
      body,
      headers: { 'X-Token': srv.token, Origin: 'http://evil.example' },
    });
    expect(foreign.status).toBe(403);
    const res = await fetch(`${base}/upload?name=../../scan.h5`, { method: 'POST', body, headers: { 'X-Token': srv.token } });
    expect(res.status).toBe(200);
    const { path } = (await res.json()) as { path: string };
    expect(path).toMatch(/scan\.h5$/);
    expect(path).not.toMatch(/\.\.\//);
    const scan = await engine.call('scan.open', { path });
    expect(scan.slices).toBe(5);
  });
});

describe('batch uploads (a dropped DICOM series)', () => {
  it('puts files of one batch in one folder that opens as a series', async () => {
    const { readFileSync, readdirSync } = await import('node:fs');
    const { FIXTURES } = await import('../helpers/paths');
    const base = `http://127.0.0.1:${srv.port}`;
    const names = ['MR_small.dcm', 'MR_small_RLE.dcm'];
    let folder = '';
    for (const n of names) {
      const res = await fetch(`${base}/upload?name=${n}&batch=abc123`, {
        method: 'POST',
        body: readFileSync(join(FIXTURES, 'io', 'dicom', n)),
        headers: { 'X-Token': srv.token },
      });
      expect(res.status).toBe(200);
      folder = ((await res.json()) as { folder: string }).folder;
    }
    expect(readdirSync(folder).sort()).toEqual(names.sort());
    const scan = await engine.call('scan.open', { path: folder });
    expect(scan.format).toBe('dicom');
    const bad = await fetch(`${base}/upload?name=x.dcm&batch=../../etc`, {
      method: 'POST',
      body: 'x',
      headers: { 'X-Token': srv.token },
    });
    expect(bad.status).toBe(400);
  });
});
