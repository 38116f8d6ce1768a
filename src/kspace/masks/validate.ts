import type { MaskParams, MaskShape, MaskType } from './types';

export const MASK_TYPE_NAMES: readonly MaskType[] = [
  'random',
  'equispaced',
  'equispaced_fraction',
  'magic',
  'magic_fraction',
  'gaussian2d',
  'poisson2d',
  'custom',
  'none',
];

export function checkDimension(name: string, v: number): void {
  if (!Number.isInteger(v) || v <= 0) throw new RangeError(`mask: ${name} must be a positive integer, got ${v}`);
}

export function checkShape(shape: MaskShape): void {
  checkDimension('height', shape.height);
  checkDimension('width', shape.width);
}

export function checkAcceleration(name: string, v: number): void {
  if (!Number.isFinite(v) || v < 1) throw new RangeError(`mask: ${name} must be ≥ 1, got ${v}`);
}

export function checkCenterFraction(v: number): void {
  if (!Number.isFinite(v) || v <= 0 || v >= 1) throw new RangeError(`mask: centerFraction must be in (0, 1), got ${v}`);
}

export function checkType(type: string): asserts type is MaskType {
  if (!(MASK_TYPE_NAMES as readonly string[]).includes(type)) {
    throw new RangeError(`mask: type must be one of ${MASK_TYPE_NAMES.join(', ')}, got ${JSON.stringify(type)}`);
  }
}

/** Checks shared by every generated mask type; custom and none skip the acceleration/fraction checks they ignore. */
export function checkParams(params: MaskParams, shape: MaskShape): void {
  checkType(params.type);
  checkShape(shape);
  if (params.type === 'custom' || params.type === 'none') return;
  checkAcceleration('acceleration', params.acceleration);
  checkCenterFraction(params.centerFraction);
}
