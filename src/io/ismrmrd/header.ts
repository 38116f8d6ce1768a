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

export function parseIsmrmrdHeader(xml: string, file: string): IsmrmrdEncoding {
  const enc = block(xml, 'encoding');
  if (!enc) throw new Error(`${file}: ISMRMRD header has no <encoding> section`);
  const encodedSpace = block(enc, 'encodedSpace');
  const encoded = xyz(block(encodedSpace ?? '', 'matrixSize'));
  const recon = xyz(block(block(enc, 'reconSpace') ?? '', 'matrixSize'));
  if (!encoded || encoded.some((n) => !(n > 0))) throw new Error(`${file}: ISMRMRD header has no valid encodedSpace matrixSize`);
  const limits = block(enc, 'encodingLimits');
  const max = (name: string) => num(block(limits ?? '', name), 'maximum') ?? 0;
  return {
    encoded,
    recon: recon && recon.every((n) => n > 0) ? recon : encoded,
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
