/**
 * Stockham autosort stages of a forward (e^{-2πi jk/n}) FFT over "lanes": the data is split re/im,
 * element j of lane l lives at j*L + l, and every butterfly runs across all L lanes in the innermost
 * loop. That keeps the inner loops contiguous whichever image axis is being transformed, and a twiddle
 * is loaded once per L butterflies instead of once per butterfly.
 *
 * Stage with radix p after ns points have been combined (ns = product of the earlier radices):
 * input (j + r·m) for r < p, m = n/p, j = q·ns + k, is twiddled by e^{-2πi k r/(ns p)}, transformed by a
 * p-point DFT and stored at q·ns·p + k + r·ns. Twiddles are tw[2((p-1)k + r-1) + {0,1}].
 * The inverse transform is not implemented here: callers conjugate on the way in and out.
 */

export type StageKernel = (
  xr: Float64Array,
  xi: Float64Array,
  yr: Float64Array,
  yi: Float64Array,
  n: number,
  ns: number,
  L: number,
  tw: Float64Array,
  p: number,
  trig: Float64Array,
  tmp: Float64Array,
) => void;

export function radix2(
  xr: Float64Array,
  xi: Float64Array,
  yr: Float64Array,
  yi: Float64Array,
  n: number,
  ns: number,
  L: number,
  tw: Float64Array,
): void {
  const m = n >> 1;
  const mL = m * L;
  const nsL = ns * L;
  const qn = m / ns;
  if (ns === 1) {
    for (let q = 0; q < qn; q++) {
      const i0 = q * L;
      const o0 = 2 * q * L;
      for (let l = 0; l < L; l++) {
        const a0r = xr[i0 + l],
          a0i = xi[i0 + l];
        const a1r = xr[i0 + mL + l],
          a1i = xi[i0 + mL + l];
        yr[o0 + l] = a0r + a1r;
        yi[o0 + l] = a0i + a1i;
        yr[o0 + L + l] = a0r - a1r;
        yi[o0 + L + l] = a0i - a1i;
      }
    }
    return;
  }
  for (let q = 0; q < qn; q++) {
    for (let k = 0; k < ns; k++) {
      const w1r = tw[2 * k],
        w1i = tw[2 * k + 1];
      const i0 = (q * ns + k) * L;
      const o0 = (q * ns * 2 + k) * L;
      for (let l = 0; l < L; l++) {
        const a0r = xr[i0 + l],
          a0i = xi[i0 + l];
        const br = xr[i0 + mL + l],
          bi = xi[i0 + mL + l];
        const a1r = br * w1r - bi * w1i,
          a1i = br * w1i + bi * w1r;
        yr[o0 + l] = a0r + a1r;
        yi[o0 + l] = a0i + a1i;
        yr[o0 + nsL + l] = a0r - a1r;
        yi[o0 + nsL + l] = a0i - a1i;
      }
    }
  }
}

export function radix3(
  xr: Float64Array,
  xi: Float64Array,
  yr: Float64Array,
  yi: Float64Array,
  n: number,
  ns: number,
  L: number,
  tw: Float64Array,
): void {
  const m = n / 3;
  const mL = m * L;
  const nsL = ns * L;
  const qn = m / ns;
  const s = Math.sqrt(3) / 2;
  for (let q = 0; q < qn; q++) {
    for (let k = 0; k < ns; k++) {
      const t = 4 * k;
      const w1r = tw[t],
        w1i = tw[t + 1],
        w2r = tw[t + 2],
        w2i = tw[t + 3];
      const i0 = (q * ns + k) * L;
      const i1 = i0 + mL,
        i2 = i1 + mL;
      const o0 = (q * ns * 3 + k) * L;
      const o1 = o0 + nsL,
        o2 = o1 + nsL;
      for (let l = 0; l < L; l++) {
        const a0r = xr[i0 + l],
          a0i = xi[i0 + l];
        const br = xr[i1 + l],
          bi = xi[i1 + l];
        const cr = xr[i2 + l],
          ci = xi[i2 + l];
        const a1r = br * w1r - bi * w1i,
          a1i = br * w1i + bi * w1r;
        const a2r = cr * w2r - ci * w2i,
          a2i = cr * w2i + ci * w2r;
        const sr = a1r + a2r,
          si = a1i + a2i;
        const dr = (a1r - a2r) * s,
          di = (a1i - a2i) * s;
        const mr = a0r - 0.5 * sr,
          mi = a0i - 0.5 * si;
        yr[o0 + l] = a0r + sr;
        yi[o0 + l] = a0i + si;
        yr[o1 + l] = mr + di;
        yi[o1 + l] = mi - dr;
        yr[o2 + l] = mr - di;
        yi[o2 + l] = mi + dr;
      }
    }
  }
}

export function radix4(
  xr: Float64Array,
  xi: Float64Array,
  yr: Float64Array,
  yi: Float64Array,
  n: number,
  ns: number,
  L: number,
  tw: Float64Array,
): void {
  const m = n >> 2;
  const mL = m * L;
  const nsL = ns * L;
  const qn = m / ns;
  if (ns === 1) {
    for (let q = 0; q < qn; q++) {
      const i0 = q * L;
      const i1 = i0 + mL,
        i2 = i1 + mL,
        i3 = i2 + mL;
      const o0 = 4 * q * L;
      const o1 = o0 + L,
        o2 = o1 + L,
        o3 = o2 + L;
      for (let l = 0; l < L; l++) {
        const a0r = xr[i0 + l],
          a0i = xi[i0 + l];
        const a1r = xr[i1 + l],
          a1i = xi[i1 + l];
        const a2r = xr[i2 + l],
          a2i = xi[i2 + l];
        const a3r = xr[i3 + l],
          a3i = xi[i3 + l];
        const t0r = a0r + a2r,
          t0i = a0i + a2i;
        const t1r = a0r - a2r,
          t1i = a0i - a2i;
        const t2r = a1r + a3r,
          t2i = a1i + a3i;
        const t3r = a1r - a3r,
          t3i = a1i - a3i;
        yr[o0 + l] = t0r + t2r;
        yi[o0 + l] = t0i + t2i;
        yr[o2 + l] = t0r - t2r;
        yi[o2 + l] = t0i - t2i;
        yr[o1 + l] = t1r + t3i;
        yi[o1 + l] = t1i - t3r;
        yr[o3 + l] = t1r - t3i;
        yi[o3 + l] = t1i + t3r;
      }
    }
    return;
  }
  for (let q = 0; q < qn; q++) {
    for (let k = 0; k < ns; k++) {
      const t = 6 * k;
      const w1r = tw[t],
        w1i = tw[t + 1],
        w2r = tw[t + 2],
        w2i = tw[t + 3],
        w3r = tw[t + 4],
        w3i = tw[t + 5];
      const i0 = (q * ns + k) * L;
      const i1 = i0 + mL,
        i2 = i1 + mL,
        i3 = i2 + mL;
      const o0 = (q * ns * 4 + k) * L;
      const o1 = o0 + nsL,
        o2 = o1 + nsL,
        o3 = o2 + nsL;
      for (let l = 0; l < L; l++) {
        const a0r = xr[i0 + l],
          a0i = xi[i0 + l];
        const br = xr[i1 + l],
          bi = xi[i1 + l];
        const cr = xr[i2 + l],
          ci = xi[i2 + l];
        const dr = xr[i3 + l],
          di = xi[i3 + l];
        const a1r = br * w1r - bi * w1i,
          a1i = br * w1i + bi * w1r;
        const a2r = cr * w2r - ci * w2i,
          a2i = cr * w2i + ci * w2r;
        const a3r = dr * w3r - di * w3i,
          a3i = dr * w3i + di * w3r;
        const t0r = a0r + a2r,
          t0i = a0i + a2i;
        const t1r = a0r - a2r,
          t1i = a0i - a2i;
        const t2r = a1r + a3r,
          t2i = a1i + a3i;
        const t3r = a1r - a3r,
          t3i = a1i - a3i;
        yr[o0 + l] = t0r + t2r;
        yi[o0 + l] = t0i + t2i;
        yr[o2 + l] = t0r - t2r;
        yi[o2 + l] = t0i - t2i;
        yr[o1 + l] = t1r + t3i;
        yi[o1 + l] = t1i - t3r;
        yr[o3 + l] = t1r - t3i;
        yi[o3 + l] = t1i + t3r;
      }
    }
  }
}

export function radix5(
  xr: Float64Array,
  xi: Float64Array,
  yr: Float64Array,
  yi: Float64Array,
  n: number,
  ns: number,
  L: number,
  tw: Float64Array,
): void {
  const m = n / 5;
  const mL = m * L;
  const nsL = ns * L;
  const qn = m / ns;
  const c1 = Math.cos((2 * Math.PI) / 5),
    c2 = Math.cos((4 * Math.PI) / 5);
  const s1 = Math.sin((2 * Math.PI) / 5),
    s2 = Math.sin((4 * Math.PI) / 5);
  for (let q = 0; q < qn; q++) {
    for (let k = 0; k < ns; k++) {
      const t = 8 * k;
      const w1r = tw[t],
        w1i = tw[t + 1],
        w2r = tw[t + 2],
        w2i = tw[t + 3];
      const w3r = tw[t + 4],
        w3i = tw[t + 5],
        w4r = tw[t + 6],
        w4i = tw[t + 7];
      const i0 = (q * ns + k) * L;
      const i1 = i0 + mL,
        i2 = i1 + mL,
        i3 = i2 + mL,
        i4 = i3 + mL;
      const o0 = (q * ns * 5 + k) * L;
      const o1 = o0 + nsL,
        o2 = o1 + nsL,
        o3 = o2 + nsL,
        o4 = o3 + nsL;
      for (let l = 0; l < L; l++) {
        const a0r = xr[i0 + l],
          a0i = xi[i0 + l];
        let vr = xr[i1 + l],
          vi = xi[i1 + l];
        const a1r = vr * w1r - vi * w1i,
          a1i = vr * w1i + vi * w1r;
        vr = xr[i2 + l];
        vi = xi[i2 + l];
        const a2r = vr * w2r - vi * w2i,
          a2i = vr * w2i + vi * w2r;
        vr = xr[i3 + l];
        vi = xi[i3 + l];
        const a3r = vr * w3r - vi * w3i,
          a3i = vr * w3i + vi * w3r;
        vr = xr[i4 + l];
        vi = xi[i4 + l];
        const a4r = vr * w4r - vi * w4i,
          a4i = vr * w4i + vi * w4r;
        const b1r = a1r + a4r,
          b1i = a1i + a4i,
          d1r = a1r - a4r,
          d1i = a1i - a4i;
        const b2r = a2r + a3r,
          b2i = a2i + a3i,
          d2r = a2r - a3r,
          d2i = a2i - a3i;
        const p1r = a0r + c1 * b1r + c2 * b2r,
          p1i = a0i + c1 * b1i + c2 * b2i;
        const p2r = a0r + c2 * b1r + c1 * b2r,
          p2i = a0i + c2 * b1i + c1 * b2i;
        const q1r = s1 * d1r + s2 * d2r,
          q1i = s1 * d1i + s2 * d2i;
        const q2r = s2 * d1r - s1 * d2r,
          q2i = s2 * d1i - s1 * d2i;
        yr[o0 + l] = a0r + b1r + b2r;
        yi[o0 + l] = a0i + b1i + b2i;
        // -i·q = (q_im, -q_re)
        yr[o1 + l] = p1r + q1i;
        yi[o1 + l] = p1i - q1r;
        yr[o4 + l] = p1r - q1i;
        yi[o4 + l] = p1i + q1r;
        yr[o2 + l] = p2r + q2i;
        yi[o2 + l] = p2i - q2r;
        yr[o3 + l] = p2r - q2i;
        yi[o3 + l] = p2i + q2r;
      }
    }
  }
}

/**
 * Any odd radix p, O(p²) per group but with the conjugate-pair symmetry (y_k and y_{p-k} share their
 * sums). trig[2((k-1)·h + r-1) + {0,1}] = cos, sin(2π k r/p) for k, r in 1..h = (p-1)/2; tmp needs
 * 4·p·L doubles (sums and differences of the twiddled inputs).
 */
export function radixOdd(
  xr: Float64Array,
  xi: Float64Array,
  yr: Float64Array,
  yi: Float64Array,
  n: number,
  ns: number,
  L: number,
  tw: Float64Array,
  p: number,
  trig: Float64Array,
  tmp: Float64Array,
): void {
  const m = n / p;
  const mL = m * L;
  const nsL = ns * L;
  const qn = m / ns;
  const half = (p - 1) >> 1;
  const pL = p * L;
  // tmp layout: [0, pL) b (sum) re, [pL, 2pL) b im, [2pL, 3pL) d (difference) re, [3pL, 4pL) d im; row r at r*L
  for (let q = 0; q < qn; q++) {
    for (let k = 0; k < ns; k++) {
      const i0 = (q * ns + k) * L;
      const o0 = (q * ns * p + k) * L;
      const twb = 2 * (p - 1) * k;
      for (let r = 1; r <= half; r++) {
        const wr = tw[twb + 2 * (r - 1)],
          wi = tw[twb + 2 * (r - 1) + 1];
        const r2 = p - r;
        const vr2 = tw[twb + 2 * (r2 - 1)],
          vi2 = tw[twb + 2 * (r2 - 1) + 1];
        const ia = i0 + r * mL,
          ib = i0 + r2 * mL;
        const tb = r * L;
        for (let l = 0; l < L; l++) {
          const ar = xr[ia + l],
            ai = xi[ia + l];
          const br = xr[ib + l],
            bi = xi[ib + l];
          const ur = ar * wr - ai * wi,
            ui = ar * wi + ai * wr;
          const zr = br * vr2 - bi * vi2,
            zi = br * vi2 + bi * vr2;
          tmp[tb + l] = ur + zr;
          tmp[pL + tb + l] = ui + zi;
          tmp[2 * pL + tb + l] = ur - zr;
          tmp[3 * pL + tb + l] = ui - zi;
        }
      }
      // y0 = a0 + Σ b_r
      for (let l = 0; l < L; l++) {
        let sr = xr[i0 + l],
          si = xi[i0 + l];
        for (let r = 1; r <= half; r++) {
          sr += tmp[r * L + l];
          si += tmp[pL + r * L + l];
        }
        yr[o0 + l] = sr;
        yi[o0 + l] = si;
      }
      // Outputs in pairs of k: each loaded sum/difference feeds both, halving the loads.
      for (let kk = 1; kk <= half; kk += 2) {
        const two = kk < half;
        const ta = 2 * (kk - 1) * half;
        const tb = two ? ta + 2 * half : ta;
        const oa = o0 + kk * nsL,
          ob = o0 + (p - kk) * nsL;
        const oc = o0 + (kk + 1) * nsL,
          od = o0 + (p - kk - 1) * nsL;
        for (let l = 0; l < L; l++) {
          const x0r = xr[i0 + l],
            x0i = xi[i0 + l];
          let pr = x0r,
            pi = x0i,
            qr = 0,
            qi = 0;
          let ur = x0r,
            ui = x0i,
            vr = 0,
            vi = 0;
          for (let r = 1, rl = L + l; r <= half; r++, rl += L) {
            const br = tmp[rl],
              bi = tmp[pL + rl],
              dr = tmp[2 * pL + rl],
              di = tmp[3 * pL + rl];
            const j = 2 * (r - 1);
            const c1 = trig[ta + j],
              s1 = trig[ta + j + 1];
            pr += c1 * br;
            pi += c1 * bi;
            qr += s1 * dr;
            qi += s1 * di;
            const c2 = trig[tb + j],
              s2 = trig[tb + j + 1];
            ur += c2 * br;
            ui += c2 * bi;
            vr += s2 * dr;
            vi += s2 * di;
          }
          // y_k = P - i Q, y_{p-k} = P + i Q
          yr[oa + l] = pr + qi;
          yi[oa + l] = pi - qr;
          yr[ob + l] = pr - qi;
          yi[ob + l] = pi + qr;
          if (two) {
            yr[oc + l] = ur + vi;
            yi[oc + l] = ui - vr;
            yr[od + l] = ur - vi;
            yi[od + l] = ui + vr;
          }
        }
      }
    }
  }
}

const R2 = Math.SQRT1_2;

export function radix8(
  xr: Float64Array,
  xi: Float64Array,
  yr: Float64Array,
  yi: Float64Array,
  n: number,
  ns: number,
  L: number,
  tw: Float64Array,
): void {
  const m = n >> 3;
  const mL = m * L;
  const nsL = ns * L;
  const qn = m / ns;
  const tw1 = ns > 1;
  let w1r = 1,
    w1i = 0,
    w2r = 1,
    w2i = 0,
    w3r = 1,
    w3i = 0,
    w4r = 1,
    w4i = 0,
    w5r = 1,
    w5i = 0,
    w6r = 1,
    w6i = 0,
    w7r = 1,
    w7i = 0;
  for (let q = 0; q < qn; q++) {
    for (let k = 0; k < ns; k++) {
      if (tw1) {
        const t = 14 * k;
        w1r = tw[t];
        w1i = tw[t + 1];
        w2r = tw[t + 2];
        w2i = tw[t + 3];
        w3r = tw[t + 4];
        w3i = tw[t + 5];
        w4r = tw[t + 6];
        w4i = tw[t + 7];
        w5r = tw[t + 8];
        w5i = tw[t + 9];
        w6r = tw[t + 10];
        w6i = tw[t + 11];
        w7r = tw[t + 12];
        w7i = tw[t + 13];
      }
      const i0 = (q * ns + k) * L;
      const o0 = (q * ns * 8 + k) * L;
      for (let l = 0; l < L; l++) {
        const j0 = i0 + l;
        const a0r = xr[j0],
          a0i = xi[j0];
        let vr = xr[j0 + mL],
          vi = xi[j0 + mL];
        const a1r = vr * w1r - vi * w1i,
          a1i = vr * w1i + vi * w1r;
        vr = xr[j0 + 2 * mL];
        vi = xi[j0 + 2 * mL];
        const a2r = vr * w2r - vi * w2i,
          a2i = vr * w2i + vi * w2r;
        vr = xr[j0 + 3 * mL];
        vi = xi[j0 + 3 * mL];
        const a3r = vr * w3r - vi * w3i,
          a3i = vr * w3i + vi * w3r;
        vr = xr[j0 + 4 * mL];
        vi = xi[j0 + 4 * mL];
        const a4r = vr * w4r - vi * w4i,
          a4i = vr * w4i + vi * w4r;
        vr = xr[j0 + 5 * mL];
        vi = xi[j0 + 5 * mL];
        const a5r = vr * w5r - vi * w5i,
          a5i = vr * w5i + vi * w5r;
        vr = xr[j0 + 6 * mL];
        vi = xi[j0 + 6 * mL];
        const a6r = vr * w6r - vi * w6i,
          a6i = vr * w6i + vi * w6r;
        vr = xr[j0 + 7 * mL];
        vi = xi[j0 + 7 * mL];
        const a7r = vr * w7r - vi * w7i,
          a7i = vr * w7i + vi * w7r;
        // even half: DFT4(a0, a2, a4, a6)
        const e0r = a0r + a4r,
          e0i = a0i + a4i,
          e1r = a0r - a4r,
          e1i = a0i - a4i;
        const e2r = a2r + a6r,
          e2i = a2i + a6i,
          e3r = a2r - a6r,
          e3i = a2i - a6i;
        const E0r = e0r + e2r,
          E0i = e0i + e2i,
          E2r = e0r - e2r,
          E2i = e0i - e2i;
        const E1r = e1r + e3i,
          E1i = e1i - e3r,
          E3r = e1r - e3i,
          E3i = e1i + e3r;
        // odd half: DFT4(a1, a3, a5, a7), then × W8^k
        const f0r = a1r + a5r,
          f0i = a1i + a5i,
          f1r = a1r - a5r,
          f1i = a1i - a5i;
        const f2r = a3r + a7r,
          f2i = a3i + a7i,
          f3r = a3r - a7r,
          f3i = a3i - a7i;
        const O0r = f0r + f2r,
          O0i = f0i + f2i;
        const O2r = f0i - f2i,
          O2i = f2r - f0r; // -i·(f0 - f2)
        const g1r = f1r + f3i,
          g1i = f1i - f3r;
        const g3r = f1r - f3i,
          g3i = f1i + f3r;
        const O1r = (g1r + g1i) * R2,
          O1i = (g1i - g1r) * R2;
        const O3r = (g3i - g3r) * R2,
          O3i = -(g3r + g3i) * R2;
        const d = o0 + l;
        yr[d] = E0r + O0r;
        yi[d] = E0i + O0i;
        yr[d + 4 * nsL] = E0r - O0r;
        yi[d + 4 * nsL] = E0i - O0i;
        yr[d + nsL] = E1r + O1r;
        yi[d + nsL] = E1i + O1i;
        yr[d + 5 * nsL] = E1r - O1r;
        yi[d + 5 * nsL] = E1i - O1i;
        yr[d + 2 * nsL] = E2r + O2r;
        yi[d + 2 * nsL] = E2i + O2i;
        yr[d + 6 * nsL] = E2r - O2r;
        yi[d + 6 * nsL] = E2i - O2i;
        yr[d + 3 * nsL] = E3r + O3r;
        yi[d + 3 * nsL] = E3i + O3i;
        yr[d + 7 * nsL] = E3r - O3r;
        yi[d + 7 * nsL] = E3i - O3i;
      }
    }
  }
}
