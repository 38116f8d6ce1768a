/**
 * fastMRI HDF5 volumes: `kspace` (slices, [coils,] rows, cols) complex64, an optional reference
 * (`reconstruction_rss` multi-coil, `reconstruction_esc` single-coil), `ismrmrd_header` XML and the
 * attributes acquisition / max / norm / patient_id. Slices are read one at a time: a 35 × 15 × 640 × 368
 * volume never sits in memory whole.
 */
import { statSync } from 'node:fs';
import { basename } from 'node:path';
import * as h5 from 'h5wasm/node';
import { getDataset, listNames, openH5, readAttributes, readSlab, readVlenStrings, type H5Dataset, type H5File } from './hdf5/h5';
import { checkVlenDataset, GlobalHeapGuard, safeVlenAttributes } from './hdf5/heap-guard';
import { oneLineError, printable } from './printable';
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

/** k-space compresses poorly: stored in fewer than 1/64 of its bytes, the shape is not the data's. */
const MAX_COMPRESSION = 64;

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
    if (!ks) {
      const keys = file.keys();
      if (keys.includes('kspace'))
        throw new Error(`${this.name}: 'kspace' is not a readable dataset (its object header is damaged or it is a group)`);
      throw new Error(`${this.name}: no 'kspace' dataset (found: ${listNames(keys)})`);
    }
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
    // a damaged dataspace can claim any shape: refuse one the file cannot hold before anything is read
    const sliceBytes = 8 * this.coils * this.height * this.width;
    const fileBytes = statSync(path).size;
    if (sliceBytes * this.slices > MAX_COMPRESSION * fileBytes)
      throw new Error(
        `${this.name}: kspace shape ${JSON.stringify(shape)} needs ${sliceBytes * this.slices} bytes, far more than the file's ${fileBytes} (a damaged dataspace?)`,
      );
    this.targetKey = TARGET_KEYS.find((k) => getDataset(file, k)) ?? null;
    this.target = this.targetKey ? getDataset(file, this.targetKey) : null;
    // a string attribute whose heap reference is damaged (or cannot be checked) is left out rather than
    // read (see heap-guard.ts): the scan itself stays usable
    this.attributes = this.withGuard((guard) =>
      readAttributes(file as unknown as Parameters<typeof readAttributes>[0], safeVlenAttributes(guard, path, file)),
    );
    this.imageShape = this.computeImageShape();
  }

  static async open(path: string): Promise<FastMriSource> {
    const file = await openH5(path, 'r');
    try {
      return new FastMriSource(path, file);
    } catch (e) {
      file.close();
      if (e instanceof Error && e.message.startsWith(basename(path))) throw oneLineError(e);
      // the HDF5 library's own messages ("name not defined!") say nothing useful to a user
      throw new Error(
        `${basename(path)}: corrupt or unreadable HDF5 structure (${printable(String((e as Error)?.message ?? e), 300)})`,
      );
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

  private withGuard<T>(run: (guard: GlobalHeapGuard) => T): T {
    const guard = new GlobalHeapGuard(this.path, this.name);
    try {
      return run(guard);
    } finally {
      guard.close();
    }
  }

  header(): string | null {
    const ds = getDataset(this.file, 'ismrmrd_header');
    if (!ds) return null;
    // the header is optional: one that is not a string (a damaged datatype) is not read at all
    if (ds.metadata.type !== h5.Module.H5T_class_t.H5T_STRING.value || (ds.metadata.total_size ?? 1) !== 1) return null;
    // … nor is one whose heap storage could not be checked (reading it could hang HDF5)
    if (!this.withGuard((guard) => checkVlenDataset(guard, this.path, ds, 'ismrmrd_header'))) return null;
    const v = ds.metadata.vlen ? readVlenStrings(ds)[0] : ds.value;
    if (typeof v === 'string') return v;
    if (v instanceof Uint8Array) return new TextDecoder().decode(v);
    return null;
  }

  metadata(): MetadataGroup[] {
    return this.named('cannot list its contents', () => this.listMetadata());
  }

  /**
   * Runs an HDF5 access, naming the file when it fails: the library's own messages ("name not
   * defined!", "/kspace: HDF5 read failed") do not say which file is damaged.
   */
  private named<T>(what: string, run: () => T): T {
    try {
      return run();
    } catch (e) {
      if (e instanceof Error && e.message.startsWith(this.name)) throw e;
      if (e instanceof RangeError && /out of range|out holds/.test(e.message)) throw e;
      const msg = e instanceof Error ? e.message.split('\n')[0] : String(e);
      throw new Error(`${this.name}: ${what}: corrupt or unreadable HDF5 data (${printable(msg, 300)})`);
    }
  }

  private listMetadata(): MetadataGroup[] {
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
    return this.named(`cannot read k-space slice ${slice}`, () =>
      this.multicoil
        ? readSlab(this.kspace, [slice, 0, 0, 0], [1, this.coils, this.height, this.width], out)
        : readSlab(this.kspace, [slice, 0, 0], [1, this.height, this.width], out),
    );
  }

  /** The file's own reference image for a slice, or null when it has none. */
  readTarget(slice: number): Float32Array | null {
    this.checkSlice(slice);
    const target = this.target;
    if (!target) return null;
    return this.named(`cannot read ${this.targetKey} slice ${slice}`, () => {
      const [, h, w] = target.shape ?? [];
      return readSlab(target, [slice, 0, 0], [1, h, w]);
    });
  }

  close(): void {
    this.file.close();
  }
}
