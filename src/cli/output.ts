import type { Metrics } from '../contract/schemas';

export function formatMetrics(m: Metrics): string {
  return `NMSE ${m.nmse.toExponential(4)}  PSNR ${m.psnr.toFixed(3)} dB  SSIM ${m.ssim.toFixed(4)}`;
}

/** A one-line progress bar on stderr (only when stderr is a terminal). */
export function progressBar(label: string): { update(fraction: number, note?: string): void; done(): void } {
  const tty = process.stderr.isTTY;
  let last = -1;
  return {
    update(fraction, note = '') {
      if (!tty) return;
      const pct = Math.floor(fraction * 100);
      if (pct === last) return;
      last = pct;
      const width = 30;
      const fill = Math.round(fraction * width);
      process.stderr.write(
        `\r${label} [${'#'.repeat(fill)}${'.'.repeat(width - fill)}] ${pct}% ${note}`.slice(0, 120).padEnd(100),
      );
    },
    done() {
      if (tty) process.stderr.write('\r' + ' '.repeat(110) + '\r');
    },
  };
}
