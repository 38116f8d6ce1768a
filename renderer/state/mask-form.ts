/**
 * The mask form holds what the user typed (strings); validation turns it into a MaskSpec or names the
 * offending field. Invalid values never reach the engine. Pure: unit-tested.
 */
import { MaskSpecSchema, type MaskSpec, type MaskType } from '../../src/contract/schemas';

export interface MaskForm {
  type: MaskType;
  acceleration: string;
  centerFraction: string;
  /** blank = a fresh random mask on every run (the engine records the seed it drew) */
  seed: string;
  /** 2-D masks (gaussian2d, poisson2d): per-axis accelerations and calibration box size; blank = engine default */
  accelerationY?: string;
  accelerationZ?: string;
  calibration?: string;
}

/** A hand-drawn or loaded mask: 0/1 per column ([W]) or per k-space sample ([H, W]). */
export interface CustomMask {
  data: Uint8Array;
  shape: [number] | [number, number];
  /** where it came from, for the panel ("drawn", "mask.npy") */
  source: string;
}

export const TWO_D_TYPES: readonly MaskType[] = ['gaussian2d', 'poisson2d'];

export type MaskField = 'type' | 'acceleration' | 'centerFraction' | 'seed' | 'accelerationY' | 'accelerationZ' | 'calibration';
export type MaskErrors = Partial<Record<MaskField, string>>;
export type MaskValidation = { ok: true; spec: MaskSpec } | { ok: false; errors: MaskErrors };

export const DEFAULT_MASK_FORM: MaskForm = { type: 'random', acceleration: '4', centerFraction: '0.08', seed: '42' };

export const FIELD_LABELS: Record<MaskField, string> = {
  type: 'Mask type',
  acceleration: 'Acceleration',
  centerFraction: 'Centre fraction',
  seed: 'Seed',
  accelerationY: 'Accel. Y',
  accelerationZ: 'Accel. Z',
  calibration: 'Calibration',
};

/** A strict decimal number: no hex, no empty string, no trailing junk. */
function parseNumber(s: string): number | null {
  const t = s.trim();
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t)) return null;
  const v = Number(t);
  return Number.isFinite(v) ? v : null;
}

export function validateMaskForm(form: MaskForm, allowedTypes?: readonly MaskType[], custom?: CustomMask | null): MaskValidation {
  const errors: MaskErrors = {};
  if (form.type === 'custom' && !custom) errors.type = 'Custom mask: draw on the preview or load a mask file first';
  if (allowedTypes && !allowedTypes.includes(form.type))
    errors.type = `${FIELD_LABELS.type}: '${form.type}' is not offered by this engine`;

  const acc = parseNumber(form.acceleration);
  if (acc === null) errors.acceleration = `${FIELD_LABELS.acceleration} must be a number`;
  else if (acc < 1 || acc > 64) errors.acceleration = `${FIELD_LABELS.acceleration} must be between 1 and 64`;

  const cf = parseNumber(form.centerFraction);
  if (cf === null) errors.centerFraction = `${FIELD_LABELS.centerFraction} must be a number`;
  else if (!(cf > 0 && cf < 1)) errors.centerFraction = `${FIELD_LABELS.centerFraction} must be between 0 and 1 (exclusive)`;

  let seed: number | undefined;
  if (form.seed.trim() !== '') {
    const s = parseNumber(form.seed);
    if (s === null || !Number.isInteger(s) || s < 0 || s > 2 ** 32 - 1)
      errors.seed = `${FIELD_LABELS.seed} must be a whole number from 0 to 4294967295 (or blank for random)`;
    else seed = s;
  }
  const extra: Record<string, number> = {};
  if (TWO_D_TYPES.includes(form.type)) {
    for (const f of ['accelerationY', 'accelerationZ'] as const) {
      const raw = (form[f] ?? '').trim();
      if (raw === '') continue;
      const v = parseNumber(raw);
      if (v === null || v < 1 || v > 16) errors[f] = `${FIELD_LABELS[f]} must be a number from 1 to 16 (or blank)`;
      else extra[f] = v;
    }
    const raw = (form.calibration ?? '').trim();
    if (raw !== '') {
      const v = parseNumber(raw);
      if (v === null || !Number.isInteger(v) || v < 0 || v > 256)
        errors.calibration = `${FIELD_LABELS.calibration} must be a whole number from 0 to 256 (or blank)`;
      else extra.calibration = v;
    }
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors };

  const candidate = {
    type: form.type,
    acceleration: acc!,
    centerFraction: cf!,
    ...(seed !== undefined ? { seed } : {}),
    ...extra,
    ...(form.type === 'custom' && custom ? { data: custom.data, dataShape: custom.shape } : {}),
  };
  const parsed = MaskSpecSchema.safeParse(candidate);
  if (!parsed.success) {
    // the contract is the last word: map its complaint onto a field
    const issue = parsed.error.issues[0];
    const at = String(issue?.path[0] ?? 'type');
    const field: MaskField = at in FIELD_LABELS ? (at as MaskField) : 'type';
    return { ok: false, errors: { [field]: `${FIELD_LABELS[field] ?? String(field)}: ${issue?.message ?? 'invalid'}` } };
  }
  return { ok: true, spec: parsed.data };
}

export const MASK_TYPE_LABELS: Partial<Record<MaskType, string>> = {
  random: 'Random lines',
  equispaced: 'Equispaced lines',
  equispaced_fraction: 'Equispaced (fraction)',
  magic: 'MAGIC lines',
  magic_fraction: 'MAGIC (fraction)',
  gaussian2d: 'Gaussian 2-D',
  poisson2d: 'Poisson-disc 2-D',
  custom: 'Custom (drawn / loaded)',
  none: 'Fully sampled',
};
