/** A small SVG line chart for training curves: linear x, linear or log y (the loss), dashed baselines. */
import { linearScale, logDomain, logScale, niceDomain } from '../../state/chart';

export interface TrainingSeries {
  name: string;
  color: string;
  points: { x: number; y: number | null }[];
  dashed?: boolean;
}

export function TrainingChart({
  title,
  series,
  xLabel,
  yLabel,
  logY,
  testId,
  width = 330,
  height = 165,
}: {
  title: string;
  series: TrainingSeries[];
  xLabel: string;
  yLabel: string;
  logY?: boolean;
  testId?: string;
  width?: number;
  height?: number;
}) {
  const m = { l: 50, r: 8, t: 6, b: 28 };
  const valid = series.map((s) =>
    s.points.filter((p): p is { x: number; y: number } => p.y !== null && Number.isFinite(p.y) && (!logY || p.y > 0)),
  );
  const xs = valid.flatMap((ps) => ps.map((p) => p.x));
  const ys = valid.flatMap((ps) => ps.map((p) => p.y));
  const empty = xs.length === 0;
  const x = linearScale(niceDomain(Math.min(...xs), Math.max(...xs), 5), [m.l, width - m.r], 5);
  const y = logY
    ? logScale(logDomain(ys), [height - m.b, m.t])
    : linearScale(niceDomain(Math.min(...ys), Math.max(...ys), 4), [height - m.b, m.t], 4);
  const xTicks = x.ticks.filter((t) => Number.isInteger(t));
  return (
    <figure className="chart training-chart" data-testid={testId}>
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
            {series.map((s, i) => {
              const pts = valid[i];
              const d = pts.map((p, k) => `${k ? 'L' : 'M'}${x(p.x).toFixed(1)},${y(p.y).toFixed(1)}`).join('');
              return (
                <g key={s.name} data-series={s.name}>
                  {pts.length > 1 && (
                    <path d={d} fill="none" stroke={s.color} strokeWidth={1.5} strokeDasharray={s.dashed ? '4 3' : undefined} />
                  )}
                  {pts.length <= 40 && pts.map((p, k) => <circle key={k} cx={x(p.x)} cy={y(p.y)} r={2.2} fill={s.color} />)}
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
