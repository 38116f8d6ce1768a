/**
 * 1-D FFT plans cached by length: Stockham mixed radix (2, 3, 4, 5, generic odd primes up to
 * MAX_DIRECT_PRIME) or Bluestein when a larger prime divides the length.
 */
import { makeBluesteinPlan, runBluestein, type BluesteinPlan } from './bluestein';
import { factorize, makeStockhamPlan, runStockham, type StockhamPlan } from './stockham';

export type FftPlan =
  { n: number; kind: 'stockham'; stockham: StockhamPlan } | { n: number; kind: 'bluestein'; bluestein: BluesteinPlan };

const cache = new Map<number, FftPlan>();

export function getPlan(n: number): FftPlan {
  let plan = cache.get(n);
  if (!plan) {
    const radices = factorize(n);
    plan = radices
      ? { n, kind: 'stockham', stockham: makeStockhamPlan(n, radices) }
      : { n, kind: 'bluestein', bluestein: makeBluesteinPlan(n) };
    cache.set(n, plan);
  }
  return plan;
}

/**
 * Forward (e^{-2πi jk/n}, unnormalised) FFT of L lanes stored [n][L] in (ar, ai); (br, bi) is scratch
 * of n·L. Returns true when the result is in (br, bi), false when it is in (ar, ai).
 */
export function executeLanes(
  plan: FftPlan,
  ar: Float64Array,
  ai: Float64Array,
  br: Float64Array,
  bi: Float64Array,
  L: number,
): boolean {
  if (plan.kind === 'stockham') return runStockham(plan.stockham, ar, ai, br, bi, L);
  runBluestein(plan.bluestein, ar, ai, L);
  return false;
}
