/** Naive O(n²)-per-axis centred DFT in float64, the reference the fast kernels are checked against. */
export function naiveDft2c(x: Float32Array, h: number, w: number, inverse: boolean, centred = true): Float64Array {
  let cur = Float64Array.from(x);
  const axis = (n: number, lines: number, stride: number, step: number) => {
    const next = new Float64Array(cur.length);
    const sign = inverse ? 1 : -1;
    const f = centred ? n >> 1 : 0;
    const scale = 1 / Math.sqrt(n);
    for (let l = 0; l < lines; l++) {
      for (let k = 0; k < n; k++) {
        let sr = 0;
        let si = 0;
        for (let j = 0; j < n; j++) {
          const src = 2 * (l * step + ((j + f) % n) * stride);
          const a = (sign * 2 * Math.PI * ((j * k) % n)) / n;
          const c = Math.cos(a);
          const s = Math.sin(a);
          sr += cur[src] * c - cur[src + 1] * s;
          si += cur[src] * s + cur[src + 1] * c;
        }
        const dst = 2 * (l * step + ((k + f) % n) * stride);
        next[dst] = sr * scale;
        next[dst + 1] = si * scale;
      }
    }
    cur = next;
  };
  axis(w, h, 1, w);
  axis(h, w, w, 1);
  return cur;
}

export function relL2(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let e = 0;
  let n = 0;
  for (let i = 0; i < b.length; i++) {
    e += (a[i] - b[i]) ** 2;
    n += b[i] ** 2;
  }
  return Math.sqrt(e / (n || 1));
}

/** Deterministic pseudo-random complex image. */
export function randomComplex(n: number, seed: number): Float32Array {
  const out = new Float32Array(2 * n);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < out.length; i++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    out[i] = (s >>> 0) / 4294967296 - 0.5;
  }
  return out;
}
