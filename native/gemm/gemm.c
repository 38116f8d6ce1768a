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
 * Filter-gradient micro-kernel: c[4][8] += Σ_q a_q[0..3] ⊗ b[q][0..7], a_q = ind[q · stride] + off (4
 * consecutive input channels of one pixel: rows of dW) and b the dY panel [np][8].
 */
static void ukernel_bpf(int np, const float *const *ind, int stride, long off, const float *b, float *c, int ldc, int mr, int nr) {
  v128_t c00 = wasm_f32x4_splat(0), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00;
  for (int q = 0; q < np; q++) {
    const float *a = ind[q * stride] + off;
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
        for (int jp = 0; jp < panels; jp++)
          ukernel_bpf(np, ind + t, ntaps, c0, dypk + (long)jp * BPF_PB * NR, dw + (long)(t * ci + c0) * co + jp * NR, co, mr, imin(NR, co - jp * NR));
      }
    }
  }
}

/*
 * The input gradient of a convolution whose kernel equals its stride (kh = sh, kw = sw, no padding: the
 * U-Net's 2×2 stride-2 transposed convolution), where every output pixel receives exactly one tap:
 *   dx[n, i·sh + a, j·sw + b, c] = Σ_o dy[n, i, j, o] · W[a][b][c][o].
 * Per tap a GEMM of dY's pixel rows (K = co) with the tap's filter, written straight to the strided
 * output rows (ldc = sw · ci), no shuffle. g: the forward convolution's geometry (x = dx, y = dy);
 * wpk: pack_w_flip(w, kh, kw, ci, co) output (tap (a, b) at rotated index (kh−1−a, kw−1−b));
 * zero: ≥ co zero floats; ind: room for N·HO·⌈WO/6⌉·6 pointers. Taps and 8-channel panels outermost, so
 * each filter panel stays in L1 while it is applied to every pixel row.
 */
EXPORT("conv_bpi_stride_tap") void conv_bpi_stride_tap(const float *dy, const float *wpk, float *dx, const int *g, const float *zero,
                                                       const float **ind) {
  const int N = g[G_N], H = g[G_H], W = g[G_W], ci = g[G_CI], HO = g[G_HO], WO = g[G_WO], co = g[G_CO];
  const int KH = g[G_KH], KW = g[G_KW];
  const int panels = (ci + NR - 1) / NR, groups = (WO + MRF - 1) / MRF, rows = N * HO;
  const long K = (long)KH * KW * co;
  for (int r = 0; r < rows; r++)
    for (int q = 0; q < groups * MRF; q++) ind[(long)r * groups * MRF + q] = q < WO ? dy + ((long)r * WO + q) * co : zero;
  for (int a = 0; a < KH; a++)
    for (int b = 0; b < KW; b++) {
      const long tap = (long)((KH - 1 - a) * KW + (KW - 1 - b)) * co;
      for (int p = 0; p < panels; p++) {
        const float *bp = wpk + ((long)p * K + tap) * NR;
        const int nr = imin(NR, ci - p * NR);
        for (int r = 0; r < rows; r++) {
          const int s = r / HO, i = r % HO;
          float *row = dx + ((long)(s * H + i * KH + a) * W + b) * ci + p * NR;
          for (int gi = 0; gi < groups; gi++)
            ukernel_fwd(1, co, ind + ((long)r * groups + gi) * MRF, bp, row + (long)gi * MRF * KW * ci, KW * ci, imin(MRF, WO - gi * MRF), nr);
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
 * stats: room for 4·c floats. saved: null, or room for n·groups·2 floats, the (mean, 1 / sqrt(var + eps))
 * of each sample and group that norm_act_grad needs.
 */
EXPORT("norm_act") void norm_act(const float *x, float *y, int n, int hw, int c, int groups, float eps, const float *gamma,
                                 const float *beta, int act, float alpha, float *stats, float *saved) {
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
      if (saved) {
        saved[(s * groups + gi) * 2] = mean[gi * cg];
        saved[(s * groups + gi) * 2 + 1] = r;
      }
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

/*
 * The gradient of norm_act (training): with ŷ = (x − mean) · r, z = ŷ · γ + β and dz = dy · LeakyReLU'(z),
 *   dβ = Σ dz,  dγ = Σ dz · ŷ  (per channel, over samples and pixels),
 *   dx = r · (dz · γ − mean_g(dz · γ) − ŷ · mean_g(dz · γ · ŷ))  (means over each sample's group),
 * in two streaming passes over x and dy (ŷ and dz recomputed, nothing full-size saved but x).
 * saved: norm_act's per-(sample, group) (mean, r); dgamma / dbeta: c floats or null (accumulated
 * from zero here); work: room for 6·c floats.
 */
EXPORT("norm_act_grad") void norm_act_grad(const float *x, const float *dy, const float *saved, int n, int hw, int c, int groups,
                                           const float *gamma, const float *beta, int act, float alpha, float *dx,
                                           float *dgamma, float *dbeta, float *work) {
  const int cg = c / groups, vec = c & ~3;
  float *mean = work, *r = work + c, *gm = work + 2 * c, *bt = work + 3 * c, *s1 = work + 4 * c, *s2 = work + 5 * c;
  for (int j = 0; j < c; j++) {
    gm[j] = gamma ? gamma[j] : 1.0f;
    bt[j] = beta ? beta[j] : 0.0f;
  }
  if (dgamma)
    for (int j = 0; j < c; j++) dgamma[j] = 0.0f;
  if (dbeta)
    for (int j = 0; j < c; j++) dbeta[j] = 0.0f;
  const v128_t va = wasm_f32x4_splat(act ? alpha : 1.0f), zero = wasm_f32x4_splat(0.0f);
  const float inv = 1.0f / ((float)hw * (float)cg);
  for (int s = 0; s < n; s++) {
    const float *xs = x + (long)s * hw * c, *ds = dy + (long)s * hw * c;
    float *os = dx + (long)s * hw * c;
    for (int gi = 0; gi < groups; gi++)
      for (int j = 0; j < cg; j++) {
        mean[gi * cg + j] = saved[(s * groups + gi) * 2];
        r[gi * cg + j] = saved[(s * groups + gi) * 2 + 1];
      }
    for (int j = 0; j < c; j++) s1[j] = s2[j] = 0.0f;
    /* pass 1: per-channel Σ dz and Σ dz · ŷ */
    const float *p = xs, *q = ds;
    for (int t = 0; t < hw; t++, p += c, q += c) {
      int j = 0;
      for (; j < vec; j += 4) {
        const v128_t yh = wasm_f32x4_mul(wasm_f32x4_sub(wasm_v128_load(p + j), wasm_v128_load(mean + j)), wasm_v128_load(r + j));
        const v128_t z = wasm_f32x4_add(wasm_f32x4_mul(yh, wasm_v128_load(gm + j)), wasm_v128_load(bt + j));
        v128_t d = wasm_v128_load(q + j);
        d = wasm_v128_bitselect(d, wasm_f32x4_mul(d, va), wasm_f32x4_gt(z, zero));
        wasm_v128_store(s1 + j, wasm_f32x4_add(wasm_v128_load(s1 + j), d));
        wasm_v128_store(s2 + j, wasm_f32x4_add(wasm_v128_load(s2 + j), wasm_f32x4_mul(d, yh)));
      }
      for (; j < c; j++) {
        const float yh = (p[j] - mean[j]) * r[j], z = yh * gm[j] + bt[j];
        const float d = (act && !(z > 0.0f)) ? q[j] * alpha : q[j];
        s1[j] += d;
        s2[j] += d * yh;
      }
    }
    for (int j = 0; j < c; j++) {
      if (dbeta) dbeta[j] += s1[j];
      if (dgamma) dgamma[j] += s2[j];
    }
    /* group means of dz·γ and dz·γ·ŷ, broadcast per channel into s1 / s2 */
    for (int gi = 0; gi < groups; gi++) {
      float a = 0.0f, b = 0.0f;
      for (int j = gi * cg; j < (gi + 1) * cg; j++) {
        a += gm[j] * s1[j];
        b += gm[j] * s2[j];
      }
      for (int j = gi * cg; j < (gi + 1) * cg; j++) {
        s1[j] = a * inv;
        s2[j] = b * inv;
      }
    }
    /* pass 2: dx = r · (dz · γ − A − ŷ · B) */
    p = xs;
    q = ds;
    float *o = os;
    for (int t = 0; t < hw; t++, p += c, q += c, o += c) {
      int j = 0;
      for (; j < vec; j += 4) {
        const v128_t rj = wasm_v128_load(r + j), g = wasm_v128_load(gm + j);
        const v128_t yh = wasm_f32x4_mul(wasm_f32x4_sub(wasm_v128_load(p + j), wasm_v128_load(mean + j)), rj);
        const v128_t z = wasm_f32x4_add(wasm_f32x4_mul(yh, g), wasm_v128_load(bt + j));
        v128_t d = wasm_v128_load(q + j);
        d = wasm_v128_bitselect(d, wasm_f32x4_mul(d, va), wasm_f32x4_gt(z, zero));
        const v128_t v = wasm_f32x4_sub(wasm_f32x4_sub(wasm_f32x4_mul(d, g), wasm_v128_load(s1 + j)), wasm_f32x4_mul(yh, wasm_v128_load(s2 + j)));
        wasm_v128_store(o + j, wasm_f32x4_mul(rj, v));
      }
      for (; j < c; j++) {
        const float yh = (p[j] - mean[j]) * r[j], z = yh * gm[j] + bt[j];
        const float d = (act && !(z > 0.0f)) ? q[j] * alpha : q[j];
        o[j] = r[j] * (d * gm[j] - s1[j] - yh * s2[j]);
      }
    }
  }
}

/*
 * Winograd F(m×m, 3×3), m = 4 or 2, for stride-1 3×3 convolutions (Lavin & Gray 2016): each m×m
 * output tile is Aᵀ [ (G g Gᵀ) ⊙ (Bᵀ d B) ] A over an α×α input tile d (α = m + 2), so the reduction
 * over input channels becomes α² independent GEMMs M[ξ] = V[ξ] · U[ξ] (tiles × ci times ci × co):
 * per output pixel and channel pair α²/m² multiplications instead of 9 (2.25 for F(4×4), 4 for F(2×2)).
 * The transforms are SIMD across 4 channels (NHWC keeps channels contiguous): ci, co multiples of 4.
 * Rounding (relative L2 against float64, random data): direct ~1.6e-7, F(2×2) ~2.7e-7, F(4×4) ~1.8e-6:
 * the callers use F(4×4) for forward passes and F(2×2) for gradients (src/backend/gemm.ts).
 *
 * The filter gradient is the adjoint of the same algorithm: dW = Σ_tiles Gᵀ [ (Bᵀ d B) ⊙ (A dY Aᵀ) ] G,
 * the sum over tiles again α² GEMMs dU[ξ] = V[ξ]ᵀ · Ŷ[ξ].
 *
 *   U[ξ][co8/8][ci][8]  filter transform in 8-column panels (the conv_fwd micro-kernel's B operand);
 *   V[ξ][tb][ci]        input transform of a block of tb tiles;  M[ξ][tb][co8]  the GEMM output;
 *   Ŷ[ξ][co8/8][tb][8]  output-gradient transform in panels;     dU[ξ][ci][co8]   its GEMM output.
 * Points 0, ±1, ±2, ∞ (F(4×4)) and 0, ±1, ∞ (F(2×2)).
 */
#define WA_MAX 6

/* Bᵀ d for one line of α values (SIMD over 4 channels). */
static inline void wino_bt(int m, const v128_t *d, v128_t *t) {
  if (m == 2) {
    t[0] = wasm_f32x4_sub(d[0], d[2]);
    t[1] = wasm_f32x4_add(d[1], d[2]);
    t[2] = wasm_f32x4_sub(d[2], d[1]);
    t[3] = wasm_f32x4_sub(d[1], d[3]);
    return;
  }
  const v128_t four = wasm_f32x4_splat(4.0f), five = wasm_f32x4_splat(5.0f), two = wasm_f32x4_splat(2.0f);
  const v128_t d4_4d2 = wasm_f32x4_sub(d[4], wasm_f32x4_mul(four, d[2]));
  const v128_t d3_4d1 = wasm_f32x4_sub(d[3], wasm_f32x4_mul(four, d[1]));
  const v128_t d4_d2 = wasm_f32x4_sub(d[4], d[2]);
  const v128_t d3_d1x2 = wasm_f32x4_mul(two, wasm_f32x4_sub(d[3], d[1]));
  t[0] = wasm_f32x4_add(wasm_f32x4_sub(wasm_f32x4_mul(four, d[0]), wasm_f32x4_mul(five, d[2])), d[4]);
  t[1] = wasm_f32x4_add(d4_4d2, d3_4d1);
  t[2] = wasm_f32x4_sub(d4_4d2, d3_4d1);
  t[3] = wasm_f32x4_add(d4_d2, d3_d1x2);
  t[4] = wasm_f32x4_sub(d4_d2, d3_d1x2);
  t[5] = wasm_f32x4_add(wasm_f32x4_sub(wasm_f32x4_mul(four, d[1]), wasm_f32x4_mul(five, d[3])), d[5]);
}

/* Aᵀ v: α values → m. */
static inline void wino_at(int m, const v128_t *v, v128_t *o) {
  if (m == 2) {
    o[0] = wasm_f32x4_add(wasm_f32x4_add(v[0], v[1]), v[2]);
    o[1] = wasm_f32x4_sub(wasm_f32x4_sub(v[1], v[2]), v[3]);
    return;
  }
  const v128_t two = wasm_f32x4_splat(2.0f), four = wasm_f32x4_splat(4.0f), eight = wasm_f32x4_splat(8.0f);
  const v128_t s12 = wasm_f32x4_add(v[1], v[2]), d12 = wasm_f32x4_sub(v[1], v[2]);
  const v128_t s34 = wasm_f32x4_add(v[3], v[4]), d34 = wasm_f32x4_sub(v[3], v[4]);
  o[0] = wasm_f32x4_add(wasm_f32x4_add(v[0], s12), s34);
  o[1] = wasm_f32x4_add(d12, wasm_f32x4_mul(two, d34));
  o[2] = wasm_f32x4_add(s12, wasm_f32x4_mul(four, s34));
  o[3] = wasm_f32x4_add(wasm_f32x4_add(d12, wasm_f32x4_mul(eight, d34)), v[5]);
}

/* A y (the adjoint of Aᵀ): m values → α. */
static inline void wino_a(int m, const v128_t *y, v128_t *o) {
  if (m == 2) {
    o[0] = y[0];
    o[1] = wasm_f32x4_add(y[0], y[1]);
    o[2] = wasm_f32x4_sub(y[0], y[1]);
    o[3] = wasm_f32x4_neg(y[1]);
    return;
  }
  const v128_t two = wasm_f32x4_splat(2.0f), four = wasm_f32x4_splat(4.0f), eight = wasm_f32x4_splat(8.0f);
  const v128_t e = wasm_f32x4_add(y[0], y[2]), od = wasm_f32x4_add(y[1], y[3]);
  const v128_t e2 = wasm_f32x4_add(y[0], wasm_f32x4_mul(four, y[2]));
  const v128_t od2 = wasm_f32x4_add(wasm_f32x4_mul(two, y[1]), wasm_f32x4_mul(eight, y[3]));
  o[0] = y[0];
  o[1] = wasm_f32x4_add(e, od);
  o[2] = wasm_f32x4_sub(e, od);
  o[3] = wasm_f32x4_add(e2, od2);
  o[4] = wasm_f32x4_sub(e2, od2);
  o[5] = y[3];
}

/* G g: 3 values → α. */
static inline void wino_g(int m, const v128_t *g, v128_t *u) {
  const v128_t g02 = wasm_f32x4_add(g[0], g[2]);
  if (m == 2) {
    const v128_t h = wasm_f32x4_splat(0.5f);
    u[0] = g[0];
    u[1] = wasm_f32x4_mul(h, wasm_f32x4_add(g02, g[1]));
    u[2] = wasm_f32x4_mul(h, wasm_f32x4_sub(g02, g[1]));
    u[3] = g[2];
    return;
  }
  const v128_t q = wasm_f32x4_splat(0.25f), s6 = wasm_f32x4_splat(1.0f / 6.0f), s24 = wasm_f32x4_splat(1.0f / 24.0f);
  const v128_t s12 = wasm_f32x4_splat(1.0f / 12.0f);
  u[0] = wasm_f32x4_mul(q, g[0]);
  u[1] = wasm_f32x4_neg(wasm_f32x4_mul(s6, wasm_f32x4_add(g02, g[1])));
  u[2] = wasm_f32x4_neg(wasm_f32x4_mul(s6, wasm_f32x4_sub(g02, g[1])));
  const v128_t a = wasm_f32x4_add(wasm_f32x4_mul(s24, g[0]), wasm_f32x4_mul(s6, g[2])), b = wasm_f32x4_mul(s12, g[1]);
  u[3] = wasm_f32x4_add(a, b);
  u[4] = wasm_f32x4_sub(a, b);
  u[5] = g[2];
}

/* Gᵀ v (the adjoint of G): α values → 3. */
static inline void wino_gt(int m, const v128_t *v, v128_t *o) {
  if (m == 2) {
    const v128_t h = wasm_f32x4_splat(0.5f);
    const v128_t s = wasm_f32x4_mul(h, wasm_f32x4_add(v[1], v[2]));
    o[0] = wasm_f32x4_add(v[0], s);
    o[1] = wasm_f32x4_mul(h, wasm_f32x4_sub(v[1], v[2]));
    o[2] = wasm_f32x4_add(s, v[3]);
    return;
  }
  const v128_t q = wasm_f32x4_splat(0.25f), s6 = wasm_f32x4_splat(1.0f / 6.0f), s24 = wasm_f32x4_splat(1.0f / 24.0f);
  const v128_t s12 = wasm_f32x4_splat(1.0f / 12.0f);
  const v128_t p12 = wasm_f32x4_add(v[1], v[2]), m12 = wasm_f32x4_sub(v[1], v[2]);
  const v128_t p34 = wasm_f32x4_add(v[3], v[4]), m34 = wasm_f32x4_sub(v[3], v[4]);
  /* −1/6 (v1 + v2) + 1/24 (v3 + v4) etc., from the columns of G */
  const v128_t sp = wasm_f32x4_sub(wasm_f32x4_mul(s24, p34), wasm_f32x4_mul(s6, p12));
  o[0] = wasm_f32x4_add(wasm_f32x4_mul(q, v[0]), sp);
  o[1] = wasm_f32x4_sub(wasm_f32x4_mul(s12, m34), wasm_f32x4_mul(s6, m12));
  o[2] = wasm_f32x4_add(wasm_f32x4_sub(wasm_f32x4_mul(s6, p34), wasm_f32x4_mul(s6, p12)), v[5]);
}

/* Separable 2-D transform of an a×a grid held as in[row][col] (row stride WA_MAX) into out (b×b). */
#define WINO_2D(FN, m, a, b, in, out)                                                                                     \
  do {                                                                                                                   \
    v128_t tmp_[WA_MAX][WA_MAX];                                                                                         \
    for (int c_ = 0; c_ < (a); c_++) {                                                                                   \
      v128_t col_[WA_MAX], r_[WA_MAX];                                                                                   \
      for (int r = 0; r < (a); r++) col_[r] = (in)[r][c_];                                                               \
      FN((m), col_, r_);                                                                                                 \
      for (int r = 0; r < (b); r++) tmp_[r][c_] = r_[r];                                                                 \
    }                                                                                                                    \
    for (int r = 0; r < (b); r++) FN((m), tmp_[r], (out)[r]);                                                            \
  } while (0)

/*
 * U = G g Gᵀ for every (ci, co) pair of a 3×3 filter. w: HWIO [3][3][ci][co]; with `flip`, w is a
 * forward filter [3][3][co][ci] used rotated by 180° with in / out swapped (as pack_w_flip), first
 * rearranged into `scratch` (9·ci·co floats). out: [α²][co8/8][ci][8], the padding columns zero.
 */
static inline __attribute__((always_inline)) void wino_pack_w_impl(const float *w, int ci, int co, int flip, float *scratch, float *out, const int m) {
  if (flip) {
    for (int t = 0; t < 9; t++) {
      const float *src = w + (long)(8 - t) * ci * co;
      float *dst = scratch + (long)t * ci * co;
      for (int j = 0; j < co; j++)
        for (int i = 0; i < ci; i++) dst[(long)i * co + j] = src[(long)j * ci + i];
    }
    w = scratch;
  }
  const int a = m + 2, panels = (co + NR - 1) / NR;
  const long plane = (long)panels * ci * NR;
  /* j outer, i inner: the stores run sequentially through each of the α² planes */
  for (int j = 0; j < panels * NR; j += 4)
    for (int i = 0; i < ci; i++) {
      float *o = out + ((long)(j / NR) * ci + i) * NR + (j % NR);
      if (j >= co) {
        for (int x = 0; x < a * a; x++) wasm_v128_store(o + x * plane, wasm_f32x4_splat(0.0f));
        continue;
      }
      v128_t g[WA_MAX][WA_MAX], u[WA_MAX][WA_MAX];
      for (int r = 0; r < 3; r++)
        for (int c = 0; c < 3; c++) g[r][c] = wasm_v128_load(w + ((long)(r * 3 + c) * ci + i) * co + j);
      WINO_2D(wino_g, m, 3, a, g, u);
      for (int r = 0; r < a; r++)
        for (int c = 0; c < a; c++) wasm_v128_store(o + (long)(r * a + c) * plane, u[r][c]);
    }
}

EXPORT("wino_pack_w") void wino_pack_w(const float *w, int ci, int co, int flip, int m, float *scratch, float *out) {
  if (m == 2) wino_pack_w_impl(w, ci, co, flip, scratch, out, 2);
  else wino_pack_w_impl(w, ci, co, flip, scratch, out, 4);
}

/* Tiles of the output: m×m, over N images of HO × WO. */
typedef struct {
  int m, a, tx_n, per_img, ntiles;
} tiling;

static tiling wino_tiling(const int *g, int m) {
  tiling t;
  t.m = m;
  t.a = m + 2;
  t.tx_n = (g[G_WO] + m - 1) / m;
  t.per_img = t.tx_n * ((g[G_HO] + m - 1) / m);
  t.ntiles = g[G_N] * t.per_img;
  return t;
}

/* V[ξ][q][ci] = (Bᵀ d B)[ξ] for tiles t0 + q, q < rows (zero for tiles past the end). */
static inline __attribute__((always_inline)) void wino_input(const float *x, const int *g, const float *zero, tiling tl, int t0, int rows, int tb, float *v) {
  const int H = g[G_H], W = g[G_W], ci = g[G_CI], a = tl.a;
  for (int q = 0; q < rows; q++) {
    const int t = t0 + q;
    const float *src[WA_MAX][WA_MAX];
    const int n = t / tl.per_img, r = t % tl.per_img;
    const int iy0 = (r / tl.tx_n) * tl.m - g[G_TOP], ix0 = (r % tl.tx_n) * tl.m - g[G_LEFT];
    for (int i = 0; i < a; i++)
      for (int j = 0; j < a; j++) {
        const int iy = iy0 + i, ix = ix0 + j;
        src[i][j] = (t < tl.ntiles && iy >= 0 && iy < H && ix >= 0 && ix < W) ? x + ((long)(n * H + iy) * W + ix) * ci : zero;
      }
    float *vo = v + (long)q * ci;
    for (int c = 0; c < ci; c += 4) {
      v128_t d[WA_MAX][WA_MAX], out[WA_MAX][WA_MAX];
      for (int i = 0; i < a; i++)
        for (int j = 0; j < a; j++) d[i][j] = wasm_v128_load(src[i][j] + c);
      WINO_2D(wino_bt, tl.m, a, a, d, out);
      for (int i = 0; i < a; i++)
        for (int j = 0; j < a; j++) wasm_v128_store(vo + (long)(i * a + j) * tb * ci + c, out[i][j]);
    }
  }
}

/*
 * y = conv(x, w) for a stride-1 3×3 convolution by Winograd F(m×m, 3×3). g: geometry as conv_fwd
 * (kh = kw = 3, sh = sw = 1, any padding); u: wino_pack_w output for the same m; zero: ≥ ci zero
 * floats; v, mb: room for α²·tb·ci and α²·tb·co8 floats, tb a multiple of MRF.
 */
static inline __attribute__((always_inline)) void conv_wino_impl(const float *x, const float *u, float *y, const int *g, const float *zero, float *v,
                                   float *mb, int tb, const int m) {
  const int HO = g[G_HO], WO = g[G_WO], ci = g[G_CI], co = g[G_CO];
  const tiling tl = wino_tiling(g, m);
  const int a = tl.a, panels = (co + NR - 1) / NR, co8 = panels * NR;
  for (int t0 = 0; t0 < tl.ntiles; t0 += tb) {
    const int nt = imin(tb, tl.ntiles - t0), groups = (nt + MRF - 1) / MRF;
    wino_input(x, g, zero, tl, t0, groups * MRF, tb, v);
    for (int xi = 0; xi < a * a; xi++) {
      const float *vx = v + (long)xi * tb * ci;
      float *mx = mb + (long)xi * tb * co8;
      for (int p = 0; p < panels; p++) {
        const float *b = u + ((long)xi * panels + p) * ci * NR;
        for (int gi = 0; gi < groups; gi++) {
          const float *r0 = vx + (long)gi * MRF * ci;
          const float *ind[MRF] = {r0, r0 + ci, r0 + 2 * ci, r0 + 3 * ci, r0 + 4 * ci, r0 + 5 * ci};
          ukernel_fwd(1, ci, ind, b, mx + (long)gi * MRF * co8 + p * NR, co8, MRF, NR);
        }
      }
    }
    for (int q = 0; q < nt; q++) {
      const int t = t0 + q, n = t / tl.per_img, r = t % tl.per_img;
      const int oy0 = (r / tl.tx_n) * m, ox0 = (r % tl.tx_n) * m;
      const int my = imin(m, HO - oy0), mx = imin(m, WO - ox0);
      const float *mq = mb + (long)q * co8;
      for (int c = 0; c < co; c += 4) {
        v128_t in[WA_MAX][WA_MAX], out[WA_MAX][WA_MAX];
        for (int i = 0; i < a; i++)
          for (int j = 0; j < a; j++) in[i][j] = wasm_v128_load(mq + (long)(i * a + j) * tb * co8 + c);
        WINO_2D(wino_at, m, a, m, in, out);
        for (int i = 0; i < my; i++) {
          float *yr = y + ((long)(n * HO + oy0 + i) * WO + ox0) * co + c;
          for (int j = 0; j < mx; j++) wasm_v128_store(yr + (long)j * co, out[i][j]);
        }
      }
    }
  }
}

EXPORT("conv_wino") void conv_wino(const float *x, const float *u, float *y, const int *g, const float *zero, float *v, float *mb, int tb, int m) {
  if (m == 2) conv_wino_impl(x, u, y, g, zero, v, mb, tb, 2);
  else conv_wino_impl(x, u, y, g, zero, v, mb, tb, 4);
}

/*
 * Filter gradient of a stride-1 3×3 convolution by Winograd F(m×m, 3×3):
 * du[ξ][ci][co8] += Σ_tiles V[ξ][t][ci] ⊗ Ŷ[ξ][t][co], Ŷ = A dY Aᵀ (the caller zeroes du; wino_unpack_dw
 * turns it into dW). dy: N × HO × WO × co; v, yh: room for α²·tb·ci and α²·tb·co8 floats; rows: tb pointers.
 */
static inline __attribute__((always_inline)) void conv_wino_bpf_impl(const float *x, const float *dy, float *du, const int *g, const float *zero,
                                           float *v, float *yh, const float **rows, int tb, const int m) {
  const int HO = g[G_HO], WO = g[G_WO], ci = g[G_CI], co = g[G_CO];
  const tiling tl = wino_tiling(g, m);
  const int a = tl.a, panels = (co + NR - 1) / NR, co8 = panels * NR;
  const v128_t z = wasm_f32x4_splat(0.0f);
  for (int t0 = 0; t0 < tl.ntiles; t0 += tb) {
    const int nt = imin(tb, tl.ntiles - t0);
    wino_input(x, g, zero, tl, t0, nt, tb, v);
    for (int q = 0; q < nt; q++) {
      const int t = t0 + q, n = t / tl.per_img, r = t % tl.per_img;
      const int oy0 = (r / tl.tx_n) * m, ox0 = (r % tl.tx_n) * m;
      const int my = imin(m, HO - oy0), mx = imin(m, WO - ox0);
      for (int c = 0; c < co8; c += 4) {
        v128_t in[WA_MAX][WA_MAX], out[WA_MAX][WA_MAX];
        for (int i = 0; i < m; i++)
          for (int j = 0; j < m; j++)
            in[i][j] = (i < my && j < mx && c < co) ? wasm_v128_load(dy + ((long)(n * HO + oy0 + i) * WO + ox0 + j) * co + c) : z;
        WINO_2D(wino_a, m, m, a, in, out);
        float *o = yh + ((long)(c / NR) * tb + q) * NR + (c % NR);
        for (int i = 0; i < a; i++)
          for (int j = 0; j < a; j++) wasm_v128_store(o + (long)(i * a + j) * panels * tb * NR, out[i][j]);
      }
    }
    for (int q = 0; q < nt; q++) rows[q] = v + (long)q * ci;
    for (int xi = 0; xi < a * a; xi++)
      for (int c0 = 0; c0 < ci; c0 += MR)
        for (int p = 0; p < panels; p++)
          ukernel_bpf(nt, rows, 1, (long)xi * tb * ci + c0, yh + ((long)xi * panels + p) * tb * NR, du + ((long)xi * ci + c0) * co8 + p * NR,
                      co8, MR, NR);
  }
}

EXPORT("conv_wino_bpf") void conv_wino_bpf(const float *x, const float *dy, float *du, const int *g, const float *zero, float *v, float *yh,
                                           const float **rows, int tb, int m) {
  if (m == 2) conv_wino_bpf_impl(x, dy, du, g, zero, v, yh, rows, tb, 2);
  else conv_wino_bpf_impl(x, dy, du, g, zero, v, yh, rows, tb, 4);
}

/* dw[3][3][ci][co] (HWIO) = Gᵀ du G per (ci, co) pair; du as conv_wino_bpf leaves it. */
static inline __attribute__((always_inline)) void wino_unpack_dw_impl(const float *du, int ci, int co, float *dw, const int m) {
  const int a = m + 2, co8 = (co + NR - 1) / NR * NR;
  const long plane = (long)ci * co8;
  for (int i = 0; i < ci; i++)
    for (int j = 0; j < co; j += 4) {
      v128_t in[WA_MAX][WA_MAX], out[WA_MAX][WA_MAX];
      for (int r = 0; r < a; r++)
        for (int c = 0; c < a; c++) in[r][c] = wasm_v128_load(du + (r * a + c) * plane + (long)i * co8 + j);
      WINO_2D(wino_gt, m, a, 3, in, out);
      for (int r = 0; r < 3; r++)
        for (int c = 0; c < 3; c++) wasm_v128_store(dw + ((long)(r * 3 + c) * ci + i) * co + j, out[r][c]);
    }
}

EXPORT("wino_unpack_dw") void wino_unpack_dw(const float *du, int ci, int co, int m, float *dw) {
  if (m == 2) wino_unpack_dw_impl(du, ci, co, dw, 2);
  else wino_unpack_dw_impl(du, ci, co, dw, 4);
}
