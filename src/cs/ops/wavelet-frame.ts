/**
 * Cycle-spun wavelet frame Ψ: image [H, W] → coefficients [S, H, W], Ψx = (1/√S)[W T₁x; …; W T_Sx],
 * T_s a circular shift of the image by (dy_s, dx_s). A decimated wavelet is not shift invariant, and
 * its L1 penalty prefers blocky, grid-aligned solutions; averaging over shifts (Coifman & Donoho's cycle
 * spinning, the deterministic counterpart of BART's random shifts) removes most of that.
 * Ψ is a Parseval tight frame: ΨᴴΨ = (1/S)Σ T_sᴴWᴴWT_s = I, so ADMM's Fourier x-update stays exact.
 * With one zero shift it is the orthogonal W itself.
 */
import { type LinearOperator, checkIn, outFor } from './linop';
import { type WaveletFamily, type WaveletOperator, waveletOp } from './wavelet';
import { haarAnalyzeCoarse, haarAnalyzeShifted, haarColumnIndex, haarSynthesizeCoarse, haarSynthesizeShifted } from './haar';

export interface WaveletFrame extends LinearOperator {
  readonly wavelet: WaveletOperator;
  readonly shifts: ReadonlyArray<readonly [number, number]>;
}

/** Shifts spread over [0, 2^levels)² on a lattice, deterministic: s ↦ (⌊s·g⌋ mod P, s·(P/S)…). */
export function defaultShifts(count: number, levels: number): Array<[number, number]> {
  const P = 1 << Math.max(levels, 1);
  const out: Array<[number, number]> = [[0, 0]];
  // Golden-ratio (Kronecker) sequence: well spread in the 2-D torus for any count.
  const a1 = 0.7548776662466927;
  const a2 = 0.5698402909980532;
  for (let s = 1; s < count; s++) out.push([Math.floor(((s * a1) % 1) * P), Math.floor(((s * a2) % 1) * P)]);
  return out;
}

function shift(x: Float32Array, h: number, w: number, dy: number, dx: number, out: Float32Array): void {
  for (let y = 0; y < h; y++) {
    const sy = (y + dy) % h;
    for (let xx = 0; xx < w; xx++) {
      const sx = (xx + dx) % w;
      const d = 2 * (y * w + xx);
      const s = 2 * (sy * w + sx);
      out[d] = x[s];
      out[d + 1] = x[s + 1];
    }
  }
}

export function waveletFrameOp(
  h: number,
  w: number,
  options: { family?: WaveletFamily; levels?: number; shifts?: ReadonlyArray<readonly [number, number]> } = {},
): WaveletFrame {
  const W = waveletOp(h, w, options);
  const shifts = options.shifts ?? defaultShifts(4, W.levels);
  const S = shifts.length;
  if (S < 1) throw new RangeError('waveletFrameOp: needs at least one shift');
  const inShape = [h, w];
  const outShape = [S, h, w];
  const n = h * w;
  const tmp = new Float32Array(2 * n);
  const tmp2 = new Float32Array(2 * n);
  const norm = 1 / Math.sqrt(S);
  if (W.family === 'haar' && W.levels >= 1) {
    // Fast path: the shift is folded into the finest Haar level (ops/haar), no shift pass, no allocation.
    const L = W.levels;
    const norm01 = shifts.map(([dy, dx]) => [((dy % h) + h) % h, ((dx % w) + w) % w] as const);
    const colIdx = norm01.map(([, dx]) => haarColumnIndex(w, dx));
    const quarter = new Float32Array(2 * (h >> 1) * (w >> 1));
    return {
      name: `Ψ(${W.name}×${S})`,
      wavelet: W,
      shifts,
      inShape,
      outShape,
      forward(x, out) {
        checkIn(x, inShape, 'waveletFrame.forward');
        const o = outFor(out, outShape, 'waveletFrame.forward');
        let src = x;
        if (o === x) {
          tmp.set(x);
          src = tmp;
        }
        for (let s = 0; s < S; s++) {
          haarAnalyzeShifted(src, o, 2 * s * n, h, w, norm01[s][0], colIdx[s], norm);
          haarAnalyzeCoarse(o, 2 * s * n, h, w, L, quarter);
        }
        return o;
      },
      adjoint(c, out) {
        checkIn(c, outShape, 'waveletFrame.adjoint');
        const o = outFor(out, inShape, 'waveletFrame.adjoint');
        let src = c;
        if (o === c) {
          tmp2.set(c);
          src = tmp2;
        }
        for (let s = 0; s < S; s++) {
          let block = src;
          let off = 2 * s * n;
          if (L > 1) {
            tmp.set(src.subarray(off, off + 2 * n));
            haarSynthesizeCoarse(tmp, 0, h, w, L, quarter);
            block = tmp;
            off = 0;
          }
          haarSynthesizeShifted(block, off, o, h, w, norm01[s][0], colIdx[s], norm, s > 0);
        }
        return o;
      },
    };
  }
  return {
    name: `Ψ(${W.name}×${S})`,
    wavelet: W,
    shifts,
    inShape,
    outShape,
    forward(x, out) {
      checkIn(x, inShape, 'waveletFrame.forward');
      const o = outFor(out, outShape, 'waveletFrame.forward');
      for (let s = 0; s < S; s++) {
        const [dy, dx] = shifts[s];
        shift(x, h, w, ((dy % h) + h) % h, ((dx % w) + w) % w, tmp);
        const block = o.subarray(2 * s * n, 2 * (s + 1) * n);
        W.forward(tmp, block);
        for (let i = 0; i < block.length; i++) block[i] *= norm;
      }
      return o;
    },
    adjoint(c, out) {
      checkIn(c, outShape, 'waveletFrame.adjoint');
      const o = outFor(out, inShape, 'waveletFrame.adjoint');
      o.fill(0);
      for (let s = 0; s < S; s++) {
        const [dy, dx] = shifts[s];
        W.adjoint(c.subarray(2 * s * n, 2 * (s + 1) * n), tmp);
        // Inverse shift: T_sᴴ = T_{−s}.
        shift(tmp, h, w, ((-dy % h) + h) % h, ((-dx % w) + w) % w, tmp2);
        for (let i = 0; i < o.length; i++) o[i] += norm * tmp2[i];
      }
      return o;
    },
  };
}
