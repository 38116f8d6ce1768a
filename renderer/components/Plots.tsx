/** Plots (SVG): a metric vs slice for every method; PSNR and SSIM vs λ from a sweep (log axis); quality vs time. */
import { useState } from 'react';
import type { Metrics, ReconMethodName, ReconSummary } from '../../src/contract/schemas';
import { sweepPoints, type Sweep } from '../state/app-state';
import { methodLabel } from '../state/format';
import { LineChart, SERIES_COLORS, type Series } from './LineChart';

type MetricKey = keyof Metrics;
const METRIC_LABEL: Record<MetricKey, string> = { psnr: 'PSNR (dB)', ssim: 'SSIM', nmse: 'NMSE' };

export function methodColor(methods: readonly ReconMethodName[], m: string): string {
  const i = methods.indexOf(m as ReconMethodName);
  return SERIES_COLORS[(i < 0 ? methods.length : i) % SERIES_COLORS.length];
}

export function Plots({
  latest,
  all,
  sweeps,
  methods,
  slice,
}: {
  latest: ReconSummary[];
  all: ReconSummary[];
  sweeps: Sweep[];
  methods: readonly ReconMethodName[];
  slice: number;
}) {
  const [metric, setMetric] = useState<MetricKey>('psnr');
  const [sweepId, setSweepId] = useState<string | null>(null);
  const sweep = sweeps.find((s) => s.id === sweepId) ?? sweeps[sweeps.length - 1] ?? null;
  const pts = sweep ? sweepPoints({ results: all }, sweep) : [];
  const perSlice: Series[] = latest
    .filter((r) => r.perSlice)
    .map((r) => ({
      name: methodLabel(r.method.method),
      color: methodColor(methods, r.method.method),
      points: r.perSlice!.map((m, i) => ({ x: i + 1, y: m[metric] })),
    }));
  const sweepColor = sweep ? methodColor(methods, sweep.method) : '#fff';
  const byMethod = new Map<string, ReconSummary[]>();
  for (const r of all) if (r.volume && !r.cached) byMethod.set(r.method.method, [...(byMethod.get(r.method.method) ?? []), r]);
  const timeSeries: Series[] = [...byMethod].map(([m, rs]) => ({
    name: methodLabel(m),
    color: methodColor(methods, m),
    scatter: true,
    points: rs.map((r) => ({ x: Math.max(0.01, r.elapsedMs / 1000), y: r.volume![metric] })),
  }));
  return (
    <div className="plots" data-testid="plots">
      <div className="dock-bar">
        <span className="seg" role="group" aria-label="Metric">
          {(['psnr', 'ssim', 'nmse'] as MetricKey[]).map((k) => (
            <button
              key={k}
              type="button"
              className={metric === k ? 'on' : undefined}
              aria-pressed={metric === k}
              onClick={() => setMetric(k)}
              data-testid={`plot-metric-${k}`}
            >
              {METRIC_LABEL[k]}
            </button>
          ))}
        </span>
        {sweeps.length > 1 && (
          <>
            <label htmlFor="sweep-pick" className="inline-label">
              Sweep
            </label>
            <select id="sweep-pick" className="tb-select" value={sweep?.id ?? ''} onChange={(e) => setSweepId(e.target.value)}>
              {sweeps.map((s, i) => (
                <option key={s.id} value={s.id}>
                  #{i + 1} {methodLabel(s.method)} ({s.lambdas.length} λ)
                </option>
              ))}
            </select>
          </>
        )}
      </div>
      <div className="plot-grid">
        <LineChart
          title={`${METRIC_LABEL[metric]} per slice`}
          testId="plot-slices"
          series={perSlice}
          xLabel="slice"
          yLabel={METRIC_LABEL[metric]}
          highlightX={slice + 1}
          xInteger
        />
        <LineChart
          title="λ sweep: PSNR vs λ"
          testId="plot-sweep-psnr"
          series={
            sweep
              ? [
                  {
                    name: `${methodLabel(sweep.method)} PSNR`,
                    color: sweepColor,
                    points: pts.map((p) => ({ x: p.lambda, y: p.result.volume?.psnr ?? null })),
                  },
                ]
              : []
          }
          xLabel="λ (log)"
          yLabel="PSNR (dB)"
          logX
        />
        <LineChart
          title="λ sweep: SSIM vs λ"
          testId="plot-sweep-ssim"
          series={
            sweep
              ? [
                  {
                    name: `${methodLabel(sweep.method)} SSIM`,
                    color: sweepColor,
                    dashed: true,
                    points: pts.map((p) => ({ x: p.lambda, y: p.result.volume?.ssim ?? null })),
                  },
                ]
              : []
          }
          xLabel="λ (log)"
          yLabel="SSIM"
          logX
        />
        <LineChart
          title={`${METRIC_LABEL[metric]} vs reconstruction time`}
          testId="plot-time"
          series={timeSeries}
          xLabel="time (s, log)"
          yLabel={METRIC_LABEL[metric]}
          logX
        />
      </div>
    </div>
  );
}
