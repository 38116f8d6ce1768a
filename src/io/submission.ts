/**
 * fastMRI submission files: one HDF5 per volume with a float32 dataset `reconstruction`
 * (slices × H × W), the layout fastMRI's leaderboard and evaluate.py read.
 */
import * as h5 from 'h5wasm/node';
import { h5ready, openH5, getDataset, readSlab } from './hdf5/h5';
import { writeAtomically } from './atomic';

export async function writeSubmission(
  path: string,
  volume: Float32Array,
  shape: [number, number, number],
  attributes: Record<string, string | number> = {},
): Promise<void> {
  const [s, h, w] = shape;
  if (volume.length !== s * h * w)
    throw new RangeError(`reconstruction has ${volume.length} values, shape ${shape.join('×')} needs ${s * h * w}`);
  await h5ready();
  await writeAtomically(path, (tmp) => {
    const f = new h5.File(tmp, 'w');
    try {
      f.create_dataset({ name: 'reconstruction', data: volume, shape: [s, h, w], dtype: '<f' });
      for (const [k, v] of Object.entries(attributes)) f.create_attribute(k, v);
    } finally {
      f.close();
    }
  });
}

/** Reads a submission's reconstruction (or any float (slices, H, W) dataset by name). */
export async function readVolume(
  path: string,
  name = 'reconstruction',
): Promise<{ data: Float32Array; shape: [number, number, number] }> {
  const f = await openH5(path, 'r');
  try {
    const ds = getDataset(f, name);
    if (!ds) throw new Error(`${path}: no '${name}' dataset (found: ${f.keys().join(', ')})`);
    const shape = ds.shape ?? [];
    if (shape.length !== 3) throw new Error(`${path}: '${name}' has rank ${shape.length}, expected (slices, H, W)`);
    return { data: readSlab(ds, [0, 0, 0], shape), shape: [shape[0], shape[1], shape[2]] };
  } finally {
    f.close();
  }
}
