import type { AnyEvent, ReconSummary } from '../../src/contract/schemas';
import { Engine } from '../../src/engine/engine';

export function testEngine(): Engine {
  return new Engine({ poolSize: 2 });
}

/** Collects events; `waitFor` resolves on the first event matching. */
export function eventLog(engine: { subscribe(l: (ev: AnyEvent) => void): () => void }) {
  const events: AnyEvent[] = [];
  const waiters: { pred: (ev: AnyEvent) => boolean; resolve: (ev: AnyEvent) => void }[] = [];
  const stop = engine.subscribe((ev) => {
    events.push(ev);
    for (const w of [...waiters]) {
      if (w.pred(ev)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(ev);
      }
    }
  });
  return {
    events,
    stop,
    waitFor(pred: (ev: AnyEvent) => boolean, timeoutMs = 30_000): Promise<AnyEvent> {
      const seen = events.find(pred);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const t = setTimeout(() => reject(new Error('timed out waiting for an event')), timeoutMs);
        waiters.push({ pred, resolve: (ev) => (clearTimeout(t), resolve(ev)) });
      });
    },
    async jobEnd(jobId: string): Promise<{ result?: ReconSummary; error?: string; cancelled?: boolean }> {
      const ev = await this.waitFor((e) => (e.event === 'job.result' || e.event === 'job.error') && e.payload.jobId === jobId);
      if (ev.event === 'job.result') return { result: ev.payload.result };
      if (ev.event === 'job.error') return { error: ev.payload.error, cancelled: ev.payload.cancelled };
      throw new Error('unreachable');
    },
  };
}
