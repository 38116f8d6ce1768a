/**
 * fastMRI HDF5 volumes: `kspace` (slices, [coils,] rows, cols) complex64, an optional reference
 * (`reconstruction_rss` multi-coil, `reconstruction_esc` single-coil), `ismrmrd_header` XML and the
 * attributes acquisition / max / norm / patient_id. Slices are read one at a time: a 35 × 15 × 640 × 368
 * volume never sits in memory whole.
 */
import { basename } from 'node:path';
import { getDataset, openH5, readAttributes, readSlab, type H5Dataset, type H5File } from './hdf5/h5';
import type { MetadataGroup, ScanSource } from './scan';
import { xmlLeaves } from './xml-leaves';

export interface MatrixSizes {
  encoded: [number, number] | null;
  recon: [number, number] | null;
}

/** Reads encoded and recon matrix sizes (x = readout rows, y = phase-encode columns) from the header. */
export function parseIsmrmrdMatrix(xml: string): MatrixSizes {
  const grab = (section: string): [number, number] | null => {
    const block = new RegExp(`<${section}>([\\s\\S]*?)</${section}>`).exec(xml)?.[1];
    const matrix = block && /<matrixSize>([\s\S]*?)<\/matrixSize>/.exec(block)?.[1];
    if (!matrix) return null;
    const x = Number(/<x>\s*(\d+)\s*<\/x>/.exec(matrix)?.[1]);
    const y = Number(/<y>\s*(\d+)\s*<\/y>/.exec(matrix)?.[1]);
    return Number.isFinite(x) && Number.isFinite(y) && x > 0 && y > 0 ? [x, y] : null;
  };
  return { encoded: grab('encodedSpace'), recon: grab('reconSpace') };
}

const TARGET_KEYS = ['reconstruction_rss', 'reconstruction_esc', 'reconstruction'];

export class FastMriSource implements ScanSource {
  readonly format = 'fastmri' as const;
  readonly slices: number;
  readonly coils: number;
  readonly height: number;
  readonly width: number;
  readonly imageShape: [number, number];
  readonly targetKey: string | null;
  readonly attributes: Record<string, string | number | boolean>;
  readonly name: string;
  private readonly kspace: H5Dataset;
  private readonly target: H5Dataset | null;
  private readonly multicoil: boolean;

  private constructor(
    readonly path: string,
    private readonly file: H5File,
  ) {
    this.name = basename(path);
    const ks = getDataset(file, 'kspace');
    if (!ks) throw new Error(`${this.name}: no 'kspace' dataset (found: ${file.keys().join(', ') || 'nothing'})`);
    this.kspace = ks;
    const shape = ks.shape ?? [];
    if (shape.length !== 3 && shape.length !== 4) {
      throw new Error(
        `${this.name}: kspace has rank ${shape.length}; expected (slices, rows, cols) or (slices, coils, rows, cols)`,
      );
    }
    const kind = ks.metadata.compound_type ? 'complex' : 'real';
    if (kind !== 'complex') throw new Error(`${this.name}: kspace is not complex`);
    this.multicoil = shape.length === 4;
    this.slices = shape[0];
    this.coils = this.multicoil ? shape[1] : 1;
    this.height = shape[shape.length - 2];
    this.width = shape[shape.length - 1];
    if ([this.slices, this.coils, this.height, this.width].some((n) => !(n > 0))) {
      throw new Error(`${this.name}: kspace has an empty dimension ${JSON.stringify(shape)}`);
    }
    this.targetKey = TARGET_KEYS.find((k) => getDataset(file, k)) ?? null;
    this.target = this.targetKey ? getDataset(file, this.targetKey) : null;
    this.attributes = readAttributes(file as unknown as { attrs: Record<string, { value: unknown }> });
    this.imageShape = this.computeImageShape();
  }

  static async open(path: string): Promise<FastMriSource> {
    const file = await openH5(path, 'r');
    try {
      return new FastMriSource(path, file);
    } catch (e) {
      file.close();
      if (e instanceof Error && e.message.startsWith(basename(path))) throw e;
      // the HDF5 library's own messages ("name not defined!") say nothing useful to a user
      throw new Error(`${basename(path)}: corrupt or unreadable HDF5 structure (${(e as Error).message})`);
    }
  }

  private computeImageShape(): [number, number] {
    const tshape = this.target?.shape;
    if (tshape && tshape.length === 3) return [tshape[1], tshape[2]];
    const header = this.header();
    const recon = header ? parseIsmrmrdMatrix(header).recon : null;
    // fastMRI crops to the recon matrix, but never beyond the image itself
    if (recon) return [Math.min(recon[0], this.height), Math.min(recon[1], this.width)];
    return [this.height, this.width];
  }

  header(): string | null {
    const ds = getDataset(this.file, 'ismrmrd_header');
    if (!ds) return null;
    const v = ds.value;
    if (typeof v === 'string') return v;
    if (v instanceof Uint8Array) return new TextDecoder().decode(v);
    return null;
  }

  metadata(): MetadataGroup[] {
    const datasets = this.file.keys().map((k) => {
      const ds = getDataset(this.file, k);
      return {
        key: k,
        value: ds ? `${(ds.shape ?? []).join(' × ')} ${ds.metadata.compound_type ? 'complex' : ds.dtype}` : 'group',
      };
    });
    const header = this.header();
    return [
      { name: 'HDF5 datasets', entries: datasets },
      ...(header ? [{ name: 'ISMRMRD header', entries: xmlLeaves(header) }] : []),
    ];
  }

  private checkSlice(slice: number): void {
    if (!Number.isInteger(slice) || slice < 0 || slice >= this.slices) {
      throw new RangeError(`slice ${slice} is out of range (the scan has ${this.slices})`);
    }
  }

  /** k-space of one slice as [coils, rows, cols], complex interleaved. */
  readKspace(slice: number, out?: Float32Array): Float32Array {
    this.checkSlice(slice);
    return this.multicoil
      ? readSlab(this.kspace, [slice, 0, 0, 0], [1, this.coils, this.height, this.width], out)
      : readSlab(this.kspace, [slice, 0, 0], [1, this.height, this.width], out);
  }

  /** The file's own reference image for a slice, or null when it has none. */
  readTarget(slice: number): Float32Array | null {
    this.checkSlice(slice);
    if (!this.target) return null;
    const [, h, w] = this.target.shape ?? [];
    return readSlab(this.target, [slice, 0, 0], [1, h, w]);
  }

  close(): void {
    this.file.close();
  }
}
