/** Mask seed: a number is numpy's int seed; a string is fastMRI's file-name seed `tuple(map(ord, s))`; undefined draws a fresh random one. */
export type Seed = number | string | undefined;

export type MaskType =
  'random' | 'equispaced' | 'equispaced_fraction' | 'magic' | 'magic_fraction' | 'gaussian2d' | 'poisson2d' | 'custom' | 'none';

export interface MaskParams {
  type: MaskType;
  acceleration: number;
  centerFraction: number;
  seed?: Seed;
  /** 2-D masks: acceleration along rows (height); poisson2d defaults to sqrt(acceleration). */
  accelerationY?: number;
  /** 2-D masks: acceleration along columns (width); poisson2d defaults to sqrt(acceleration). */
  accelerationZ?: number;
  /** 2-D masks: side of the fully sampled square calibration box; default round(dim * centerFraction) per axis. */
  calibration?: number;
  /** custom: 0/1 (any non-zero = sampled) of length width (1-D) or height*width (2-D). */
  data?: Uint8Array;
  dataShape?: [number, number] | [number];
}

export interface Mask {
  dims: 1 | 2;
  height: number;
  width: number;
  /** 1-D: width entries (columns); 2-D: height*width */
  data: Uint8Array;
  /** 1-D: columns in the centre band; 2-D: columns of the calibration box. */
  numLowFrequencies: number;
  /** total/sampled */
  acceleration: number;
  sampledFraction: number;
  /** 2-D masks: [rows, columns] of the fully sampled calibration box. */
  calibrationShape?: [number, number];
}

export interface MaskShape {
  height: number;
  width: number;
}
