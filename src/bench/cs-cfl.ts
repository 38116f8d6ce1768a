/**
 * BART's .cfl/.hdr array format, just enough for the CS benchmark to hand data to `bart` and read its
 * result back. .hdr: "# Dimensions" then the dims (BART's 16, padded with 1). .cfl: complex float32,
 * interleaved, column-major (dim 0 fastest).
 *
 * Our [coils, H, W] row-major layout (W fastest) is byte-identical to BART dims [W, H, 1, coils], so
 * no reordering is needed: BART's dim 0 is our last (phase-encode) axis, dim 1 our rows, dim 3 coils.
 */
import { readFileSync, writeFileSync } from 'node:fs';

export function writeCfl(base: string, dims: number[], data: Float32Array): void {
  const count = dims.reduce((a, b) => a * b, 1);
  if (data.length !== 2 * count)
    throw new RangeError(`writeCfl: ${data.length} floats for dims [${dims.join(', ')}] (need ${2 * count})`);
  const all = [...dims];
  while (all.length < 16) all.push(1);
  writeFileSync(`${base}.hdr`, `# Dimensions\n${all.join(' ')}\n`);
  writeFileSync(`${base}.cfl`, new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
}

export function readCfl(base: string): { dims: number[]; data: Float32Array } {
  const hdr = readFileSync(`${base}.hdr`, 'utf8').split('\n');
  const i = hdr.findIndex((l) => l.startsWith('# Dimensions'));
  if (i < 0) throw new Error(`readCfl: ${base}.hdr has no '# Dimensions'`);
  const dims = hdr[i + 1].trim().split(/\s+/).map(Number);
  const bytes = readFileSync(`${base}.cfl`);
  const count = dims.reduce((a, b) => a * b, 1);
  if (bytes.byteLength !== 8 * count)
    throw new Error(`readCfl: ${base}.cfl has ${bytes.byteLength} bytes, dims need ${8 * count}`);
  const data = new Float32Array(2 * count);
  new Uint8Array(data.buffer).set(bytes);
  return { dims, data };
}
