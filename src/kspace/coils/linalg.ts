import { assertLength, assertPositiveInt } from '../validate';

/**
 * Small dense complex linear algebra for coil-sized (≤ ~64) matrices. Matrices are n×n row-major,
 * interleaved complex Float64Array: element (i, j) at 2·(i·n + j).
 */

export interface HermitianEigen {
  /** Eigenvalues, descending. */
  values: Float64Array;
  /** Unitary matrix whose column k is the eigenvector of values[k]. */
  vectors: Float64Array;
}

const MAX_SWEEPS = 100;

/**
 * Eigendecomposition of a Hermitian matrix by cyclic complex Jacobi rotations. Jacobi rather
 * than tridiagonal QR: a few dozen lines, unconditionally stable and accurate to ~eps·‖A‖ for
 * the tiny coil covariance matrices this is used on. Only the upper triangle's Hermitian part
 * matters; the input is not modified.
 */
export function hermitianEigen(matrix: Float64Array, n: number): HermitianEigen {
  assertPositiveInt(n, 'n');
  assertLength(matrix, 2 * n * n, 'matrix');
  const a = new Float64Array(2 * n * n);
  // Symmetrise from the upper triangle so slightly non-Hermitian input (rounding) is harmless.
  let frob2 = 0;
  for (let i = 0; i < n; i++) {
    a[2 * (i * n + i)] = matrix[2 * (i * n + i)];
    frob2 += a[2 * (i * n + i)] ** 2;
    for (let j = i + 1; j < n; j++) {
      const re = matrix[2 * (i * n + j)];
      const im = matrix[2 * (i * n + j) + 1];
      a[2 * (i * n + j)] = re;
      a[2 * (i * n + j) + 1] = im;
      a[2 * (j * n + i)] = re;
      a[2 * (j * n + i) + 1] = -im;
      frob2 += 2 * (re * re + im * im);
    }
  }
  const v = new Float64Array(2 * n * n);
  for (let i = 0; i < n; i++) v[2 * (i * n + i)] = 1;
  // Rotating away an element this small moves eigenvalues by far less than their rounding error.
  const negligible = Number.EPSILON * 1e-3 * Math.sqrt(frob2);

  for (let sweep = 0; sweep < MAX_SWEEPS; sweep++) {
    let rotated = false;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        const gr = a[2 * (p * n + q)];
        const gi = a[2 * (p * n + q) + 1];
        const g = Math.hypot(gr, gi);
        if (!(g > negligible)) continue;
        rotated = true;
        const alpha = a[2 * (p * n + p)];
        const beta = a[2 * (q * n + q)];
        // Real Jacobi rotation on the phase-corrected pair (Numerical Recipes' jacobi):
        // J = diag(1, e^{-iφ}) · [[c, s], [−s, c]] with γ = a_pq = g·e^{iφ}.
        const theta = (beta - alpha) / (2 * g);
        const t =
          Math.abs(theta) > 1e150 ? 1 / (2 * theta) : (theta >= 0 ? 1 : -1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        const er = gr / g; // e^{-iφ} = conj(γ)/g
        const ei = -gi / g;
        // J entries: jpp = c, jpq = s, jqp = −s·e, jqq = c·e
        const jqpR = -s * er;
        const jqpI = -s * ei;
        const jqqR = c * er;
        const jqqI = c * ei;
        // A ← A·J and V ← V·J (columns p, q)
        for (const m of [a, v]) {
          for (let k = 0; k < n; k++) {
            const ip = 2 * (k * n + p);
            const iq = 2 * (k * n + q);
            const xr = m[ip];
            const xi = m[ip + 1];
            const yr = m[iq];
            const yi = m[iq + 1];
            m[ip] = xr * c + (yr * jqpR - yi * jqpI);
            m[ip + 1] = xi * c + (yr * jqpI + yi * jqpR);
            m[iq] = xr * s + (yr * jqqR - yi * jqqI);
            m[iq + 1] = xi * s + (yr * jqqI + yi * jqqR);
          }
        }
        // A ← Jᴴ·A (rows p, q)
        for (let k = 0; k < n; k++) {
          const ip = 2 * (p * n + k);
          const iq = 2 * (q * n + k);
          const xr = a[ip];
          const xi = a[ip + 1];
          const yr = a[iq];
          const yi = a[iq + 1];
          // conj(jqp) = (jqpR, −jqpI), conj(jqq) = (jqqR, −jqqI)
          a[ip] = c * xr + (jqpR * yr + jqpI * yi);
          a[ip + 1] = c * xi + (jqpR * yi - jqpI * yr);
          a[iq] = s * xr + (jqqR * yr + jqqI * yi);
          a[iq + 1] = s * xi + (jqqR * yi - jqqI * yr);
        }
        // The rotation's purpose and its exact effect on the pivot entries.
        a[2 * (p * n + p)] = alpha - t * g;
        a[2 * (q * n + q)] = beta + t * g;
        a[2 * (p * n + p) + 1] = 0;
        a[2 * (q * n + q) + 1] = 0;
        a[2 * (p * n + q)] = 0;
        a[2 * (p * n + q) + 1] = 0;
        a[2 * (q * n + p)] = 0;
        a[2 * (q * n + p) + 1] = 0;
      }
    }
    if (!rotated) break;
  }

  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => a[2 * (j * n + j)] - a[2 * (i * n + i)]);
  const values = new Float64Array(n);
  const vectors = new Float64Array(2 * n * n);
  order.forEach((src, k) => {
    values[k] = a[2 * (src * n + src)];
    for (let i = 0; i < n; i++) {
      vectors[2 * (i * n + k)] = v[2 * (i * n + src)];
      vectors[2 * (i * n + k) + 1] = v[2 * (i * n + src) + 1];
    }
  });
  return { values, vectors };
}
