/** A small SVG line/scatter chart (no chart library): series of (x, y) points, linear or log axes. */
import { linearScale, logDomain, logScale, niceDomain } from '../state/chart';

export interface Series {
  name: string;
  color: string;
  points: { x: number; y: number | null }[];
  /** draw points only (scatter) */
  scatter?: boolean;
  dashed?: boolean;
}

export const SERIES_COLORS = ['#e8e8e8', '#4cc2ff', '#f2b441', '#4ade80', '#ff7ab6', '#a78bfa', '#fb923c', '#22d3ee'];

export function LineChart({
  series,
  xLabel,
  yLabel,
  logX,
  width = 330,
  height = 165,
  testId,
  title,
  highlightX,
  xInteger,
  logY,
  className,
}: {
  series: Series[];
  xLabel: string;
  yLabel: string;
  logX?: boolean;
  width?: number;
  height?: number;
  testId?: string;
  title: string;
  highlightX?: number;
  xInteger?: boolean;
  /** log y axis (losses); points ≤ 0 are left out */
  logY?: boolean;
  className?: string;
}) {
  const m = { l: 46, r: 8, t: 6, b: 28 };
  const xs = series.flatMap((s) => s.points.map((p) => p.x));
  const shown = (v: number | null): v is number => v !== null && Number.isFinite(v) && (!logY || v > 0);
  const ys = series.flatMap((s) => s.points.map((p) => p.y)).filter(shown);
  const empty = xs.length === 0 || ys.length === 0;
  const xd: [number, number] = logX ? logDomain(xs) : niceDomain(Math.min(...xs), Math.max(...xs), 6);
  const x = logX ? logScale(xd, [m.l, width - m.r]) : linearScale(xd, [m.l, width - m.r], 6);
  const y = logY
    ? logScale(logDomain(ys), [height - m.b, m.t])
    : linearScale(niceDomain(Math.min(...ys), Math.max(...ys), 4), [height - m.b, m.t], 4);
  const xTicks = xInteger ? x.ticks.filter((t) => Number.isInteger(t)) : x.ticks;
  return (
    <figure className={className ? `chart ${className}` : 'chart'} data-testid={testId}>
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-label={title} preserveAspectRatio="xMidYMid meet">
        <title>{title}</title>
        {empty ? (
          <text x={width / 2} y={height / 2} textAnchor="middle" className="chart-empty">
            no data yet
          </text>
        ) : (
          <>
            {y.ticks.map((t) => (
              <g key={`y${t}`}>
                <line x1={m.l} x2={width - m.r} y1={y(t)} y2={y(t)} className="chart-grid" />
                <text x={m.l - 5} y={y(t) + 3} textAnchor="end" className="chart-tick">
                  {y.format(t)}
                </text>
              </g>
            ))}
            {xTicks.map((t) => (
              <g key={`x${t}`}>
                <line x1={x(t)} x2={x(t)} y1={m.t} y2={height - m.b} className="chart-grid chart-grid-x" />
                <text x={x(t)} y={height - m.b + 12} textAnchor="middle" className="chart-tick">
                  {x.format(t)}
                </text>
              </g>
            ))}
            {highlightX !== undefined && (
              <line x1={x(highlightX)} x2={x(highlightX)} y1={m.t} y2={height - m.b} className="chart-cursor" />
            )}
            {series.map((s) => {
              const pts = s.points.filter((p) => shown(p.y)) as { x: number; y: number }[];
              const d = pts.map((p, i) => `${i ? 'L' : 'M'}${x(p.x).toFixed(1)},${y(p.y).toFixed(1)}`).join('');
              return (
                <g key={s.name} data-series={s.name}>
                  {!s.scatter && pts.length > 1 && (
                    <path d={d} fill="none" stroke={s.color} strokeWidth={1.5} strokeDasharray={s.dashed ? '4 3' : undefined} />
                  )}
                  {(s.scatter || pts.length <= 24) &&
                    pts.map((p, i) => <circle key={i} cx={x(p.x)} cy={y(p.y)} r={s.scatter ? 3.5 : 2.2} fill={s.color} />)}
                </g>
              );
            })}
            <text x={(m.l + width - m.r) / 2} y={height - 3} textAnchor="middle" className="chart-label">
              {xLabel}
            </text>
            <text
              x={11}
              y={(m.t + height - m.b) / 2}
              textAnchor="middle"
              className="chart-label"
              transform={`rotate(-90 11 ${(m.t + height - m.b) / 2})`}
            >
              {yLabel}
            </text>
          </>
        )}
      </svg>
      <figcaption className="legend">
        {series.map((s) => (
          <span key={s.name}>
            <i style={{ background: s.color }} />
            {s.name}
          </span>
        ))}
      </figcaption>
    </figure>
  );
}
