/**
 * Pixel data → stored values, per frame: native (any byte order, 1/8/16/32 bits), RLE, JPEG family
 * and JPEG 2000, then BitsStored masking and sign extension the way PS3.5 §8 defines them.
 */
import { dicomParser, type DataSet, type Element } from './parser-module';
import { decodeJpegLossless, decoderFailure, decodeWasm, j2kHeader, jpegHeader, type CodestreamHeader } from './codecs';
import { decodeRleFrame } from './rle';
import type { TransferSyntax } from './syntax';

export interface PixelModule {
  rows: number;
  cols: number;
  frames: number;
  samples: number;
  bitsAllocated: number;
  bitsStored: number;
  highBit: number;
  signed: boolean;
  /** Float Pixel Data / Double Float Pixel Data instead of integers */
  float: 0 | 32 | 64;
}

/** Bytes of the whole pixel matrix; throws when the attributes are absurd. */
export function expectedBytes(p: PixelModule, file: string): number {
  const values = p.rows * p.cols * p.frames * p.samples;
  const bits = values * (p.float || p.bitsAllocated);
  if (!(values > 0) || !Number.isSafeInteger(bits) || values > 2 ** 31 - 1) {
    throw new Error(`${file}: image size ${p.rows}×${p.cols}×${p.frames} frames×${p.samples} samples is not loadable`);
  }
  return Math.ceil(bits / 8);
}

/** Sign-extends / masks a raw sample to BitsStored bits (the stored value PS3.5 §8.1.1 defines). */
function storedValue(raw: number, p: PixelModule): number {
  const shift = p.highBit + 1 - p.bitsStored;
  let v = shift > 0 ? Math.floor(raw / 2 ** shift) : raw;
  if (p.bitsStored >= 32) return p.signed ? v | 0 : v >>> 0;
  const span = 2 ** p.bitsStored;
  v = ((v % span) + span) % span;
  return p.signed && v >= span / 2 ? v - span : v;
}

function nativeFrame(bytes: Uint8Array, f: number, p: PixelModule, bigEndian: boolean, file: string): Float64Array {
  const n = p.rows * p.cols * p.samples;
  const out = new Float64Array(n);
  if (p.float) {
    const size = p.float / 8;
    const v = new DataView(bytes.buffer, bytes.byteOffset + f * n * size, n * size);
    for (let i = 0; i < n; i++) out[i] = size === 4 ? v.getFloat32(i * 4, !bigEndian) : v.getFloat64(i * 8, !bigEndian);
    return out;
  }
  if (p.bitsAllocated === 1) {
    const bit0 = f * n;
    for (let i = 0; i < n; i++) out[i] = (bytes[(bit0 + i) >> 3] >> ((bit0 + i) & 7)) & 1;
    return out;
  }
  const size = p.bitsAllocated / 8;
  if (![1, 2, 4].includes(size)) throw new Error(`${file}: Bits Allocated ${p.bitsAllocated} is not supported`);
  const v = new DataView(bytes.buffer, bytes.byteOffset + f * n * size, n * size);
  for (let i = 0; i < n; i++) {
    const raw = size === 1 ? v.getUint8(i) : size === 2 ? v.getUint16(2 * i, !bigEndian) : v.getUint32(4 * i, !bigEndian);
    out[i] = storedValue(raw, p);
  }
  return out;
}

/** Planar-configuration-free (pixel-interleaved) little-endian bytes → stored values. */
function fromLittleEndian(bytes: Uint8Array, bytesPerSample: number, p: PixelModule): Float64Array {
  const n = p.rows * p.cols * p.samples;
  const out = new Float64Array(n);
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < n; i++) {
    const raw = bytesPerSample === 1 ? v.getUint8(i) : bytesPerSample === 2 ? v.getUint16(2 * i, true) : v.getUint32(4 * i, true);
    out[i] = storedValue(raw, p);
  }
  return out;
}

/** The encapsulated fragments of frame f, concatenated. */
export function encapsulatedFrame(ds: DataSet, el: Element, f: number, p: PixelModule, file: string): Uint8Array {
  const fragments = el.fragments ?? [];
  if (fragments.length === 0) throw new Error(`${file}: encapsulated pixel data has no fragments`);
  try {
    if (p.frames === 1) return dicomParser.readEncapsulatedPixelDataFromFragments(ds, el, 0, fragments.length) as Uint8Array;
    if (el.basicOffsetTable && el.basicOffsetTable.length === p.frames) {
      return dicomParser.readEncapsulatedImageFrame(ds, el, f) as Uint8Array;
    }
    if (fragments.length === p.frames) return dicomParser.readEncapsulatedPixelDataFromFragments(ds, el, f, 1) as Uint8Array;
  } catch (e) {
    throw new Error(`${file}: cannot read frame ${f} of the encapsulated pixel data (${(e as Error).message})`);
  }
  throw new Error(
    `${file}: ${fragments.length} fragments and no offset table: cannot tell where each of ${p.frames} frames starts`,
  );
}

function checkHeader(h: CodestreamHeader | null, p: PixelModule, kind: string, file: string): CodestreamHeader {
  if (!h) throw new Error(`${file}: ${kind} frame has no readable frame header`);
  if (h.width !== p.cols || h.height !== p.rows || h.components !== p.samples) {
    throw new Error(
      `${file}: ${kind} frame is ${h.width}×${h.height}×${h.components}, the DICOM attributes say ${p.cols}×${p.rows}×${p.samples}`,
    );
  }
  return h;
}

function checkDecodedLength(bytes: Uint8Array, need: number, kind: string, file: string): void {
  if (bytes.length < need) throw new Error(`${file}: ${kind} decoder returned ${bytes.length} bytes, the frame needs ${need}`);
}

export async function decodeFrame(
  ds: DataSet,
  el: Element,
  f: number,
  p: PixelModule,
  ts: TransferSyntax,
  file: string,
): Promise<Float64Array> {
  if (ts.encoding === 'native')
    return nativeFrame(
      // (the caller checked that the frames' bytes are there; a length running past the end of a
      // damaged file is cut to what the file holds)
      new Uint8Array(
        ds.byteArray.buffer,
        ds.byteArray.byteOffset + el.dataOffset,
        Math.min(el.length, ds.byteArray.length - el.dataOffset),
      ),
      f,
      p,
      !!ts.bigEndian,
      file,
    );
  if (p.float) throw new Error(`${file}: float pixel data cannot be compressed`);
  if (p.samples !== 1) throw new Error(`${file}: compressed colour images (Samples per Pixel ${p.samples}) are not supported`);
  const frame = encapsulatedFrame(ds, el, f, p, file);
  const n = p.rows * p.cols;
  switch (ts.encoding) {
    case 'rle': {
      const bps = p.bitsAllocated / 8;
      if (![1, 2, 4].includes(bps)) throw new Error(`${file}: RLE with Bits Allocated ${p.bitsAllocated} is not supported`);
      return fromLittleEndian(decodeRleFrame(frame, p.rows, p.cols, p.samples, bps, file), bps, p);
    }
    case 'jpeg': {
      const h = checkHeader(jpegHeader(frame), p, 'JPEG', file);
      if (h.precision !== 8) {
        // libjpeg-turbo here is the 8-bit build; the JS fallbacks some viewers use decode 12-bit frames
        // with an offset, and we return exact values or nothing
        throw new Error(
          `${file}: ${h.precision}-bit lossy JPEG (${ts.name}) cannot be decoded exactly here; convert it with dcmdjpeg first`,
        );
      }
      if (h.marker !== 0xc0 && h.marker !== 0xc1)
        throw new Error(`${file}: JPEG process with SOF marker 0x${h.marker.toString(16)} is not supported`);
      const d = await decodeWasm('jpeg', frame, file);
      checkDecodedLength(d.bytes, n, 'JPEG', file);
      return fromLittleEndian(d.bytes, 1, { ...p, bitsStored: Math.min(p.bitsStored, 8), highBit: Math.min(p.highBit, 7) });
    }
    case 'jpeg-lossless': {
      const h = checkHeader(jpegHeader(frame), p, 'JPEG lossless', file);
      if (h.marker !== 0xc3)
        throw new Error(`${file}: expected a lossless JPEG frame (SOF3), found SOF marker 0x${h.marker.toString(16)}`);
      const bps = h.precision > 8 ? 2 : 1;
      let out: Uint8Array | Uint16Array;
      try {
        out = decodeJpegLossless(frame, bps);
      } catch (e) {
        throw new Error(`${file}: JPEG lossless decode failed (${decoderFailure(e)})`);
      }
      const bytes = new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
      checkDecodedLength(bytes, n * bps, 'JPEG lossless', file);
      return fromLittleEndian(bytes, bps, p);
    }
    case 'jpeg-ls': {
      const h = checkHeader(jpegHeader(frame), p, 'JPEG-LS', file);
      if (h.marker !== 0xf7)
        throw new Error(`${file}: expected a JPEG-LS frame (SOF55), found SOF marker 0x${h.marker.toString(16)}`);
      const d = await decodeWasm('jpeg-ls', frame, file);
      const bps = d.info.bitsPerSample > 8 ? 2 : 1;
      checkDecodedLength(d.bytes, n * bps, 'JPEG-LS', file);
      return fromLittleEndian(d.bytes, bps, p);
    }
    case 'jpeg2000': {
      const h = checkHeader(j2kHeader(frame), p, 'JPEG 2000', file);
      const d = await decodeWasm('jpeg2000', frame, file);
      const bps = d.info.bitsPerSample > 8 ? 2 : 1;
      checkDecodedLength(d.bytes, n * bps, 'JPEG 2000', file);
      // an unsigned codestream in a signed dataset holds two's-complement samples of the codestream's
      // precision (BitsStored may disagree with it; the codestream wins, as in pydicom and GDCM)
      const v = new DataView(d.bytes.buffer, d.bytes.byteOffset, d.bytes.byteLength);
      const out = new Float64Array(n);
      const span = 2 ** h.precision;
      for (let i = 0; i < n; i++) {
        let x =
          bps === 1 ? (h.signed ? v.getInt8(i) : v.getUint8(i)) : h.signed ? v.getInt16(2 * i, true) : v.getUint16(2 * i, true);
        if (!h.signed && p.signed && x >= span / 2) x -= span;
        out[i] = x;
      }
      return out;
    }
  }
  throw new Error(`${file}: ${ts.name} is not supported`);
}
