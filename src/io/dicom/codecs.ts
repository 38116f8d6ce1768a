/**
 * Compressed-frame decoders. The wasm codecs (libjpeg-turbo 8-bit, CharLS, OpenJPEG) and the JS JPEG
 * lossless decoder are loaded lazily. Their decode calls are synchronous and cannot be interrupted, so
 * each codestream's header is read first and its size checked against the DICOM attributes: a frame
 * that claims more than the element holds is refused before any decoder runs.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

interface FrameInfo {
  width: number;
  height: number;
  bitsPerSample: number;
  componentCount: number;
  isSigned?: boolean;
}
interface WasmDecoder {
  getEncodedBuffer(length: number): Uint8Array;
  getDecodedBuffer(): Uint8Array;
  getFrameInfo(): FrameInfo;
  decode(): void;
  delete(): void;
}
type WasmModule = Record<string, new () => WasmDecoder>;

const modules = new Map<string, Promise<WasmModule>>();

function loadWasm(pkg: string): Promise<WasmModule> {
  let m = modules.get(pkg);
  if (!m) {
    m = (async () => {
      const factory = require(`${pkg}/decodewasmjs`) as (() => Promise<WasmModule>) | { default: () => Promise<WasmModule> };
      return typeof factory === 'function' ? factory() : factory.default();
    })();
    m.catch(() => modules.delete(pkg));
    modules.set(pkg, m);
  }
  return m;
}

export type CodecName = 'jpeg' | 'jpeg-ls' | 'jpeg2000';
const PACKAGES: Record<CodecName, [string, string]> = {
  jpeg: ['@cornerstonejs/codec-libjpeg-turbo-8bit', 'JPEGDecoder'],
  'jpeg-ls': ['@cornerstonejs/codec-charls', 'JpegLSDecoder'],
  jpeg2000: ['@cornerstonejs/codec-openjpeg', 'J2KDecoder'],
};

/** Loads a codec's wasm module now, so later synchronous decodes need no await. */
export async function prepareCodec(name: CodecName): Promise<void> {
  await loadWasm(PACKAGES[name][0]);
}

export interface Decoded {
  /** little-endian samples: 1 byte each when bits ≤ 8, else 2 */
  bytes: Uint8Array;
  info: FrameInfo;
}

const LABELS: Record<CodecName, string> = { jpeg: 'JPEG', 'jpeg-ls': 'JPEG-LS', jpeg2000: 'JPEG 2000' };

/** What a decoder threw, in words: the wasm codecs throw C++ exceptions, which reach JS as bare numbers. */
export function decoderFailure(e: unknown): string {
  if (e instanceof Error) return e.message.split('\n')[0];
  if (typeof e === 'string') return e.split('\n')[0];
  return 'the decoder rejected the codestream as corrupt';
}

/** Decodes one frame; `file` names the DICOM file in the error when the codestream is corrupt. */
export async function decodeWasm(name: CodecName, frame: Uint8Array, file = 'DICOM'): Promise<Decoded> {
  const [pkg, cls] = PACKAGES[name];
  const mod = await loadWasm(pkg);
  const dec = new mod[cls]();
  try {
    dec.getEncodedBuffer(frame.length).set(frame);
    dec.decode();
    const info = dec.getFrameInfo();
    return { bytes: dec.getDecodedBuffer().slice(), info: { ...info } };
  } catch (e) {
    throw new Error(`${file}: ${LABELS[name]} decode failed (${decoderFailure(e)})`);
  } finally {
    dec.delete();
  }
}

interface LosslessDecoder {
  decode(buffer: ArrayBuffer, offset: number, length: number, numBytes?: number): Uint8Array | Uint16Array;
}

/** JPEG lossless (process 14, any predictor) through jpeg-lossless-decoder-js. */
export function decodeJpegLossless(frame: Uint8Array, bytesPerSample: number): Uint8Array | Uint16Array {
  const { Decoder } = require('jpeg-lossless-decoder-js') as { Decoder: new () => LosslessDecoder };
  const copy = Uint8Array.prototype.slice.call(frame) as Uint8Array; // a Buffer's slice() would share the pool
  return new Decoder().decode(copy.buffer as ArrayBuffer, 0, copy.length, bytesPerSample);
}

export interface CodestreamHeader {
  width: number;
  height: number;
  components: number;
  precision: number;
  /** JPEG SOF marker (0xC0 … 0xCF, 0xF7 for JPEG-LS) or 0x51 (J2K SIZ) */
  marker: number;
  signed?: boolean;
}

/** Reads the frame header of a JPEG / JPEG-LS codestream (the SOFn or SOF55 segment). */
export function jpegHeader(b: Uint8Array): CodestreamHeader | null {
  if (b[0] !== 0xff || b[1] !== 0xd8) return null;
  let i = 2;
  while (i + 4 <= b.length) {
    if (b[i] !== 0xff) return null;
    const m = b[i + 1];
    if (m === 0xff) {
      i++;
      continue;
    }
    const len = (b[i + 2] << 8) | b[i + 3];
    const isSof = (m >= 0xc0 && m <= 0xcf && m !== 0xc4 && m !== 0xc8 && m !== 0xcc) || m === 0xf7;
    if (isSof) {
      if (i + 10 > b.length) return null;
      return {
        marker: m,
        precision: b[i + 4],
        height: (b[i + 5] << 8) | b[i + 6],
        width: (b[i + 7] << 8) | b[i + 8],
        components: b[i + 9],
      };
    }
    if (m === 0xda) return null; // scan before any frame header
    i += 2 + len;
  }
  return null;
}

/** Reads the SIZ segment of a JPEG 2000 codestream (raw or inside a JP2 wrapper). */
export function j2kHeader(b: Uint8Array): CodestreamHeader | null {
  let i = 0;
  for (; i + 1 < b.length && i < 4096; i++)
    if (b[i] === 0xff && b[i + 1] === 0x4f && b[i + 2] === 0xff && b[i + 3] === 0x51) break;
  if (i + 1 >= b.length || i >= 4096) return null;
  const s = i + 4; // Lsiz
  if (s + 40 > b.length) return null;
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const xsiz = v.getUint32(s + 4);
  const ysiz = v.getUint32(s + 8);
  const xo = v.getUint32(s + 12);
  const yo = v.getUint32(s + 16);
  const csiz = v.getUint16(s + 36);
  const ssiz = b[s + 38];
  return {
    marker: 0x51,
    width: xsiz - xo,
    height: ysiz - yo,
    components: csiz,
    precision: (ssiz & 0x7f) + 1,
    signed: (ssiz & 0x80) !== 0,
  };
}
