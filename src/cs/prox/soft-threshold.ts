/**
 * Complex soft-thresholding, the prox of t‖x‖₁ for complex x: shrinks each magnitude by t and keeps the
 * phase, soft(x, t) = x · max(0, 1 − t/|x|). Optional per-entry weights scale the threshold (weight 0
 * leaves an entry untouched; the wavelet regulariser uses it to spare the approximation band).
 */
import type { ProxFunction } from './types';

export function softThreshold(x: Float32Array, t: number, out?: Float32Array, weights?: Float32Array): Float32Array {
  if (!(t >= 0)) throw new RangeError(`softThreshold: threshold must be ≥ 0, got ${t}`);
  const o = out ?? new Float32Array(x.length);
  if (o.length !== x.length) throw new RangeError('softThreshold: out length mismatch');
  if (weights && weights.length * 2 !== x.length) throw new RangeError('softThreshold: weights need one entry per complex value');
  for (let i = 0, p = 0; i < x.length; i += 2, p++) {
    const tt = weights ? t * weights[p] : t;
    const re = x[i];
    const im = x[i + 1];
    const mag = Math.sqrt(re * re + im * im);
    const s = mag > tt ? 1 - tt / mag : 0;
    o[i] = re * s;
    o[i + 1] = im * s;
  }
  return o;
}

/** g(x) = λ Σ wᵢ |xᵢ| */
export function l1(lambda: number, weights?: Float32Array): ProxFunction {
  if (!(lambda >= 0)) throw new RangeError(`lambda must be ≥ 0, got ${lambda}`);
  return {
    name: 'l1',
    shrink: { lambda, components: 1, n: weights ? weights.length : 0, weights },
    value(x) {
      let s = 0;
      for (let i = 0, p = 0; i < x.length; i += 2, p++) {
        const wt = weights ? weights[p] : 1;
        if (wt) s += wt * Math.sqrt(x[i] * x[i] + x[i + 1] * x[i + 1]);
      }
      return lambda * s;
    },
    prox(v, t, out) {
      return softThreshold(v, t * lambda, out, weights);
    },
  };
}
