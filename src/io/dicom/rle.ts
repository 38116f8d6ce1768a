/**
 * DICOM RLE Lossless (PS3.5 Annex G): a 64-byte header of up to 15 segment offsets, each segment a
 * PackBits stream of one byte plane, most significant byte first, one segment per sample and byte.
 */

/** Decodes one frame into little-endian sample bytes laid out pixel-interleaved (planar 0). */
export function decodeRleFrame(
  frame: Uint8Array,
  rows: number,
  cols: number,
  samples: number,
  bytesPerSample: number,
  file: string,
): Uint8Array {
  if (frame.length < 64) throw new Error(`${file}: RLE frame is shorter than its 64-byte header`);
  const v = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
  const nseg = v.getUint32(0, true);
  const expected = samples * bytesPerSample;
  if (nseg !== expected)
    throw new Error(
      `${file}: RLE frame has ${nseg} segments, expected ${expected} (${samples} samples × ${bytesPerSample} bytes)`,
    );
  const offsets = Array.from({ length: nseg }, (_, i) => v.getUint32(4 + 4 * i, true));
  const pixels = rows * cols;
  const out = new Uint8Array(pixels * expected);
  for (let s = 0; s < nseg; s++) {
    const start = offsets[s];
    const end = s + 1 < nseg ? offsets[s + 1] : frame.length;
    if (start < 64 || start > end || end > frame.length)
      throw new Error(`${file}: RLE segment ${s} offset ${start} is out of range`);
    const sample = Math.floor(s / bytesPerSample);
    // segments run MSB first; our output is little-endian
    const byteInSample = bytesPerSample - 1 - (s % bytesPerSample);
    const stride = expected;
    let o = sample * bytesPerSample + byteInSample;
    let written = 0;
    let i = start;
    while (i < end && written < pixels) {
      const n = (frame[i++] << 24) >> 24;
      if (n >= 0) {
        const count = n + 1;
        if (i + count > end) throw new Error(`${file}: RLE segment ${s} literal run overruns the segment`);
        for (let k = 0; k < count && written < pixels; k++, written++, o += stride) out[o] = frame[i + k];
        i += count;
      } else if (n !== -128) {
        const count = 1 - n;
        if (i >= end) throw new Error(`${file}: RLE segment ${s} ends inside a replicate run`);
        const b = frame[i++];
        for (let k = 0; k < count && written < pixels; k++, written++, o += stride) out[o] = b;
      }
    }
    if (written < pixels) throw new Error(`${file}: RLE segment ${s} holds ${written} of ${pixels} pixels`);
  }
  return out;
}
