/** The parts of the ISMRMRD XML header a Cartesian recon needs: matrix sizes, limits, trajectory. */

export interface IsmrmrdEncoding {
  encoded: [number, number, number]; // x (readout), y (phase), z
  recon: [number, number, number];
  /** maximum index of each counter, from encodingLimits (0 when absent) */
  limits: { slice: number; repetition: number; contrast: number; step1: number; step1Center: number | null };
  trajectory: string;
  fieldOfView: [number, number, number] | null;
}

function block(xml: string, tag: string): string | null {
  return new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`).exec(xml)?.[1] ?? null;
}

function num(xml: string | null, tag: string): number | null {
  if (!xml) return null;
  const v = Number(block(xml, tag)?.trim());
  return Number.isFinite(v) ? v : null;
}

function xyz(b: string | null): [number, number, number] | null {
  if (!b) return null;
  const [x, y, z] = ['x', 'y', 'z'].map((t) => num(b, t));
  return x !== null && y !== null ? [x, y, z ?? 1] : null;
}

/** The largest matrix size an acquisition's 16-bit sample and line counters can address. */
const MAX_MATRIX = 65536;

export function parseIsmrmrdHeader(xml: string, file: string): IsmrmrdEncoding {
  const enc = block(xml, 'encoding');
  if (!enc) throw new Error(`${file}: ISMRMRD header has no <encoding> section`);
  const encodedSpace = block(enc, 'encodedSpace');
  const encoded = xyz(block(encodedSpace ?? '', 'matrixSize'));
  const recon = xyz(block(block(enc, 'reconSpace') ?? '', 'matrixSize'));
  if (!encoded || encoded.some((n) => !(n > 0))) throw new Error(`${file}: ISMRMRD header has no valid encodedSpace matrixSize`);
  // samples and k-space lines are 16-bit counters in an acquisition: a larger matrix cannot be filled
  if (!encoded.every((n) => Number.isInteger(n) && n <= MAX_MATRIX))
    throw new Error(`${file}: ISMRMRD encodedSpace matrixSize ${encoded.join('×')} is out of range (each 1…${MAX_MATRIX})`);
  const limits = block(enc, 'encodingLimits');
  const max = (name: string) => {
    const v = num(block(limits ?? '', name), 'maximum') ?? 0;
    if (!Number.isInteger(v) || v < 0 || v > 65535)
      throw new Error(`${file}: ISMRMRD encodingLimits ${name} maximum ${v} is out of range (counters are 0…65535)`);
    return v;
  };
  return {
    encoded,
    recon: recon && recon.every((n) => Number.isInteger(n) && n > 0 && n <= MAX_MATRIX) ? recon : encoded,
    limits: {
      slice: max('slice'),
      repetition: max('repetition'),
      contrast: max('contrast'),
      step1: max('kspace_encoding_step_1'),
      step1Center: num(block(limits ?? '', 'kspace_encoding_step_1'), 'center'),
    },
    trajectory: (block(enc, 'trajectory') ?? 'cartesian').trim(),
    fieldOfView: xyz(block(encodedSpace ?? '', 'fieldOfView_mm')),
  };
}
