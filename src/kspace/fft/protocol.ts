/** Messages between FftPool and fft.worker. Offsets and sizes count float32 elements. */
export interface FftJob {
  id: number;
  inverse: boolean;
  src: SharedArrayBuffer;
  srcOffset: number;
  dst: SharedArrayBuffer;
  dstOffset: number;
  batch: number;
  h: number;
  w: number;
}

export type FftReply = { id: number; ok: true } | { id: number; ok: false; error: string };
