/**
 * The linear-operator interface shared by the CS layers (SigPy `Linop` / BART `linop` style).
 *
 * Every operator maps complex interleaved Float32Array to complex interleaved Float32Array. Shapes are
 * counted in complex elements (row-major, last axis fastest), so an array of shape s has length
 * 2·∏s. float32 storage matches the FFT and the k-space it is fed; reductions in solvers run in double.
 *
 * `forward` and `adjoint` are pure: they read their input, write only `out` (allocated when absent)
 * and return it. `out` must not alias the input unless the operator says it may.
 */

export type Shape = readonly number[];

export interface LinearOperator {
  readonly name: string;
  readonly inShape: Shape;
  readonly outShape: Shape;
  forward(x: Float32Array, out?: Float32Array): Float32Array;
  adjoint(y: Float32Array, out?: Float32Array): Float32Array;
}

export function shapeSize(shape: Shape): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

export function shapeEquals(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

export function formatShape(s: Shape): string {
  return `[${s.join(', ')}]`;
}

export function assertPositiveInt(value: number, name: string): void {
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`${name} must be a positive integer, got ${value}`);
}

/** Throws unless x is a complex interleaved Float32Array of exactly this shape. */
export function checkIn(x: Float32Array, shape: Shape, what: string): void {
  const need = 2 * shapeSize(shape);
  if (!(x instanceof Float32Array)) throw new TypeError(`${what}: expected a Float32Array`);
  if (x.length !== need) {
    throw new RangeError(`${what}: length ${x.length} does not match complex shape ${formatShape(shape)} (${need} floats)`);
  }
}

/** `out` checked against the shape, or a fresh zeroed array of it. */
export function outFor(out: Float32Array | undefined, shape: Shape, what: string): Float32Array {
  if (out === undefined) return new Float32Array(2 * shapeSize(shape));
  checkIn(out, shape, `${what} out`);
  return out;
}

/**
 * A LinearOperator from two kernels that fill `o`: each call checks its input against the shape and
 * supplies `o` (outFor) first, with errors named `${what}.forward` / `${what}.adjoint`.
 */
export function checkedOperator(
  name: string,
  what: string,
  inShape: Shape,
  outShape: Shape,
  forward: (x: Float32Array, o: Float32Array) => void,
  adjoint: (y: Float32Array, o: Float32Array) => void,
): LinearOperator {
  const fwd = `${what}.forward`;
  const adj = `${what}.adjoint`;
  return {
    name,
    inShape,
    outShape,
    forward(x, out) {
      checkIn(x, inShape, fwd);
      const o = outFor(out, outShape, fwd);
      forward(x, o);
      return o;
    },
    adjoint(y, out) {
      checkIn(y, outShape, adj);
      const o = outFor(out, inShape, adj);
      adjoint(y, o);
      return o;
    },
  };
}

/** A = ops[0] ∘ ops[1] ∘ … ∘ ops[n−1]: the last operator is applied first, as in mathematical notation. */
export function compose(...ops: LinearOperator[]): LinearOperator {
  if (ops.length === 0) throw new RangeError('compose: needs at least one operator');
  if (ops.length === 1) return ops[0];
  for (let i = 0; i + 1 < ops.length; i++) {
    if (!shapeEquals(ops[i].inShape, ops[i + 1].outShape)) {
      throw new RangeError(
        `compose: ${ops[i].name} takes ${formatShape(ops[i].inShape)} but ${ops[i + 1].name} gives ${formatShape(ops[i + 1].outShape)}`,
      );
    }
  }
  // Intermediates are allocated once per composition and reused: solvers call these in tight loops.
  const tmp = ops.slice(1).map((op) => new Float32Array(2 * shapeSize(op.outShape)));
  const first = ops[ops.length - 1];
  const last = ops[0];
  return {
    name: ops.map((o) => o.name).join('∘'),
    inShape: first.inShape,
    outShape: last.outShape,
    forward(x, out) {
      checkIn(x, first.inShape, 'compose.forward');
      const o = outFor(out, last.outShape, 'compose.forward');
      let cur = x;
      for (let i = ops.length - 1; i >= 1; i--) {
        ops[i].forward(cur, tmp[i - 1]);
        cur = tmp[i - 1];
      }
      return ops[0].forward(cur, o);
    },
    adjoint(y, out) {
      checkIn(y, last.outShape, 'compose.adjoint');
      const o = outFor(out, first.inShape, 'compose.adjoint');
      let cur = y;
      for (let i = 0; i < ops.length - 1; i++) {
        ops[i].adjoint(cur, tmp[i]);
        cur = tmp[i];
      }
      return ops[ops.length - 1].adjoint(cur, o);
    },
  };
}

/** AᴴA, self-adjoint. */
export function normal(A: LinearOperator): LinearOperator {
  const tmp = new Float32Array(2 * shapeSize(A.outShape));
  const apply = (x: Float32Array, out?: Float32Array) => {
    checkIn(x, A.inShape, 'normal');
    const o = outFor(out, A.inShape, 'normal');
    A.forward(x, tmp);
    return A.adjoint(tmp, o);
  };
  return { name: `normal(${A.name})`, inShape: A.inShape, outShape: A.inShape, forward: apply, adjoint: apply };
}

export function identity(shape: Shape): LinearOperator {
  const apply = (x: Float32Array, out?: Float32Array) => {
    checkIn(x, shape, 'identity');
    const o = outFor(out, shape, 'identity');
    if (o !== x) o.set(x);
    return o;
  };
  return { name: 'I', inShape: shape, outShape: shape, forward: apply, adjoint: apply };
}

/** Largest eigenvalue of AᴴA by power iteration: the Lipschitz constant of ∇½‖Ax − b‖². */
export function maxEigenvalue(A: LinearOperator, iterations = 30, seed = 1): number {
  const n = 2 * shapeSize(A.inShape);
  let x = new Float32Array(n);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    s = (s * 1664525 + 1013904223) >>> 0;
    x[i] = s / 4294967296 - 0.5;
  }
  const N = normal(A);
  let y = new Float32Array(n);
  let lambda = 0;
  for (let it = 0; it < iterations; it++) {
    let nx = 0;
    for (let i = 0; i < n; i++) nx += x[i] * x[i];
    nx = Math.sqrt(nx);
    if (nx === 0) return 0;
    for (let i = 0; i < n; i++) x[i] /= nx;
    N.forward(x, y);
    let ray = 0;
    for (let i = 0; i < n; i++) ray += x[i] * y[i];
    lambda = ray;
    [x, y] = [y, x];
  }
  return lambda;
}
