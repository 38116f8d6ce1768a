/** Messages between FftPool and fft.worker. Offsets and sizes count float32 elements. */
export interface FftJob {
  id: number;
  /**
   * fft / ifft: centred 2-D transforms of `batch` images src → dst (may be the same memory);
   * sumsq: dst (h·w floats) = Σ over the `batch` images of |ifft2c(image)|², added to dst's contents
   * when accumulate is set.
   */
  op: 'fft' | 'ifft' | 'sumsq';
  accumulate?: boolean;
  /** the pool's FFT backend, so workers compute exactly what the calling thread would */
  backend: 'auto' | 'wasm' | 'ts';
  src: SharedArrayBuffer;
  srcOffset: number;
  dst: SharedArrayBuffer;
  dstOffset: number;
  batch: number;
  h: number;
  w: number;
}

export type FftReply = { id: number; ok: true } | { id: number; ok: false; error: string };
