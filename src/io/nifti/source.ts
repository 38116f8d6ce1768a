/** A NIfTI magnitude volume as a scan: axial display slices, retrospective single-coil k-space. */
import { basename } from 'node:path';
import { RetrospectiveSource } from '../retrospective';
import type { ImageVolume } from '../volume';
import { DATATYPES } from './header';
import { axialDisplayMapping, displayGeometry, gatherSlice, type DisplayMapping } from './orient';
import { readNifti, voxelReader, type NiftiImage } from './read';

export interface NiftiVolume {
  image: NiftiImage;
  mapping: DisplayMapping;
  slice(s: number): Float32Array;
}

export function niftiVolume(path: string): NiftiVolume {
  const image = readNifti(path);
  const dims3 = [...image.header.dims, 1, 1].slice(0, 3);
  const mapping = axialDisplayMapping(dims3, image.affine);
  const at = voxelReader(image);
  return { image, mapping, slice: (s) => gatherSlice(mapping, dims3, s, at) };
}

export function formatAffine(A: number[][]): string {
  return A.slice(0, 3)
    .map((r) => r.map((x) => +x.toFixed(4)).join(' '))
    .join('; ');
}

/** The first 3-D volume in display orientation, as float. */
export function niftiImageVolume(path: string): ImageVolume {
  const v = niftiVolume(path);
  const [S, H, W] = v.mapping.shape;
  const data = new Float32Array(S * H * W);
  for (let s = 0; s < S; s++) data.set(v.slice(s), s * H * W);
  return {
    data,
    shape: [S, H, W],
    geometry: displayGeometry(v.mapping, v.image.affine),
    meta: { description: v.image.header.descrip, source: basename(path) },
  };
}

export function openNiftiSource(path: string): RetrospectiveSource {
  const v = niftiVolume(path);
  const h = v.image.header;
  return new RetrospectiveSource({
    format: 'nifti',
    path,
    name: basename(path),
    shape: v.mapping.shape,
    slice: v.slice,
    attributes: {
      nifti_version: h.version,
      datatype: DATATYPES[h.datatype].name,
      dims: h.dims.join('x'),
      voxel_size_mm: h.pixdim
        .slice(1, 4)
        .map((p) => +Math.abs(p).toFixed(4))
        .join('x'),
      affine: formatAffine(v.image.affine),
      affine_source: v.image.affineSource,
      scl_slope: h.sclSlope,
      scl_inter: h.sclInter,
      volumes: v.image.volumes,
      description: h.descrip,
      kspace: 'retrospective (fft2c of the magnitude image)',
    },
  });
}
