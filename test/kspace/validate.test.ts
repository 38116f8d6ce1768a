import { describe, expect, it } from 'vitest';
import { assertFinite, assertLength, assertNonEmpty, assertPositiveInt } from '../../src/kspace/validate';

describe('validate', () => {
  it('assertFinite names the array, the kind and the first bad index', () => {
    expect(() => assertFinite(Float32Array.of(0, 1, NaN, Infinity), 'kspace')).toThrow(
      new RangeError('kspace contains NaN at index 2'),
    );
    expect(() => assertFinite(Float32Array.of(0, -Infinity), 'maps')).toThrow('maps contains -Infinity at index 1');
    expect(() => assertFinite(Float64Array.of(1e308, -0, 3), 'x')).not.toThrow();
  });
  it('assertPositiveInt rejects 0, negatives, fractions and NaN', () => {
    for (const v of [0, -1, 1.5, NaN, Infinity]) expect(() => assertPositiveInt(v, 'h')).toThrow(RangeError);
    expect(() => assertPositiveInt(3, 'h')).not.toThrow();
  });
  it('assertLength and assertNonEmpty', () => {
    expect(() => assertLength(new Float32Array(3), 4, 'img')).toThrow('img has length 3, expected 4');
    expect(() => assertNonEmpty(new Float32Array(0), 'gt')).toThrow('gt is empty');
  });
});
