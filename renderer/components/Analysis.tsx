/** Line profile across every pane (SVG) and the ROI's statistics in every pane, from the shared tools. */
import { useEffect, useState, useSyncExternalStore } from 'react';
import type { AnnotationStore } from '../viewer/annotations';
import { loadMriImage, type MriImage } from '../viewer/loader';
import { roiStats, sampleLine } from '../viewer/measure';
import { fmtValue } from '../state/format';
import { LineChart, type Series } from './LineChart';

export interface PaneSource {
  label: string;
  imageId: string;
  color: string;
  /** error maps are listed for the ROI but kept out of the intensity profile */
  kind: 'image' | 'error';
}

export function Analysis({ sources, notes }: { sources: PaneSource[]; notes: AnnotationStore }) {
  const tools = useSyncExternalStore(notes.subscribeTools, notes.getTools);
  const [images, setImages] = useState<Map<string, MriImage>>(new Map());
  const key = sources.map((s) => s.imageId).join('|');
  useEffect(() => {
    let live = true;
    void Promise.allSettled(sources.map((s) => loadMriImage(s.imageId))).then((out) => {
      if (!live) return;
      const m = new Map<string, MriImage>();
      out.forEach((o, i) => o.status === 'fulfilled' && m.set(sources[i].imageId, o.value));
      setImages(m);
    });
    return () => {
      live = false;
    };
  }, [key]);
  const raster = (img: MriImage) => ({ data: img.mri.data, width: img.columns, height: img.rows });
  const line = tools.line;
  const series: Series[] = line
    ? sources
        .filter((s) => s.kind === 'image' && images.has(s.imageId))
        .map((s) => {
          const r = sampleLine(raster(images.get(s.imageId)!), line.a, line.b);
          return { name: s.label, color: s.color, points: r.t.map((t, i) => ({ x: t, y: r.v[i] })) };
        })
    : [];
  const roi = tools.roi;
  return (
    <div className="analysis">
      <div className="analysis-profile">
        {line ? (
          <LineChart
            title="Line profile"
            testId="profile-chart"
            series={series}
            xLabel={`distance along the line (px) · (${line.a.x.toFixed(0)}, ${line.a.y.toFixed(0)}) → (${line.b.x.toFixed(0)}, ${line.b.y.toFixed(0)})`}
            yLabel="intensity"
            width={640}
            height={190}
          />
        ) : (
          <p className="muted dock-empty">
            Line profile: pick <strong>Profile</strong> in the viewer toolbar and drag a line on any pane — it is drawn on all of
            them and plotted here for every image.
          </p>
        )}
      </div>
      <div className="analysis-roi">
        {roi ? (
          <table data-testid="roi-table">
            <caption>
              ROI ({Math.abs(roi.b.x - roi.a.x).toFixed(0)}×{Math.abs(roi.b.y - roi.a.y).toFixed(0)} px)
            </caption>
            <thead>
              <tr>
                <th scope="col">Pane</th>
                <th scope="col">Mean</th>
                <th scope="col">Std</th>
                <th scope="col">Min</th>
                <th scope="col">Max</th>
                <th scope="col">n</th>
              </tr>
            </thead>
            <tbody>
              {sources.map((s) => {
                const img = images.get(s.imageId);
                const st = img ? roiStats(raster(img), roi.a, roi.b) : null;
                return (
                  <tr key={s.imageId} data-testid="roi-row">
                    <th scope="row">
                      <i className="swatch" style={{ background: s.color }} />
                      {s.label}
                    </th>
                    <td>{fmtValue(st?.mean)}</td>
                    <td>{fmtValue(st?.std)}</td>
                    <td>{fmtValue(st?.min)}</td>
                    <td>{fmtValue(st?.max)}</td>
                    <td>{st?.n ?? '—'}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        ) : (
          <p className="muted dock-empty">
            ROI: pick <strong>ROI</strong> and drag a rectangle; mean and standard deviation of the same region are shown in every
            pane.
          </p>
        )}
      </div>
    </div>
  );
}
