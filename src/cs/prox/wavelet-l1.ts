/**
 * g(x) = λ Σ |(W x)_i| over the detail coefficients of an orthogonal wavelet transform W. The coarsest
 * approximation block is left unpenalised (as in BART and SigPy's wavelet regularisers): it carries
 * the image's low-resolution content, which is not sparse, and shrinking it only biases the contrast.
 * W orthogonal ⇒ prox_{t g}(v) = Wᴴ soft(W v, tλ) exactly.
 */
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
      let s = 0;
      for (let p = 0; p < weights.length; p++) if (weights[p]) s += Math.hypot(coef[2 * p], coef[2 * p + 1]);
      return lambda * s;
    },
    prox(v, t, out) {
      W.forward(v, coef);
      softThreshold(coef, t * lambda, coef, weights);
      return W.adjoint(coef, out);
    },
  };
}
