/*
 * WebAssembly SIMD (simd128) kernel for the centred orthonormal 2-D FFTs of src/kspace/fft2c.ts.
 * Built by scripts/build-wasm.sh into assets/wasm/fft.wasm; driven by src/kspace/fft/wasm.ts, which owns
 * the memory layout (plans, scratch, image buffers) and computes every twiddle in float64.
 *
 * A 2-D transform runs the column pass first, skipping all-zero columns (undersampled k-space), then
 * the row pass; for a zero-filled reconstruction the row pass adds |·|² to an accumulator instead of
 * storing the coil image.
 *
 * Data layout. A pass gathers a block of L = 4·G lines (rows or columns) of the interleaved complex
 * float32 image into a split "lane" scratch: element j of the 1-D transform, lane group g (4 lines) is
 * the pair of f32x4 vectors X[(j·G + g)·2 + {0: re, 1: im}]. Every butterfly then works on whole
 * vectors, 4 independent transforms at a time, with no shuffles. The gather applies ifftshift (source
 * index s goes to slot (s − ⌊n/2⌋) mod n), the scatter applies fftshift (output k goes to position
 * (k + ⌊n/2⌋) mod n) and the scale; for the inverse both swap re and im (ifft(x) = swap(fft(swap(x)))/n).
 *
 * Stockham stage with radix p after ns points have been combined (same convention as radix.ts):
 * inputs (j + r·m), r < p, m = n/p, j = q·ns + k, are twiddled by e^{−2πi k r/(ns p)}, transformed by a
 * p-point DFT and stored at q·ns·p + k + r·ns. Twiddles tw[2((p−1)k + r−1) + {0: cos, 1: sin}].
 *
 * A plan (written by wasm.ts) is int32 [stages, then per stage: p, ns, tw pointer, trig pointer]; trig, for
 * the generic odd-prime stage, holds (cos, sin) of 2π·(k·r mod p)/p at 2((k−1)·half + r−1), k, r = 1…half.
 */
#include <stdint.h>

typedef float f4 __attribute__((vector_size(16)));
typedef float f4u __attribute__((vector_size(16), aligned(4)));

#define EXPORT(name) __attribute__((export_name(name)))
#define INLINE static inline __attribute__((always_inline))
#define SHUF __builtin_shufflevector

/** Largest prime handled by the generic stage; the TS side sends nothing larger. */
#define MAXP 127
#define MAXH ((MAXP - 1) / 2)

INLINE f4 splat(float v) { return (f4){v, v, v, v}; }
INLINE f4 ldu(const float *p) { return *(const f4u *)p; }
INLINE void stu(float *p, f4 v) { *(f4u *)p = v; }

/* (ar + i·ai)·(wr + i·wi) with scalar twiddles already splatted */
#define CMUL(ar, ai, wr, wi, outr, outi) \
  do {                                    \
    f4 _r = (ar) * (wr) - (ai) * (wi);    \
    f4 _i = (ar) * (wi) + (ai) * (wr);    \
    (outr) = _r;                          \
    (outi) = _i;                          \
  } while (0)

/* ------------------------------------------------------------------------------------------------ */
/* Stages. x → y, E = 2G vectors per element.                                                        */

INLINE void r2_body(const f4 *restrict x, f4 *restrict y, int n, int ns, int G, const float *tw, const int twid) {
  const int E = 2 * G, m = n / 2, mE = m * E, nsE = ns * E, qn = m / ns;
  for (int q = 0; q < qn; q++) {
    for (int k = 0; k < ns; k++) {
      const f4 *i0 = x + (q * ns + k) * E;
      f4 *o0 = y + (q * ns * 2 + k) * E;
      f4 w1r, w1i;
      if (twid) {
        w1r = splat(tw[2 * k]);
        w1i = splat(tw[2 * k + 1]);
      }
      for (int g = 0; g < E; g += 2) {
        f4 ar = i0[g], ai = i0[g + 1], br = i0[mE + g], bi = i0[mE + g + 1];
        if (twid) CMUL(br, bi, w1r, w1i, br, bi);
        o0[g] = ar + br;
        o0[g + 1] = ai + bi;
        o0[nsE + g] = ar - br;
        o0[nsE + g + 1] = ai - bi;
      }
    }
  }
}

static void r2(const f4 *restrict x, f4 *restrict y, int n, int ns, int G, const float *tw) {
  if (ns == 1) r2_body(x, y, n, 1, G, tw, 0);
  else r2_body(x, y, n, ns, G, tw, 1);
}

INLINE void r3_body(const f4 *restrict x, f4 *restrict y, int n, int ns, int G, const float *tw, const int twid) {
  const int E = 2 * G, m = n / 3, mE = m * E, nsE = ns * E, qn = m / ns;
  const f4 h = splat(0.5f), s3 = splat(0.86602540378443864676f);
  for (int q = 0; q < qn; q++) {
    for (int k = 0; k < ns; k++) {
      const f4 *i0 = x + (q * ns + k) * E;
      f4 *o0 = y + (q * ns * 3 + k) * E;
      f4 w1r, w1i, w2r, w2i;
      if (twid) {
        const float *t = tw + 4 * k;
        w1r = splat(t[0]), w1i = splat(t[1]), w2r = splat(t[2]), w2i = splat(t[3]);
      }
      for (int g = 0; g < E; g += 2) {
        f4 a0r = i0[g], a0i = i0[g + 1];
        f4 a1r = i0[mE + g], a1i = i0[mE + g + 1];
        f4 a2r = i0[2 * mE + g], a2i = i0[2 * mE + g + 1];
        if (twid) {
          CMUL(a1r, a1i, w1r, w1i, a1r, a1i);
          CMUL(a2r, a2i, w2r, w2i, a2r, a2i);
        }
        f4 sr = a1r + a2r, si = a1i + a2i;
        f4 dr = (a1r - a2r) * s3, di = (a1i - a2i) * s3;
        f4 mr = a0r - h * sr, mi = a0i - h * si;
        o0[g] = a0r + sr;
        o0[g + 1] = a0i + si;
        o0[nsE + g] = mr + di;
        o0[nsE + g + 1] = mi - dr;
        o0[2 * nsE + g] = mr - di;
        o0[2 * nsE + g + 1] = mi + dr;
      }
    }
  }
}

static void r3(const f4 *restrict x, f4 *restrict y, int n, int ns, int G, const float *tw) {
  if (ns == 1) r3_body(x, y, n, 1, G, tw, 0);
  else r3_body(x, y, n, ns, G, tw, 1);
}

INLINE void r4_body(const f4 *restrict x, f4 *restrict y, int n, int ns, int G, const float *tw, const int twid) {
  const int E = 2 * G, m = n / 4, mE = m * E, nsE = ns * E, qn = m / ns;
  for (int q = 0; q < qn; q++) {
    for (int k = 0; k < ns; k++) {
      const f4 *i0 = x + (q * ns + k) * E;
      f4 *o0 = y + (q * ns * 4 + k) * E;
      f4 w1r, w1i, w2r, w2i, w3r, w3i;
      if (twid) {
        const float *t = tw + 6 * k;
        w1r = splat(t[0]), w1i = splat(t[1]), w2r = splat(t[2]), w2i = splat(t[3]), w3r = splat(t[4]), w3i = splat(t[5]);
      }
      for (int g = 0; g < E; g += 2) {
        f4 a0r = i0[g], a0i = i0[g + 1];
        f4 a1r = i0[mE + g], a1i = i0[mE + g + 1];
        f4 a2r = i0[2 * mE + g], a2i = i0[2 * mE + g + 1];
        f4 a3r = i0[3 * mE + g], a3i = i0[3 * mE + g + 1];
        if (twid) {
          CMUL(a1r, a1i, w1r, w1i, a1r, a1i);
          CMUL(a2r, a2i, w2r, w2i, a2r, a2i);
          CMUL(a3r, a3i, w3r, w3i, a3r, a3i);
        }
        f4 t0r = a0r + a2r, t0i = a0i + a2i;
        f4 t1r = a0r - a2r, t1i = a0i - a2i;
        f4 t2r = a1r + a3r, t2i = a1i + a3i;
        f4 t3r = a1r - a3r, t3i = a1i - a3i;
        o0[g] = t0r + t2r;
        o0[g + 1] = t0i + t2i;
        o0[2 * nsE + g] = t0r - t2r;
        o0[2 * nsE + g + 1] = t0i - t2i;
        o0[nsE + g] = t1r + t3i;
        o0[nsE + g + 1] = t1i - t3r;
        o0[3 * nsE + g] = t1r - t3i;
        o0[3 * nsE + g + 1] = t1i + t3r;
      }
    }
  }
}

static void r4(const f4 *restrict x, f4 *restrict y, int n, int ns, int G, const float *tw) {
  if (ns == 1) r4_body(x, y, n, 1, G, tw, 0);
  else r4_body(x, y, n, ns, G, tw, 1);
}

INLINE void r5_body(const f4 *restrict x, f4 *restrict y, int n, int ns, int G, const float *tw, const int twid) {
  const int E = 2 * G, m = n / 5, mE = m * E, nsE = ns * E, qn = m / ns;
  const f4 c1 = splat(0.30901699437494742410f), c2 = splat(-0.80901699437494742410f);
  const f4 s1 = splat(0.95105651629515357212f), s2 = splat(0.58778525229247312917f);
  for (int q = 0; q < qn; q++) {
    for (int k = 0; k < ns; k++) {
      const f4 *i0 = x + (q * ns + k) * E;
      f4 *o0 = y + (q * ns * 5 + k) * E;
      f4 w1r, w1i, w2r, w2i, w3r, w3i, w4r, w4i;
      if (twid) {
        const float *t = tw + 8 * k;
        w1r = splat(t[0]), w1i = splat(t[1]), w2r = splat(t[2]), w2i = splat(t[3]);
        w3r = splat(t[4]), w3i = splat(t[5]), w4r = splat(t[6]), w4i = splat(t[7]);
      }
      for (int g = 0; g < E; g += 2) {
        f4 a0r = i0[g], a0i = i0[g + 1];
        f4 a1r = i0[mE + g], a1i = i0[mE + g + 1];
        f4 a2r = i0[2 * mE + g], a2i = i0[2 * mE + g + 1];
        f4 a3r = i0[3 * mE + g], a3i = i0[3 * mE + g + 1];
        f4 a4r = i0[4 * mE + g], a4i = i0[4 * mE + g + 1];
        if (twid) {
          CMUL(a1r, a1i, w1r, w1i, a1r, a1i);
          CMUL(a2r, a2i, w2r, w2i, a2r, a2i);
          CMUL(a3r, a3i, w3r, w3i, a3r, a3i);
          CMUL(a4r, a4i, w4r, w4i, a4r, a4i);
        }
        f4 b1r = a1r + a4r, b1i = a1i + a4i, d1r = a1r - a4r, d1i = a1i - a4i;
        f4 b2r = a2r + a3r, b2i = a2i + a3i, d2r = a2r - a3r, d2i = a2i - a3i;
        f4 A1r = a0r + c1 * b1r + c2 * b2r, A1i = a0i + c1 * b1i + c2 * b2i;
        f4 A2r = a0r + c2 * b1r + c1 * b2r, A2i = a0i + c2 * b1i + c1 * b2i;
        f4 B1r = s1 * d1r + s2 * d2r, B1i = s1 * d1i + s2 * d2i;
        f4 B2r = s2 * d1r - s1 * d2r, B2i = s2 * d1i - s1 * d2i;
        o0[g] = a0r + b1r + b2r;
        o0[g + 1] = a0i + b1i + b2i;
        o0[nsE + g] = A1r + B1i;
        o0[nsE + g + 1] = A1i - B1r;
        o0[4 * nsE + g] = A1r - B1i;
        o0[4 * nsE + g + 1] = A1i + B1r;
        o0[2 * nsE + g] = A2r + B2i;
        o0[2 * nsE + g + 1] = A2i - B2r;
        o0[3 * nsE + g] = A2r - B2i;
        o0[3 * nsE + g + 1] = A2i + B2r;
      }
    }
  }
}

static void r5(const f4 *restrict x, f4 *restrict y, int n, int ns, int G, const float *tw) {
  if (ns == 1) r5_body(x, y, n, 1, G, tw, 0);
  else r5_body(x, y, n, ns, G, tw, 1);
}

INLINE void r8_body(const f4 *restrict x, f4 *restrict y, int n, int ns, int G, const float *tw, const int twid) {
  const int E = 2 * G, m = n / 8, mE = m * E, nsE = ns * E, qn = m / ns;
  const f4 r2 = splat(0.70710678118654752440f);
  for (int q = 0; q < qn; q++) {
    for (int k = 0; k < ns; k++) {
      const f4 *i0 = x + (q * ns + k) * E;
      f4 *o0 = y + (q * ns * 8 + k) * E;
      const float *t = tw + 14 * k;
      for (int g = 0; g < E; g += 2) {
        f4 a0r = i0[g], a0i = i0[g + 1];
        f4 a1r = i0[mE + g], a1i = i0[mE + g + 1];
        f4 a2r = i0[2 * mE + g], a2i = i0[2 * mE + g + 1];
        f4 a3r = i0[3 * mE + g], a3i = i0[3 * mE + g + 1];
        f4 a4r = i0[4 * mE + g], a4i = i0[4 * mE + g + 1];
        f4 a5r = i0[5 * mE + g], a5i = i0[5 * mE + g + 1];
        f4 a6r = i0[6 * mE + g], a6i = i0[6 * mE + g + 1];
        f4 a7r = i0[7 * mE + g], a7i = i0[7 * mE + g + 1];
        if (twid) {
          CMUL(a1r, a1i, splat(t[0]), splat(t[1]), a1r, a1i);
          CMUL(a2r, a2i, splat(t[2]), splat(t[3]), a2r, a2i);
          CMUL(a3r, a3i, splat(t[4]), splat(t[5]), a3r, a3i);
          CMUL(a4r, a4i, splat(t[6]), splat(t[7]), a4r, a4i);
          CMUL(a5r, a5i, splat(t[8]), splat(t[9]), a5r, a5i);
          CMUL(a6r, a6i, splat(t[10]), splat(t[11]), a6r, a6i);
          CMUL(a7r, a7i, splat(t[12]), splat(t[13]), a7r, a7i);
        }
        /* radix-2 across the halves */
        f4 b0r = a0r + a4r, b0i = a0i + a4i, c0r = a0r - a4r, c0i = a0i - a4i;
        f4 b1r = a1r + a5r, b1i = a1i + a5i, c1r = a1r - a5r, c1i = a1i - a5i;
        f4 b2r = a2r + a6r, b2i = a2i + a6i, c2r = a2r - a6r, c2i = a2i - a6i;
        f4 b3r = a3r + a7r, b3i = a3i + a7i, c3r = a3r - a7r, c3i = a3i - a7i;
        /* c_j · W8^j: W8 = (1 − i)/√2, W8² = −i, W8³ = −(1 + i)/√2 */
        f4 e1r = (c1r + c1i) * r2, e1i = (c1i - c1r) * r2;
        f4 e2r = c2i, e2i = -c2r;
        f4 e3r = (c3i - c3r) * r2, e3i = -(c3r + c3i) * r2;
        /* 4-point DFTs: b → even outputs, (c0, e1, e2, e3) → odd outputs */
        f4 t0r = b0r + b2r, t0i = b0i + b2i, t1r = b0r - b2r, t1i = b0i - b2i;
        f4 t2r = b1r + b3r, t2i = b1i + b3i, t3r = b1r - b3r, t3i = b1i - b3i;
        o0[g] = t0r + t2r;
        o0[g + 1] = t0i + t2i;
        o0[4 * nsE + g] = t0r - t2r;
        o0[4 * nsE + g + 1] = t0i - t2i;
        o0[2 * nsE + g] = t1r + t3i;
        o0[2 * nsE + g + 1] = t1i - t3r;
        o0[6 * nsE + g] = t1r - t3i;
        o0[6 * nsE + g + 1] = t1i + t3r;
        f4 u0r = c0r + e2r, u0i = c0i + e2i, u1r = c0r - e2r, u1i = c0i - e2i;
        f4 u2r = e1r + e3r, u2i = e1i + e3i, u3r = e1r - e3r, u3i = e1i - e3i;
        o0[nsE + g] = u0r + u2r;
        o0[nsE + g + 1] = u0i + u2i;
        o0[5 * nsE + g] = u0r - u2r;
        o0[5 * nsE + g + 1] = u0i - u2i;
        o0[3 * nsE + g] = u1r + u3i;
        o0[3 * nsE + g + 1] = u1i - u3r;
        o0[7 * nsE + g] = u1r - u3i;
        o0[7 * nsE + g + 1] = u1i + u3r;
      }
    }
  }
}

static void r8(const f4 *restrict x, f4 *restrict y, int n, int ns, int G, const float *tw) {
  if (ns == 1) r8_body(x, y, n, 1, G, tw, 0);
  else r8_body(x, y, n, ns, G, tw, 1);
}

/*
 * Generic odd p: with s_r = a_r + a_{p−r}, d_r = a_r − a_{p−r} (r = 1…(p−1)/2),
 * y_k = A_k − i B_k and y_{p−k} = A_k + i B_k where A_k = a_0 + Σ cos(2πkr/p) s_r, B_k = Σ sin(2πkr/p) d_r.
 * Outputs are formed two k at a time so each loaded s_r, d_r feeds both.
 */
static void rodd(const f4 *restrict x, f4 *restrict y, int n, int ns, int G, int p, const float *tw, const float *trig) {
  const int E = 2 * G, m = n / p, mE = m * E, nsE = ns * E, qn = m / ns, half = (p - 1) / 2;
  f4 sr[MAXH + 1], si[MAXH + 1], dr[MAXH + 1], di[MAXH + 1];
  for (int q = 0; q < qn; q++) {
    for (int k = 0; k < ns; k++) {
      const f4 *i0 = x + (q * ns + k) * E;
      f4 *o0 = y + (q * ns * p + k) * E;
      const float *t = tw + 2 * (p - 1) * k;
      for (int g = 0; g < E; g += 2) {
        const f4 x0r = i0[g], x0i = i0[g + 1];
        f4 y0r = x0r, y0i = x0i;
        for (int r = 1; r <= half; r++) {
          const int r2 = p - r;
          f4 ar = i0[r * mE + g], ai = i0[r * mE + g + 1];
          f4 br = i0[r2 * mE + g], bi = i0[r2 * mE + g + 1];
          if (ns > 1) {
            CMUL(ar, ai, splat(t[2 * (r - 1)]), splat(t[2 * (r - 1) + 1]), ar, ai);
            CMUL(br, bi, splat(t[2 * (r2 - 1)]), splat(t[2 * (r2 - 1) + 1]), br, bi);
          }
          sr[r] = ar + br;
          si[r] = ai + bi;
          dr[r] = ar - br;
          di[r] = ai - bi;
          y0r += sr[r];
          y0i += si[r];
        }
        o0[g] = y0r;
        o0[g + 1] = y0i;
        int kk = 1;
        for (; kk + 1 <= half; kk += 2) {
          const float *ta = trig + 2 * (kk - 1) * half, *tb = ta + 2 * half;
          f4 Ar = x0r, Ai = x0i, Br = splat(0), Bi = splat(0);
          f4 Cr = x0r, Ci = x0i, Dr = splat(0), Di = splat(0);
          for (int r = 1; r <= half; r++) {
            const f4 ca = splat(ta[2 * r - 2]), sa = splat(ta[2 * r - 1]);
            const f4 cb = splat(tb[2 * r - 2]), sb = splat(tb[2 * r - 1]);
            const f4 vsr = sr[r], vsi = si[r], vdr = dr[r], vdi = di[r];
            Ar += ca * vsr;
            Ai += ca * vsi;
            Br += sa * vdr;
            Bi += sa * vdi;
            Cr += cb * vsr;
            Ci += cb * vsi;
            Dr += sb * vdr;
            Di += sb * vdi;
          }
          o0[kk * nsE + g] = Ar + Bi;
          o0[kk * nsE + g + 1] = Ai - Br;
          o0[(p - kk) * nsE + g] = Ar - Bi;
          o0[(p - kk) * nsE + g + 1] = Ai + Br;
          o0[(kk + 1) * nsE + g] = Cr + Di;
          o0[(kk + 1) * nsE + g + 1] = Ci - Dr;
          o0[(p - kk - 1) * nsE + g] = Cr - Di;
          o0[(p - kk - 1) * nsE + g + 1] = Ci + Dr;
        }
        if (kk <= half) {
          const float *ta = trig + 2 * (kk - 1) * half;
          f4 Ar = x0r, Ai = x0i, Br = splat(0), Bi = splat(0);
          for (int r = 1; r <= half; r++) {
            const f4 ca = splat(ta[2 * r - 2]), sa = splat(ta[2 * r - 1]);
            Ar += ca * sr[r];
            Ai += ca * si[r];
            Br += sa * dr[r];
            Bi += sa * di[r];
          }
          o0[kk * nsE + g] = Ar + Bi;
          o0[kk * nsE + g + 1] = Ai - Br;
          o0[(p - kk) * nsE + g] = Ar - Bi;
          o0[(p - kk) * nsE + g + 1] = Ai + Br;
        }
      }
    }
  }
}

/** Runs every stage of plan on the lanes in a (b is scratch); returns the buffer holding the result. */
static f4 *run_stages(const int32_t *plan, int n, f4 *a, f4 *b, int G) {
  const int count = plan[0];
  for (int s = 0; s < count; s++) {
    const int32_t *st = plan + 1 + 4 * s;
    const int p = st[0], ns = st[1];
    const float *tw = (const float *)(uintptr_t)st[2];
    const float *trig = (const float *)(uintptr_t)st[3];
    switch (p) {
      case 2: r2(a, b, n, ns, G, tw); break;
      case 3: r3(a, b, n, ns, G, tw); break;
      case 4: r4(a, b, n, ns, G, tw); break;
      case 5: r5(a, b, n, ns, G, tw); break;
      case 8: r8(a, b, n, ns, G, tw); break;
      default: rodd(a, b, n, ns, G, p, tw, trig); break;
    }
    f4 *t = a;
    a = b;
    b = t;
  }
  return a;
}

/* ------------------------------------------------------------------------------------------------ */
/* Gathers and scatters.                                                                              */

INLINE int wrap(int v, int n) { return v < 0 ? v + n : v >= n ? v - n : v; }

/** Lane l of element j in a block of G groups, as a float index: ((j·G + l/4)·2 + part)·4 + l%4. */
INLINE int lane(int j, int G, int l, int part) { return ((j * G + (l >> 2)) * 2 + part) * 4 + (l & 3); }

/*
 * Row pass: lines are the rows y0 … y0+4G−1 of the h×w image (row stride 2w floats), n = w.
 * acc (scatter): instead of storing the result, add |·|² of it to acc (h×w floats).
 */
static void gather_rows(const float *img, int w, int y0, int cnt, int G, int f, int ir, f4 *X) {
  float *Xf = (float *)X;
  if (cnt == 4 * G) {
    for (int g = 0; g < G; g++) {
      const float *p0 = img + 2 * w * (y0 + 4 * g), *p1 = p0 + 2 * w, *p2 = p1 + 2 * w, *p3 = p2 + 2 * w;
      int s = 0;
      for (; s + 1 < w; s += 2) {
        f4 A = ldu(p0 + 2 * s), B = ldu(p1 + 2 * s), C = ldu(p2 + 2 * s), D = ldu(p3 + 2 * s);
        f4 ablo = SHUF(A, B, 0, 4, 1, 5), cdlo = SHUF(C, D, 0, 4, 1, 5);
        f4 abhi = SHUF(A, B, 2, 6, 3, 7), cdhi = SHUF(C, D, 2, 6, 3, 7);
        int d0 = wrap(s - f, w), d1 = wrap(s + 1 - f, w);
        X[(d0 * G + g) * 2 + ir] = SHUF(ablo, cdlo, 0, 1, 4, 5);
        X[(d0 * G + g) * 2 + 1 - ir] = SHUF(ablo, cdlo, 2, 3, 6, 7);
        X[(d1 * G + g) * 2 + ir] = SHUF(abhi, cdhi, 0, 1, 4, 5);
        X[(d1 * G + g) * 2 + 1 - ir] = SHUF(abhi, cdhi, 2, 3, 6, 7);
      }
      if (s < w) {
        int d = wrap(s - f, w);
        X[(d * G + g) * 2 + ir] = (f4){p0[2 * s], p1[2 * s], p2[2 * s], p3[2 * s]};
        X[(d * G + g) * 2 + 1 - ir] = (f4){p0[2 * s + 1], p1[2 * s + 1], p2[2 * s + 1], p3[2 * s + 1]};
      }
    }
    return;
  }
  for (int l = 0; l < 4 * G; l++) {
    const float *row = img + 2 * w * (y0 + (l < cnt ? l : 0));
    for (int s = 0; s < w; s++) {
      int d = wrap(s - f, w);
      Xf[lane(d, G, l, ir)] = l < cnt ? row[2 * s] : 0.0f;
      Xf[lane(d, G, l, 1 - ir)] = l < cnt ? row[2 * s + 1] : 0.0f;
    }
  }
}

static void scatter_rows(const f4 *Y, float *img, float *acc, int w, int y0, int cnt, int G, int f, int ir, float scale) {
  const float *Yf = (const float *)Y;
  const f4 sc = splat(scale);
  if (acc && cnt == 4 * G) {
    /* |·|² of 4 rows × 4 positions, transposed so that each row's 4 values are contiguous in acc */
    const f4 sc2 = sc * sc;
    for (int g = 0; g < G; g++) {
      float *a0 = acc + w * (y0 + 4 * g), *a1 = a0 + w, *a2 = a1 + w, *a3 = a2 + w;
      int t = 0;
      for (; t + 3 < w; t += 4) {
        const f4 *y0p = Y + (wrap(t - f, w) * G + g) * 2, *y1p = Y + (wrap(t + 1 - f, w) * G + g) * 2;
        const f4 *y2p = Y + (wrap(t + 2 - f, w) * G + g) * 2, *y3p = Y + (wrap(t + 3 - f, w) * G + g) * 2;
        f4 m0 = (y0p[0] * y0p[0] + y0p[1] * y0p[1]) * sc2, m1 = (y1p[0] * y1p[0] + y1p[1] * y1p[1]) * sc2;
        f4 m2 = (y2p[0] * y2p[0] + y2p[1] * y2p[1]) * sc2, m3 = (y3p[0] * y3p[0] + y3p[1] * y3p[1]) * sc2;
        f4 t0 = SHUF(m0, m1, 0, 4, 1, 5), t1 = SHUF(m2, m3, 0, 4, 1, 5);
        f4 t2 = SHUF(m0, m1, 2, 6, 3, 7), t3 = SHUF(m2, m3, 2, 6, 3, 7);
        stu(a0 + t, ldu(a0 + t) + SHUF(t0, t1, 0, 1, 4, 5));
        stu(a1 + t, ldu(a1 + t) + SHUF(t0, t1, 2, 3, 6, 7));
        stu(a2 + t, ldu(a2 + t) + SHUF(t2, t3, 0, 1, 4, 5));
        stu(a3 + t, ldu(a3 + t) + SHUF(t2, t3, 2, 3, 6, 7));
      }
      for (; t < w; t++) {
        const f4 *yp = Y + (wrap(t - f, w) * G + g) * 2;
        f4 m = (yp[0] * yp[0] + yp[1] * yp[1]) * sc2;
        a0[t] += m[0], a1[t] += m[1], a2[t] += m[2], a3[t] += m[3];
      }
    }
    return;
  }
  if (cnt == 4 * G) {
    for (int g = 0; g < G; g++) {
      float *p0 = img + 2 * w * (y0 + 4 * g), *p1 = p0 + 2 * w, *p2 = p1 + 2 * w, *p3 = p2 + 2 * w;
      int t = 0;
      for (; t + 1 < w; t += 2) {
        int k0 = wrap(t - f, w), k1 = wrap(t + 1 - f, w);
        f4 re0 = Y[(k0 * G + g) * 2 + ir] * sc, im0 = Y[(k0 * G + g) * 2 + 1 - ir] * sc;
        f4 re1 = Y[(k1 * G + g) * 2 + ir] * sc, im1 = Y[(k1 * G + g) * 2 + 1 - ir] * sc;
        f4 lo0 = SHUF(re0, im0, 0, 4, 1, 5), hi0 = SHUF(re0, im0, 2, 6, 3, 7);
        f4 lo1 = SHUF(re1, im1, 0, 4, 1, 5), hi1 = SHUF(re1, im1, 2, 6, 3, 7);
        stu(p0 + 2 * t, SHUF(lo0, lo1, 0, 1, 4, 5));
        stu(p1 + 2 * t, SHUF(lo0, lo1, 2, 3, 6, 7));
        stu(p2 + 2 * t, SHUF(hi0, hi1, 0, 1, 4, 5));
        stu(p3 + 2 * t, SHUF(hi0, hi1, 2, 3, 6, 7));
      }
      if (t < w) {
        int k = wrap(t - f, w);
        f4 re = Y[(k * G + g) * 2 + ir] * sc, im = Y[(k * G + g) * 2 + 1 - ir] * sc;
        p0[2 * t] = re[0], p0[2 * t + 1] = im[0];
        p1[2 * t] = re[1], p1[2 * t + 1] = im[1];
        p2[2 * t] = re[2], p2[2 * t + 1] = im[2];
        p3[2 * t] = re[3], p3[2 * t + 1] = im[3];
      }
    }
    return;
  }
  for (int l = 0; l < cnt; l++) {
    float *row = img + 2 * w * (y0 + l);
    for (int t = 0; t < w; t++) {
      int k = wrap(t - f, w);
      float re = Yf[lane(k, G, l, ir)] * scale, im = Yf[lane(k, G, l, 1 - ir)] * scale;
      if (acc) acc[w * (y0 + l) + t] += re * re + im * im;
      else row[2 * t] = re, row[2 * t + 1] = im;
    }
  }
}

typedef double d2 __attribute__((vector_size(16)));

/** [p0 p1 q0 q1]: two complex values from anywhere */
INLINE f4 ld2(const float *p, const float *q) {
  double a, b;
  __builtin_memcpy(&a, p, 8);
  __builtin_memcpy(&b, q, 8);
  return (f4)(d2){a, b};
}

INLINE void st2(float *p, float *q, f4 v) {
  d2 d = (d2)v;
  double a = d[0], b = d[1];
  __builtin_memcpy(p, &a, 8);
  __builtin_memcpy(q, &b, 8);
}

/*
 * Column pass: lines are 4G columns (element stride 2w floats), n = h: columns c0 … c0+cnt−1, or with a
 * column list, the columns cols[c0 …] (the nonzero ones: the FFT of a zero column is zero, in place).
 */
static void gather_cols(const float *img, int h, int w, const int32_t *cols, int c0, int cnt, int G, int f, int ir,
                        f4 *X) {
  float *Xf = (float *)X;
  if (cnt == 4 * G && !cols) {
    for (int s = 0; s < h; s++) {
      const float *row = img + 2 * (s * w + c0);
      f4 *x = X + wrap(s - f, h) * G * 2;
      for (int g = 0; g < G; g++) {
        f4 A = ldu(row + 8 * g), B = ldu(row + 8 * g + 4);
        x[2 * g + ir] = SHUF(A, B, 0, 2, 4, 6);
        x[2 * g + 1 - ir] = SHUF(A, B, 1, 3, 5, 7);
      }
    }
    return;
  }
  if (cnt == 4 * G) {
    const int32_t *cl = cols + c0;
    for (int s = 0; s < h; s++) {
      const float *row = img + 2 * s * w;
      f4 *x = X + wrap(s - f, h) * G * 2;
      for (int g = 0; g < G; g++) {
        const int32_t *c = cl + 4 * g;
        f4 A = ld2(row + 2 * c[0], row + 2 * c[1]), B = ld2(row + 2 * c[2], row + 2 * c[3]);
        x[2 * g + ir] = SHUF(A, B, 0, 2, 4, 6);
        x[2 * g + 1 - ir] = SHUF(A, B, 1, 3, 5, 7);
      }
    }
    return;
  }
  for (int s = 0; s < h; s++) {
    const float *row = img + 2 * s * w;
    int d = wrap(s - f, h);
    for (int l = 0; l < 4 * G; l++) {
      const int c = l < cnt ? (cols ? cols[c0 + l] : c0 + l) : 0;
      Xf[lane(d, G, l, ir)] = l < cnt ? row[2 * c] : 0.0f;
      Xf[lane(d, G, l, 1 - ir)] = l < cnt ? row[2 * c + 1] : 0.0f;
    }
  }
}

static void scatter_cols(const f4 *Y, float *img, int h, int w, const int32_t *cols, int c0, int cnt, int G, int f,
                         int ir, float scale) {
  const float *Yf = (const float *)Y;
  const f4 sc = splat(scale);
  if (cnt == 4 * G) {
    for (int t = 0; t < h; t++) {
      const f4 *y = Y + wrap(t - f, h) * G * 2;
      float *row = img + 2 * t * w;
      for (int g = 0; g < G; g++) {
        f4 re = y[2 * g + ir] * sc, im = y[2 * g + 1 - ir] * sc;
        f4 A = SHUF(re, im, 0, 4, 1, 5), B = SHUF(re, im, 2, 6, 3, 7);
        if (!cols) {
          stu(row + 2 * c0 + 8 * g, A);
          stu(row + 2 * c0 + 8 * g + 4, B);
        } else {
          const int32_t *c = cols + c0 + 4 * g;
          st2(row + 2 * c[0], row + 2 * c[1], A);
          st2(row + 2 * c[2], row + 2 * c[3], B);
        }
      }
    }
    return;
  }
  for (int t = 0; t < h; t++) {
    int k = wrap(t - f, h);
    float *row = img + 2 * t * w;
    for (int l = 0; l < cnt; l++) {
      const int c = cols ? cols[c0 + l] : c0 + l;
      row[2 * c] = Yf[lane(k, G, l, ir)] * scale;
      row[2 * c + 1] = Yf[lane(k, G, l, 1 - ir)] * scale;
    }
  }
}

/**
 * The columns of the h×w image holding any nonzero value (±0 count as zero) listed in cols; returns
 * their count, or w without writing the list when all are nonzero (dense data stops after 16 rows).
 * bits: 2w uint32 of scratch.
 */
static int nonzero_cols(const float *img, int h, int w, uint32_t *bits, int32_t *cols) {
  typedef uint32_t u4 __attribute__((vector_size(16), aligned(4)));
  const uint32_t *u = (const uint32_t *)img;
  const int n2 = 2 * w;
  for (int i = 0; i < n2; i++) bits[i] = 0;
  for (int s = 0; s < h; s++) {
    const uint32_t *row = u + s * n2;
    int i = 0;
    for (; i + 4 <= n2; i += 4) *(u4 *)(bits + i) |= *(const u4 *)(row + i);
    for (; i < n2; i++) bits[i] |= row[i];
    if ((s & 15) == 15 || s == h - 1) {
      int all = 1;
      for (int c = 0; c < w && all; c++) all = ((bits[2 * c] | bits[2 * c + 1]) << 1) != 0;
      if (all) return w;
    }
  }
  int n = 0;
  for (int c = 0; c < w; c++)
    if (((bits[2 * c] | bits[2 * c + 1]) << 1) != 0) cols[n++] = c;
  return n;
}

/* ------------------------------------------------------------------------------------------------ */
/* Entry points.                                                                                      */

enum { F_INVERSE = 1, F_CENTRED = 2, F_ROWS = 4, F_COLS = 8 };

/**
 * In-place 2-D (or 1-D along one axis) FFT of the h×w interleaved complex image at img: the column
 * pass first (skipping all-zero columns, as undersampled k-space has many), then the row pass.
 * planH / planW: plans for h and w (only those of the axes requested); a, b: scratch of
 * max(h, w)·4·max(grow, gcol) complex each (16-byte aligned); scale multiplies the last pass's output;
 * colwork: 3w int32 of scratch. acc non-null (needs F_ROWS): the row pass adds |result|² to acc
 * (h·w floats) instead of storing the result, leaving img as the column pass made it.
 */
EXPORT("fft2d")
void fft2d(float *img, int h, int w, const int32_t *planH, const int32_t *planW, f4 *a, f4 *b, int flags, float scale,
           int grow, int gcol, float *acc, int32_t *colwork) {
  const int ir = (flags & F_INVERSE) ? 1 : 0;
  const int centred = (flags & F_CENTRED) != 0;
  if (flags & F_COLS) {
    const float s = (flags & F_ROWS) ? 1.0f : scale;
    const int f = centred ? h / 2 : 0;
    const int32_t *cols = 0;
    int ncols = w;
    if (h > 1) {
      ncols = nonzero_cols(img, h, w, (uint32_t *)colwork, colwork + 2 * w);
      if (ncols < w) cols = colwork + 2 * w;
    }
    const int L = 4 * gcol;
    for (int c0 = 0; c0 < ncols; c0 += L) {
      const int cnt = ncols - c0 < L ? ncols - c0 : L;
      const int G = (cnt + 3) / 4;
      gather_cols(img, h, w, cols, c0, cnt, G, f, ir, a);
      f4 *r = run_stages(planH, h, a, b, G);
      scatter_cols(r, img, h, w, cols, c0, cnt, G, f, ir, s);
    }
  }
  if (flags & F_ROWS) {
    const int f = centred ? w / 2 : 0;
    const int L = 4 * grow;
    for (int y0 = 0; y0 < h; y0 += L) {
      const int cnt = h - y0 < L ? h - y0 : L;
      const int G = (cnt + 3) / 4;
      gather_rows(img, w, y0, cnt, G, f, ir, a);
      f4 *r = run_stages(planW, w, a, b, G);
      scatter_rows(r, img, acc, w, y0, cnt, G, f, ir, scale);
    }
  }
}

/** out[i] = sqrt(acc[i]) for n floats (in place allowed). */
EXPORT("sqrt_array")
void sqrt_array(const float *acc, float *out, int n) {
  int i = 0;
  for (; i + 4 <= n; i += 4) stu(out + i, (f4)__builtin_wasm_sqrt_f32x4(ldu(acc + i)));
  for (; i < n; i++) out[i] = __builtin_sqrtf(acc[i]);
}

/** acc[i] = 0 for n floats. */
EXPORT("zero_array")
void zero_array(float *acc, int n) {
  int i = 0;
  for (; i + 4 <= n; i += 4) stu(acc + i, splat(0));
  for (; i < n; i++) acc[i] = 0;
}
