/**
 * A magnitude image volume served as a single-coil scan: each slice's k-space is the centred FFT of
 * the image, so undersampling experiments run on data that never had raw k-space (DICOM, NIfTI).
 * The target is the image itself, which is what a fully sampled zero-filled recon returns.
 */
import { fft2c } from '../kspace/fft2c';
import type { MetadataGroup, ScanSource } from './scan';

export interface RetrospectiveOptions {
  format: 'dicom' | 'nifti';
  path: string;
  name: string;
  shape: [number, number, number];
  /** returns slice s as a float32 [H, W] magnitude image */
  slice: (s: number) => Float32Array;
  attributes: Record<string, string | number | boolean>;
  metadata?: () => MetadataGroup[];
}

export class RetrospectiveSource implements ScanSource {
  readonly format: 'dicom' | 'nifti';
  readonly path: string;
  readonly name: string;
  readonly slices: number;
  readonly coils = 1;
  readonly height: number;
  readonly width: number;
  readonly imageShape: [number, number];
  readonly targetKey = 'image';
  readonly attributes: Record<string, string | number | boolean>;
  private readonly slice: (s: number) => Float32Array;
  private readonly meta?: () => MetadataGroup[];

  constructor(o: RetrospectiveOptions) {
    this.meta = o.metadata;
    this.format = o.format;
    this.path = o.path;
    this.name = o.name;
    [this.slices, this.height, this.width] = o.shape;
    this.imageShape = [this.height, this.width];
    this.attributes = o.attributes;
    this.slice = o.slice;
  }

  metadata(): MetadataGroup[] {
    return this.meta?.() ?? [];
  }

  private check(s: number): void {
    if (!Number.isInteger(s) || s < 0 || s >= this.slices) {
      throw new RangeError(`slice ${s} is out of range (the scan has ${this.slices})`);
    }
  }

  readKspace(s: number): Float32Array {
    this.check(s);
    const img = this.slice(s);
    const c = new Float32Array(2 * img.length);
    for (let i = 0; i < img.length; i++) c[2 * i] = img[i];
    return fft2c(c, this.height, this.width);
  }

  readTarget(s: number): Float32Array | null {
    this.check(s);
    return Float32Array.from(this.slice(s));
  }

  close(): void {}
}
