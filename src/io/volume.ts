/**
 * Magnitude image volumes (NIfTI, DICOM, a fastMRI target) in display orientation, with the patient
 * geometry writers need to place them again. Slices are [H, W] row-major; geometry is DICOM's LPS.
 */

export type Vec3 = [number, number, number];

export interface SliceGeometry {
  /** LPS position (mm) of the centre of pixel (row 0, column 0) */
  position: Vec3;
  /** direction of increasing column index (along a row), then of increasing row index */
  rowCosines: Vec3;
  colCosines: Vec3;
  /** [between rows, between columns] in mm, DICOM Pixel Spacing order */
  pixelSpacing: [number, number];
  sliceThickness: number;
}

export interface ImageVolume {
  /** slices × height × width, float32 */
  data: Float32Array;
  shape: [number, number, number];
  /** one per slice, or null when the source has no patient geometry */
  geometry: SliceGeometry[] | null;
  /** free-form provenance carried into writers (patient name, series description, …) */
  meta: Record<string, string | number>;
}

export function sliceOf(v: ImageVolume, s: number): Float32Array {
  const [, h, w] = v.shape;
  return v.data.subarray(s * h * w, (s + 1) * h * w);
}

export function dot(a: Vec3, b: Vec3): number {
  return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
}

export function cross(a: Vec3, b: Vec3): Vec3 {
  return [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
}

export function norm(a: Vec3): number {
  return Math.hypot(a[0], a[1], a[2]);
}

/** Geometry for a volume that has none: 1 mm pixels, axial, stacked along +z. */
export function defaultGeometry(shape: [number, number, number]): SliceGeometry[] {
  return Array.from({ length: shape[0] }, (_, s) => ({
    position: [0, 0, s] as Vec3,
    rowCosines: [1, 0, 0] as Vec3,
    colCosines: [0, 1, 0] as Vec3,
    pixelSpacing: [1, 1] as [number, number],
    sliceThickness: 1,
  }));
}
