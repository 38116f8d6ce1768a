/**
 * ISMRMRD /dataset/data acquisitions → Cartesian k-space, one [coils, readout, phase] image per
 * (slice, contrast, repetition). Noise, navigator, phase-correction, dummy and feedback readouts are
 * skipped; parallel-calibration lines fill their k-space lines like imaging lines; repeated averages
 * are averaged; reversed readouts are flipped; readout oversampling is cropped away in image space.
 */
import * as h5 from 'h5wasm/node';
import { fft1c, ifft1c } from '../../kspace/fft2c';
import type { IsmrmrdEncoding } from './header';

/** ISMRMRD acquisition flags are numbered from 1: flag n is bit n − 1. */
const FLAG = {
  reverse: 22,
  skip: [
    19 /* noise */, 23 /* navigation */, 24 /* phase correction */, 26 /* HP feedback */, 27 /* dummy scan */,
    28 /* RT feedback */, 29 /* surface-coil correction */,
  ],
};
const has = (flags: bigint, n: number) => ((flags >> BigInt(n - 1)) & 1n) === 1n;

export interface AssembledKspace {
  /** one per (slice, contrast, repetition), in that nesting order (repetition fastest) */
  images: Float32Array[];
  labels: { slice: number; contrast: number; repetition: number }[];
  coils: number;
  /** readout samples after oversampling removal, phase-encode lines */
  height: number;
  width: number;
  counts: { acquisitions: number; used: number; noise: number; calibration: number; skipped: number };
}

interface Member {
  name: string;
  compound_type?: { members: Member[] };
}

const CHUNK = 512;

export function assembleKspace(ds: h5.Dataset, enc: IsmrmrdEncoding, file: string): AssembledKspace {
  if (enc.trajectory !== 'cartesian')
    throw new Error(`${file}: trajectory '${enc.trajectory}' is not Cartesian; only Cartesian data can be assembled`);
  if (enc.encoded[2] > 1) throw new Error(`${file}: 3-D encoding (matrix z = ${enc.encoded[2]}) is not supported`);
  const members = (ds.metadata.compound_type?.members ?? []) as Member[];
  const headIndex = members.findIndex((m) => m.name === 'head');
  const dataIndex = members.findIndex((m) => m.name === 'data');
  if (headIndex < 0 || dataIndex < 0)
    throw new Error(`${file}: /dataset/data is not an ISMRMRD acquisition table (no head/data members)`);
  const hm = members[headIndex].compound_type?.members ?? [];
  const at = (name: string) => {
    const i = hm.findIndex((m) => m.name === name);
    if (i < 0) throw new Error(`${file}: acquisition header lacks '${name}'`);
    return i;
  };
  const H = {
    flags: at('flags'),
    samples: at('number_of_samples'),
    channels: at('active_channels'),
    center: at('center_sample'),
    idx: at('idx'),
  };
  const idxMembers = hm[H.idx].compound_type?.members ?? [];
  const I = Object.fromEntries(
    ['kspace_encode_step_1', 'slice', 'contrast', 'repetition'].map((n) => [n, idxMembers.findIndex((m) => m.name === n)]),
  );
  const nAcq = ds.shape?.[0] ?? 0;
  if (nAcq === 0) throw new Error(`${file}: /dataset/data holds no acquisitions`);

  const nx = enc.encoded[0];
  const ny = enc.encoded[1];
  const nSlices = enc.limits.slice + 1;
  const nContrasts = enc.limits.contrast + 1;
  const nReps = enc.limits.repetition + 1;
  let coils = 0;
  const sums = new Map<number, { k: Float32Array; hits: Uint16Array }>();
  const counts = { acquisitions: nAcq, used: 0, noise: 0, calibration: 0, skipped: 0 };
  for (let start = 0; start < nAcq; start += CHUNK) {
    const rows = ds.slice([[start, Math.min(nAcq, start + CHUNK)]]) as unknown[][];
    for (const row of rows) {
      const head = row[headIndex] as unknown[];
      const flags = BigInt(head[H.flags] as bigint | number);
      if (has(flags, 19)) counts.noise++;
      if (FLAG.skip.some((f) => has(flags, f))) {
        counts.skipped++;
        continue;
      }
      if (has(flags, 20) || has(flags, 21)) counts.calibration++;
      const ns = Number(head[H.samples]);
      const nc = Number(head[H.channels]);
      const idx = head[H.idx] as number[];
      const [ky, sl, co, rep] = [I.kspace_encode_step_1, I.slice, I.contrast, I.repetition].map((i) =>
        i >= 0 ? Number(idx[i]) : 0,
      );
      if (coils === 0) coils = nc;
      if (nc !== coils) throw new Error(`${file}: acquisitions have ${coils} and ${nc} channels`);
      if (ky >= ny || sl >= nSlices || co >= nContrasts || rep >= nReps) {
        throw new Error(
          `${file}: acquisition counters (line ${ky}, slice ${sl}, contrast ${co}, repetition ${rep}) exceed the header's encoding limits`,
        );
      }
      const data = row[dataIndex] as Float32Array;
      if (!data || data.length !== 2 * ns * nc)
        throw new Error(`${file}: acquisition data has ${data?.length ?? 0} floats, header says ${nc} channels × ${ns} samples`);
      // the echo centre lands on the matrix centre (partial echo leaves the rest zero)
      const offset = Math.floor(nx / 2) - Number(head[H.center]);
      const key = (sl * nContrasts + co) * nReps + rep;
      let acc = sums.get(key);
      if (!acc) {
        acc = { k: new Float32Array(2 * coils * nx * ny), hits: new Uint16Array(ny) };
        sums.set(key, acc);
      }
      const reverse = has(flags, FLAG.reverse);
      for (let c = 0; c < nc; c++) {
        for (let s = 0; s < ns; s++) {
          const x = (reverse ? ns - 1 - s : s) + offset;
          if (x < 0 || x >= nx) continue;
          const o = 2 * ((c * nx + x) * ny + ky);
          acc.k[o] += data[2 * (c * ns + s)];
          acc.k[o + 1] += data[2 * (c * ns + s) + 1];
        }
      }
      acc.hits[ky]++;
      counts.used++;
    }
  }
  if (sums.size === 0) throw new Error(`${file}: no imaging acquisitions (all ${nAcq} were noise or auxiliary data)`);
  const rx = Math.min(enc.recon[0], nx);
  const images: Float32Array[] = [];
  const labels: AssembledKspace['labels'] = [];
  for (const key of [...sums.keys()].sort((a, b) => a - b)) {
    const { k, hits } = sums.get(key)!;
    for (let c = 0; c < coils; c++) {
      for (let x = 0; x < nx; x++) {
        for (let y = 0; y < ny; y++) {
          if (hits[y] > 1) {
            const o = 2 * ((c * nx + x) * ny + y);
            k[o] /= hits[y];
            k[o + 1] /= hits[y];
          }
        }
      }
    }
    images.push(rx < nx ? removeOversampling(k, coils, nx, ny, rx) : k);
    const rep = key % nReps;
    const co = Math.floor(key / nReps) % nContrasts;
    labels.push({ slice: Math.floor(key / (nReps * nContrasts)), contrast: co, repetition: rep });
  }
  return { images, labels, coils, height: rx, width: ny, counts };
}

/** Readout to image space, keep the central rx samples, back to k-space (orthonormal both ways). */
export function removeOversampling(k: Float32Array, coils: number, nx: number, ny: number, rx: number): Float32Array {
  const out = new Float32Array(2 * coils * rx * ny);
  const from = Math.floor((nx - rx) / 2);
  const n2 = 2 * nx * ny;
  const r2 = 2 * rx * ny;
  for (let c = 0; c < coils; c++) {
    const img = ifft1c(k.subarray(c * n2, (c + 1) * n2), nx, ny, 0);
    const crop = img.subarray(2 * from * ny, 2 * (from + rx) * ny);
    out.set(fft1c(Float32Array.from(crop), rx, ny, 0), c * r2);
  }
  return out;
}
