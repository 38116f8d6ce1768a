/**
 * Ground truth | reconstruction | error map, side by side and linked (see link.ts): one slice slider
 * (and the wheel on any pane) moves all three; zoom, pan and window/level are shared.
 */
import { useId } from 'react';
import type { ReconSummary, ScanInfo } from '../../src/contract/schemas';
import { fmtPsnr, fmtSsim, methodLabel } from '../state/format';
import { imageIdOf } from './image-ids';
import { ImagePane } from './ImagePane';
import type { ViewLink } from './link';

export interface CompareViewProps {
  scan: ScanInfo | null;
  result: ReconSummary | null;
  slice: number;
  link: ViewLink;
  onSlice(slice: number): void;
  onSliceStep(delta: number): void;
}

export function CompareView({ scan, result, slice, link, onSlice, onSliceStep }: CompareViewProps) {
  const id = useId();
  const n = scan?.slices ?? 0;
  const resultHere = result && scan && result.scanId === scan.scanId ? result : null;
  const neighbours = [slice - 1, slice + 1].filter((s) => s >= 0 && s < n);
  const targetId = (s: number) => (scan ? imageIdOf({ kind: 'scan', scanId: scan.scanId, slice: s, view: 'target' }) : null);
  const resultId = (s: number, view: 'recon' | 'error') =>
    resultHere ? imageIdOf({ kind: 'result', resultId: resultHere.resultId, slice: s, view }) : null;
  const m = resultHere?.perSlice?.[slice] ?? null;
  const sliceText = n ? `slice ${slice + 1}/${n}` : '';
  const reconTitle = resultHere ? `${methodLabel(resultHere.method.method)} reconstruction` : 'Reconstruction';
  const reconSub = resultHere ? `${resultHere.mask.type} mask · R ${resultHere.mask.acceleration}×` : undefined;
  const metricLines = m ? (
    <>
      <span>PSNR {fmtPsnr(m.psnr)} dB</span>
      <span>SSIM {fmtSsim(m.ssim)}</span>
    </>
  ) : null;

  return (
    <section className="compare" aria-label="Compare view">
      <div className="viewer-toolbar">
        <label htmlFor={`${id}-slice`}>Slice</label>
        <input
          id={`${id}-slice`}
          data-testid="slice-slider"
          type="range"
          min={0}
          max={Math.max(0, n - 1)}
          step={1}
          value={slice}
          disabled={n <= 1}
          aria-valuetext={sliceText}
          onChange={(e) => onSlice(Number(e.target.value))}
        />
        <output htmlFor={`${id}-slice`} className="slice-readout" data-testid="slice-readout">
          {n ? `${slice + 1} / ${n}` : '–'}
        </output>
        <button type="button" onClick={() => link.reset()} title="Reset zoom, pan and window (R)">
          Reset view
        </button>
        <span className="hint toolbar-hint" aria-hidden="true">
          Left drag W/L · Right drag zoom · Middle/Shift drag pan · Wheel slice · R reset
        </span>
      </div>
      <div className="panes">
        <ImagePane
          testId="pane-target"
          role="grey"
          link={link}
          title={scan?.hasTarget ? 'Ground truth' : 'Reference'}
          subtitle={scan ? (scan.hasTarget ? (scan.targetKey ?? undefined) : 'fully sampled RSS') : undefined}
          imageId={targetId(slice)}
          prefetchIds={neighbours.map((s) => targetId(s)!).filter(Boolean)}
          placeholder={scan ? '' : 'Open a scan'}
          sliceText={sliceText}
          onSliceStep={onSliceStep}
        />
        <ImagePane
          testId="pane-recon"
          role="grey"
          link={link}
          title={reconTitle}
          subtitle={reconSub}
          imageId={resultId(slice, 'recon')}
          prefetchIds={neighbours.map((s) => resultId(s, 'recon')!).filter(Boolean)}
          placeholder={scan ? 'Run a reconstruction' : ''}
          topRight={metricLines}
          sliceText={sliceText}
          onSliceStep={onSliceStep}
        />
        <ImagePane
          testId="pane-error"
          role="error"
          link={link}
          title="Error map"
          subtitle={resultHere ? `|${resultHere.method.method} − reference|` : undefined}
          imageId={resultHere?.perSlice ? resultId(slice, 'error') : null}
          prefetchIds={resultHere?.perSlice ? neighbours.map((s) => resultId(s, 'error')!).filter(Boolean) : []}
          placeholder={resultHere && !resultHere.perSlice ? 'No reference to compare with' : scan ? 'Run a reconstruction' : ''}
          topRight={m ? <span>NMSE {m.nmse.toExponential(2)}</span> : null}
          sliceText={sliceText}
          onSliceStep={onSliceStep}
        />
      </div>
    </section>
  );
}
