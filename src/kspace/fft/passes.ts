/**
 * The two passes of a 2-D FFT over an interleaved float32 image. Each pass gathers a block of lines
 * (rows or columns) into split float64 [n][L] buffers, applying the centring shift while copying, runs
 * the 1-D FFT on all L lanes at once, and scatters back with the shift, normalisation and (for the
 * inverse) conjugation. Lines are read before any of them is written, so src may be dst (in place).
 *
 * Centring: fftshift(fft(ifftshift(v))) reads input index (j + ⌊n/2⌋) mod n and writes output k to
 * (k + ⌊n/2⌋) mod n — the same offset on both sides, odd n included.
 * Inverse: ifft(v) = conj(fft(conj(v))) / n, so only forward kernels exist.
 */
import { executeLanes, getPlan } from './plan';

// Measured flat between 16 and 256 lanes; ~16k doubles per array keeps a block within L2.
const TARGET = 16384;
const MINB = 8;
const MAXB = 64;
let bufs: Float64Array[] = [];

/** Shared split re/im scratch, [ar, ai, br, bi]; callers keep them in locals so hot loops see constants. */
function scratch(size: number): Float64Array[] {
  if (bufs.length === 0 || bufs[0].length < size) bufs = [0, 1, 2, 3].map(() => new Float64Array(size));
  return bufs;
}

/** Lanes per block: enough for long inner loops, few enough that the block stays in cache. */
function blockLanes(n: number, lines: number): number {
  const b = Math.max(MINB, Math.min(MAXB, Math.floor(TARGET / n)));
  return Math.min(b, lines);
}

/** FFT along x (length w) of every row of the h×w image at src[srcOff…] into dst[dstOff…]. */
export function rowPass(
  src: Float32Array,
  srcOff: number,
  dst: Float32Array,
  dstOff: number,
  h: number,
  w: number,
  inverse: boolean,
  centred: boolean,
): void {
  const plan = getPlan(w);
  const B = blockLanes(w, h);
  const [ar, ai, br, bi] = scratch(w * B);
  const f = centred ? w >> 1 : 0;
  const sg = inverse ? -1 : 1;
  const scale = 1 / Math.sqrt(w);
  const si = sg * scale;
  for (let y0 = 0; y0 < h; y0 += B) {
    const L = Math.min(B, h - y0);
    // Strided reads, contiguous writes: the lanes of one element j are filled together.
    const rowStride = 2 * w;
    const base = srcOff + 2 * y0 * w;
    for (let j = 0; j < w; j++) {
      let sx = j + f;
      if (sx >= w) sx -= w;
      let s = base + 2 * sx;
      const o = j * L;
      for (let l = 0; l < L; l++, s += rowStride) {
        ar[o + l] = src[s];
        ai[o + l] = sg * src[s + 1];
      }
    }
    const inB = executeLanes(plan, ar, ai, br, bi, L);
    const rr = inB ? br : ar;
    const ri = inB ? bi : ai;
    for (let l = 0; l < L; l++) {
      const row = dstOff + 2 * (y0 + l) * w;
      let d = row + 2 * f;
      let k = 0;
      for (; k < w - f; k++, d += 2) {
        dst[d] = rr[k * L + l] * scale;
        dst[d + 1] = ri[k * L + l] * si;
      }
      d = row;
      for (; k < w; k++, d += 2) {
        dst[d] = rr[k * L + l] * scale;
        dst[d + 1] = ri[k * L + l] * si;
      }
    }
  }
}

/** FFT along y (length h) of every column of the h×w image at src[srcOff…] into dst[dstOff…]. */
export function colPass(
  src: Float32Array,
  srcOff: number,
  dst: Float32Array,
  dstOff: number,
  h: number,
  w: number,
  inverse: boolean,
  centred: boolean,
): void {
  const plan = getPlan(h);
  const B = blockLanes(h, w);
  const [ar, ai, br, bi] = scratch(h * B);
  const f = centred ? h >> 1 : 0;
  const sg = inverse ? -1 : 1;
  const scale = 1 / Math.sqrt(h);
  const si = sg * scale;
  for (let c0 = 0; c0 < w; c0 += B) {
    const L = Math.min(B, w - c0);
    for (let j = 0; j < h; j++) {
      let sy = j + f;
      if (sy >= h) sy -= h;
      const s = srcOff + 2 * (sy * w + c0);
      const o = j * L;
      for (let l = 0; l < L; l++) {
        ar[o + l] = src[s + 2 * l];
        ai[o + l] = sg * src[s + 2 * l + 1];
      }
    }
    const inB = executeLanes(plan, ar, ai, br, bi, L);
    const rr = inB ? br : ar;
    const ri = inB ? bi : ai;
    for (let k = 0; k < h; k++) {
      let dy = k + f;
      if (dy >= h) dy -= h;
      const d = dstOff + 2 * (dy * w + c0);
      const o = k * L;
      for (let l = 0; l < L; l++) {
        dst[d + 2 * l] = rr[o + l] * scale;
        dst[d + 2 * l + 1] = ri[o + l] * si;
      }
    }
  }
}
