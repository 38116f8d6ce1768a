/**
 * A folder of DICOM files → series (by Series Instance UID), each sorted along its slice normal:
 * Image Position (Patient) projected on row × column cosines, else Instance Number, else file name.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { cross, dot, type Vec3 } from '../volume';
import { readDicomHeader, type DicomHeader } from './parse';

export interface DicomSeries {
  seriesUid: string;
  description: string;
  headers: DicomHeader[];
  /** how the slices were ordered */
  sortedBy: 'position' | 'instance' | 'name';
}

const MAX_FILES = 20_000;

function listFiles(dir: string, depth = 0): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    if (name.startsWith('.')) continue;
    const p = join(dir, name);
    const st = statSync(p);
    if (st.isDirectory() && depth < 3) out.push(...listFiles(p, depth + 1));
    else if (st.isFile() && st.size > 0) out.push(p);
    if (out.length > MAX_FILES) throw new Error(`${dir}: more than ${MAX_FILES} files; point at one series folder`);
  }
  return out;
}

export function sortSeries(headers: DicomHeader[]): { headers: DicomHeader[]; sortedBy: DicomSeries['sortedBy'] } {
  const first = headers.find((h) => h.imageOrientation && h.imagePosition);
  if (first && headers.every((h) => h.imagePosition && h.imageOrientation)) {
    const normal: Vec3 = cross(first.imageOrientation![0], first.imageOrientation![1]);
    const keyed = headers.map((h) => ({ h, k: dot(h.imagePosition!, normal) }));
    const distinct = new Set(keyed.map((x) => x.k.toFixed(4)));
    if (distinct.size === headers.length)
      return { headers: keyed.sort((a, b) => a.k - b.k).map((x) => x.h), sortedBy: 'position' };
  }
  if (headers.every((h) => h.instanceNumber !== null)) {
    return { headers: [...headers].sort((a, b) => a.instanceNumber! - b.instanceNumber!), sortedBy: 'instance' };
  }
  return { headers: [...headers].sort((a, b) => a.path.localeCompare(b.path)), sortedBy: 'name' };
}

/** Series found under `dir` (files that are not DICOM images are skipped), largest first. */
export function scanDicomFolder(dir: string): DicomSeries[] {
  const groups = new Map<string, DicomHeader[]>();
  for (const p of listFiles(dir)) {
    let h: DicomHeader;
    try {
      h = readDicomHeader(p);
    } catch {
      continue;
    }
    if (!h.hasPixels) continue;
    const key = h.seriesUid || '(no series UID)';
    const list = groups.get(key) ?? [];
    list.push(h);
    groups.set(key, list);
  }
  if (groups.size === 0) throw new Error(`${dir}: no DICOM images found`);
  return [...groups.entries()]
    .map(([uid, hs]) => ({ seriesUid: uid, description: hs[0].seriesDescription, ...sortSeries(hs) }))
    .sort((a, b) => b.headers.length - a.headers.length);
}
