/**
 * fastMRI-layout HDF5 from any source: `kspace` (slices, [coils,] H, W) complex64 written slice by
 * slice, an optional float32 reference (`reconstruction_esc` single-coil, `reconstruction_rss`
 * multi-coil) and the usual attributes, so every other tool that reads fastMRI reads the result.
 */
import * as h5 from 'h5wasm/node';
import { writeAtomically } from './atomic';
import { createComplexDataset, h5ready, writeSlab } from './hdf5/h5';

export interface FastMriWriteInput {
  slices: number;
  coils: number;
  height: number;
  width: number;
  kspace: (slice: number) => Float32Array;
  target?: { shape: [number, number]; slice: (s: number) => Float32Array } | null;
  attributes?: Record<string, string | number>;
}

export async function writeFastMri(path: string, o: FastMriWriteInput): Promise<void> {
  await h5ready();
  await writeAtomically(path, (tmp) => {
    const f = new h5.File(tmp, 'w');
    try {
      const multi = o.coils > 1;
      const shape = multi ? [o.slices, o.coils, o.height, o.width] : [o.slices, o.height, o.width];
      const chunk = multi ? [1, 1, o.height, o.width] : [1, o.height, o.width];
      const ks = createComplexDataset(f, 'kspace', shape, chunk);
      for (let s = 0; s < o.slices; s++) {
        const k = o.kspace(s);
        writeSlab(ks, multi ? [s, 0, 0, 0] : [s, 0, 0], multi ? [1, o.coils, o.height, o.width] : [1, o.height, o.width], k);
      }
      if (o.target) {
        const [th, tw] = o.target.shape;
        const vol = new Float32Array(o.slices * th * tw);
        for (let s = 0; s < o.slices; s++) vol.set(o.target.slice(s), s * th * tw);
        f.create_dataset({
          name: multi ? 'reconstruction_rss' : 'reconstruction_esc',
          data: vol,
          shape: [o.slices, th, tw],
          dtype: '<f',
        });
        let max = 0;
        for (const v of vol) if (v > max) max = v;
        f.create_attribute('max', max);
      }
      for (const [k, v] of Object.entries(o.attributes ?? {})) f.create_attribute(k, v);
    } finally {
      f.close();
    }
  });
}
