/**
 * Bit-exact port of numpy's legacy `numpy.random.RandomState` (MT19937) for the draws the
 * k-space masks need. Reproducing numpy exactly is what makes fastMRI's published masks
 * (seeded by file name) reproducible here.
 */

const N = 624;
const M = 397;
const MATRIX_A = 0x9908b0df;
const UPPER_MASK = 0x80000000;
const LOWER_MASK = 0x7fffffff;
const MAX_SEED = 0xffffffff;

/** A seed numpy's legacy `RandomState(seed)` accepts: an int in [0, 2^32) or a non-empty array of them. */
export type RandomStateSeed = number | readonly number[];

function checkSeedWord(v: number): void {
  // numpy raises rather than truncating: ints outside [0, 2^32 - 1] are a ValueError there too.
  if (!Number.isInteger(v) || v < 0 || v > MAX_SEED) {
    throw new RangeError(`RandomState: seed must be an integer between 0 and 2**32 - 1, got ${v}`);
  }
}

export class RandomState {
  private readonly mt = new Uint32Array(N);
  private pos = N;

  constructor(seed: RandomStateSeed) {
    this.seed(seed);
  }

  /** Same as numpy's `RandomState.seed`: int → init_genrand, array → init_by_array. */
  seed(seed: RandomStateSeed): void {
    if (typeof seed === 'number') {
      checkSeedWord(seed);
      this.initGenrand(seed);
      return;
    }
    if (seed.length === 0) throw new RangeError('RandomState: seed array must be non-empty');
    seed.forEach(checkSeedWord);
    this.initByArray(seed);
  }

  /** Like numpy's `get_state()[1:3]`: the 624-word key and the position in it. */
  getState(): { key: Uint32Array; pos: number } {
    return { key: this.mt.slice(), pos: this.pos };
  }

  private initGenrand(s: number): void {
    const mt = this.mt;
    mt[0] = s >>> 0;
    for (let i = 1; i < N; i++) {
      const prev = mt[i - 1] ^ (mt[i - 1] >>> 30);
      mt[i] = (Math.imul(1812433253, prev) + i) >>> 0;
    }
    this.pos = N;
  }

  private initByArray(key: readonly number[]): void {
    const mt = this.mt;
    this.initGenrand(19650218);
    let i = 1;
    let j = 0;
    for (let k = Math.max(N, key.length); k > 0; k--) {
      const prev = mt[i - 1] ^ (mt[i - 1] >>> 30);
      mt[i] = ((mt[i] ^ Math.imul(prev, 1664525)) + key[j] + j) >>> 0;
      i++;
      j++;
      if (i >= N) {
        mt[0] = mt[N - 1];
        i = 1;
      }
      if (j >= key.length) j = 0;
    }
    for (let k = N - 1; k > 0; k--) {
      const prev = mt[i - 1] ^ (mt[i - 1] >>> 30);
      mt[i] = ((mt[i] ^ Math.imul(prev, 1566083941)) - i) >>> 0;
      i++;
      if (i >= N) {
        mt[0] = mt[N - 1];
        i = 1;
      }
    }
    // Guarantees a non-zero state whatever the key.
    mt[0] = 0x80000000;
    this.pos = N;
  }

  private generate(): void {
    const mt = this.mt;
    let kk = 0;
    for (; kk < N - M; kk++) {
      const y = (mt[kk] & UPPER_MASK) | (mt[kk + 1] & LOWER_MASK);
      mt[kk] = mt[kk + M] ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
    }
    for (; kk < N - 1; kk++) {
      const y = (mt[kk] & UPPER_MASK) | (mt[kk + 1] & LOWER_MASK);
      mt[kk] = mt[kk + (M - N)] ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
    }
    const y = (mt[N - 1] & UPPER_MASK) | (mt[0] & LOWER_MASK);
    mt[N - 1] = mt[M - 1] ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
    this.pos = 0;
  }

  /** One tempered 32-bit word (numpy's `next_uint32`). */
  nextUint32(): number {
    if (this.pos >= N) this.generate();
    let y = this.mt[this.pos++];
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  /** Double in [0, 1) with 53 random bits, built from two words exactly as numpy does. */
  randomSample(): number {
    const a = this.nextUint32() >>> 5;
    const b = this.nextUint32() >>> 6;
    return (a * 67108864.0 + b) / 9007199254740992.0;
  }

  /** `random_sample(size)`: `size` doubles in [0, 1). */
  randomSampleArray(size: number): Float64Array {
    const out = new Float64Array(size);
    for (let i = 0; i < size; i++) out[i] = this.randomSample();
    return out;
  }

  /** `uniform(low, high, size)`; numpy computes low + (high - low) * u, which we mirror for bit-exactness. */
  uniform(low = 0, high = 1, size = 1): Float64Array {
    if (!Number.isFinite(high - low)) throw new RangeError(`RandomState.uniform: range must be finite, got [${low}, ${high})`);
    const range = high - low;
    const out = new Float64Array(size);
    for (let i = 0; i < size; i++) out[i] = low + range * this.randomSample();
    return out;
  }

  /**
   * `randint(low, high)` with the default int64 dtype: masked rejection sampling on 32-bit words
   * when the range fits in 32 bits, on 64-bit words (two 32-bit draws, high word first) otherwise.
   * An empty-width range (high - low == 1) draws nothing, as in numpy. Ranges are limited to
   * 2^53 so that results stay exact JS numbers.
   */
  randint(low: number, high?: number): number {
    if (high === undefined) {
      high = low;
      low = 0;
    }
    if (!Number.isInteger(low) || !Number.isInteger(high)) {
      throw new RangeError(`RandomState.randint: bounds must be integers, got [${low}, ${high})`);
    }
    if (high <= low) throw new RangeError(`RandomState.randint: high <= low (low=${low}, high=${high})`);
    const rng = high - 1 - low;
    if (rng > Number.MAX_SAFE_INTEGER) throw new RangeError('RandomState.randint: range exceeds 2^53');
    if (rng === 0) return low;
    if (rng <= 0xffffffff) return low + this.boundedMasked32(rng);
    return low + this.boundedMasked64(rng);
  }

  private boundedMasked32(rng: number): number {
    if (rng === 0xffffffff) return this.nextUint32();
    const mask = smearMask32(rng);
    let v: number;
    do v = (this.nextUint32() & mask) >>> 0;
    while (v > rng);
    return v;
  }

  private boundedMasked64(rng: number): number {
    // rng < 2^53, so the mask's high word has at most 21 bits and the result is exact in a double.
    const hiRng = Math.floor(rng / 0x100000000);
    const hiMask = smearMask32(hiRng);
    for (;;) {
      const hi = (this.nextUint32() & hiMask) >>> 0;
      const lo = this.nextUint32();
      const v = hi * 0x100000000 + lo;
      if (v <= rng) return v;
    }
  }

  /** numpy's `random_interval(max)`: uniform in [0, max], masked rejection, used by shuffle. */
  private interval(max: number): number {
    if (max === 0) return 0;
    if (max <= 0xffffffff) {
      const mask = smearMask32(max);
      let v: number;
      do v = (this.nextUint32() & mask) >>> 0;
      while (v > max);
      return v;
    }
    return this.boundedMasked64(max);
  }

  /** In-place Fisher–Yates as legacy `shuffle` does it for a 1-D array (from the end down). */
  shuffle<T extends { length: number; [i: number]: unknown }>(x: T): T {
    for (let i = x.length - 1; i > 0; i--) {
      const j = this.interval(i);
      const t = x[i];
      x[i] = x[j];
      x[j] = t;
    }
    return x;
  }

  /** `permutation(n)`: a shuffled arange(n). */
  permutation(n: number): Int32Array {
    if (!Number.isInteger(n) || n < 0)
      throw new RangeError(`RandomState.permutation: n must be a non-negative integer, got ${n}`);
    const out = new Int32Array(n);
    for (let i = 0; i < n; i++) out[i] = i;
    return this.shuffle(out);
  }
}

function smearMask32(v: number): number {
  let m = v >>> 0;
  m |= m >>> 1;
  m |= m >>> 2;
  m |= m >>> 4;
  m |= m >>> 8;
  m |= m >>> 16;
  return m >>> 0;
}

/** fastMRI's file-name seed: `tuple(map(ord, fname))`, one word per Unicode code point. */
export function seedFromString(s: string): number[] {
  return Array.from(s, (ch) => ch.codePointAt(0) as number);
}
