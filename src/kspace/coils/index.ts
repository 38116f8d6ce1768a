export { complexAbs, rss, rssReal } from './rss';
export {
  centerCrop,
  centerCropBatch,
  complexCenterCrop,
  complexCenterCropBatch,
  centerPadOrCrop,
  unetCropSize,
  removeReadoutOversampling,
} from './crop';
export { hermitianEigen } from './linalg';
export type { HermitianEigen } from './linalg';
export { coilCovariance, compressionMatrix, applyCoilCompression, compressCoils } from './compress';
export type { CoilCompression } from './compress';
export { senseForward, senseAdjoint, sensitivityCombine, SENSE_EPS } from './sense';
