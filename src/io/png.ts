/**
 * Grayscale PNG export of magnitude images: a window (default: the volume's min..max) maps values to
 * 8 or 16 bits. Multi-slice volumes use a printf-style pattern (`out_%03d.png`).
 */
import { PNG } from 'pngjs';
import { writeFileAtomically } from './atomic';

export interface PngOptions {
  bits?: 8 | 16;
  /** display window; values below/above clip. Default: min..max of what is written */
  window?: { center: number; width: number };
}

export function autoWindow(data: Float32Array): { center: number; width: number } {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of data) {
    if (!Number.isFinite(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (!Number.isFinite(lo)) return { center: 0, width: 1 };
  return { center: (lo + hi) / 2, width: Math.max(hi - lo, Number.EPSILON) };
}

export function encodePng(image: Float32Array, height: number, width: number, o: PngOptions = {}): Buffer {
  if (image.length !== height * width)
    throw new RangeError(`PNG: image has ${image.length} pixels, ${height}×${width} needs ${height * width}`);
  const bits = o.bits ?? 8;
  const { center, width: ww } = o.window ?? autoWindow(image);
  const lo = center - ww / 2;
  const top = bits === 16 ? 65535 : 255;
  const scale = top / ww;
  const level = (v: number) => (Number.isFinite(v) ? Math.min(top, Math.max(0, Math.round((v - lo) * scale))) : 0);
  const png = new PNG({ width, height, colorType: 0, inputColorType: 0, bitDepth: bits, inputHasAlpha: false });
  if (bits === 16) {
    // pngjs packs 16-bit input from a Uint16Array, one entry per sample
    const d = new Uint16Array(height * width);
    for (let i = 0; i < d.length; i++) d[i] = level(image[i]);
    png.data = d as unknown as Buffer;
  } else {
    const d = Buffer.alloc(height * width);
    for (let i = 0; i < d.length; i++) d[i] = level(image[i]);
    png.data = d;
  }
  return PNG.sync.write(png, { colorType: 0, inputColorType: 0, bitDepth: bits, inputHasAlpha: false });
}

/** `out_%03d.png`, slice 7 → out_007.png; a name without a pattern gets `_%03d` when there are several slices. */
export function slicePath(pattern: string, slice: number, slices: number): string {
  const m = /%(0?)(\d*)d/.exec(pattern);
  if (m)
    return pattern.replace(
      m[0],
      String(slice)
        .padStart(m[2] ? Number(m[2]) : 0, m[1] ? '0' : ' ')
        .trimStart(),
    );
  if (slices === 1) return pattern;
  return pattern.replace(/(\.png)?$/i, (ext) => `_${String(slice).padStart(3, '0')}${ext || '.png'}`);
}

/** Writes each slice of a volume (slices × H × W) with one window for all; returns the paths. */
export async function writePngSeries(
  pattern: string,
  data: Float32Array,
  shape: [number, number, number],
  o: PngOptions = {},
): Promise<string[]> {
  const [S, H, W] = shape;
  const window = o.window ?? autoWindow(data);
  const paths: string[] = [];
  for (let s = 0; s < S; s++) {
    const p = slicePath(pattern, s, S);
    await writeFileAtomically(p, encodePng(data.subarray(s * H * W, (s + 1) * H * W), H, W, { ...o, window }));
    paths.push(p);
  }
  return paths;
}
