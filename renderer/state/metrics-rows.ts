/** The metrics table's rows, sorting and CSV. Pure: unit-tested. */
import type { ReconSummary } from '../../src/contract/schemas';

export type Scope = 'volume' | 'slice' | 'all';
export type SortKey = 'run' | 'slice' | 'nmse' | 'psnr' | 'ssim' | 'time';

export interface MetricRow {
  resultId: string;
  run: string;
  method: string;
  /** null = the whole volume */
  slice: number | null;
  nmse: number;
  psnr: number;
  ssim: number;
  timeMs: number;
  cached: boolean;
}

export function buildRows(
  results: readonly ReconSummary[],
  scope: Scope,
  slice: number,
  label: (r: ReconSummary) => string,
): MetricRow[] {
  const rows: MetricRow[] = [];
  for (const r of results) {
    if (!r.volume || !r.perSlice) continue;
    const base = { resultId: r.resultId, run: label(r), method: r.method.method, timeMs: r.elapsedMs, cached: r.cached };
    if (scope !== 'slice') rows.push({ ...base, slice: null, ...r.volume });
    if (scope === 'slice' && r.perSlice[slice]) rows.push({ ...base, slice, ...r.perSlice[slice] });
    if (scope === 'all') r.perSlice.forEach((m, i) => rows.push({ ...base, slice: i, ...m }));
  }
  return rows;
}

export function sortRows(rows: MetricRow[], key: SortKey | null, dir: 1 | -1): MetricRow[] {
  if (!key) return rows;
  const val = (r: MetricRow): number | string =>
    key === 'run' ? r.run : key === 'slice' ? (r.slice ?? -1) : key === 'time' ? r.timeMs : r[key];
  return [...rows].sort((a, b) => {
    const x = val(a);
    const y = val(b);
    const c = typeof x === 'string' ? x.localeCompare(String(y)) : x - (y as number);
    return c === 0 ? 0 : c * dir;
  });
}

const q = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

/** Every result: one volume row and one row per slice (slice numbers 1-based, as shown). */
export function toCsv(results: readonly ReconSummary[], label: (r: ReconSummary) => string): string {
  const lines = ['run,method,mask,acceleration,center_fraction,seed,lambda,iterations,slice,nmse,psnr_db,ssim,time_ms,cached'];
  for (const r of results) {
    if (!r.volume || !r.perSlice) continue;
    const head = [
      q(label(r)),
      r.method.method,
      r.mask.type,
      String(r.mask.acceleration),
      String(r.mask.centerFraction),
      String(r.mask.seed ?? ''),
      String(r.method.lambda ?? ''),
      String(r.method.iterations ?? ''),
    ];
    const row = (slice: string, m: { nmse: number; psnr: number; ssim: number }) =>
      [
        ...head,
        slice,
        m.nmse.toPrecision(6),
        m.psnr.toFixed(4),
        m.ssim.toFixed(6),
        r.elapsedMs.toFixed(0),
        String(r.cached),
      ].join(',');
    lines.push(row('volume', r.volume));
    r.perSlice.forEach((m, i) => lines.push(row(String(i + 1), m)));
  }
  return lines.join('\n') + '\n';
}
