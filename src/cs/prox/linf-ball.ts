/**
 * Mixed norms over vector fields stored as `components` blocks of n complex values ([K, …] layout, as
 * the gradient operator returns). At each pixel i the group is (p_0[i], …, p_{K−1}[i]) with norm
 * ‖p[i]‖ = sqrt(Σ_k |p_k[i]|²) — the isotropic coupling of total variation.
 *
 *   ‖p‖_{2,1} = Σ_i ‖p[i]‖            (isotropic TV of u when p = D u)
 *   its dual ball {‖p‖_{2,∞} ≤ r}:  projection scales each group down to norm r.
 * Moreau: prox_{t‖·‖_{2,1}}(v) = v − Π_{‖·‖_{2,∞} ≤ t}(v) = group soft-threshold.
 */
import type { ProxFunction } from './types';

function checkField(p: Float32Array, components: number, n: number, what: string): void {
  if (p.length !== 2 * components * n) {
    throw new RangeError(`${what}: length ${p.length} is not 2·components·n = ${2 * components * n}`);
  }
}

/** Π onto {‖p[i]‖ ≤ radius for every i}. out may alias p. */
export function projectL2InfBall(
  p: Float32Array,
  radius: number,
  components: number,
  n: number,
  out?: Float32Array,
): Float32Array {
  checkField(p, components, n, 'projectL2InfBall');
  if (!(radius >= 0)) throw new RangeError(`projectL2InfBall: radius must be ≥ 0, got ${radius}`);
  const o = out ?? new Float32Array(p.length);
  const r2 = radius * radius;
  if (components === 2) {
    // The 2-D TV case, without the inner component loops.
    const n2 = 2 * n;
    for (let j = 0; j < n2; j += 2) {
      const a = p[j];
      const b = p[j + 1];
      const c = p[n2 + j];
      const d = p[n2 + j + 1];
      const s = a * a + b * b + c * c + d * d;
      const f = s > r2 ? radius / Math.sqrt(s) : 1;
      o[j] = a * f;
      o[j + 1] = b * f;
      o[n2 + j] = c * f;
      o[n2 + j + 1] = d * f;
    }
    return o;
  }
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let k = 0; k < components; k++) {
      const j = 2 * (k * n + i);
      s += p[j] * p[j] + p[j + 1] * p[j + 1];
    }
    const f = s > r2 ? radius / Math.sqrt(s) : 1;
    for (let k = 0; k < components; k++) {
      const j = 2 * (k * n + i);
      o[j] = p[j] * f;
      o[j + 1] = p[j + 1] * f;
    }
  }
  return o;
}

/** prox of t‖·‖_{2,1}: each group's norm shrinks by t, its direction kept. out may alias v. */
export function groupSoftThreshold(v: Float32Array, t: number, components: number, n: number, out?: Float32Array): Float32Array {
  checkField(v, components, n, 'groupSoftThreshold');
  if (!(t >= 0)) throw new RangeError(`groupSoftThreshold: threshold must be ≥ 0, got ${t}`);
  const o = out ?? new Float32Array(v.length);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let k = 0; k < components; k++) {
      const j = 2 * (k * n + i);
      s += v[j] * v[j] + v[j + 1] * v[j + 1];
    }
    const mag = Math.sqrt(s);
    const f = mag > t ? 1 - t / mag : 0;
    for (let k = 0; k < components; k++) {
      const j = 2 * (k * n + i);
      o[j] = v[j] * f;
      o[j + 1] = v[j + 1] * f;
    }
  }
  return o;
}

export function l21Norm(p: Float32Array, components: number, n: number): number {
  checkField(p, components, n, 'l21Norm');
  let total = 0;
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let k = 0; k < components; k++) {
      const j = 2 * (k * n + i);
      s += p[j] * p[j] + p[j + 1] * p[j + 1];
    }
    total += Math.sqrt(s);
  }
  return total;
}

/** g(p) = λ‖p‖_{2,1} on a [components, n] field. */
export function l21(lambda: number, components: number, n: number): ProxFunction {
  if (!(lambda >= 0)) throw new RangeError(`lambda must be ≥ 0, got ${lambda}`);
  return {
    name: 'l21',
    shrink: { lambda, components, n },
    value: (p) => lambda * l21Norm(p, components, n),
    prox: (v, t, out) => groupSoftThreshold(v, t * lambda, components, n, out),
  };
}
