/*
 * WebAssembly SIMD (f32x4) convolution kernels for tfjs' wasm backend (src/backend/gemm-kernels.ts).
 * Built by native/gemm/build.sh into assets/wasm/gemm.wasm. No libc, no allocation: the caller lays
 * out every buffer in linear memory and passes pointers.
 *
 * All convolutions are NHWC with HWIO filters, no dilation, and are "indirect GEMMs" (as XNNPACK's
 * IGEMM): no im2col matrix is ever built. For a block of output pixels an indirection table holds, per
 * pixel and filter tap, a pointer to the ci contiguous input channels that tap reads (or to a zero
 * row where the tap falls into the padding); the register-blocked micro-kernels read A through it.
 *
 *   conv_fwd   y[P, co] = Col[P, K] · W[K, co]       (P = N·Ho·Wo pixels, K = kh·kw·ci)
 *              micro-kernel 6 pixels × 8 output channels, 12 f32x4 accumulators, reduction over the
 *              taps and channels; W is pre-packed into 8-column panels [co/8][K][8] (pack_w / pack_w_flip).
 *   conv_bpf   dW[K, co] += Col[P, K]ᵀ · dY[P, co]   (the filter gradient)
 *              micro-kernel 4 input channels (of one tap) × 8 output channels, reduction over a block
 *              of pixels; dY is packed per pixel block into 8-column panels.
 * The input gradient of a stride-1 convolution is conv_fwd over dY with the filter rotated by 180°
 * and in / out channels swapped (pack_w_flip), the padding being kh − 1 − top (implicit, by bounds).
 *
 * Cache blocking: conv_fwd walks pixels in blocks of FWD_PB (the block's A rows stay in L1/L2 while
 * every 8-column panel of W streams past); conv_bpf in blocks of BPF_PB pixels (the block's dY panels
 * and the touched input rows stay in L1/L2 while the taps × channel blocks are swept).
 * Accumulation order: per output element a plain sum over taps, then channels (fwd) or over pixels
 * in order (bpf), in float32 — the same order family as the reference loops, not bit-identical.
 */
#include <wasm_simd128.h>

#define EXPORT(name) __attribute__((export_name(name)))

#define MR 4
#define NR 8
#define MRF 6 /* pixels per conv_fwd micro-tile */
#define FWD_PB 48 /* pixels per block in conv_fwd (multiple of MRF) */
#define BPF_PB 256 /* pixels per block in conv_bpf */

/* geometry array indices */
enum { G_N, G_H, G_W, G_CI, G_HO, G_WO, G_CO, G_KH, G_KW, G_SH, G_SW, G_TOP, G_LEFT, G_COUNT };

static inline int imin(int a, int b) { return a < b ? a : b; }

/* Stores (or adds) a 4 × 8 tile held in 8 vectors into c (row stride ldc), clipped to mr × nr. */
static inline void store_tile(float *c, int ldc, int mr, int nr, int add, v128_t c00, v128_t c01, v128_t c10, v128_t c11,
                              v128_t c20, v128_t c21, v128_t c30, v128_t c31) {
  if (mr == MR && nr == NR) {
    float *r0 = c, *r1 = c + ldc, *r2 = c + 2 * ldc, *r3 = c + 3 * ldc;
    if (add) {
      c00 = wasm_f32x4_add(c00, wasm_v128_load(r0));
      c01 = wasm_f32x4_add(c01, wasm_v128_load(r0 + 4));
      c10 = wasm_f32x4_add(c10, wasm_v128_load(r1));
      c11 = wasm_f32x4_add(c11, wasm_v128_load(r1 + 4));
      c20 = wasm_f32x4_add(c20, wasm_v128_load(r2));
      c21 = wasm_f32x4_add(c21, wasm_v128_load(r2 + 4));
      c30 = wasm_f32x4_add(c30, wasm_v128_load(r3));
      c31 = wasm_f32x4_add(c31, wasm_v128_load(r3 + 4));
    }
    wasm_v128_store(r0, c00);
    wasm_v128_store(r0 + 4, c01);
    wasm_v128_store(r1, c10);
    wasm_v128_store(r1 + 4, c11);
    wasm_v128_store(r2, c20);
    wasm_v128_store(r2 + 4, c21);
    wasm_v128_store(r3, c30);
    wasm_v128_store(r3 + 4, c31);
    return;
  }
  float tmp[MR * NR] __attribute__((aligned(16)));
  wasm_v128_store(tmp + 0, c00);
  wasm_v128_store(tmp + 4, c01);
  wasm_v128_store(tmp + 8, c10);
  wasm_v128_store(tmp + 12, c11);
  wasm_v128_store(tmp + 16, c20);
  wasm_v128_store(tmp + 20, c21);
  wasm_v128_store(tmp + 24, c30);
  wasm_v128_store(tmp + 28, c31);
  for (int r = 0; r < mr; r++)
    for (int j = 0; j < nr; j++) c[r * ldc + j] = add ? c[r * ldc + j] + tmp[r * NR + j] : tmp[r * NR + j];
}

/*
 * Built twice (native/gemm/build.sh): plain SIMD128 (mul + add) and, with GEMM_RELAXED, relaxed SIMD's
 * fused multiply-add (gemm.relaxed.wasm; one rounding instead of two, about twice the arithmetic rate).
 */
#ifdef GEMM_RELAXED
typedef float f32x4_t __attribute__((__vector_size__(16), __aligned__(16)));
#define FMA(acc, a, b) acc = (v128_t)__builtin_wasm_relaxed_madd_f32x4((f32x4_t)(a), (f32x4_t)(b), (f32x4_t)(acc))
#else
#define FMA(acc, a, b) acc = wasm_f32x4_add(acc, wasm_f32x4_mul(a, b))
#endif

/*
 * conv_fwd micro-kernel: MRF = 6 pixels (rows) × 8 output channels, 12 f32x4 accumulators (+ 2 B and
 * 1 A register: 15 of x86-64's 16 vector registers). ind: [ntaps][MRF] row pointers, each to ci floats;
 * b: the W panel [K][8]. Sum over taps, then channels. Stores clipped to mr × nr.
 */
static void ukernel_fwd(int ntaps, int ci, const float *const *ind, const float *b, float *c, int ldc, int mr, int nr) {
  v128_t c00 = wasm_f32x4_splat(0), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00;
  v128_t c40 = c00, c41 = c00, c50 = c00, c51 = c00;
  for (int t = 0; t < ntaps; t++) {
    const float *const *it = ind + MRF * t;
    const float *a0 = it[0], *a1 = it[1], *a2 = it[2], *a3 = it[3], *a4 = it[4], *a5 = it[5];
    for (int k = 0; k < ci; k++) {
      const v128_t b0 = wasm_v128_load(b), b1 = wasm_v128_load(b + 4);
      b += NR;
      v128_t a = wasm_v128_load32_splat(a0 + k);
      FMA(c00, a, b0);
      FMA(c01, a, b1);
      a = wasm_v128_load32_splat(a1 + k);
      FMA(c10, a, b0);
      FMA(c11, a, b1);
      a = wasm_v128_load32_splat(a2 + k);
      FMA(c20, a, b0);
      FMA(c21, a, b1);
      a = wasm_v128_load32_splat(a3 + k);
      FMA(c30, a, b0);
      FMA(c31, a, b1);
      a = wasm_v128_load32_splat(a4 + k);
      FMA(c40, a, b0);
      FMA(c41, a, b1);
      a = wasm_v128_load32_splat(a5 + k);
      FMA(c50, a, b0);
      FMA(c51, a, b1);
    }
  }
  if (nr == NR) {
    const v128_t rows[MRF][2] = {{c00, c01}, {c10, c11}, {c20, c21}, {c30, c31}, {c40, c41}, {c50, c51}};
    for (int r = 0; r < mr; r++) {
      wasm_v128_store(c + r * ldc, rows[r][0]);
      wasm_v128_store(c + r * ldc + 4, rows[r][1]);
    }
    return;
  }
  store_tile(c, ldc, imin(mr, MR), nr, 0, c00, c01, c10, c11, c20, c21, c30, c31);
  if (mr > MR) store_tile(c + MR * ldc, ldc, mr - MR, nr, 0, c40, c41, c50, c51, c00, c00, c00, c00);
}

/*
 * conv_bpf micro-kernel: 4 consecutive input channels of one tap (rows of dW) × 8 output channels.
 * ind: pointers (stride `stride`) to the tap's ci-channel rows of each of np pixels, offset by the
 * channel block already; b: the dY panel [np][8]. Adds into c.
 */
static void ukernel_bpf(int np, const float *const *ind, int stride, const float *b, float *c, int ldc, int mr, int nr) {
  v128_t c00 = wasm_f32x4_splat(0), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00;
  for (int q = 0; q < np; q++) {
    const float *a = ind[q * stride];
    const v128_t b0 = wasm_v128_load(b), b1 = wasm_v128_load(b + 4);
    b += NR;
    v128_t s = wasm_v128_load32_splat(a);
    FMA(c00, s, b0);
    FMA(c01, s, b1);
    s = wasm_v128_load32_splat(a + 1);
    FMA(c10, s, b0);
    FMA(c11, s, b1);
    s = wasm_v128_load32_splat(a + 2);
    FMA(c20, s, b0);
    FMA(c21, s, b1);
    s = wasm_v128_load32_splat(a + 3);
    FMA(c30, s, b0);
    FMA(c31, s, b1);
  }
  store_tile(c, ldc, mr, nr, 1, c00, c01, c10, c11, c20, c21, c30, c31);
}

/* Packs HWIO W ([K][co] row-major) into 8-column panels out[co/8][K][8], zero-padding the last panel. */
EXPORT("pack_w") void pack_w(const float *w, int k, int co, float *out) {
  const int panels = (co + NR - 1) / NR;
  for (int p = 0; p < panels; p++) {
    const int j0 = p * NR, nr = imin(NR, co - j0);
    float *o = out + (long)p * k * NR;
    for (int i = 0; i < k; i++, o += NR) {
      const float *src = w + (long)i * co + j0;
      if (nr == NR) {
        wasm_v128_store(o, wasm_v128_load(src));
        wasm_v128_store(o + 4, wasm_v128_load(src + 4));
      } else {
        for (int j = 0; j < NR; j++) o[j] = j < nr ? src[j] : 0.0f;
      }
    }
  }
}

/*
 * The input-gradient filter of a stride-1 convolution, packed like pack_w: W' [kh][kw][co][ci] with
 * W'[a][b][j][i] = W[kh−1−a][kw−1−b][i][j] (rotated 180°, in / out swapped); out[ci/8][kh·kw·co][8].
 */
EXPORT("pack_w_flip") void pack_w_flip(const float *w, int kh, int kw, int ci, int co, float *out) {
  const int k = kh * kw * co;
  const int panels = (ci + NR - 1) / NR;
  for (int p = 0; p < panels; p++) {
    const int i0 = p * NR, nr = imin(NR, ci - i0);
    float *o = out + (long)p * k * NR;
    for (int a = 0; a < kh; a++)
      for (int b = 0; b < kw; b++) {
        const float *tap = w + (long)((kh - 1 - a) * kw + (kw - 1 - b)) * ci * co;
        for (int j = 0; j < co; j++, o += NR)
          for (int i = 0; i < NR; i++) o[i] = i < nr ? tap[(long)(i0 + i) * co + j] : 0.0f;
      }
  }
}

/* Fills ind[q·ntaps + t] (or, transposed, ind[t·MRF + q] per group of MRF when `grouped`) for pixels p0.. p0+np−1. */
static void indirection(const float *x, const int *g, const float *zero, int p0, int np, const float **ind, int grouped) {
  const int H = g[G_H], W = g[G_W], ci = g[G_CI], HO = g[G_HO], WO = g[G_WO];
  const int KH = g[G_KH], KW = g[G_KW], SH = g[G_SH], SW = g[G_SW], TOP = g[G_TOP], LEFT = g[G_LEFT];
  const int ntaps = KH * KW;
  int n = p0 / (HO * WO), rem = p0 % (HO * WO), oy = rem / WO, ox = rem % WO;
  for (int q = 0; q < np; q++) {
    const int iy0 = oy * SH - TOP, ix0 = ox * SW - LEFT;
    for (int a = 0; a < KH; a++) {
      const int iy = iy0 + a;
      for (int b = 0; b < KW; b++) {
        const int ix = ix0 + b;
        const float *ptr = (iy >= 0 && iy < H && ix >= 0 && ix < W) ? x + ((long)(n * H + iy) * W + ix) * ci : zero;
        const int t = a * KW + b;
        if (grouped) ind[(q / MRF) * ntaps * MRF + t * MRF + (q % MRF)] = ptr;
        else ind[q * ntaps + t] = ptr;
      }
    }
    if (++ox == WO) {
      ox = 0;
      if (++oy == HO) {
        oy = 0;
        n++;
      }
    }
  }
}

/*
 * y[P][co] = conv(x, W). wpk: pack_w / pack_w_flip output for K = kh·kw·ci; zero: ≥ ci zero floats;
 * ind: room for FWD_PB·kh·kw pointers.
 */
EXPORT("conv_fwd") void conv_fwd(const float *x, const float *wpk, float *y, const int *g, const float *zero, const float **ind) {
  const int ci = g[G_CI], co = g[G_CO], ntaps = g[G_KH] * g[G_KW];
  const int P = g[G_N] * g[G_HO] * g[G_WO];
  const int K = ntaps * ci, panels = (co + NR - 1) / NR;
  for (int p0 = 0; p0 < P; p0 += FWD_PB) {
    const int np = imin(FWD_PB, P - p0);
    const int groups = (np + MRF - 1) / MRF;
    indirection(x, g, zero, p0, np, ind, 1);
    for (int q = np; q < groups * MRF; q++)
      for (int t = 0; t < ntaps; t++) ind[(q / MRF) * ntaps * MRF + t * MRF + (q % MRF)] = zero;
    for (int jp = 0; jp < panels; jp++) {
      const float *b = wpk + (long)jp * K * NR;
      const int nr = imin(NR, co - jp * NR);
      for (int gi = 0; gi < groups; gi++) {
        const int r0 = p0 + gi * MRF;
        ukernel_fwd(ntaps, ci, ind + gi * ntaps * MRF, b, y + (long)r0 * co + jp * NR, co, imin(MRF, P - r0), nr);
      }
    }
  }
}

/*
 * dw[K][co] += Col(x)ᵀ · dy over all pixels (the caller zeroes dw first). zero: ≥ ci + 4 zero floats;
 * ind: room for BPF_PB·kh·kw pointers; dypk: room for ceil(co/8)·BPF_PB·8 floats. x must be followed
 * by ≥ 3 readable floats (channel blocks of ci % 4 ≠ 0 read past the row; those lanes are discarded).
 */
EXPORT("conv_bpf") void conv_bpf(const float *x, const float *dy, float *dw, const int *g, const float *zero, const float **ind, float *dypk) {
  const int ci = g[G_CI], co = g[G_CO], ntaps = g[G_KH] * g[G_KW];
  const int P = g[G_N] * g[G_HO] * g[G_WO];
  const int panels = (co + NR - 1) / NR;
  for (int p0 = 0; p0 < P; p0 += BPF_PB) {
    const int np = imin(BPF_PB, P - p0);
    indirection(x, g, zero, p0, np, ind, 0);
    for (int jp = 0; jp < panels; jp++) {
      const int j0 = jp * NR, nr = imin(NR, co - j0);
      float *o = dypk + (long)jp * BPF_PB * NR;
      const float *src = dy + (long)p0 * co + j0;
      for (int q = 0; q < np; q++, o += NR, src += co) {
        if (nr == NR) {
          wasm_v128_store(o, wasm_v128_load(src));
          wasm_v128_store(o + 4, wasm_v128_load(src + 4));
        } else {
          for (int j = 0; j < NR; j++) o[j] = j < nr ? src[j] : 0.0f;
        }
      }
    }
    for (int t = 0; t < ntaps; t++) {
      for (int c0 = 0; c0 < ci; c0 += MR) {
        const int mr = imin(MR, ci - c0);
        /* offset the tap's row pointers by the channel block (in place, undone below) */
        for (int q = 0; q < np; q++) ind[q * ntaps + t] += c0;
        for (int jp = 0; jp < panels; jp++)
          ukernel_bpf(np, ind + t, ntaps, dypk + (long)jp * BPF_PB * NR, dw + (long)(t * ci + c0) * co + jp * NR, co, mr, imin(NR, co - jp * NR));
        for (int q = 0; q < np; q++) ind[q * ntaps + t] -= c0;
      }
    }
  }
}

/* Fills n floats with zero (workspace set-up). */
EXPORT("zero_floats") void zero_floats(float *p, int n) {
  for (int i = 0; i < n; i++) p[i] = 0.0f;
}

/*
 * out[o][j] = scale · Σ_m x[o][m][j] for x [outer][mid][inner] (a sum / mean over the middle axes of
 * an NHWC tensor, e.g. the per-channel statistics of instance / group norm, without the transpose
 * tfjs' wasm reduction needs). One streaming pass over x, the row sums kept in out; summed in row order.
 */
EXPORT("reduce_mid") void reduce_mid(const float *x, int outer, int mid, int inner, float scale, float *out) {
  for (int o = 0; o < outer; o++) {
    const float *p = x + (long)o * mid * inner;
    float *dst = out + (long)o * inner;
    for (int j = 0; j < inner; j++) dst[j] = 0.0f;
    const int vec = inner & ~3;
    for (int m = 0; m < mid; m++, p += inner) {
      int j = 0;
      for (; j < vec; j += 4) wasm_v128_store(dst + j, wasm_f32x4_add(wasm_v128_load(dst + j), wasm_v128_load(p + j)));
      for (; j < inner; j++) dst[j] += p[j];
    }
    int j = 0;
    for (; j < vec; j += 4) wasm_v128_store(dst + j, wasm_f32x4_mul(wasm_v128_load(dst + j), wasm_f32x4_splat(scale)));
    for (; j < inner; j++) dst[j] *= scale;
  }
}

/*
 * Inference-time group / instance norm with optional per-channel affine and LeakyReLU, in one call:
 * x, y [n][hw][c] (NHWC, y may equal x), `groups` groups of c / groups consecutive channels; statistics
 * per sample and group over hw × (c / groups), biased variance, as groupNormalize in src/models/layers.ts
 * (the same order: per-channel means over hw, then over the group's channels; then the same for the
 * squared deviations). gamma / beta: c floats or null; alpha: LeakyReLU slope, act = 0 for none.
 * stats: room for 4·c floats.
 */
EXPORT("norm_act") void norm_act(const float *x, float *y, int n, int hw, int c, int groups, float eps, const float *gamma,
                                 const float *beta, int act, float alpha, float *stats) {
  const int cg = c / groups, vec = c & ~3;
  float *mean = stats, *acc = stats + c, *scale = stats + 2 * c, *shift = stats + 3 * c;
  const float inv_hw = 1.0f / (float)hw, inv_cg = 1.0f / (float)cg;
  for (int s = 0; s < n; s++) {
    const float *xs = x + (long)s * hw * c;
    float *ys = y + (long)s * hw * c;
    /* per-channel means over hw, then group means */
    reduce_mid(xs, 1, hw, c, inv_hw, acc);
    for (int gi = 0; gi < groups; gi++) {
      float m = 0.0f;
      for (int j = 0; j < cg; j++) m += acc[gi * cg + j];
      m *= inv_cg;
      for (int j = 0; j < cg; j++) mean[gi * cg + j] = m;
    }
    /* per-channel mean squared deviation from the group mean */
    for (int j = 0; j < c; j++) acc[j] = 0.0f;
    const float *p = xs;
    for (int q = 0; q < hw; q++, p += c) {
      int j = 0;
      for (; j < vec; j += 4) {
        const v128_t d = wasm_f32x4_sub(wasm_v128_load(p + j), wasm_v128_load(mean + j));
        wasm_v128_store(acc + j, wasm_f32x4_add(wasm_v128_load(acc + j), wasm_f32x4_mul(d, d)));
      }
      for (; j < c; j++) {
        const float d = p[j] - mean[j];
        acc[j] += d * d;
      }
    }
    for (int gi = 0; gi < groups; gi++) {
      float v = 0.0f;
      for (int j = 0; j < cg; j++) v += acc[gi * cg + j] * inv_hw;
      v *= inv_cg;
      const float r = 1.0f / __builtin_sqrtf(v + eps);
      for (int j = 0; j < cg; j++) {
        const int ch = gi * cg + j;
        const float gm = gamma ? gamma[ch] : 1.0f;
        scale[ch] = r * gm;
        shift[ch] = beta ? beta[ch] : 0.0f;
      }
    }
    /* y = (x − mean) · r · gamma + beta, then LeakyReLU */
    const v128_t va = wasm_f32x4_splat(act ? alpha : 1.0f), zero = wasm_f32x4_splat(0.0f);
    p = xs;
    float *o = ys;
    for (int q = 0; q < hw; q++, p += c, o += c) {
      int j = 0;
      for (; j < vec; j += 4) {
        v128_t v = wasm_f32x4_sub(wasm_v128_load(p + j), wasm_v128_load(mean + j));
        v = wasm_f32x4_add(wasm_f32x4_mul(v, wasm_v128_load(scale + j)), wasm_v128_load(shift + j));
        v = wasm_v128_bitselect(v, wasm_f32x4_mul(v, va), wasm_f32x4_gt(v, zero));
        wasm_v128_store(o + j, v);
      }
      for (; j < c; j++) {
        float v = (p[j] - mean[j]) * scale[j] + shift[j];
        o[j] = (act && !(v > 0.0f)) ? v * alpha : v;
      }
    }
  }
}
