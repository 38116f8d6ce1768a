/** Axis maths for the SVG plots: linear and log scales with readable ticks. Pure: unit-tested. */
export interface Scale {
  (v: number): number;
  ticks: number[];
  format(v: number): string;
}

function niceStep(span: number, count: number): number {
  const raw = span / Math.max(1, count);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const r = raw / mag;
  return (r >= 7 ? 10 : r >= 3 ? 5 : r >= 1.5 ? 2 : 1) * mag;
}

/** [lo, hi] padded to nice tick boundaries (a flat range is widened). */
export function niceDomain(lo: number, hi: number, count = 5): [number, number] {
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return [0, 1];
  if (hi === lo) {
    const d = Math.abs(lo) * 0.05 || 1;
    lo -= d;
    hi += d;
  }
  const step = niceStep(hi - lo, count);
  return [Math.floor(lo / step) * step, Math.ceil(hi / step) * step];
}

export function linearScale(domain: [number, number], range: [number, number], count = 5): Scale {
  const [d0, d1] = domain;
  const [r0, r1] = range;
  const k = d1 === d0 ? 0 : (r1 - r0) / (d1 - d0);
  const f = ((v: number) => r0 + (v - d0) * k) as Scale;
  const step = niceStep(d1 - d0 || 1, count);
  const ticks: number[] = [];
  for (let t = Math.ceil(d0 / step) * step; t <= d1 + step * 1e-9; t += step) ticks.push(Number(t.toPrecision(12)));
  f.ticks = ticks;
  const digits = Math.max(0, -Math.floor(Math.log10(step)));
  f.format = (v) => (Math.abs(v) >= 1e4 || (Math.abs(v) < 1e-3 && v !== 0) ? v.toExponential(1) : v.toFixed(Math.min(6, digits)));
  return f;
}

export function logScale(domain: [number, number], range: [number, number]): Scale {
  const l0 = Math.log10(domain[0] > 0 ? domain[0] : 1e-12);
  const l1 = Math.log10(domain[1] > 0 ? domain[1] : 1e-12);
  const [r0, r1] = range;
  const k = l1 === l0 ? 0 : (r1 - r0) / (l1 - l0);
  const f = ((v: number) => r0 + (Math.log10(v > 0 ? v : 1e-12) - l0) * k) as Scale;
  const ticks: number[] = [];
  for (let e = Math.floor(l0); e <= Math.ceil(l1); e++) {
    for (const m of [1, 2, 5]) {
      const t = m * 10 ** e;
      if (t >= domain[0] * (1 - 1e-9) && t <= domain[1] * (1 + 1e-9)) ticks.push(Number(t.toPrecision(6)));
    }
  }
  f.ticks = ticks;
  f.format = (v) => {
    const a = Math.abs(v);
    return a >= 1e4 || a < 1e-3 ? v.toExponential(0) : String(Number(v.toPrecision(3)));
  };
  return f;
}

/** Domain of a log axis: whole decades around the data (at least one). */
export function logDomain(values: number[]): [number, number] {
  const pos = values.filter((v) => v > 0 && Number.isFinite(v));
  if (pos.length === 0) return [0.1, 10];
  const lo = Math.min(...pos);
  const hi = Math.max(...pos);
  const a = 10 ** Math.floor(Math.log10(lo));
  let b = 10 ** Math.ceil(Math.log10(hi));
  if (b <= a) b = a * 10;
  return [a, b];
}
