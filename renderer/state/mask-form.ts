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
}

export type MaskField = 'type' | 'acceleration' | 'centerFraction' | 'seed';
export type MaskErrors = Partial<Record<MaskField, string>>;
export type MaskValidation = { ok: true; spec: MaskSpec } | { ok: false; errors: MaskErrors };

export const DEFAULT_MASK_FORM: MaskForm = { type: 'random', acceleration: '4', centerFraction: '0.08', seed: '42' };

export const FIELD_LABELS: Record<MaskField, string> = {
  type: 'Mask type',
  acceleration: 'Acceleration',
  centerFraction: 'Centre fraction',
  seed: 'Seed',
};

/** A strict decimal number: no hex, no empty string, no trailing junk. */
function parseNumber(s: string): number | null {
  const t = s.trim();
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t)) return null;
  const v = Number(t);
  return Number.isFinite(v) ? v : null;
}

export function validateMaskForm(form: MaskForm, allowedTypes?: readonly MaskType[]): MaskValidation {
  const errors: MaskErrors = {};
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
  if (Object.keys(errors).length > 0) return { ok: false, errors };

  const candidate = { type: form.type, acceleration: acc!, centerFraction: cf!, ...(seed !== undefined ? { seed } : {}) };
  const parsed = MaskSpecSchema.safeParse(candidate);
  if (!parsed.success) {
    // the contract is the last word: map its complaint onto a field
    const issue = parsed.error.issues[0];
    const field = (issue?.path[0] as MaskField | undefined) ?? 'type';
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
  none: 'Fully sampled',
};
