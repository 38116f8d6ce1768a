/**
 * Validation shared by the U-Net and the VarNet trainers: each validation volume's slices through the
 * network, fastMRI volume metrics (evaluateVolume) of the de-normalised output and of zero-filled
 * against the reference, averaged over volumes; the loss averaged over slices.
 */
import type { ScanSource } from '../io/scan';
import { evaluateVolume } from '../metrics';
import type { Dataset } from './data';

export interface ValMetrics {
  loss: number;
  nmse: number;
  psnr: number;
  ssim: number;
  zf: { nmse: number; psnr: number; ssim: number };
  volumes: number;
}

/** One validation slice: its loss and its de-normalised output, reference and zero-filled images (h × w). */
export interface ValSlice {
  loss: number;
  pred: Float32Array;
  gt: Float32Array;
  zf: Float32Array;
  h: number;
  w: number;
}

export function validateVolumes(val: Dataset, evalSlice: (source: ScanSource, slice: number) => ValSlice): ValMetrics {
  const perVolume: { nmse: number; psnr: number; ssim: number; zf: { nmse: number; psnr: number; ssim: number } }[] = [];
  let lossSum = 0;
  let lossN = 0;
  const byVolume = new Map<number, number[]>();
  for (const it of val.items) byVolume.set(it.volume, [...(byVolume.get(it.volume) ?? []), it.slice]);
  for (const [v, slices] of byVolume) {
    const src = val.sources[v];
    let h = 0;
    let w = 0;
    const preds: Float32Array[] = [];
    const gts: Float32Array[] = [];
    const zfs: Float32Array[] = [];
    for (const sl of slices) {
      const s = evalSlice(src, sl);
      lossSum += s.loss;
      lossN++;
      h = s.h;
      w = s.w;
      preds.push(s.pred);
      gts.push(s.gt);
      zfs.push(s.zf);
    }
    const stack = (a: Float32Array[]) => {
      const o = new Float32Array(a.length * h * w);
      a.forEach((x, i) => o.set(x, i * h * w));
      return o;
    };
    const gt = stack(gts);
    const m = evaluateVolume(gt, stack(preds), slices.length, h, w).volume;
    const z = evaluateVolume(gt, stack(zfs), slices.length, h, w).volume;
    perVolume.push({ ...m, zf: z });
  }
  const mean = (f: (v: (typeof perVolume)[number]) => number) => perVolume.reduce((a, v) => a + f(v), 0) / perVolume.length;
  return {
    loss: lossSum / Math.max(1, lossN),
    nmse: mean((v) => v.nmse),
    psnr: mean((v) => v.psnr),
    ssim: mean((v) => v.ssim),
    zf: { nmse: mean((v) => v.zf.nmse), psnr: mean((v) => v.zf.psnr), ssim: mean((v) => v.zf.ssim) },
    volumes: perVolume.length,
  };
}
