import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { MaskSpec } from '../contract/schemas';
import { MaskSpecSchema, describeZodError } from '../contract/schemas';
import { UsageError } from './errors';

export type Options = NonNullable<ParseArgsConfig['options']>;

export function parse<T extends Options>(argv: string[], options: T, positionals = true) {
  try {
    const withHelp = { ...options, help: { type: 'boolean', short: 'h' } } as T & { help: { type: 'boolean'; short: 'h' } };
    return parseArgs({ args: argv, options: withHelp, allowPositionals: positionals, strict: true });
  } catch (e) {
    throw new UsageError((e as Error).message.split('\n')[0]);
  }
}

export function num(value: string | undefined, name: string, fallback?: number): number {
  if (value === undefined) {
    if (fallback === undefined) throw new UsageError(`--${name} is required`);
    return fallback;
  }
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n)) throw new UsageError(`--${name} must be a number, got '${value}'`);
  return n;
}

/** `640x368` → [640, 368] */
export function shape2(value: string | undefined, name: string): [number, number] {
  const m = /^(\d+)x(\d+)$/.exec(value ?? '');
  if (!m) throw new UsageError(`--${name} must look like 640x368, got '${value ?? ''}'`);
  const out: [number, number] = [Number(m[1]), Number(m[2])];
  if (out.some((n) => n < 1)) throw new UsageError(`--${name} sizes must be positive, got '${value}'`);
  return out;
}

/** A numeric seed stays a number; anything else is fastMRI's file-name seed. */
export function seed(value: string | undefined): number | string | undefined {
  if (value === undefined) return undefined;
  return /^\d+$/.test(value) ? Number(value) : value;
}

export const MASK_OPTIONS = {
  mask: { type: 'string' },
  type: { type: 'string' },
  accel: { type: 'string' },
  center: { type: 'string' },
  seed: { type: 'string' },
} as const satisfies Options;

export function maskSpecFrom(values: Record<string, unknown>, typeKey: 'mask' | 'type'): MaskSpec {
  const raw = {
    type: (values[typeKey] as string | undefined) ?? 'random',
    acceleration: num(values.accel as string | undefined, 'accel', 4),
    centerFraction: num(values.center as string | undefined, 'center', 0.08),
    seed: seed(values.seed as string | undefined),
  };
  const parsed = MaskSpecSchema.safeParse(raw);
  if (!parsed.success) throw new UsageError(`mask: ${describeZodError(parsed.error)}`);
  return parsed.data;
}
