/**
 * Exact ADMM x-update for single-coil Cartesian data, A = M F (mask after centred unitary FFT), when KᴴK
 * is diagonal in the same Fourier basis: periodic finite differences (KᴴK = Fᴴ Λ F, Λ from
 * laplacianEigenvalues) or an orthogonal wavelet (KᴴK = I). Then
 *   (FᴴMF + ρKᴴK) x = FᴴMb + ρKᴴv   ⇔   x = Fᴴ[(M b + ρ F Kᴴ v) / (M + ρΛ)],
 * two FFTs per iteration instead of a CG loop, and A x = M·(the bracket) comes for free.
 */
import { fft2c, ifft2c } from '../../kspace/fft2c';
import type { LinearOperator } from '../ops/linop';
import type { XSolver } from './admm';

export function fourierXSolver(
  maskWeights: Uint8Array,
  b: Float32Array,
  h: number,
  w: number,
  K: LinearOperator,
  /** eigenvalues of KᴴK on the centred grid, or null when KᴴK = I */
  eigen: Float32Array | null,
): XSolver {
  const n = h * w;
  if (maskWeights.length !== n) throw new RangeError(`fourierXSolver: mask has ${maskWeights.length} entries, need ${n}`);
  if (b.length !== 2 * n) throw new RangeError(`fourierXSolver: b has length ${b.length}, need ${2 * n}`);
  if (eigen && eigen.length !== n) throw new RangeError('fourierXSolver: eigenvalue grid size mismatch');
  const kv = new Float32Array(2 * n);
  const spec = new Float32Array(2 * n);
  return {
    solve(v, rho, x, Ax) {
      K.adjoint(v, kv);
      fft2c(kv, h, w, spec);
      for (let p = 0; p < n; p++) {
        const m = maskWeights[p];
        const den = m + rho * (eigen ? eigen[p] : 1);
        const i = 2 * p;
        if (den === 0) {
          spec[i] = 0;
          spec[i + 1] = 0;
        } else {
          spec[i] = (m * b[i] + rho * spec[i]) / den;
          spec[i + 1] = (m * b[i + 1] + rho * spec[i + 1]) / den;
        }
        Ax[i] = m ? spec[i] : 0;
        Ax[i + 1] = m ? spec[i + 1] : 0;
      }
      ifft2c(spec, h, w, x);
    },
  };
}
