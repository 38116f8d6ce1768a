import { describe, expect, test } from 'vitest';
import { DEFAULT_MASK_FORM, validateMaskForm } from '../../renderer/state/mask-form';

describe('validateMaskForm', () => {
  test('the default form is a valid spec', () => {
    const v = validateMaskForm(DEFAULT_MASK_FORM);
    expect(v).toEqual({ ok: true, spec: { type: 'random', acceleration: 4, centerFraction: 0.08, seed: 42 } });
  });

  test.each([
    ['acceleration', 'abc', /Acceleration must be a number/],
    ['acceleration', '0.5', /Acceleration must be between 1 and 64/],
    ['acceleration', '65', /Acceleration/],
    ['acceleration', '', /Acceleration/],
    ['acceleration', '0x10', /Acceleration must be a number/],
    ['centerFraction', '1', /Centre fraction/],
    ['centerFraction', '0', /Centre fraction/],
    ['centerFraction', '-0.1', /Centre fraction/],
    ['seed', '1.5', /Seed/],
    ['seed', '-1', /Seed/],
    ['seed', '4294967296', /Seed/],
  ] as const)('%s = %j names the field', (field, value, message) => {
    const v = validateMaskForm({ ...DEFAULT_MASK_FORM, [field]: value });
    expect(v.ok).toBe(false);
    if (!v.ok) expect(v.errors[field]).toMatch(message);
  });

  test('blank seed means random (no seed sent)', () => {
    const v = validateMaskForm({ ...DEFAULT_MASK_FORM, seed: ' ' });
    expect(v.ok && !('seed' in v.spec)).toBe(true);
  });

  test('a type the engine does not offer is refused', () => {
    const v = validateMaskForm({ ...DEFAULT_MASK_FORM, type: 'poisson2d' }, ['random', 'equispaced']);
    expect(v.ok).toBe(false);
    if (!v.ok) expect(v.errors.type).toMatch(/Mask type/);
  });

  test('reports every bad field at once', () => {
    const v = validateMaskForm({ type: 'random', acceleration: 'x', centerFraction: '2', seed: 'y' });
    expect(v.ok ? [] : Object.keys(v.errors).sort()).toEqual(['acceleration', 'centerFraction', 'seed']);
  });
});

describe('mask form: 2-D options and custom masks', () => {
  test('2-D types take per-axis accelerations and a calibration size (blank = engine default)', () => {
    const v = validateMaskForm({
      ...DEFAULT_MASK_FORM,
      type: 'poisson2d',
      accelerationY: '2',
      accelerationZ: '',
      calibration: '24',
    });
    expect(v).toEqual({
      ok: true,
      spec: { type: 'poisson2d', acceleration: 4, centerFraction: 0.08, seed: 42, accelerationY: 2, calibration: 24 },
    });
    const bad = validateMaskForm({ ...DEFAULT_MASK_FORM, type: 'gaussian2d', accelerationY: '17', calibration: '2.5' });
    expect(bad.ok ? [] : Object.keys(bad.errors).sort()).toEqual(['accelerationY', 'calibration']);
  });
  test('1-D types ignore the 2-D fields', () => {
    const v = validateMaskForm({ ...DEFAULT_MASK_FORM, accelerationY: 'junk' });
    expect(v.ok).toBe(true);
  });
  test('custom needs a mask; with one it carries data and shape', () => {
    const none = validateMaskForm({ ...DEFAULT_MASK_FORM, type: 'custom' });
    expect(none.ok).toBe(false);
    const data = new Uint8Array([1, 0, 1, 1]);
    const v = validateMaskForm({ ...DEFAULT_MASK_FORM, type: 'custom' }, undefined, { data, shape: [4], source: 'drawn' });
    expect(v.ok && v.spec.data === data && v.spec.dataShape).toEqual([4]);
  });
});
