/**
 * SENSE coil-sensitivity operator S: image [H, W] → coil images [C, H, W], (S x)_c = s_c ⊙ x.
 * Adjoint: Sᴴ y = Σ_c conj(s_c) ⊙ y_c. Maps are [C, H, W] complex interleaved.
 *
 * With maps normalised to Σ_c |s_c|² = 1 inside the support (ESPIRiT, lowres), SᴴS is the support
 * indicator, so ‖S‖ = 1 and the step sizes the solvers derive from ‖A‖ stay valid.
 */
import { senseForward } from '../../kspace/coils';
import { type LinearOperator, assertPositiveInt, checkIn, outFor } from './linop';

export function checkMaps(maps: Float32Array, coils: number, h: number, w: number): void {
  if (!(maps instanceof Float32Array)) throw new RangeError('maps: expected a Float32Array');
  const need = 2 * coils * h * w;
  if (maps.length !== need) {
    throw new RangeError(`maps: length ${maps.length} does not match [coils=${coils}, ${h}, ${w}] complex (${need} floats)`);
  }
}

export function senseOp(maps: Float32Array, coils: number, h: number, w: number): LinearOperator {
  assertPositiveInt(coils, 'coils');
  assertPositiveInt(h, 'height');
  assertPositiveInt(w, 'width');
  checkMaps(maps, coils, h, w);
  const inShape = [h, w] as const;
  const outShape = [coils, h, w] as const;
  const n = h * w;
  return {
    name: 'S',
    inShape,
    outShape,
    forward(x, out) {
      checkIn(x, inShape, 'sense.forward');
      return senseForward(x, maps, coils, h, w, outFor(out, outShape, 'sense.forward'));
    },
    // accumulates in float32 in place, unlike kspace/coils senseAdjoint's float64 scratch: this runs
    // every solver iteration and the adjoint test holds to 1e-5 either way
    adjoint(y, out) {
      checkIn(y, outShape, 'sense.adjoint');
      const o = outFor(out, inShape, 'sense.adjoint');
      o.fill(0);
      for (let c = 0; c < coils; c++) {
        senseAdjointAdd(y.subarray(2 * c * n, 2 * (c + 1) * n), maps.subarray(2 * c * n, 2 * (c + 1) * n), o);
      }
      return o;
    },
  };
}

/** o += conj(s_c) ⊙ y_c for one coil (image, map and o all [H, W]), in float32 like senseOp's adjoint. */
export function senseAdjointAdd(yc: Float32Array, mapC: Float32Array, o: Float32Array): void {
  for (let p = 0; p < o.length; p += 2) {
    const sr = mapC[p];
    const si = mapC[p + 1];
    const yr = yc[p];
    const yi = yc[p + 1];
    o[p] += sr * yr + si * yi;
    o[p + 1] += sr * yi - si * yr;
  }
}
