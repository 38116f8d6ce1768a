import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { RandomState, seedFromString } from '../../../src/kspace/rng/mt19937';

interface RngCase {
  seed: number | number[];
  key_head: number[];
  key_tail: number;
  pos: number;
  random_sample: number[];
  uniform: number[];
  uniform01_then_sample: number[];
  randint_chain: [number, number[]][];
  after_randint: number;
  randint_offset: number[];
  permutation: number[];
  permutation_then_sample: number;
}

const refs = JSON.parse(readFileSync(new URL('../../fixtures/masks/numpy_rng.json', import.meta.url), 'utf8')) as {
  cases: RngCase[];
  errors: { seed?: number | number[]; randint?: [number, number]; error: string | null }[];
};

const label = (seed: number | number[]) =>
  Array.isArray(seed) ? `[${seed.length > 6 ? `${seed.slice(0, 3).join(',')}…(${seed.length})` : seed.join(',')}]` : String(seed);

describe('RandomState matches numpy legacy RandomState', () => {
  for (const c of refs.cases) {
    describe(`seed ${label(c.seed)}`, () => {
      it('seeds the same state', () => {
        const { key, pos } = new RandomState(c.seed).getState();
        expect(Array.from(key.subarray(0, 4))).toEqual(c.key_head);
        expect(key[623]).toBe(c.key_tail);
        expect(pos).toBe(c.pos);
      });

      it('random_sample', () => {
        const rs = new RandomState(c.seed);
        expect(Array.from(rs.randomSampleArray(6))).toEqual(c.random_sample);
      });

      it('uniform(low, high, size) and uniform() sharing the stream with random_sample', () => {
        const rs = new RandomState(c.seed);
        expect(Array.from(rs.uniform(-2.5, 3.0, 4))).toEqual(c.uniform);
        expect([...rs.uniform(0, 1, 3), rs.randomSample()]).toEqual(c.uniform01_then_sample);
      });

      it('randint over 1 … 2^53 consumes the stream like numpy', () => {
        const rs = new RandomState(c.seed);
        for (const [high, want] of c.randint_chain) {
          expect([rs.randint(0, high), rs.randint(0, high), rs.randint(0, high)], `high=${high}`).toEqual(want);
        }
        expect(rs.randomSample()).toBe(c.after_randint);
      });

      it('randint with a negative low and the one-argument form', () => {
        const rs = new RandomState(c.seed);
        const got = [...Array.from({ length: 6 }, () => rs.randint(-7, 9)), ...Array.from({ length: 3 }, () => rs.randint(5))];
        expect(got).toEqual(c.randint_offset);
      });

      it('permutation (legacy shuffle)', () => {
        const rs = new RandomState(c.seed);
        expect(Array.from(rs.permutation(20))).toEqual(c.permutation);
        expect(rs.randomSample()).toBe(c.permutation_then_sample);
      });
    });
  }
});

describe('RandomState rejects what numpy rejects', () => {
  for (const e of refs.errors) {
    if (e.seed !== undefined) {
      it(`seed ${JSON.stringify(e.seed)} → ${e.error}`, () => {
        expect(e.error).not.toBeNull();
        expect(() => new RandomState(e.seed as number | number[])).toThrow(RangeError);
      });
    }
  }
  it('randint(0, 0) and non-integer bounds', () => {
    expect(refs.errors.find((e) => e.randint)?.error).toMatch(/ValueError/);
    expect(() => new RandomState(0).randint(0, 0)).toThrow(RangeError);
    expect(() => new RandomState(0).randint(0, 2.5)).toThrow(RangeError);
    expect(() => new RandomState(0.5)).toThrow(RangeError);
  });
});

describe('RandomState properties', () => {
  it('same seed, same stream; results stay inside [low, high)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 0xffffffff }),
        fc.integer({ min: -1000, max: 1000 }),
        fc.integer({ min: 1, max: 5000 }),
        (seed, low, span) => {
          const a = new RandomState(seed);
          const b = new RandomState(seed);
          for (let i = 0; i < 20; i++) {
            const v = a.randint(low, low + span);
            expect(v).toBe(b.randint(low, low + span));
            expect(v).toBeGreaterThanOrEqual(low);
            expect(v).toBeLessThan(low + span);
            const u = a.randomSample();
            expect(u).toBe(b.randomSample());
            expect(u).toBeGreaterThanOrEqual(0);
            expect(u).toBeLessThan(1);
          }
        },
      ),
      { numRuns: 50 },
    );
  });

  it('file-name seeds are one word per code point', () => {
    expect(seedFromString('ab')).toEqual([97, 98]);
    expect(seedFromString('é𝄞')).toEqual([0xe9, 0x1d11e]);
  });
});
