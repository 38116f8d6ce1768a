import type { ReconSummary } from '../contract/schemas';
import type { Engine } from './engine';
import { EngineFailure } from './errors';

/**
 * Starts a reconstruction and resolves with its summary (in-process clients: the CLI, tests).
 * Subscribes before starting so that no event can be missed.
 */
export async function runRecon(
  engine: Engine,
  params: Parameters<Engine['call']>[1] & { scanId: string },
  onProgress: (fraction: number, message: string) => void = () => {},
): Promise<ReconSummary> {
  let jobId: string | null = null;
  const early: Parameters<Parameters<Engine['subscribe']>[0]>[0][] = [];
  return new Promise<ReconSummary>((resolve, reject) => {
    const handle = (ev: (typeof early)[number]) => {
      if (ev.payload.jobId !== jobId) return;
      if (ev.event === 'job.progress') onProgress(ev.payload.fraction, ev.payload.message);
      else if (ev.event === 'job.result') {
        unsubscribe();
        resolve(ev.payload.result);
      } else if (ev.event === 'job.error') {
        unsubscribe();
        reject(new EngineFailure(ev.payload.cancelled ? 'cancelled' : 'bad_input', ev.payload.error));
      }
    };
    const unsubscribe = engine.subscribe((ev) => (jobId === null ? early.push(ev) : handle(ev)));
    engine.call('recon.start', params).then(
      (r) => {
        jobId = r.jobId;
        early.splice(0).forEach(handle);
      },
      (e) => {
        unsubscribe();
        reject(e);
      },
    );
  });
}
