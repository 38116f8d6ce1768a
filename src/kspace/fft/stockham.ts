/**
 * Plans for lengths whose prime factors are all small: a chain of Stockham stages (see radix.ts)
 * with their twiddles precomputed in float64.
 */
import { radix2, radix3, radix4, radix5, radix8, radixOdd, type StageKernel } from './radix';

/** Largest prime handled by the generic O(p²) butterfly; lengths with a larger factor go to Bluestein. */
export const MAX_DIRECT_PRIME = 47;

export interface Stage {
  p: number;
  ns: number;
  kernel: StageKernel;
  tw: Float64Array;
  trig: Float64Array;
}

export interface StockhamPlan {
  n: number;
  stages: Stage[];
  /** largest generic-radix p, for sizing its scratch */
  maxOdd: number;
}

/** Radices in application order, or null when n has a prime factor above `maxPrime`. */
export function factorize(n: number, maxPrime: number = MAX_DIRECT_PRIME): number[] | null {
  const out: number[] = [];
  let r = n;
  let e = 0;
  while (r % 2 === 0) {
    e++;
    r /= 2;
  }
  // as many radix-8 passes as possible, but 4·4 rather than 8·2: radix 2 is the least efficient pass
  const eights = e % 3 === 1 && e > 1 ? (e - 4) / 3 : Math.floor(e / 3);
  for (let i = 0; i < eights; i++) out.push(8);
  for (let rest = e - 3 * eights; rest > 0; rest -= rest >= 2 ? 2 : 1) out.push(rest >= 2 ? 4 : 2);
  for (let p = 3; r > 1; p += 2) {
    if (p > maxPrime) return null;
    while (r % p === 0) {
      out.push(p);
      r /= p;
    }
  }
  return out;
}

const EMPTY = new Float64Array(0);

function kernelFor(p: number): StageKernel {
  switch (p) {
    case 2:
      return radix2;
    case 3:
      return radix3;
    case 4:
      return radix4;
    case 5:
      return radix5;
    case 8:
      return radix8;
    default:
      return radixOdd;
  }
}

export function makeStockhamPlan(n: number, radices: number[]): StockhamPlan {
  const stages: Stage[] = [];
  let ns = 1;
  let maxOdd = 0;
  for (const p of radices) {
    const len = ns * p;
    const tw = new Float64Array(2 * (p - 1) * ns);
    for (let k = 0; k < ns; k++) {
      for (let r = 1; r < p; r++) {
        const a = (-2 * Math.PI * k * r) / len;
        tw[2 * ((p - 1) * k + r - 1)] = Math.cos(a);
        tw[2 * ((p - 1) * k + r - 1) + 1] = Math.sin(a);
      }
    }
    let trig = EMPTY;
    if (p > 5 && p !== 8) {
      maxOdd = Math.max(maxOdd, p);
      const half = (p - 1) >> 1;
      trig = new Float64Array(2 * half * half);
      // cos and +sin of 2πkr/p: the kernel applies the -i itself
      for (let k = 1; k <= half; k++) {
        for (let r = 1; r <= half; r++) {
          const a = (2 * Math.PI * ((k * r) % p)) / p;
          trig[2 * ((k - 1) * half + r - 1)] = Math.cos(a);
          trig[2 * ((k - 1) * half + r - 1) + 1] = Math.sin(a);
        }
      }
    }
    stages.push({ p, ns, kernel: kernelFor(p), tw, trig });
    ns = len;
  }
  return { n, stages, maxOdd };
}

let oddTmp = new Float64Array(0);

/**
 * Forward FFT of L lanes held in (ar, ai) as [n][L]; (br, bi) is scratch of the same size.
 * Returns true when the result ended up in (br, bi).
 */
export function runStockham(
  plan: StockhamPlan,
  ar: Float64Array,
  ai: Float64Array,
  br: Float64Array,
  bi: Float64Array,
  L: number,
): boolean {
  if (plan.maxOdd > 0 && oddTmp.length < 4 * plan.maxOdd * L) oddTmp = new Float64Array(4 * plan.maxOdd * L);
  let inB = false;
  const n = plan.n;
  for (const s of plan.stages) {
    if (inB) s.kernel(br, bi, ar, ai, n, s.ns, L, s.tw, s.p, s.trig, oddTmp);
    else s.kernel(ar, ai, br, bi, n, s.ns, L, s.tw, s.p, s.trig, oddTmp);
    inB = !inB;
  }
  return inB;
}
