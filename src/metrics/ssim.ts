import { assertLength, assertPositiveInt } from '../kspace/validate';
import { checkDataRange, checkPair } from './inputs';
import { uniformFilter2d, type RealArray } from './uniformFilter';

/** skimage structural_similarity defaults as fastMRI calls it (uniform window, not Gaussian). */
export const SSIM_WIN_SIZE = 7;
export const SSIM_K1 = 0.01;
export const SSIM_K2 = 0.03;

export interface SsimOptions {
  /**
   * 'float64' (default): exact arithmetic up to double rounding.
   * 'float32': replays skimage's float32 pipeline (what fastMRI actually runs on its float32
   * volumes) to reproduce its published numbers to ~1e-9; the two differ by up to ~1e-5 because
   * float32 loses digits in E[x²] − E[x]².
   */
  arithmetic?: 'float64' | 'float32';
}

export interface SsimResult {
  ssim: number;
  /** Full h×w SSIM map; the scalar excludes its (win−1)/2-pixel border, like skimage's crop. */
  map: Float32Array;
}

function checkShape(gt: Float32Array, pred: Float32Array, h: number, w: number): void {
  checkPair(gt, pred);
  assertPositiveInt(h, 'h');
  assertPositiveInt(w, 'w');
  assertLength(gt, h * w, 'gt');
  if (h < SSIM_WIN_SIZE || w < SSIM_WIN_SIZE) {
    throw new RangeError(`h and w must be at least ${SSIM_WIN_SIZE} (SSIM window), got ${h}×${w}`);
  }
}

function ssimCore(
  gt: Float32Array,
  pred: Float32Array,
  h: number,
  w: number,
  dataRange: number,
  options: SsimOptions | undefined,
  wantMap: boolean,
): SsimResult | number {
  checkShape(gt, pred, h, w);
  checkDataRange(dataRange);
  const f32 = options?.arithmetic === 'float32';
  const Arr = f32 ? Float32Array : Float64Array;
  // In float32 mode every numpy array operation rounds to float32; r() replays each rounding.
  const r = f32 ? Math.fround : (v: number) => v;
  const n = h * w;
  const win = SSIM_WIN_SIZE;

  const xx = new Arr(n);
  const yy = new Arr(n);
  const xy = new Arr(n);
  for (let i = 0; i < n; i++) {
    const a = gt[i];
    const b = pred[i];
    xx[i] = a * a;
    yy[i] = b * b;
    xy[i] = a * b;
  }
  const filt = (src: RealArray) => uniformFilter2d(src, h, w, win, new Arr(n));
  const ux = filt(gt);
  const uy = filt(pred);
  const uxx = filt(xx);
  const uyy = filt(yy);
  const uxy = filt(xy);

  const np = win * win;
  const covNorm = r(np / (np - 1)); // sample covariance, skimage's default
  const k1r = SSIM_K1 * dataRange;
  const k2r = SSIM_K2 * dataRange;
  const c1 = r(k1r * k1r);
  const c2 = r(k2r * k2r);

  const map = wantMap ? new Float32Array(n) : null;
  const pad = (win - 1) >> 1;
  let sum = 0;
  for (let y = 0; y < h; y++) {
    const inRows = y >= pad && y < h - pad;
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      const mx = ux[i];
      const my = uy[i];
      const vx = r(covNorm * r(uxx[i] - r(mx * mx)));
      const vy = r(covNorm * r(uyy[i] - r(my * my)));
      const vxy = r(covNorm * r(uxy[i] - r(mx * my)));
      const a1 = r(r(r(2 * mx) * my) + c1);
      const a2 = r(r(2 * vxy) + c2);
      const b1 = r(r(r(mx * mx) + r(my * my)) + c1);
      const b2 = r(r(vx + vy) + c2);
      const s = r(r(a1 * a2) / r(b1 * b2));
      if (map) map[i] = s;
      if (inRows && x >= pad && x < w - pad) sum += s;
    }
  }
  const mean = sum / ((h - 2 * pad) * (w - 2 * pad));
  return map ? { ssim: mean, map } : mean;
}

/**
 * Mean SSIM identical to skimage.metrics.structural_similarity(gt, pred, data_range=dataRange)
 * with its defaults: 7×7 uniform window (reflect boundary), K1 0.01, K2 0.03, sample covariance,
 * mean over the image without a 3-pixel border.
 */
export function ssim(
  gt: Float32Array,
  pred: Float32Array,
  h: number,
  w: number,
  dataRange: number,
  options?: SsimOptions,
): number {
  return ssimCore(gt, pred, h, w, dataRange, options, false) as number;
}

/** As ssim, also returning the per-pixel map for display. */
export function ssimWithMap(
  gt: Float32Array,
  pred: Float32Array,
  h: number,
  w: number,
  dataRange: number,
  options?: SsimOptions,
): SsimResult {
  return ssimCore(gt, pred, h, w, dataRange, options, true) as SsimResult;
}
