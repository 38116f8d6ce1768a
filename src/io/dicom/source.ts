/**
 * A DICOM series (a folder) or a single file (multi-frame: one slice per frame) as a magnitude volume,
 * and as a scan with retrospective single-coil k-space.
 */
import { statSync } from 'node:fs';
import { basename } from 'node:path';
import { RetrospectiveSource } from '../retrospective';
import type { ImageVolume, SliceGeometry, Vec3 } from '../volume';
import { readDicom, readDicomDataSet, rescaled, type DicomHeader, type DicomImage } from './parse';
import { dicomTagEntries } from './tags';
import { scanDicomFolder, type DicomSeries } from './series';

export interface DicomVolume extends ImageVolume {
  headers: DicomHeader[];
  series: DicomSeries | null;
  seriesCount: number;
}

function geometryOf(h: DicomHeader, frame: number, frames: number): SliceGeometry | null {
  if (!h.imagePosition || !h.imageOrientation) return null;
  const [row, col] = h.imageOrientation;
  const thick = h.sliceThickness ?? 1;
  // frames of a legacy multi-frame image without per-frame geometry: stack along the normal
  const n: Vec3 = [row[1] * col[2] - row[2] * col[1], row[2] * col[0] - row[0] * col[2], row[0] * col[1] - row[1] * col[0]];
  const off = frames > 1 ? frame * thick : 0;
  return {
    position: [h.imagePosition[0] + n[0] * off, h.imagePosition[1] + n[1] * off, h.imagePosition[2] + n[2] * off],
    rowCosines: row,
    colCosines: col,
    pixelSpacing: h.pixelSpacing ?? [1, 1],
    sliceThickness: thick,
  };
}

export async function loadDicomVolume(path: string): Promise<DicomVolume> {
  let series: DicomSeries | null = null;
  let seriesCount = 1;
  let paths: string[];
  if (statSync(path).isDirectory()) {
    const all = scanDicomFolder(path);
    series = all[0];
    seriesCount = all.length;
    paths = series.headers.map((h) => h.path);
  } else paths = [path];
  const images: DicomImage[] = [];
  for (const p of paths) images.push(await readDicom(p));
  const first = images[0];
  const { rows, cols, samples } = first.pixel;
  if (samples !== 1) throw new Error(`${first.name}: colour images (Samples per Pixel ${samples}) are not magnitude images`);
  const odd = images.find((im) => im.pixel.rows !== rows || im.pixel.cols !== cols || im.pixel.samples !== 1);
  if (odd) throw new Error(`${odd.name}: ${odd.pixel.rows}×${odd.pixel.cols} differs from the series' ${rows}×${cols}`);
  const slices = images.reduce((a, im) => a + im.pixel.frames, 0);
  const data = new Float32Array(slices * rows * cols);
  const geometry: (SliceGeometry | null)[] = [];
  let s = 0;
  for (const im of images) {
    data.set(rescaled(im), s * rows * cols);
    for (let f = 0; f < im.pixel.frames; f++) geometry.push(geometryOf(im, f, im.pixel.frames));
    s += im.pixel.frames;
  }
  return {
    data,
    shape: [slices, rows, cols],
    geometry: geometry.every((g) => g) ? (geometry as SliceGeometry[]) : null,
    meta: {
      patientName: first.patientName,
      patientId: first.patientId,
      studyUid: first.studyUid,
      seriesUid: first.seriesUid,
      seriesDescription: first.seriesDescription,
      modality: first.modality,
      studyDate: first.studyDate,
    },
    headers: images.map(({ stored: _s, ...h }) => h),
    series,
    seriesCount,
  };
}

const r4 = (x: number) => +x.toFixed(4);

export async function openDicomSource(path: string): Promise<RetrospectiveSource> {
  const v = await loadDicomVolume(path);
  const h = v.headers[0];
  const [S, H, W] = v.shape;
  const g = v.geometry?.[0];
  const attributes: Record<string, string | number | boolean> = {
    patient_name: h.patientName,
    patient_id: h.patientId,
    modality: h.modality,
    study_date: h.studyDate,
    study_uid: h.studyUid,
    series_uid: h.seriesUid,
    series_description: h.seriesDescription,
    transfer_syntax: h.transferSyntax.name,
    bits: `${h.pixel.bitsStored}/${h.pixel.bitsAllocated} ${h.pixel.signed ? 'signed' : 'unsigned'}`,
    rescale: `${h.rescaleSlope} x + ${h.rescaleIntercept}`,
    series_in_folder: v.seriesCount,
    sorted_by: v.series?.sortedBy ?? 'single file',
    kspace: 'retrospective (fft2c of the magnitude image)',
  };
  if (g) {
    attributes.pixel_spacing_mm = g.pixelSpacing.map(r4).join('x');
    attributes.slice_thickness_mm = r4(g.sliceThickness);
    attributes.orientation = [...g.rowCosines, ...g.colCosines].map(r4).join(' ');
    attributes.first_position = g.position.map(r4).join(' ');
  }
  return new RetrospectiveSource({
    format: 'dicom',
    path,
    name: basename(path),
    shape: [S, H, W],
    slice: (s) => v.data.subarray(s * H * W, (s + 1) * H * W),
    attributes,
    metadata: () => [{ name: `DICOM tags (${basename(h.path)})`, entries: dicomTagEntries(readDicomDataSet(h.path)) }],
  });
}
