/**
 * Fast 2-D orthogonal Haar kernels (the CS default wavelet), used by waveletOp and waveletFrameOp in
 * place of the generic filter-bank code. One Haar level on a 2×2 block (a b / c d) is the orthogonal
 * map (Hadamard / 2)
 *   LL = (a + b + c + d)/2   (top-left quadrant)
 *   HL = (a − b + c − d)/2   (top-right: detail along x, approximation along y)
 *   LH = (a + b − c − d)/2   (bottom-left)
 *   HH = (a − b − c + d)/2   (bottom-right)
 * which is exactly what the separable filter bank (rows, then columns, periodic, lo = [√½, √½],
 * hi = [√½, −√½]) computes, in the same Mallat layout. The matrix is symmetric, so synthesis applies it
 * again. The first (finest) level can read its input circularly shifted by (dy, dx) — the cycle spin of
 * the wavelet frame — and the matching synthesis adds into its output at the shifted positions, so the
 * frame needs no separate shift pass. No allocation per call: callers pass the scratch buffers.
 */

/** Column indices (2j + dx) mod w and (2j + 1 + dx) mod w, j < w/2, in complex elements. */
export function haarColumnIndex(w: number, dx: number): { c0: Int32Array; c1: Int32Array } {
  const half = w >> 1;
  const c0 = new Int32Array(half);
  const c1 = new Int32Array(half);
  for (let j = 0; j < half; j++) {
    c0[j] = (2 * j + dx) % w;
    c1[j] = (2 * j + 1 + dx) % w;
  }
  return { c0, c1 };
}

/**
 * Analysis of the finest level: src is an h×w image (row stride w), read at ((y + dy) mod h, c0/c1[j]);
 * dst receives the h×w Mallat block (row stride w), times `scale`. dst must not alias src.
 */
export function haarAnalyzeShifted(
  src: Float32Array,
  dst: Float32Array,
  dstOffset: number,
  h: number,
  w: number,
  dy: number,
  cols: { c0: Int32Array; c1: Int32Array },
  scale: number,
): void {
  const hh = h >> 1;
  const hw = w >> 1;
  const s = 0.5 * scale;
  const { c0, c1 } = cols;
  for (let i = 0; i < hh; i++) {
    const r0 = 2 * ((2 * i + dy) % h) * w;
    const r1 = 2 * ((2 * i + 1 + dy) % h) * w;
    const oLL = dstOffset + 2 * i * w;
    const oLH = dstOffset + 2 * (hh + i) * w;
    for (let j = 0; j < hw; j++) {
      const x0 = 2 * c0[j];
      const x1 = 2 * c1[j];
      const ar = src[r0 + x0];
      const ai = src[r0 + x0 + 1];
      const br = src[r0 + x1];
      const bi = src[r0 + x1 + 1];
      const cr = src[r1 + x0];
      const ci = src[r1 + x0 + 1];
      const dr = src[r1 + x1];
      const di = src[r1 + x1 + 1];
      const spr = ar + br;
      const spi = ai + bi;
      const smr = ar - br;
      const smi = ai - bi;
      const tpr = cr + dr;
      const tpi = ci + di;
      const tmr = cr - dr;
      const tmi = ci - di;
      const a = oLL + 2 * j;
      const b = a + 2 * hw;
      const c = oLH + 2 * j;
      const d = c + 2 * hw;
      dst[a] = (spr + tpr) * s;
      dst[a + 1] = (spi + tpi) * s;
      dst[b] = (smr + tmr) * s;
      dst[b + 1] = (smi + tmi) * s;
      dst[c] = (spr - tpr) * s;
      dst[c + 1] = (spi - tpi) * s;
      dst[d] = (smr - tmr) * s;
      dst[d + 1] = (smi - tmi) * s;
    }
  }
}

/**
 * Synthesis of the finest level, the exact adjoint of haarAnalyzeShifted: src holds the h×w Mallat block
 * at srcOffset; the result times `scale` is written (accumulate = false) or added (accumulate = true)
 * into dst at the shifted positions. dst must not alias src.
 */
export function haarSynthesizeShifted(
  src: Float32Array,
  srcOffset: number,
  dst: Float32Array,
  h: number,
  w: number,
  dy: number,
  cols: { c0: Int32Array; c1: Int32Array },
  scale: number,
  accumulate: boolean,
): void {
  const hh = h >> 1;
  const hw = w >> 1;
  const s = 0.5 * scale;
  const { c0, c1 } = cols;
  for (let i = 0; i < hh; i++) {
    const r0 = 2 * ((2 * i + dy) % h) * w;
    const r1 = 2 * ((2 * i + 1 + dy) % h) * w;
    const oLL = srcOffset + 2 * i * w;
    const oLH = srcOffset + 2 * (hh + i) * w;
    for (let j = 0; j < hw; j++) {
      const a = oLL + 2 * j;
      const b = a + 2 * hw;
      const c = oLH + 2 * j;
      const d = c + 2 * hw;
      const llr = src[a];
      const lli = src[a + 1];
      const hlr = src[b];
      const hli = src[b + 1];
      const lhr = src[c];
      const lhi = src[c + 1];
      const hhr = src[d];
      const hhi = src[d + 1];
      const pr = llr + lhr;
      const pi = lli + lhi;
      const mr = llr - lhr;
      const mi = lli - lhi;
      const qr = hlr + hhr;
      const qi = hli + hhi;
      const nr = hlr - hhr;
      const ni = hli - hhi;
      const x0 = 2 * c0[j];
      const x1 = 2 * c1[j];
      if (accumulate) {
        dst[r0 + x0] += (pr + qr) * s;
        dst[r0 + x0 + 1] += (pi + qi) * s;
        dst[r0 + x1] += (pr - qr) * s;
        dst[r0 + x1 + 1] += (pi - qi) * s;
        dst[r1 + x0] += (mr + nr) * s;
        dst[r1 + x0 + 1] += (mi + ni) * s;
        dst[r1 + x1] += (mr - nr) * s;
        dst[r1 + x1 + 1] += (mi - ni) * s;
      } else {
        dst[r0 + x0] = (pr + qr) * s;
        dst[r0 + x0 + 1] = (pi + qi) * s;
        dst[r0 + x1] = (pr - qr) * s;
        dst[r0 + x1 + 1] = (pi - qi) * s;
        dst[r1 + x0] = (mr + nr) * s;
        dst[r1 + x0 + 1] = (mi + ni) * s;
        dst[r1 + x1] = (mr - nr) * s;
        dst[r1 + x1 + 1] = (mi - ni) * s;
      }
    }
  }
}

/**
 * Coarser levels 1 … levels−1 in place on the top-left blocks of the h×w array at `offset` (row stride
 * w), through `tmp` (≥ 2·(h/2)·(w/2) floats).
 */
export function haarAnalyzeCoarse(
  o: Float32Array,
  offset: number,
  h: number,
  w: number,
  levels: number,
  tmp: Float32Array,
): void {
  for (let l = 1; l < levels; l++) {
    const hh = h >> l;
    const ww = w >> l;
    copyBlockOut(o, offset, w, hh, ww, tmp);
    blockAnalyze(tmp, ww, hh, o, offset, w);
  }
}

/** Inverse of haarAnalyzeCoarse (levels−1 … 1), in place. */
export function haarSynthesizeCoarse(
  o: Float32Array,
  offset: number,
  h: number,
  w: number,
  levels: number,
  tmp: Float32Array,
): void {
  for (let l = levels - 1; l >= 1; l--) {
    const hh = h >> l;
    const ww = w >> l;
    copyBlockOut(o, offset, w, hh, ww, tmp);
    blockSynthesize(tmp, ww, hh, o, offset, w);
  }
}

function copyBlockOut(o: Float32Array, offset: number, stride: number, hh: number, ww: number, tmp: Float32Array): void {
  for (let y = 0; y < hh; y++) {
    const s = offset + 2 * y * stride;
    tmp.set(o.subarray(s, s + 2 * ww), 2 * y * ww);
  }
}

/** One level: compact hh×ww src (stride ww) → Mallat block in dst (stride `stride`). */
function blockAnalyze(src: Float32Array, ww: number, hh: number, dst: Float32Array, offset: number, stride: number): void {
  const h2 = hh >> 1;
  const w2 = ww >> 1;
  for (let i = 0; i < h2; i++) {
    const r0 = 4 * i * ww;
    const r1 = r0 + 2 * ww;
    const oA = offset + 2 * i * stride;
    const oC = offset + 2 * (h2 + i) * stride;
    for (let j = 0; j < w2; j++) {
      const x0 = 4 * j;
      for (let k = 0; k < 2; k++) {
        const a = src[r0 + x0 + k];
        const b = src[r0 + x0 + 2 + k];
        const c = src[r1 + x0 + k];
        const d = src[r1 + x0 + 2 + k];
        dst[oA + 2 * j + k] = 0.5 * (a + b + c + d);
        dst[oA + 2 * (w2 + j) + k] = 0.5 * (a - b + c - d);
        dst[oC + 2 * j + k] = 0.5 * (a + b - c - d);
        dst[oC + 2 * (w2 + j) + k] = 0.5 * (a - b - c + d);
      }
    }
  }
}

/** Inverse of blockAnalyze: Mallat block in src (compact, stride ww) → image block in dst. */
function blockSynthesize(src: Float32Array, ww: number, hh: number, dst: Float32Array, offset: number, stride: number): void {
  const h2 = hh >> 1;
  const w2 = ww >> 1;
  for (let i = 0; i < h2; i++) {
    const oA = 2 * i * ww;
    const oC = 2 * (h2 + i) * ww;
    const r0 = offset + 2 * (2 * i) * stride;
    const r1 = r0 + 2 * stride;
    for (let j = 0; j < w2; j++) {
      for (let k = 0; k < 2; k++) {
        const ll = src[oA + 2 * j + k];
        const hl = src[oA + 2 * (w2 + j) + k];
        const lh = src[oC + 2 * j + k];
        const hhv = src[oC + 2 * (w2 + j) + k];
        dst[r0 + 4 * j + k] = 0.5 * (ll + hl + lh + hhv);
        dst[r0 + 4 * j + 2 + k] = 0.5 * (ll - hl + lh - hhv);
        dst[r1 + 4 * j + k] = 0.5 * (ll + hl - lh - hhv);
        dst[r1 + 4 * j + 2 + k] = 0.5 * (ll - hl - lh + hhv);
      }
    }
  }
}
