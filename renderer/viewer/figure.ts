/**
 * The one-page comparison figure, composed on a canvas in the renderer: every visible pane as shown
 * (current slice, window, zoom; with its title and metrics), the sampling mask and a metrics table.
 * Downloaded as PNG through a blob: URL (the CSP allows blob: and data: images; nothing new needed).
 */
import type { ReconSummary, ScanInfo } from '../../src/contract/schemas';
import { fmtNmse, fmtPsnr, fmtSsim } from '../state/format';

export interface FigureInput {
  root: HTMLElement;
  scan: ScanInfo;
  slice: number;
  results: ReconSummary[];
  label(r: ReconSummary): string;
  maskCanvas: HTMLCanvasElement | null;
  maskText: string;
}

export function composeFigure(f: FigureInput): HTMLCanvasElement {
  const panes = [...f.root.querySelectorAll<HTMLElement>('figure.pane')].filter((p) => !p.hidden && p.dataset.status === 'ready');
  const W = 1800;
  const pad = 16;
  const perRow = Math.min(4, Math.max(1, panes.length));
  const cellW = Math.floor((W - pad * (perRow + 1)) / perRow);
  const aspect = f.scan.imageShape[0] / f.scan.imageShape[1];
  const cellH = Math.round(cellW * Math.min(1.4, Math.max(0.6, aspect))) + 22;
  const rows = Math.ceil(panes.length / perRow);
  const headH = 56;
  const tableH = 40 + 22 * (f.results.length + 1);
  const H = headH + rows * (cellH + pad) + pad + Math.max(tableH, 260) + pad;
  const c = document.createElement('canvas');
  c.width = W;
  c.height = H;
  const ctx = c.getContext('2d')!;
  ctx.fillStyle = '#0b0e11';
  ctx.fillRect(0, 0, W, H);
  ctx.fillStyle = '#e8edf2';
  ctx.font = '600 22px system-ui, sans-serif';
  ctx.fillText(`${f.scan.name} — slice ${f.slice + 1} / ${f.scan.slices}`, pad, 34);
  ctx.font = '13px system-ui, sans-serif';
  ctx.fillStyle = '#8b98a5';
  ctx.fillText(`${f.maskText} · ${new Date().toISOString().slice(0, 16).replace('T', ' ')}`, pad, 50);

  panes.forEach((p, i) => {
    const x = pad + (i % perRow) * (cellW + pad);
    const y = headH + Math.floor(i / perRow) * (cellH + pad);
    ctx.fillStyle = '#000';
    ctx.fillRect(x, y + 22, cellW, cellH - 22);
    const src = p.querySelector<HTMLCanvasElement>('.pane-image canvas');
    if (src && src.width && src.height) {
      const s = Math.min(cellW / src.width, (cellH - 22) / src.height);
      const dw = src.width * s;
      const dh = src.height * s;
      ctx.drawImage(src, x + (cellW - dw) / 2, y + 22 + (cellH - 22 - dh) / 2, dw, dh);
    }
    ctx.fillStyle = '#ffffff';
    ctx.font = '600 14px system-ui, sans-serif';
    ctx.fillText(p.querySelector('.pane-title')?.textContent ?? '', x, y + 15);
    const metric = [...p.querySelectorAll('.overlay-tr span')].map((s) => s.textContent).join('  ');
    ctx.font = '12px ui-monospace, monospace';
    ctx.fillStyle = '#e8e2b0';
    ctx.textAlign = 'right';
    ctx.fillText(metric, x + cellW, y + 15);
    ctx.textAlign = 'left';
  });

  const by = headH + rows * (cellH + pad) + pad;
  if (f.maskCanvas && f.maskCanvas.width) {
    const mh = 240;
    const mw = Math.round((mh * f.maskCanvas.width) / f.maskCanvas.height);
    ctx.imageSmoothingEnabled = false;
    ctx.drawImage(f.maskCanvas, pad, by + 18, mw, mh);
    ctx.fillStyle = '#8b98a5';
    ctx.font = '12px system-ui, sans-serif';
    ctx.fillText('Sampling mask over k-space', pad, by + 12);
  }
  const tx = pad + 260;
  const cols = ['Method', 'Mask', 'NMSE', 'PSNR (dB)', 'SSIM', `Slice ${f.slice + 1} PSNR`, `Slice ${f.slice + 1} SSIM`, 'Time'];
  const colX = [0, 300, 560, 680, 800, 920, 1070, 1210].map((v) => tx + v);
  ctx.font = '600 13px system-ui, sans-serif';
  ctx.fillStyle = '#8b98a5';
  cols.forEach((h, i) => ctx.fillText(h, colX[i], by + 14));
  ctx.font = '13px ui-monospace, monospace';
  f.results.forEach((r, i) => {
    const y = by + 38 + i * 22;
    const m = r.perSlice?.[f.slice];
    const cells = [
      f.label(r),
      `${r.mask.type} R${r.mask.acceleration} c${r.mask.centerFraction}`,
      fmtNmse(r.volume?.nmse),
      fmtPsnr(r.volume?.psnr),
      fmtSsim(r.volume?.ssim),
      fmtPsnr(m?.psnr),
      fmtSsim(m?.ssim),
      `${(r.elapsedMs / 1000).toFixed(1)} s`,
    ];
    ctx.fillStyle = i % 2 ? '#d3dbe3' : '#ffffff';
    cells.forEach((t, j) => ctx.fillText(t, colX[j], y));
  });
  return c;
}
