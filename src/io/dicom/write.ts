/**
 * Derived MR images as a DICOM series (MR Image Storage, explicit VR little endian): one file per
 * slice, new Study/Series/SOP UIDs unless a source study is given, patient geometry copied from the
 * source, what produced the images in SeriesDescription / DerivationDescription / ImageComments, and
 * 16-bit unsigned pixels whose Rescale Slope / Intercept span the float range (lossless for integers).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomically } from '../atomic';
import { defaultGeometry, type ImageVolume } from '../volume';
import { encodeElements, formatDS, part10, type El } from './encode';
import { newUid } from './uid';

export const MR_IMAGE_STORAGE = '1.2.840.10008.5.1.4.1.1.4';

export interface DicomWriteOptions {
  /** e.g. "cs-tv λ=0.01, random 4× mask" — becomes SeriesDescription (64 chars max) */
  description: string;
  /** full method / mask / parameter record: DerivationDescription and ImageComments */
  derivation: string;
  seriesNumber?: number;
  patientName?: string;
  patientId?: string;
  /** keep the source's study so the derived series files beside it */
  studyUid?: string;
  frameOfReferenceUid?: string;
}

export interface Quantisation {
  slope: number;
  intercept: number;
}

/** Slope/intercept mapping [min, max] onto 0..65535; exact (slope 1) when the data are integers that fit. */
export function chooseRescale(data: Float32Array): Quantisation {
  let lo = Infinity;
  let hi = -Infinity;
  let integers = true;
  for (const v of data) {
    if (!Number.isFinite(v)) throw new RangeError('cannot write non-finite pixel values to DICOM');
    if (v < lo) lo = v;
    if (v > hi) hi = v;
    if (integers && !Number.isInteger(v)) integers = false;
  }
  if (integers && hi - lo <= 65535) return { slope: 1, intercept: lo };
  const slope = Number(formatDS((hi - lo) / 65535 || 1));
  const intercept = Number(formatDS(lo));
  // the rounded DS slope must still reach the maximum
  const s = (hi - intercept) / slope > 65535 ? Number(formatDS(slope * 1.000001)) : slope;
  return { slope: s, intercept };
}

export function quantise(slice: Float32Array, q: Quantisation): Uint16Array {
  const out = new Uint16Array(slice.length);
  for (let i = 0; i < slice.length; i++) out[i] = Math.min(65535, Math.max(0, Math.round((slice[i] - q.intercept) / q.slope)));
  return out;
}

const fix = (s: string, n: number) => s.replace(/[\\\r\n]/g, ' ').slice(0, n);

function nowDA(): [string, string] {
  const d = new Date();
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return [
    `${d.getUTCFullYear()}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}`,
    `${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}`,
  ];
}

/** Writes `vol` as IM_0001.dcm … into `dir`; returns the file paths. */
export async function writeDicomSeries(dir: string, vol: ImageVolume, o: DicomWriteOptions): Promise<string[]> {
  mkdirSync(dir, { recursive: true });
  const [S, H, W] = vol.shape;
  if (H > 65535 || W > 65535) throw new RangeError(`DICOM rows/columns are at most 65535, got ${H}×${W}`);
  const geometry = vol.geometry ?? defaultGeometry(vol.shape);
  const q = chooseRescale(vol.data);
  const studyUid = o.studyUid || newUid();
  const seriesUid = newUid();
  const forUid = o.frameOfReferenceUid || newUid();
  const [date, time] = nowDA();
  const center = q.intercept + (q.slope * 65535) / 2;
  const paths: string[] = [];
  for (let s = 0; s < S; s++) {
    const g = geometry[s];
    const sop = newUid();
    const pixels = quantise(vol.data.subarray(s * H * W, (s + 1) * H * W), q);
    const els: El[] = [
      { tag: 0x00080008, vr: 'CS', value: 'DERIVED\\SECONDARY' },
      { tag: 0x00080016, vr: 'UI', value: MR_IMAGE_STORAGE },
      { tag: 0x00080018, vr: 'UI', value: sop },
      { tag: 0x00080020, vr: 'DA', value: date },
      { tag: 0x00080021, vr: 'DA', value: date },
      { tag: 0x00080030, vr: 'TM', value: time },
      { tag: 0x00080050, vr: 'SH', value: '' },
      { tag: 0x00080060, vr: 'CS', value: 'MR' },
      { tag: 0x00080070, vr: 'LO', value: 'mri-recon' },
      { tag: 0x00080090, vr: 'PN', value: '' },
      { tag: 0x0008103e, vr: 'LO', value: fix(o.description, 64) },
      { tag: 0x00082111, vr: 'ST', value: fix(o.derivation, 1024) },
      { tag: 0x00100010, vr: 'PN', value: fix(o.patientName ?? '', 64) },
      { tag: 0x00100020, vr: 'LO', value: fix(o.patientId ?? '', 64) },
      { tag: 0x00100030, vr: 'DA', value: '' },
      { tag: 0x00100040, vr: 'CS', value: '' },
      { tag: 0x00180020, vr: 'CS', value: 'RM' },
      { tag: 0x00180021, vr: 'CS', value: 'NONE' },
      { tag: 0x00180022, vr: 'CS', value: '' },
      { tag: 0x00180023, vr: 'CS', value: '2D' },
      { tag: 0x00180050, vr: 'DS', value: formatDS(g.sliceThickness) },
      { tag: 0x00180080, vr: 'DS', value: '' },
      { tag: 0x00180081, vr: 'DS', value: '' },
      { tag: 0x00180091, vr: 'IS', value: '' },
      { tag: 0x0020000d, vr: 'UI', value: studyUid },
      { tag: 0x0020000e, vr: 'UI', value: seriesUid },
      { tag: 0x00200010, vr: 'SH', value: '' },
      { tag: 0x00200011, vr: 'IS', value: String(o.seriesNumber ?? 900) },
      { tag: 0x00200013, vr: 'IS', value: String(s + 1) },
      { tag: 0x00200032, vr: 'DS', value: g.position.map(formatDS) },
      { tag: 0x00200037, vr: 'DS', value: [...g.rowCosines, ...g.colCosines].map(formatDS) },
      { tag: 0x00200052, vr: 'UI', value: forUid },
      { tag: 0x00201040, vr: 'LO', value: '' },
      { tag: 0x00204000, vr: 'LT', value: o.derivation.slice(0, 10240) },
      { tag: 0x00280002, vr: 'US', value: 1 },
      { tag: 0x00280004, vr: 'CS', value: 'MONOCHROME2' },
      { tag: 0x00280010, vr: 'US', value: H },
      { tag: 0x00280011, vr: 'US', value: W },
      { tag: 0x00280030, vr: 'DS', value: g.pixelSpacing.map(formatDS) },
      { tag: 0x00280100, vr: 'US', value: 16 },
      { tag: 0x00280101, vr: 'US', value: 16 },
      { tag: 0x00280102, vr: 'US', value: 15 },
      { tag: 0x00280103, vr: 'US', value: 0 },
      { tag: 0x00281050, vr: 'DS', value: formatDS(center) },
      { tag: 0x00281051, vr: 'DS', value: formatDS(Math.max(1, q.slope * 65535)) },
      { tag: 0x00281052, vr: 'DS', value: formatDS(q.intercept) },
      { tag: 0x00281053, vr: 'DS', value: formatDS(q.slope) },
      { tag: 0x00281054, vr: 'LO', value: 'US' },
      { tag: 0x7fe00010, vr: 'OW', value: new Uint8Array(pixels.buffer) },
    ];
    const path = join(dir, `IM_${String(s + 1).padStart(4, '0')}.dcm`);
    await writeFileAtomically(path, part10(MR_IMAGE_STORAGE, sop, encodeElements(els)));
    paths.push(path);
  }
  return paths;
}
