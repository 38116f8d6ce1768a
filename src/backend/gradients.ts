/**
 * Gradient functions for the kernels our models and losses use. tfjs-core's Node bundle registers no
 * gradients (only the `@tensorflow/tfjs` union package does, and its ESM registration file cannot be
 * imported from Node), so training needs these. A gradient already registered (e.g. by tfjs-node)
 * is left alone.
 *
 * Each follows tfjs-core's own definition (src/gradients/*_grad.ts) for the same kernel; kernels
 * with attributes we do not use (dilations ≠ 1, NCHW) throw rather than guess.
 */
import * as tf from '@tensorflow/tfjs-core';
import { backend_util, getGradient, registerGradient, type GradConfig, type NamedAttrMap } from '@tensorflow/tfjs-core';

type T = tf.Tensor;
type Grads = Record<string, () => T>;

/** Sums `dy` down to `shape` over the broadcast axes (the reverse of implicit broadcasting). */
function unbroadcast(dy: T, shape: number[]): T {
  const axes = backend_util.getReductionAxes(shape, dy.shape);
  const reduced = axes.length > 0 ? tf.sum(dy, axes) : dy;
  return tf.reshape(reduced, shape);
}

function binary(kernelName: string, fa: (dy: T, a: T, b: T) => T, fb: (dy: T, a: T, b: T) => T): GradConfig {
  return {
    kernelName,
    inputsToSave: ['a', 'b'],
    gradFunc: (dy, saved) => {
      const [a, b] = saved as T[];
      return { a: () => unbroadcast(fa(dy as T, a, b), a.shape), b: () => unbroadcast(fb(dy as T, a, b), b.shape) };
    },
  };
}

function unaryX(kernelName: string, f: (dy: T, x: T, attrs: NamedAttrMap) => T): GradConfig {
  return { kernelName, inputsToSave: ['x'], gradFunc: (dy, saved, attrs) => ({ x: () => f(dy as T, (saved as T[])[0], attrs) }) };
}

function unaryY(kernelName: string, f: (dy: T, y: T) => T): GradConfig {
  return { kernelName, outputsToSave: [true], gradFunc: (dy, saved) => ({ x: () => f(dy as T, (saved as T[])[0]) }) };
}

function reductionShape(x: T, axis: number | number[]): { shape: number[]; axes: number[]; size: number } {
  const axes = tf.util.parseAxisParam(axis, x.shape);
  const shape = x.shape.slice();
  let size = 1;
  for (const a of axes) {
    size *= shape[a];
    shape[a] = 1;
  }
  return { shape, axes, size };
}

type Conv2DAttrs = {
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  dilations?: [number, number] | number;
};

function checkConvAttrs(kernel: string, attrs: Conv2DAttrs): void {
  const d = attrs.dilations ?? 1;
  if ((Array.isArray(d) ? d : [d, d]).some((v) => v !== 1)) throw new Error(`${kernel} gradient: dilations must be 1`);
  if (attrs.dataFormat !== undefined && attrs.dataFormat !== 'NHWC')
    throw new Error(`${kernel} gradient: only NHWC is supported`);
}

function backpropInput(inputShape: number[], dy: T, filter: T, a: Conv2DAttrs): T {
  return tf.engine().runKernel('Conv2DBackpropInput', { dy, filter }, {
    strides: a.strides,
    pad: a.pad,
    dataFormat: 'NHWC',
    dimRoundingMode: a.dimRoundingMode,
    inputShape,
  } as unknown as NamedAttrMap) as T;
}

function backpropFilter(x: T, dy: T, filterShape: number[], a: Conv2DAttrs): T {
  return tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, {
    strides: a.strides,
    pad: a.pad,
    dataFormat: 'NHWC',
    dimRoundingMode: a.dimRoundingMode,
    filterShape,
  } as unknown as NamedAttrMap) as T;
}

// step(x, α) = 1 where x > 0, else α: two passes instead of tfjs-core's greater / mul / select
const LEAKY_RELU = unaryX('LeakyRelu', (dy, x, attrs) => tf.mul(dy, tf.step(x, attrs.alpha as number)));

const GRADIENTS: GradConfig[] = [
  binary(
    'Add',
    (dy) => dy,
    (dy) => dy,
  ),
  binary(
    'Sub',
    (dy) => dy,
    (dy) => tf.neg(dy),
  ),
  binary(
    'Multiply',
    (dy, _a, b) => tf.mul(dy, b),
    (dy, a) => tf.mul(dy, a),
  ),
  binary(
    'RealDiv',
    (dy, _a, b) => tf.div(dy, b),
    (dy, a, b) => tf.neg(tf.div(tf.mul(dy, a), tf.square(b))),
  ),
  binary(
    'SquaredDifference',
    (dy, a, b) => tf.mul(dy, tf.mul(tf.sub(a, b), 2)),
    (dy, a, b) => tf.mul(dy, tf.mul(tf.sub(b, a), 2)),
  ),
  binary(
    'Maximum',
    (dy, a, b) => tf.mul(dy, tf.cast(tf.greaterEqual(a, b), 'float32')),
    (dy, a, b) => tf.mul(dy, tf.cast(tf.less(a, b), 'float32')),
  ),
  binary(
    'Minimum',
    (dy, a, b) => tf.mul(dy, tf.cast(tf.lessEqual(a, b), 'float32')),
    (dy, a, b) => tf.mul(dy, tf.cast(tf.greater(a, b), 'float32')),
  ),
  {
    kernelName: 'AddN',
    saveAllInputs: true,
    gradFunc: (dy, saved) => Object.fromEntries((saved as T[]).map((_, i) => [String(i), () => tf.clone(dy as T)])) as Grads,
  },
  unaryX('Neg', (dy) => tf.neg(dy)),
  unaryX('Square', (dy, x) => tf.mul(dy, tf.mul(x, 2))),
  unaryY('Sqrt', (dy, y) => tf.div(dy, tf.mul(y, 2))),
  unaryX('Rsqrt', (dy, x) => tf.neg(tf.div(dy, tf.mul(tf.pow(x, 1.5), 2)))),
  unaryX('Reciprocal', (dy, x) => tf.neg(tf.div(dy, tf.square(x)))),
  unaryX('Abs', (dy, x) => tf.mul(dy, tf.sign(x))),
  unaryY('Exp', (dy, y) => tf.mul(dy, y)),
  unaryX('Log', (dy, x) => tf.div(dy, x)),
  unaryX('Relu', (dy, x) => tf.mul(dy, tf.step(x))),
  LEAKY_RELU,
  unaryX('ClipByValue', (dy, x, attrs) =>
    tf.where(
      tf.logicalAnd(tf.greaterEqual(x, attrs.clipValueMin as number), tf.lessEqual(x, attrs.clipValueMax as number)),
      dy,
      tf.zerosLike(dy),
    ),
  ),
  unaryX('Floor', (dy) => tf.zerosLike(dy)),
  unaryX('Cast', (dy) => tf.clone(dy)),
  unaryX('Identity', (dy) => tf.clone(dy)),
  unaryX('Reshape', (dy, x) => tf.reshape(dy, x.shape)),
  unaryX('Transpose', (dy, _x, attrs) => {
    const perm = attrs.perm as number[];
    const inverse = new Array<number>(perm.length);
    perm.forEach((p, i) => (inverse[p] = i));
    return tf.transpose(dy, inverse);
  }),
  unaryX('Sum', (dy, x, attrs) => {
    const { shape } = reductionShape(x, attrs.axis as number[]);
    return tf.mul(tf.reshape(dy, shape), tf.ones(x.shape, 'float32'));
  }),
  unaryX('Mean', (dy, x, attrs) => {
    const { shape, size } = reductionShape(x, attrs.axis as number[]);
    return tf.div(tf.mul(tf.reshape(dy, shape), tf.ones(x.shape, 'float32')), size);
  }),
  unaryX('Slice', (dy, x, attrs) => {
    const begin = attrs.begin as number[];
    const size = (attrs.size as number[]).map((s, i) => (s === -1 ? x.shape[i] - begin[i] : s));
    return tf.pad(
      dy,
      begin.map((b, i) => [b, x.shape[i] - b - size[i]] as [number, number]),
    );
  }),
  unaryX('PadV2', (dy, x, attrs) => {
    const begin = (attrs.paddings as [number, number][]).map((p) => p[0]);
    return tf.slice(dy, begin, x.shape);
  }),
  {
    kernelName: 'Select',
    inputsToSave: ['condition'],
    gradFunc: (dy, saved) => {
      const c = (saved as T[])[0];
      return {
        condition: () => tf.cast(tf.zerosLike(c), 'float32'),
        t: () => tf.where(c, dy as T, tf.zerosLike(dy as T)),
        e: () => tf.where(c, tf.zerosLike(dy as T), dy as T),
      };
    },
  },
  {
    kernelName: 'Concat',
    saveAllInputs: true,
    gradFunc: (dy, saved, attrs) => {
      const xs = saved as T[];
      const axis = tf.util.parseAxisParam(attrs.axis as number, xs[0].shape)[0];
      const parts = tf.split(
        dy as T,
        xs.map((t) => t.shape[axis]),
        axis,
      );
      return Object.fromEntries(parts.map((p, i) => [String(i), () => p])) as Grads;
    },
  },
  {
    kernelName: 'AvgPool',
    inputsToSave: ['x'],
    gradFunc: (dy, saved, attrs) => {
      const x = (saved as T[])[0];
      return {
        x: () =>
          tf.engine().runKernel('AvgPoolGrad', { dy: dy as T, input: x }, {
            filterSize: attrs.filterSize,
            strides: attrs.strides,
            pad: attrs.pad,
            dimRoundingMode: attrs.dimRoundingMode,
          } as NamedAttrMap) as T,
      };
    },
  },
  {
    kernelName: 'Conv2D',
    inputsToSave: ['x', 'filter'],
    gradFunc: (dy, saved, attrs) => {
      const [x, filter] = saved as T[];
      const a = attrs as unknown as Conv2DAttrs;
      checkConvAttrs('Conv2D', a);
      return {
        x: () => backpropInput(x.shape, dy as T, filter, a),
        filter: () => backpropFilter(x, dy as T, filter.shape, a),
      };
    },
  },
  {
    // conv2dTranspose's forward kernel: its input `dy` is the transposed conv's input
    kernelName: 'Conv2DBackpropInput',
    inputsToSave: ['dy', 'filter'],
    gradFunc: (ddx, saved, attrs) => {
      const [dy, filter] = saved as T[];
      const a = attrs as unknown as Conv2DAttrs;
      checkConvAttrs('Conv2DBackpropInput', a);
      return {
        dy: () => tf.conv2d(ddx as tf.Tensor4D, filter as tf.Tensor4D, a.strides, a.pad, 'NHWC', 1, a.dimRoundingMode),
        filter: () => backpropFilter(ddx as T, dy, filter.shape, a),
      };
    },
  },
];

/**
 * Gradients we prefer over tfjs-core's own (same values, fewer passes). tfjs-layers registers
 * tfjs-core's full gradient set when it loads, overriding ours, so these are (re)registered when a
 * backend is selected. Idempotent.
 */
export function registerPreferredGradients(): void {
  if (getGradient(LEAKY_RELU.kernelName) !== LEAKY_RELU) registerGradient(LEAKY_RELU);
}

let done = false;

/** Registers the gradients above where none is registered yet. Idempotent. */
export function registerGradients(): string[] {
  if (done) return [];
  done = true;
  const added: string[] = [];
  for (const g of GRADIENTS) {
    if (getGradient(g.kernelName) == null) {
      registerGradient(g);
      added.push(g.kernelName);
    }
  }
  return added;
}
