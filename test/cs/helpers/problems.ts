/** Small synthetic CS problems for solver tests: a piecewise-constant phantom, masked k-space. */
import { fft2c } from '../../../src/kspace/fft2c';
import { compose, type LinearOperator } from '../../../src/cs/ops/linop';
import { fftOp } from '../../../src/cs/ops/fft';
import { maskOp, maskWeights, type SamplingMask } from '../../../src/cs/ops/mask';
import { senseOp } from '../../../src/cs/ops/sense';
import { randomComplex } from './random';

export function phantom(h: number, w: number): Float32Array {
  const x = new Float32Array(2 * h * w);
  for (let y = 0; y < h; y++)
    for (let xx = 0; xx < w; xx++) {
      const dy = (y - h / 2) / (h / 2.5);
      const dx = (xx - w / 2) / (w / 3);
      let v = dy * dy + dx * dx < 1 ? 1 : 0;
      if (y > h / 3 && y < h / 2 && xx > w / 3 && xx < w / 2) v = 0.5;
      x[2 * (y * w + xx)] = v * Math.cos((0.3 * xx) / w);
      x[2 * (y * w + xx) + 1] = v * Math.sin((0.3 * xx) / w);
    }
  return x;
}

export function columnMask(w: number, h: number, keep: (col: number) => boolean): SamplingMask {
  return { dims: 1, height: h, width: w, data: Uint8Array.from({ length: w }, (_, i) => (keep(i) ? 1 : 0)) };
}

export interface Problem {
  A: LinearOperator;
  b: Float32Array;
  truth: Float32Array;
  mask: SamplingMask;
  h: number;
  w: number;
  coils: number;
  maps?: Float32Array;
}

export function singleCoilProblem(h = 16, w = 16, noise = 0.01): Problem {
  const truth = phantom(h, w);
  const mask = columnMask(w, h, (c) => Math.abs(c - w / 2) <= 1 || c % 3 === 0);
  const k = fft2c(truth, h, w);
  const nz = randomComplex(h * w, 99);
  const wts = maskWeights(mask, h, w);
  for (let p = 0; p < h * w; p++) {
    k[2 * p] = wts[p] ? k[2 * p] + noise * nz[2 * p] : 0;
    k[2 * p + 1] = wts[p] ? k[2 * p + 1] + noise * nz[2 * p + 1] : 0;
  }
  const A = compose(maskOp(mask, 1, h, w), fftOp(1, h, w));
  return { A, b: k, truth, mask, h, w, coils: 1 };
}

export function multiCoilProblem(h = 16, w = 16, coils = 3): Problem {
  const truth = phantom(h, w);
  const maps = new Float32Array(2 * coils * h * w);
  for (let c = 0; c < coils; c++)
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++) {
        const ang = (2 * Math.PI * c) / coils;
        const mag = Math.exp(-(((y - h / 2 - 6 * Math.sin(ang)) / h) ** 2 + ((x - w / 2 - 6 * Math.cos(ang)) / w) ** 2));
        maps[2 * (c * h * w + y * w + x)] = mag * Math.cos(ang + x / w);
        maps[2 * (c * h * w + y * w + x) + 1] = mag * Math.sin(ang + x / w);
      }
  // normalise Σ|s|² = 1
  for (let p = 0; p < h * w; p++) {
    let s = 0;
    for (let c = 0; c < coils; c++) s += maps[2 * (c * h * w + p)] ** 2 + maps[2 * (c * h * w + p) + 1] ** 2;
    const f = 1 / Math.sqrt(s);
    for (let c = 0; c < coils; c++) {
      maps[2 * (c * h * w + p)] *= f;
      maps[2 * (c * h * w + p) + 1] *= f;
    }
  }
  const mask = columnMask(w, h, (c) => Math.abs(c - w / 2) <= 1 || c % 4 === 0);
  const A = compose(maskOp(mask, coils, h, w), fftOp(coils, h, w), senseOp(maps, coils, h, w));
  const b = A.forward(truth);
  const nz = randomComplex(coils * h * w, 5);
  const mw = maskOp(mask, coils, h, w).forward(nz);
  for (let i = 0; i < b.length; i++) b[i] += 0.01 * mw[i];
  return { A, b, truth, mask, h, w, coils, maps };
}
