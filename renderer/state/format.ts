/** Number and time formatting shared by the panels and overlays. Pure. */
export function fmtDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
  const s = Math.max(0, ms) / 1000;
  if (s < 10) return `${s.toFixed(1)} s`;
  if (s < 60) return `${Math.round(s)} s`;
  const m = Math.floor(s / 60);
  const r = Math.round(s - m * 60);
  return `${m}:${String(r).padStart(2, '0')} min`;
}

export function fmtPsnr(v: number | null | undefined): string {
  return v === null || v === undefined || !Number.isFinite(v) ? '—' : v.toFixed(2);
}
export function fmtSsim(v: number | null | undefined): string {
  return v === null || v === undefined || !Number.isFinite(v) ? '—' : v.toFixed(4);
}
export function fmtNmse(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  return v === 0 ? '0' : v < 0.001 ? v.toExponential(2) : v.toFixed(4);
}
export function fmtWindow(v: number): string {
  const a = Math.abs(v);
  if (a === 0) return '0';
  if (a >= 1000 || a < 0.01) return v.toExponential(2);
  return v.toPrecision(3);
}
export function methodLabel(m: string): string {
  return (
    (
      { zf: 'Zero-filled', 'cs-tv': 'CS · TV', 'cs-wavelet': 'CS · wavelet', unet: 'U-Net', varnet: 'VarNet' } as Record<
        string,
        string
      >
    )[m] ?? m
  );
}
/** A pixel value or statistic in image units: 4 significant digits, exponent for tiny/huge values. */
export function fmtValue(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  const a = Math.abs(v);
  if (a === 0) return '0';
  if (a >= 1e4 || a < 1e-2) return v.toExponential(3);
  return v.toPrecision(4);
}
