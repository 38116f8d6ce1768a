/** Small synthetic multi-coil scans (ellipse phantoms, smooth coil maps) as ScanSources for training tests. */
import type { ScanSource } from '../../src/io/scan';
import { fft2cBatch } from '../../src/kspace/fft2c';
import { rss } from '../../src/kspace/coils';

function phantom(h: number, w: number, seed: number): Float32Array {
  let s = seed >>> 0;
  const rand = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
  const img = new Float32Array(h * w);
  for (let e = 0; e < 4; e++) {
    const cy = (0.3 + 0.4 * rand()) * h;
    const cx = (0.3 + 0.4 * rand()) * w;
    const ry = (0.15 + 0.25 * rand()) * h;
    const rx = (0.15 + 0.25 * rand()) * w;
    const v = 0.3 + rand();
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++) if (((y - cy) / ry) ** 2 + ((x - cx) / rx) ** 2 < 1) img[y * w + x] += v;
  }
  return img;
}

export function syntheticSource(name: string, slices: number, h = 16, w = 16, coils = 2, seed = 1): ScanSource {
  const kspaces: Float32Array[] = [];
  const targets: Float32Array[] = [];
  for (let s = 0; s < slices; s++) {
    const img = phantom(h, w, seed * 1000 + s);
    const coilImgs = new Float32Array(2 * coils * h * w);
    for (let c = 0; c < coils; c++) {
      for (let y = 0; y < h; y++)
        for (let x = 0; x < w; x++) {
          const sens = Math.exp(-(((y / h - (c % 2)) ** 2 + (x / w - 0.5) ** 2) / 0.5));
          const ph = 0.3 * c + (0.5 * x) / w;
          const k = 2 * (c * h * w + y * w + x);
          coilImgs[k] = img[y * w + x] * sens * Math.cos(ph);
          coilImgs[k + 1] = img[y * w + x] * sens * Math.sin(ph);
        }
    }
    kspaces.push(fft2cBatch(coilImgs, coils, h, w));
    targets.push(rss(coilImgs, coils, h, w));
  }
  return {
    format: 'fastmri',
    path: `/synthetic/${name}.h5`,
    name,
    slices,
    coils,
    height: h,
    width: w,
    imageShape: [h, w],
    targetKey: 'reconstruction_rss',
    attributes: {},
    readKspace: (i) => kspaces[i].slice(),
    readTarget: (i) => targets[i].slice(),
    close: () => undefined,
  } as ScanSource;
}
