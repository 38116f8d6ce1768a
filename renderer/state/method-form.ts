/**
 * Method parameter forms, generated from engine.info's methodInfo: the engine owns the defaults, the
 * form holds what the user typed (blank = the engine's default). Pure: unit-tested.
 */
import type { MethodDescription, MethodParam, MethodSpec, ReconMethodName } from '../../src/contract/schemas';

/** method → param name → typed text */
export type MethodForms = Partial<Record<ReconMethodName, Record<string, string>>>;
export type MethodCheck = { ok: true; spec: MethodSpec } | { ok: false; errors: Record<string, string> };

export function defaultMethodForms(info: readonly MethodDescription[]): MethodForms {
  const out: MethodForms = {};
  for (const m of info) {
    const f: Record<string, string> = {};
    for (const p of m.params) f[p.name] = p.default === null ? '' : String(p.default);
    out[m.method] = f;
  }
  return out;
}

function parseNumber(s: string): number | null {
  const t = s.trim();
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t)) return null;
  const v = Number(t);
  return Number.isFinite(v) ? v : null;
}

/** One parameter's value, or an error naming it; undefined = leave it to the engine. */
export function checkParam(p: MethodParam, raw: string | undefined): { value?: number | string; error?: string } {
  const t = (raw ?? '').trim();
  if (t === '') return {};
  if (p.kind === 'text') return { value: t };
  if (p.kind === 'choice') {
    if (p.choices && !p.choices.includes(t)) return { error: `${p.label} must be one of ${p.choices.join(', ')}` };
    return { value: t };
  }
  const v = parseNumber(t);
  if (v === null) return { error: `${p.label} must be a number` };
  if (p.kind === 'integer' && !Number.isInteger(v)) return { error: `${p.label} must be a whole number` };
  if (p.min !== undefined && v < p.min) return { error: `${p.label} must be ≥ ${p.min}` };
  if (p.max !== undefined && v > p.max) return { error: `${p.label} must be ≤ ${p.max}` };
  return { value: v };
}

/** False while the parameter's enabledWhen condition fails (a blank field counts as its default). */
export function paramEnabled(desc: MethodDescription, p: MethodParam, form: Record<string, string> | undefined): boolean {
  const cond = p.enabledWhen;
  if (!cond) return true;
  const other = desc.params.find((q) => q.name === cond.param);
  const raw = (form?.[cond.param] ?? '').trim();
  const value = raw !== '' ? raw : other?.default === null || other?.default === undefined ? '' : String(other.default);
  return value === cond.value;
}

export function validateMethod(desc: MethodDescription, form: Record<string, string> | undefined): MethodCheck {
  const errors: Record<string, string> = {};
  const spec: Record<string, unknown> = { method: desc.method };
  for (const p of desc.params) {
    if (!paramEnabled(desc, p, form)) continue;
    const r = checkParam(p, form?.[p.name]);
    if (r.error) errors[p.name] = r.error;
    else if (r.value !== undefined) spec[p.name] = r.value;
  }
  if (Object.keys(errors).length) return { ok: false, errors };
  return { ok: true, spec: spec as MethodSpec };
}

function paramLabel(name: MethodParam['name'], v: unknown): string {
  switch (name) {
    case 'lambda':
      return `λ=${String(v)}`;
    case 'iterations':
      return `it=${String(v)}`;
    case 'tv':
      return v === '3d' ? '3-D' : v === '2d' ? '2-D' : `tv=${String(v)}`;
    case 'tvZWeight':
      return `z-weight=${String(v)}`;
    default:
      return `${name}=${String(v)}`;
  }
}

/** "CS · TV λ=0.003 it=20 3-D": parameters that differ from the engine's defaults. */
export function specLabel(desc: MethodDescription | undefined, spec: MethodSpec): string {
  const base = desc?.label ?? spec.method;
  const parts: string[] = [];
  for (const p of desc?.params ?? []) {
    const v = (spec as Record<string, unknown>)[p.name];
    if (v === undefined || v === p.default) continue;
    parts.push(paramLabel(p.name, v));
  }
  return parts.length ? `${base} ${parts.join(' ')}` : base;
}

/** λ list text ("0.001, 0.003 0.01") → sorted unique positive values, or an error. */
export function parseLambdaList(text: string, max = 12): { ok: true; values: number[] } | { ok: false; error: string } {
  const parts = text.split(/[\s,;]+/).filter(Boolean);
  if (parts.length === 0) return { ok: false, error: 'enter at least one λ value' };
  const values: number[] = [];
  for (const p of parts) {
    const v = parseNumber(p);
    if (v === null || !(v > 0) || v > 1e6) return { ok: false, error: `'${p}' is not a λ in (0, 10⁶]` };
    values.push(v);
  }
  const uniq = [...new Set(values)].sort((a, b) => a - b);
  if (uniq.length > max) return { ok: false, error: `at most ${max} λ values per sweep` };
  return { ok: true, values: uniq };
}

/** A log-spaced default list around the method's default λ. */
export function defaultLambdas(d: number): number[] {
  return [0.1, 0.3, 1, 3, 10].map((k) => Number((d * k).toPrecision(2)));
}
