/**
 * One DICOM file → its image attributes, patient geometry and stored pixel values (per frame), with
 * the modality rescale to apply. Every failure is a one-line Error naming the file.
 */
import { readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { dicomParser, type DataSet, type ParseDicomOptions } from './parser-module';
import type { Vec3 } from '../volume';
import { prepareCodec } from './codecs';
import { decodeFrame, expectedBytes, type PixelModule } from './pixels';
import { transferSyntax, type TransferSyntax } from './syntax';
import { oneLineError, printable } from '../printable';

export interface DicomHeader {
  path: string;
  name: string;
  transferSyntax: TransferSyntax;
  sopClassUid: string;
  sopInstanceUid: string;
  studyUid: string;
  seriesUid: string;
  seriesNumber: number | null;
  seriesDescription: string;
  instanceNumber: number | null;
  modality: string;
  patientName: string;
  patientId: string;
  studyDate: string;
  photometric: string;
  pixel: PixelModule;
  rescaleSlope: number;
  rescaleIntercept: number;
  imagePosition: Vec3 | null;
  imageOrientation: [Vec3, Vec3] | null;
  pixelSpacing: [number, number] | null;
  sliceThickness: number | null;
  hasPixels: boolean;
}

export interface DicomImage extends DicomHeader {
  /** stored values, frames × rows × cols × samples */
  stored: Float64Array;
}

const DEFAULT_TIMEOUT_MS = 30_000;

export function looksLikeDicom(bytes: Uint8Array): boolean {
  return bytes.length >= 132 && bytes[128] === 0x44 && bytes[129] === 0x49 && bytes[130] === 0x43 && bytes[131] === 0x4d;
}

function parseBytes(bytes: Uint8Array, name: string, untilPixels: boolean): DataSet {
  if (bytes.length === 0) throw new Error(`${name} is empty (0 bytes)`);
  const options: ParseDicomOptions = {
    untilTag: untilPixels ? 'x7fe00010' : undefined,
    // dicom-parser's own inflate path has no size limit; a deflate bomb must not take the process down
    inflater: ((arr: Uint8Array, position: number) => {
      const inflated = inflateRawSync(arr.subarray(position), { maxOutputLength: 2 ** 31 - 1 });
      const full = new Uint8Array(position + inflated.length);
      full.set(arr.subarray(0, position));
      full.set(inflated, position);
      return full;
    }) as unknown as ParseDicomOptions['inflater'],
  };
  if (!looksLikeDicom(bytes)) {
    // a raw data set without preamble: accept only when it opens with a group-0008 element
    if (!(bytes.length > 8 && bytes[0] === 0x08 && bytes[1] === 0x00))
      throw new Error(`${name} is not a DICOM file (no DICM prefix)`);
    const explicit = /^[A-Z]{2}$/.test(String.fromCharCode(bytes[4], bytes[5]));
    options.TransferSyntaxUID = explicit ? '1.2.840.10008.1.2.1' : '1.2.840.10008.1.2';
  }
  try {
    return dicomParser.parseDicom(bytes, options);
  } catch (e) {
    throw new Error(`${name}: not readable as DICOM (${printable(thrownMessage(e), 300)})`);
  }
}

/** dicom-parser throws strings and `{ exception, dataSet }` objects as well as Errors. */
function thrownMessage(e: unknown): string {
  const msg =
    e instanceof Error ? e.message : typeof e === 'string' ? e : ((e as { exception?: string })?.exception ?? String(e));
  return msg.split('\n')[0];
}

/**
 * Runs `work`, turning whatever it throws into an Error naming the file: reading a value whose length
 * runs past the end of a damaged file makes dicom-parser throw a bare string.
 */
function named<T>(name: string, work: () => T): T {
  try {
    return work();
  } catch (e) {
    throw namedError(name, e);
  }
}

function namedError(name: string, e: unknown): Error {
  if (e instanceof Error && e.message.includes(name)) return oneLineError(e);
  return new Error(`${name}: damaged DICOM data set (${printable(thrownMessage(e), 300)})`);
}

function numbers(ds: DataSet, tag: string, n: number): number[] | null {
  const count = ds.numStringValues(tag) ?? 0;
  if (count < n) return null;
  const out = Array.from({ length: n }, (_, i) => ds.floatString(tag, i) ?? NaN);
  return out.every(Number.isFinite) ? out : null;
}

function str(ds: DataSet, tag: string): string {
  try {
    return (ds.string(tag) ?? '').trim();
  } catch {
    return '';
  }
}

function intOrNull(ds: DataSet, tag: string): number | null {
  const v = str(ds, tag);
  const n = Number(v);
  return v !== '' && Number.isFinite(n) ? n : null;
}

function headerOf(ds: DataSet, path: string, name: string): DicomHeader {
  const tsUid = str(ds, 'x00020010') || '1.2.840.10008.1.2';
  const ts = transferSyntax(tsUid.replace(/\0/g, ''), name);
  const pixelEl = ds.elements.x7fe00010 ?? ds.elements.x7fe00008 ?? ds.elements.x7fe00009;
  const rows = ds.uint16('x00280010') ?? 0;
  const cols = ds.uint16('x00280011') ?? 0;
  const bitsAllocated = ds.uint16('x00280100') ?? 0;
  const bitsStored = ds.uint16('x00280101') ?? bitsAllocated;
  const frames = intOrNull(ds, 'x00280008') ?? 1;
  const float = ds.elements.x7fe00008 ? 32 : ds.elements.x7fe00009 ? 64 : 0;
  const pixel: PixelModule = {
    rows,
    cols,
    frames,
    samples: ds.uint16('x00280002') ?? 1,
    bitsAllocated,
    bitsStored,
    highBit: ds.uint16('x00280102') ?? bitsStored - 1,
    signed: (ds.uint16('x00280103') ?? 0) === 1,
    float,
  };
  const pos = numbers(ds, 'x00200032', 3);
  const ori = numbers(ds, 'x00200037', 6);
  const sp = numbers(ds, 'x00280030', 2);
  return {
    path,
    name,
    transferSyntax: ts,
    sopClassUid: str(ds, 'x00080016'),
    sopInstanceUid: str(ds, 'x00080018'),
    studyUid: str(ds, 'x0020000d'),
    seriesUid: str(ds, 'x0020000e'),
    seriesNumber: intOrNull(ds, 'x00200011'),
    seriesDescription: str(ds, 'x0008103e'),
    instanceNumber: intOrNull(ds, 'x00200013'),
    modality: str(ds, 'x00080060'),
    patientName: str(ds, 'x00100010'),
    patientId: str(ds, 'x00100020'),
    studyDate: str(ds, 'x00080020'),
    photometric: str(ds, 'x00280004'),
    pixel,
    rescaleSlope: numbers(ds, 'x00281053', 1)?.[0] ?? 1,
    rescaleIntercept: numbers(ds, 'x00281052', 1)?.[0] ?? 0,
    imagePosition: pos ? [pos[0], pos[1], pos[2]] : null,
    imageOrientation: ori
      ? [
          [ori[0], ori[1], ori[2]],
          [ori[3], ori[4], ori[5]],
        ]
      : null,
    pixelSpacing: sp ? [sp[0], sp[1]] : null,
    sliceThickness: numbers(ds, 'x00180050', 1)?.[0] ?? null,
    hasPixels: !!pixelEl,
  };
}

function readBytes(path: string): Uint8Array {
  const name = basename(path);
  let st;
  try {
    st = statSync(path);
  } catch {
    throw new Error(`file not found: ${path}`);
  }
  if (st.isDirectory()) throw new Error(`${path} is a directory`);
  if (st.size === 0) throw new Error(`${name} is empty (0 bytes)`);
  return readFileSync(path);
}

/** The parsed data set up to the pixel data (the tag browser lists it). */
export function readDicomDataSet(path: string): DataSet {
  return parseBytes(readBytes(path), basename(path), true);
}

/** Attributes only (pixel data is not parsed): for sorting a folder before loading it. */
export function readDicomHeader(path: string): DicomHeader {
  const name = basename(path);
  return named(name, () => headerOf(parseBytes(readBytes(path), name, true), path, name));
}

async function load(path: string): Promise<DicomImage> {
  const name = basename(path);
  const ds = parseBytes(readBytes(path), name, false);
  const h = headerOf(ds, path, name);
  const el = ds.elements.x7fe00010 ?? ds.elements.x7fe00008 ?? ds.elements.x7fe00009;
  if (!el) throw new Error(`${name}: no pixel data (SOP class ${h.sopClassUid || 'unknown'})`);
  const p = h.pixel;
  if (!(p.rows > 0 && p.cols > 0 && p.frames >= 1 && Number.isInteger(p.frames))) {
    throw new Error(`${name}: invalid image size ${p.rows}×${p.cols}, ${p.frames} frames`);
  }
  if (!p.float && ![1, 8, 16, 32].includes(p.bitsAllocated))
    throw new Error(`${name}: Bits Allocated ${p.bitsAllocated} is not supported`);
  if (
    !p.float &&
    (p.bitsStored < 1 || p.bitsStored > p.bitsAllocated || p.highBit < p.bitsStored - 1 || p.highBit >= p.bitsAllocated)
  ) {
    throw new Error(
      `${name}: inconsistent Bits Stored ${p.bitsStored} / High Bit ${p.highBit} / Bits Allocated ${p.bitsAllocated}`,
    );
  }
  const need = expectedBytes(p, name);
  if (h.transferSyntax.encoding === 'native') {
    if (el.length < need || el.dataOffset + need > ds.byteArray.length) {
      throw new Error(
        `${name}: pixel data is truncated: ${Math.min(el.length, ds.byteArray.length - el.dataOffset)} bytes, ${p.rows}×${p.cols}×${p.frames} frames need ${need}`,
      );
    }
  } else {
    if (!el.encapsulatedPixelData) throw new Error(`${name}: ${h.transferSyntax.name} pixel data is not encapsulated`);
    const enc = h.transferSyntax.encoding;
    if (enc === 'jpeg' || enc === 'jpeg-ls' || enc === 'jpeg2000') await prepareCodec(enc);
  }
  const frameSize = p.rows * p.cols * p.samples;
  const stored = new Float64Array(frameSize * p.frames);
  for (let f = 0; f < p.frames; f++) stored.set(await decodeFrame(ds, el, f, p, h.transferSyntax, name), f * frameSize);
  return { ...h, stored };
}

/** Runs `work` but gives up after `ms`: a stuck asynchronous step never hangs the caller. */
export function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: timed out after ${ms / 1000} s`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

export function readDicom(path: string, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<DicomImage> {
  const name = basename(path);
  const work = load(path).catch((e: unknown) => {
    throw namedError(name, e);
  });
  return withTimeout(work, timeoutMs, `${name}: decoding`);
}

/** Stored values → modality values (Rescale Slope / Intercept). */
export function rescaled(img: DicomImage): Float64Array {
  const { rescaleSlope: m, rescaleIntercept: b } = img;
  if (m === 1 && b === 0) return img.stored;
  return img.stored.map((v) => v * m + b);
}
