/**
 * Request names without their schemas, for the preload script, which must stay small and cannot
 * carry zod. schemas.ts checks at compile time that this list matches the contract exactly.
 */
export const REQUEST_NAME_LIST = [
  'engine.info',
  'scan.open',
  'scan.image',
  'mask.make',
  'recon.start',
  'recon.image',
  'recon.export',
  'scan.metadata',
  'job.cancel',
  'job.list',
  'train.start',
  'train.pause',
  'train.runs',
] as const;
