/**
 * ESPIRiT coil sensitivities, one set of maps (like BART `ecalib -m1`; Uecker et al., MRM 2014).
 *
 *  1. Calibration region: the fully sampled centre, at most `calibrationSize`² (default 24, BART -r).
 *  2. Calibration matrix X: one row per k×k patch position, columns (coil, ky, kx); we form its Gram
 *     matrix XᴴX = V Σ² Vᴴ directly (k²C × k²C, 288² for 8 coils and k = 6) and decompose it by
 *     Householder tridiagonalisation + QL (maps/eigen; the patch count, ~285 for a 24×20 region, is no
 *     smaller, so the XXᴴ side would not help).
 *  3. Signal subspace: right singular vectors with σ_j ≥ threshold·σ_max (default 0.02, SigPy's value;
 *     BART's -t counts differently). The rest is the null space.
 *  4. Patch projection P = Σ_j conj(v_j) v_jᵀ, applied to every patch and averaged back, is a k-space
 *     convolution with kernels h_cc'(d) = k⁻² Σ_j Σ_t conj(v_j[c, t]) v_j[c', t − d]; in image space it
 *     is a per-pixel C×C Hermitian matrix G(r) = √N · ifft2c(h_cc')(r) (unitary convolution theorem).
 *  5. True coil images satisfy G(r) s(r) = s(r): the map is the eigenvector of G(r) with eigenvalue ≈ 1,
 *     found by power iteration started from the low-resolution coil images (stopping once it settles). Pixels whose top eigenvalue
 *     is below `crop` (default 0.8, BART -c) are outside the support and get zero maps.
 *  6. Phase: each pixel's vector is rotated so the low-resolution coil-combined image is real positive
 *     (maps then carry the smooth object phase, see normalize.alignPhase).
 * Maps are normalised, Σ_c |s_c|² = 1 on the support.
 */
import { ifft2c } from '../../kspace/fft2c';
import { hermitianEigenQL } from './eigen';
import type { SamplingMask } from '../ops/mask';
import { calibrationRegion } from './calibration';
import { lowresCoilImages } from './lowres';
import { alignPhase } from './normalize';

export interface EspiritOptions {
  calibrationSize?: number;
  kernelSize?: number;
  threshold?: number;
  crop?: number;
  /** per-pixel power iteration cap (default 20) */
  powerIterations?: number;
  /** stop a pixel's power iteration once its unit vector moves by less than this (default 1e-4) */
  powerTolerance?: number;
}

/** Gram matrix XᴴX of the calibration matrix, row-major complex Float64 (n = k²C). */
function calibrationGram(cal: Float64Array, coils: number, rows: number, cols: number, k: number): Float64Array {
  const n = k * k * coils;
  const G = new Float64Array(2 * n * n);
  const patch = new Float64Array(2 * n);
  for (let py = 0; py + k <= rows; py++)
    for (let px = 0; px + k <= cols; px++) {
      let j = 0;
      for (let c = 0; c < coils; c++)
        for (let ty = 0; ty < k; ty++)
          for (let tx = 0; tx < k; tx++, j++) {
            const i = 2 * ((c * rows + py + ty) * cols + px + tx);
            patch[2 * j] = cal[i];
            patch[2 * j + 1] = cal[i + 1];
          }
      // G += conj(patch) patchᵀ, upper triangle only (hermitianEigen reads it).
      for (let a = 0; a < n; a++) {
        const ar = patch[2 * a];
        const ai = -patch[2 * a + 1];
        if (ar === 0 && ai === 0) continue;
        const row = 2 * a * n;
        for (let b = a; b < n; b++) {
          const br = patch[2 * b];
          const bi = patch[2 * b + 1];
          G[row + 2 * b] += ar * br - ai * bi;
          G[row + 2 * b + 1] += ar * bi + ai * br;
        }
      }
    }
  return G;
}

export function espiritMaps(
  kspace: Float32Array,
  coils: number,
  h: number,
  w: number,
  mask: SamplingMask,
  options: EspiritOptions = {},
): Float32Array {
  const reg = calibrationRegion(mask, h, w, options.calibrationSize ?? 24);
  const k = Math.min(options.kernelSize ?? 6, reg.rows, reg.cols);
  if (k < 2 || reg.rows < 3 || reg.cols < 3)
    throw new RangeError('maps: the mask has no fully sampled centre large enough for ESPIRiT');
  const threshold = options.threshold ?? 0.02;
  const crop = options.crop ?? 0.8;
  const N = h * w;

  const cal = new Float64Array(2 * coils * reg.rows * reg.cols);
  for (let c = 0; c < coils; c++)
    for (let y = 0; y < reg.rows; y++)
      for (let x = 0; x < reg.cols; x++) {
        const src = 2 * (c * N + (reg.y0 + y) * w + reg.x0 + x);
        const dst = 2 * ((c * reg.rows + y) * reg.cols + x);
        cal[dst] = kspace[src];
        cal[dst + 1] = kspace[src + 1];
      }
  const n = k * k * coils;
  const eig = hermitianEigenQL(calibrationGram(cal, coils, reg.rows, reg.cols, k), n);
  const smax = Math.sqrt(Math.max(eig.values[0], 0));
  let kept = 0;
  while (kept < n && Math.sqrt(Math.max(eig.values[kept], 0)) >= threshold * smax) kept++;
  if (kept === 0 || smax === 0) throw new RangeError('maps: calibration region is empty');

  // Kernels h_cc'(d) on the (2k−1)² offset grid, d = t − t' with t, t' ∈ [0, k)².
  const K2 = 2 * k - 1;
  const hk = new Float64Array(2 * coils * coils * K2 * K2);
  const vec = (j: number, c: number, ty: number, tx: number) => 2 * (((c * k + ty) * k + tx) * n + j); // column j of V
  const V = eig.vectors;
  for (let j = 0; j < kept; j++)
    for (let c = 0; c < coils; c++)
      for (let c2 = c; c2 < coils; c2++)
        for (let ty = 0; ty < k; ty++)
          for (let tx = 0; tx < k; tx++) {
            const ia = vec(j, c, ty, tx);
            const ar = V[ia];
            const ai = -V[ia + 1];
            for (let sy = 0; sy < k; sy++)
              for (let sx = 0; sx < k; sx++) {
                const ib = vec(j, c2, sy, sx);
                const br = V[ib];
                const bi = V[ib + 1];
                const d = 2 * ((c * coils + c2) * K2 * K2 + (ty - sy + k - 1) * K2 + (tx - sx + k - 1));
                hk[d] += ar * br - ai * bi;
                hk[d + 1] += ar * bi + ai * br;
              }
          }

  // Per-pixel matrices G(r): the upper triangle (c ≤ c') stored pixel-major, [N][pairs], so each
  // pixel's power iteration reads one contiguous run.
  const scale = Math.sqrt(N) / (k * k);
  const pairs = (coils * (coils + 1)) >> 1;
  const Gp = new Float32Array(2 * pairs * N);
  const grid = new Float32Array(2 * N);
  const tmp = new Float32Array(2 * N);
  const cy = h >> 1;
  const cx = w >> 1;
  let pair = 0;
  for (let c = 0; c < coils; c++)
    for (let c2 = c; c2 < coils; c2++, pair++) {
      grid.fill(0);
      for (let dy = -(k - 1); dy <= k - 1; dy++)
        for (let dx = -(k - 1); dx <= k - 1; dx++) {
          const y = (((cy + dy) % h) + h) % h;
          const x = (((cx + dx) % w) + w) % w;
          const s = 2 * ((c * coils + c2) * K2 * K2 + (dy + k - 1) * K2 + (dx + k - 1));
          grid[2 * (y * w + x)] += hk[s] * scale;
          grid[2 * (y * w + x) + 1] += hk[s + 1] * scale;
        }
      ifft2c(grid, h, w, tmp);
      for (let p = 0, j = 2 * pair; p < N; p++, j += 2 * pairs) {
        Gp[j] = tmp[2 * p];
        Gp[j + 1] = tmp[2 * p + 1];
      }
    }

  // Per pixel: power iteration from the low-resolution coil vector (already close to the map), stopped
  // once the normalised vector moves by less than powerTolerance.
  const ref = lowresCoilImages(kspace, coils, h, w, mask, options.calibrationSize ?? 24);
  const maps = new Float32Array(2 * coils * N);
  const iters = options.powerIterations ?? 20;
  const tol2 = (options.powerTolerance ?? 1e-4) ** 2;
  const v = new Float64Array(2 * coils);
  const u = new Float64Array(2 * coils);
  for (let p = 0; p < N; p++) {
    let nv = 0;
    for (let c = 0; c < coils; c++) {
      v[2 * c] = ref[2 * (c * N + p)];
      v[2 * c + 1] = ref[2 * (c * N + p) + 1];
      nv += v[2 * c] ** 2 + v[2 * c + 1] ** 2;
    }
    if (nv === 0) continue;
    nv = Math.sqrt(nv);
    for (let i = 0; i < 2 * coils; i++) v[i] /= nv;
    let mu = 0;
    const base = 2 * p * pairs;
    for (let it = 0; it < iters; it++) {
      // u = G(p) v from the upper triangle, G[c', c] = conj(G[c, c']).
      u.fill(0);
      let j = base;
      for (let c = 0; c < coils; c++) {
        const vcr = v[2 * c];
        const vci = v[2 * c + 1];
        let ucr = u[2 * c] + Gp[j] * vcr - Gp[j + 1] * vci;
        let uci = u[2 * c + 1] + Gp[j] * vci + Gp[j + 1] * vcr;
        j += 2;
        for (let c2 = c + 1; c2 < coils; c2++, j += 2) {
          const gr = Gp[j];
          const gi = Gp[j + 1];
          const vr = v[2 * c2];
          const vi = v[2 * c2 + 1];
          ucr += gr * vr - gi * vi;
          uci += gr * vi + gi * vr;
          u[2 * c2] += gr * vcr + gi * vci;
          u[2 * c2 + 1] += gr * vci - gi * vcr;
        }
        u[2 * c] = ucr;
        u[2 * c + 1] = uci;
      }
      let nu = 0;
      for (let i = 0; i < 2 * coils; i++) nu += u[i] * u[i];
      mu = Math.sqrt(nu);
      if (mu === 0) break;
      let change = 0;
      for (let i = 0; i < 2 * coils; i++) {
        const t = u[i] / mu;
        change += (t - v[i]) ** 2;
        v[i] = t;
      }
      if (change < tol2) break;
    }
    if (mu < crop) continue;
    for (let c = 0; c < coils; c++) {
      maps[2 * (c * N + p)] = v[2 * c];
      maps[2 * (c * N + p) + 1] = v[2 * c + 1];
    }
  }
  alignPhase(maps, ref, coils, N);
  return maps;
}
