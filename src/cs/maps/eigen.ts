/**
 * Eigendecomposition of a dense complex Hermitian matrix by Householder tridiagonalisation and the
 * implicit QL algorithm (the LAPACK zheev / EISPACK htridi-tql2-htribk route), O(n³) with small
 * constants: for ESPIRiT's 288×288 calibration Gram matrix it is well over ten times faster than the
 * cyclic Jacobi of kspace/coils/linalg (which stays the choice for coil-sized matrices there).
 *
 *  1. A = Q T Qᴴ, T Hermitian tridiagonal, Q = H₀ H₁ … H_{n−3}, H_k = I − τ_k v_k v_kᴴ.
 *  2. T = D T' Dᴴ with D = diag(φ) unit phases making the off-diagonal real: T' real symmetric.
 *  3. T' = Z Λ Zᵀ by implicit-shift QL (tql2, as in EISPACK/JAMA).
 *  4. Eigenvectors Q D Z.
 * Same layout and contract as linalg.hermitianEigen: matrix n×n row-major interleaved complex Float64,
 * only the upper triangle read; values descending; column k of `vectors` is the k-th eigenvector.
 */
import type { HermitianEigen } from '../../kspace/coils/linalg';

export function hermitianEigenQL(matrix: Float64Array, n: number): HermitianEigen {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`n must be a positive integer, got ${n}`);
  if (matrix.length !== 2 * n * n) throw new RangeError(`matrix: length ${matrix.length}, need ${2 * n * n}`);
  // Full Hermitian copy from the upper triangle.
  const a = new Float64Array(2 * n * n);
  for (let i = 0; i < n; i++) {
    a[2 * (i * n + i)] = matrix[2 * (i * n + i)];
    for (let j = i + 1; j < n; j++) {
      const re = matrix[2 * (i * n + j)];
      const im = matrix[2 * (i * n + j) + 1];
      a[2 * (i * n + j)] = re;
      a[2 * (i * n + j) + 1] = im;
      a[2 * (j * n + i)] = re;
      a[2 * (j * n + i) + 1] = -im;
    }
  }

  // 1. Householder reduction. Reflector k acts on indices k+1 … n−1; v stored in vs[k] (length n, zeros
  // before k+1), τ in taus[k].
  const d = new Float64Array(n);
  const offRe = new Float64Array(n); // T[k+1, k], k < n−1
  const offIm = new Float64Array(n);
  const vs: Float64Array[] = [];
  const taus = new Float64Array(n);
  const p = new Float64Array(2 * n);
  for (let k = 0; k + 2 < n; k++) {
    const v = new Float64Array(2 * n);
    let norm2 = 0;
    for (let i = k + 1; i < n; i++) {
      const re = a[2 * (i * n + k)];
      const im = a[2 * (i * n + k) + 1];
      v[2 * i] = re;
      v[2 * i + 1] = im;
      norm2 += re * re + im * im;
    }
    const x0r = v[2 * (k + 1)];
    const x0i = v[2 * (k + 1) + 1];
    const x0 = Math.hypot(x0r, x0i);
    const nx = Math.sqrt(norm2);
    const tail = norm2 - x0 * x0;
    if (nx === 0 || tail <= 1e-300 * Math.max(norm2, 1e-300)) {
      // Already tridiagonal in this column.
      offRe[k] = x0r;
      offIm[k] = x0i;
      vs.push(v.fill(0));
      taus[k] = 0;
      continue;
    }
    // α = −e^{i arg x0}‖x‖; v = x − α e₁ (no cancellation: |v₀| = |x0| + ‖x‖).
    const pr = x0 > 0 ? x0r / x0 : 1;
    const pi = x0 > 0 ? x0i / x0 : 0;
    const alr = -pr * nx;
    const ali = -pi * nx;
    v[2 * (k + 1)] = x0r - alr;
    v[2 * (k + 1) + 1] = x0i - ali;
    let vv = 0;
    for (let i = k + 1; i < n; i++) vv += v[2 * i] ** 2 + v[2 * i + 1] ** 2;
    const tau = 2 / vv;
    offRe[k] = alr;
    offIm[k] = ali;
    // p = τ A₂₂ v on the trailing block.
    let vp = 0; // vᴴ p (real)
    for (let i = k + 1; i < n; i++) {
      let sr = 0;
      let si = 0;
      const row = 2 * i * n;
      for (let j = k + 1; j < n; j++) {
        const ar = a[row + 2 * j];
        const ai = a[row + 2 * j + 1];
        const br = v[2 * j];
        const bi = v[2 * j + 1];
        sr += ar * br - ai * bi;
        si += ar * bi + ai * br;
      }
      p[2 * i] = tau * sr;
      p[2 * i + 1] = tau * si;
      vp += v[2 * i] * p[2 * i] + v[2 * i + 1] * p[2 * i + 1];
    }
    // w = p − (τ/2)(vᴴp) v; A₂₂ ← A₂₂ − v wᴴ − w vᴴ.
    const kf = 0.5 * tau * vp;
    for (let i = k + 1; i < n; i++) {
      p[2 * i] -= kf * v[2 * i];
      p[2 * i + 1] -= kf * v[2 * i + 1];
    }
    for (let i = k + 1; i < n; i++) {
      const vir = v[2 * i];
      const vii = v[2 * i + 1];
      const wir = p[2 * i];
      const wii = p[2 * i + 1];
      const row = 2 * i * n;
      for (let j = k + 1; j < n; j++) {
        const vjr = v[2 * j];
        const vji = v[2 * j + 1];
        const wjr = p[2 * j];
        const wji = p[2 * j + 1];
        // v_i conj(w_j) + w_i conj(v_j)
        a[row + 2 * j] -= vir * wjr + vii * wji + wir * vjr + wii * vji;
        a[row + 2 * j + 1] -= vii * wjr - vir * wji + wii * vjr - wir * vji;
      }
    }
    vs.push(v);
    taus[k] = tau;
  }
  for (let i = 0; i < n; i++) d[i] = a[2 * (i * n + i)];
  if (n >= 2) {
    offRe[n - 2] = a[2 * ((n - 1) * n + n - 2)];
    offIm[n - 2] = a[2 * ((n - 1) * n + n - 2) + 1];
  }

  // 2. Phases φ making T' = Dᴴ T D real: φ₀ = 1, φ_{k+1} = φ_k · t_k / |t_k|, e'_k = |t_k|.
  const phr = new Float64Array(n);
  const phi = new Float64Array(n);
  const e = new Float64Array(n); // JAMA layout: e[i] = T'[i, i−1], e[0] = 0
  phr[0] = 1;
  for (let k = 0; k + 1 < n; k++) {
    const m = Math.hypot(offRe[k], offIm[k]);
    e[k + 1] = m;
    const ur = m > 0 ? offRe[k] / m : 1;
    const ui = m > 0 ? offIm[k] / m : 0;
    phr[k + 1] = phr[k] * ur - phi[k] * ui;
    phi[k + 1] = phr[k] * ui + phi[k] * ur;
  }

  // 3. QL on the real tridiagonal; zt row i = column i of Z.
  const zt = new Float64Array(n * n);
  for (let i = 0; i < n; i++) zt[i * n + i] = 1;
  tql2(n, d, e, zt);

  // 4. Eigenvectors: u = Q D z for each z (descending order).
  const order = Array.from({ length: n }, (_, i) => i).sort((x, y) => d[y] - d[x]);
  const values = Float64Array.from(order, (i) => d[i]);
  // U (n×n complex, row-major, column c = eigenvector c) = D Z, then apply H_k in reverse.
  const u = new Float64Array(2 * n * n);
  for (let c = 0; c < n; c++) {
    const zrow = order[c] * n;
    for (let r = 0; r < n; r++) {
      const z = zt[zrow + r];
      u[2 * (r * n + c)] = phr[r] * z;
      u[2 * (r * n + c) + 1] = phi[r] * z;
    }
  }
  const s = new Float64Array(2 * n);
  for (let k = vs.length - 1; k >= 0; k--) {
    const tau = taus[k];
    if (tau === 0) continue;
    const v = vs[k];
    // s = vᴴ U (row vector over columns), U ← U − τ v s.
    s.fill(0);
    for (let r = k + 1; r < n; r++) {
      const vr = v[2 * r];
      const vi = -v[2 * r + 1];
      const row = 2 * r * n;
      for (let c = 0; c < n; c++) {
        const ur = u[row + 2 * c];
        const ui = u[row + 2 * c + 1];
        s[2 * c] += vr * ur - vi * ui;
        s[2 * c + 1] += vr * ui + vi * ur;
      }
    }
    for (let r = k + 1; r < n; r++) {
      const vr = tau * v[2 * r];
      const vi = tau * v[2 * r + 1];
      const row = 2 * r * n;
      for (let c = 0; c < n; c++) {
        const sr = s[2 * c];
        const si = s[2 * c + 1];
        u[row + 2 * c] -= vr * sr - vi * si;
        u[row + 2 * c + 1] -= vr * si + vi * sr;
      }
    }
  }
  return { values, vectors: u };
}

/**
 * Implicit-shift QL for a real symmetric tridiagonal matrix (EISPACK tql2 as in JAMA): d the diagonal,
 * e[i] the sub-diagonal T[i, i−1] (e[0] unused). On return d holds the eigenvalues (unsorted) and row i
 * of zt the eigenvector of d[i] (zt enters as the identity, or any orthogonal matrix to accumulate into).
 */
function tql2(n: number, d: Float64Array, e: Float64Array, zt: Float64Array): void {
  for (let i = 1; i < n; i++) e[i - 1] = e[i];
  e[n - 1] = 0;
  let f = 0;
  let tst1 = 0;
  const eps = 2 ** -52;
  for (let l = 0; l < n; l++) {
    tst1 = Math.max(tst1, Math.abs(d[l]) + Math.abs(e[l]));
    let m = l;
    while (m < n - 1 && Math.abs(e[m]) > eps * tst1) m++;
    if (m > l) {
      let iter = 0;
      do {
        if (++iter > 60) break;
        let g = d[l];
        let p = (d[l + 1] - g) / (2 * e[l]);
        let r = Math.hypot(p, 1);
        if (p < 0) r = -r;
        d[l] = e[l] / (p + r);
        d[l + 1] = e[l] * (p + r);
        const dl1 = d[l + 1];
        let h = g - d[l];
        for (let i = l + 2; i < n; i++) d[i] -= h;
        f += h;
        p = d[m];
        let c = 1;
        let c2 = c;
        let c3 = c;
        const el1 = e[l + 1];
        let s = 0;
        let s2 = 0;
        for (let i = m - 1; i >= l; i--) {
          c3 = c2;
          c2 = c;
          s2 = s;
          g = c * e[i];
          h = c * p;
          r = Math.hypot(p, e[i]);
          e[i + 1] = s * r;
          s = e[i] / r;
          c = p / r;
          p = c * d[i] - s * g;
          d[i + 1] = h + s * (c * g + s * d[i]);
          // Rotate eigenvector rows i and i+1.
          const ri = i * n;
          const rj = (i + 1) * n;
          for (let k = 0; k < n; k++) {
            const zj = zt[rj + k];
            const zi = zt[ri + k];
            zt[rj + k] = s * zi + c * zj;
            zt[ri + k] = c * zi - s * zj;
          }
        }
        p = (-s * s2 * c3 * el1 * e[l]) / dl1;
        e[l] = s * p;
        d[l] = c * p;
      } while (Math.abs(e[l]) > eps * tst1);
    }
    d[l] += f;
    e[l] = 0;
  }
}
