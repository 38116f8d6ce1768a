/**
 * Image ids for the 'mri' cornerstone loader. One id per (source, slice, view):
 *   mri:scan/<scanId>/<slice>/<target|kspace>                   → scan.image
 *   mri:result/<resultId>/<slice>/<recon|error|kspace|phase>    → recon.image
 */
export type ScanView = 'target' | 'kspace';
export type ResultView = 'recon' | 'error' | 'kspace' | 'phase';
export type ImageRef =
  | { kind: 'scan'; scanId: string; slice: number; view: ScanView }
  | { kind: 'result'; resultId: string; slice: number; view: ResultView };

export const SCHEME = 'mri';

export function imageIdOf(ref: ImageRef): string {
  const id = ref.kind === 'scan' ? ref.scanId : ref.resultId;
  return `${SCHEME}:${ref.kind}/${encodeURIComponent(id)}/${ref.slice}/${ref.view}`;
}

export function parseImageId(imageId: string): ImageRef {
  const m = /^mri:(scan|result)\/([^/]+)\/(\d+)\/(target|kspace|recon|error|phase)$/.exec(imageId);
  if (!m) throw new Error(`not an mri image id: ${imageId}`);
  const [, kind, rawId, sliceStr, view] = m;
  const id = decodeURIComponent(rawId);
  const slice = Number(sliceStr);
  if (kind === 'scan' && (view === 'target' || view === 'kspace')) return { kind, scanId: id, slice, view };
  if (kind === 'result' && (view === 'recon' || view === 'error' || view === 'kspace' || view === 'phase'))
    return { kind, resultId: id, slice, view };
  throw new Error(`view '${view}' does not belong to a ${kind}: ${imageId}`);
}
