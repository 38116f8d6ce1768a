import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerEngineIpc, trustedUrlCheck } from '../../main/ipc';
import { IPC_EVENT, IPC_REQUEST } from '../../src/contract/wire';
import type { AnyEvent, Outcome, RequestName } from '../../src/contract/schemas';
import type { Engine } from '../../src/engine/engine';
import { testEngine } from '../helpers/engine';
import { requestTour } from '../helpers/request-tour';
import { createFakeElectronIpc } from '../helpers/electron-mock';

let engine: Engine;
beforeAll(() => {
  engine = testEngine();
});
afterAll(() => engine.close());

const INDEX = 'app://renderer/index.html';

describe('Electron IPC transport', () => {
  it('carries every request type for our own window, with events pushed to it', async () => {
    const fake = createFakeElectronIpc();
    const dispose = registerEngineIpc(fake.ipcMain, engine, trustedUrlCheck(INDEX), () => [fake.webContents]);
    const events: AnyEvent[] = [];
    fake.onRendererEvent(IPC_EVENT, (ev) => events.push(ev as AnyEvent));
    const call = (method: RequestName, params: unknown) =>
      fake.invoke(INDEX, IPC_REQUEST, method, params) as Promise<Outcome<unknown>>;
    const jobEnd = (jobId: string) =>
      new Promise<AnyEvent>((resolve) => {
        const check = () => {
          const e = events.find((x) => (x.event === 'job.result' || x.event === 'job.error') && x.payload.jobId === jobId);
          if (e) resolve(e);
          else setTimeout(check, 10);
        };
        check();
      });
    const seen = await requestTour(call, jobEnd);
    for (const [name, out] of seen) expect(out.ok, name).toBe(true);
    // structured clone keeps typed arrays as they are
    const img = seen.get('recon.image') as { ok: true; value: { data: unknown } };
    expect(img.value.data).toBeInstanceOf(Float32Array);
    expect(events.some((e) => e.event === 'job.progress')).toBe(true);
    dispose();
    expect(fake.handlerCount()).toBe(0);
  });

  it('rejects frames that are not our renderer, and malformed calls', async () => {
    const fake = createFakeElectronIpc();
    registerEngineIpc(fake.ipcMain, engine, trustedUrlCheck(INDEX), () => []);
    for (const url of [
      'https://evil.example/',
      'file:///tmp/other/index.html',
      'app://other/index.html',
      'http://renderer/index.html',
      'not a url',
    ]) {
      expect(await fake.invoke(url, IPC_REQUEST, 'engine.info', {})).toMatchObject({
        ok: false,
        error: { code: 'unauthorized' },
      });
    }
    expect(await fake.invoke(INDEX, IPC_REQUEST, 'engine.info', {}, { subframe: true })).toMatchObject({
      ok: false,
      error: { code: 'unauthorized' },
    });
    expect(await fake.invoke(INDEX, IPC_REQUEST, { method: 'engine.info' }, {})).toMatchObject({
      ok: false,
      error: { code: 'invalid_request' },
    });
    expect(await fake.invoke(INDEX, IPC_REQUEST, 'scan.open', { path: 17 })).toMatchObject({
      ok: false,
      error: { code: 'invalid_request' },
    });
  });
});
