/**
 * g(x) = λ Σ |(W x)_i| over the detail coefficients of an orthogonal wavelet transform W. The coarsest
 * approximation block is left unpenalised (as in BART and SigPy's wavelet regularisers): it carries
 * the image's low-resolution content, which is not sparse, and shrinking it only biases the contrast.
 * W orthogonal ⇒ prox_{t g}(v) = Wᴴ soft(W v, tλ) exactly.
 */
import type { LinearOperator } from '../ops/linop';
import type { WaveletOperator } from '../ops/wavelet';
import { softThreshold } from './soft-threshold';
import type { ProxFunction } from './types';

/** 1 for penalised (detail) coefficients, 0 for the approximation block. */
export function detailWeights(W: WaveletOperator): Float32Array {
  const [h, w] = W.inShape;
  const weights = new Float32Array(h * w).fill(1);
  for (let y = 0; y < W.approx.height; y++) for (let x = 0; x < W.approx.width; x++) weights[y * w + x] = 0;
  // With zero levels W = I and there is no approximation band: penalise everything.
  if (W.levels === 0) weights.fill(1);
  return weights;
}

export function waveletL1(W: WaveletOperator, lambda: number): ProxFunction {
  if (!(lambda >= 0)) throw new RangeError(`lambda must be ≥ 0, got ${lambda}`);
  const weights = detailWeights(W);
  const coef = new Float32Array(2 * W.inShape[0] * W.inShape[1]);
  return {
    name: 'wavelet-l1',
    value(x) {
      W.forward(x, coef);
      return lambda * weightedL1(coef, weights);
    },
    prox(v, t, out) {
      W.forward(v, coef);
      softThreshold(coef, t * lambda, coef, weights);
      return W.adjoint(coef, out);
    },
  };
}

/**
 * g(x) = λ Σ_i w_i |(Ψ x)_i| for a Parseval frame Ψ (ΨᴴΨ = I, e.g. the cycle-spun wavelet frame), with
 * the APPROXIMATE prox Ψᴴ soft(Ψ v, tλw) — exact for an orthogonal Ψ, for a redundant frame the
 * classical cycle-spinning shrinkage (a denoiser averaging the shrinkage over the shifts). It lets FISTA
 * use the frame at the cost of one Ψ and one Ψᴴ per iteration; the fixed point is close to, but not
 * exactly, the minimiser of the frame-L1 problem (which ADMM solves exactly).
 */
export function frameL1Approx(Psi: LinearOperator, lambda: number, weights: Float32Array): ProxFunction {
  if (!(lambda >= 0)) throw new RangeError(`lambda must be ≥ 0, got ${lambda}`);
  const coef = new Float32Array(2 * Psi.outShape.reduce((a, b) => a * b, 1));
  if (weights.length * 2 !== coef.length) throw new RangeError('frameL1Approx: one weight per frame coefficient');
  return {
    name: 'frame-l1-approx',
    value(x) {
      Psi.forward(x, coef);
      return lambda * weightedL1(coef, weights);
    },
    prox(v, t, out) {
      Psi.forward(v, coef);
      softThreshold(coef, t * lambda, coef, weights);
      return Psi.adjoint(coef, out);
    },
  };
}

/** Σ w_p |c_p| over complex c (Math.sqrt: several times faster than Math.hypot). */
export function weightedL1(c: Float32Array, weights: Float32Array): number {
  let s = 0;
  for (let p = 0, i = 0; p < weights.length; p++, i += 2) {
    const wt = weights[p];
    if (wt) s += wt * Math.sqrt(c[i] * c[i] + c[i + 1] * c[i + 1]);
  }
  return s;
}
