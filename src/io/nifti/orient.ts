/**
 * Display orientation for NIfTI volumes. Voxel axes are matched to the nearest world (RAS) axes, as
 * nibabel's as_closest_canonical does; axial slices are then shown the radiological way DICOM scanners
 * store them: rows run anterior → posterior, columns patient right → left, slices inferior → superior.
 */
import type { Affine } from './header';
import type { SliceGeometry, Vec3 } from '../volume';

export interface AxisMap {
  /** voxel axis (0..2) nearest to world axis w (R, A, S) */
  axis: [number, number, number];
  /** whether that voxel axis points along −w */
  flip: [boolean, boolean, boolean];
}

export function closestAxes(A: Affine): AxisMap {
  const cols = [0, 1, 2].map((j) => {
    const n = Math.hypot(A[0][j], A[1][j], A[2][j]) || 1;
    return [A[0][j] / n, A[1][j] / n, A[2][j] / n];
  });
  const axis: [number, number, number] = [-1, -1, -1];
  const flip: [boolean, boolean, boolean] = [false, false, false];
  const usedVox = new Set<number>();
  // greedy on the largest remaining cosine: unambiguous for anything short of a 45° obliquity
  for (let n = 0; n < 3; n++) {
    let best = [-1, -1, -1];
    for (let w = 0; w < 3; w++) {
      if (axis[w] >= 0) continue;
      for (let j = 0; j < 3; j++) {
        if (usedVox.has(j)) continue;
        const m = Math.abs(cols[j][w]);
        if (m > best[0]) best = [m, w, j];
      }
    }
    const [, w, j] = best;
    axis[w] = j;
    flip[w] = cols[j][w] < 0;
    usedVox.add(j);
  }
  return { axis, flip };
}

export interface DisplayMapping {
  /** slices (inferior → superior), rows, columns */
  shape: [number, number, number];
  /** voxel index (i, j, k) of display pixel (s, r, c) = origin + s·dS + r·dR + c·dC */
  origin: Vec3;
  dS: Vec3;
  dR: Vec3;
  dC: Vec3;
}

export function axialDisplayMapping(dims: number[], A: Affine): DisplayMapping {
  const { axis, flip } = closestAxes(A);
  const n = (w: number) => dims[axis[w]];
  const origin: Vec3 = [0, 0, 0];
  const dS: Vec3 = [0, 0, 0];
  const dR: Vec3 = [0, 0, 0];
  const dC: Vec3 = [0, 0, 0];
  // canonical index q along world axis w; display wants q_R decreasing with c, q_A decreasing with r, q_S = s
  const place = (w: number, d: Vec3, increasing: boolean) => {
    const j = axis[w];
    const alongPlus = increasing !== flip[w]; // voxel index grows with the display index
    if (alongPlus) d[j] = 1;
    else {
      d[j] = -1;
      origin[j] = n(w) - 1;
    }
  };
  place(0, dC, false);
  place(1, dR, false);
  place(2, dS, true);
  return { shape: [n(2), n(1), n(0)], origin, dS, dR, dC };
}

function apply3(A: Affine, v: Vec3, withTranslation: boolean): Vec3 {
  const t = withTranslation ? 1 : 0;
  return [0, 1, 2].map((i) => A[i][0] * v[0] + A[i][1] * v[1] + A[i][2] * v[2] + A[i][3] * t) as Vec3;
}

const toLps = (v: Vec3): Vec3 => [-v[0], -v[1], v[2]];

function unit(v: Vec3): Vec3 {
  const n = Math.hypot(...v) || 1;
  return [v[0] / n, v[1] / n, v[2] / n];
}

/** DICOM-style geometry (LPS) of every display slice. */
export function displayGeometry(m: DisplayMapping, A: Affine): SliceGeometry[] {
  const col = apply3(A, m.dC, false);
  const row = apply3(A, m.dR, false);
  const step = apply3(A, m.dS, false);
  return Array.from({ length: m.shape[0] }, (_, s) => ({
    position: toLps(apply3(A, [m.origin[0] + s * m.dS[0], m.origin[1] + s * m.dS[1], m.origin[2] + s * m.dS[2]], true)),
    rowCosines: unit(toLps(col)),
    colCosines: unit(toLps(row)),
    pixelSpacing: [Math.hypot(...row), Math.hypot(...col)] as [number, number],
    sliceThickness: Math.hypot(...step),
  }));
}

/** Gathers display slice s of a 3-D volume (file order, x fastest) through `at(linearIndex)`. */
export function gatherSlice(
  m: DisplayMapping,
  dims: number[],
  s: number,
  at: (i: number) => number,
  volumeOffset = 0,
): Float32Array {
  const [, H, W] = m.shape;
  const stride: Vec3 = [1, dims[0], dims[0] * dims[1]];
  const lin = (d: Vec3) => d[0] * stride[0] + d[1] * stride[1] + d[2] * stride[2];
  const base = volumeOffset + lin(m.origin) + s * lin(m.dS);
  const sr = lin(m.dR);
  const sc = lin(m.dC);
  const out = new Float32Array(H * W);
  for (let r = 0; r < H; r++) {
    const rb = base + r * sr;
    for (let c = 0; c < W; c++) out[r * W + c] = at(rb + c * sc);
  }
  return out;
}

/**
 * The affine of a volume written in display order (x = column, y = row, z = slice) so that a writer
 * keeps the patient geometry: the inverse of displayGeometry.
 */
export function affineFromGeometry(g: SliceGeometry[]): Affine {
  const g0 = g[0];
  const ras = (v: Vec3): Vec3 => [-v[0], -v[1], v[2]];
  const colDir = ras(g0.rowCosines).map((x) => x * g0.pixelSpacing[1]);
  const rowDir = ras(g0.colCosines).map((x) => x * g0.pixelSpacing[0]);
  let sliceDir: number[];
  if (g.length > 1) {
    const d = ras(g[1].position).map((x, i) => x - ras(g0.position)[i]);
    sliceDir = d;
  } else {
    const n = [
      g0.rowCosines[1] * g0.colCosines[2] - g0.rowCosines[2] * g0.colCosines[1],
      g0.rowCosines[2] * g0.colCosines[0] - g0.rowCosines[0] * g0.colCosines[2],
      g0.rowCosines[0] * g0.colCosines[1] - g0.rowCosines[1] * g0.colCosines[0],
    ] as Vec3;
    sliceDir = ras(n).map((x) => x * (g0.sliceThickness || 1));
  }
  const o = ras(g0.position);
  return [
    [colDir[0], rowDir[0], sliceDir[0], o[0]],
    [colDir[1], rowDir[1], sliceDir[1], o[1]],
    [colDir[2], rowDir[2], sliceDir[2], o[2]],
    [0, 0, 0, 1],
  ];
}
