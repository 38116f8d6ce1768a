/**
 * dicom-parser is a UMD bundle whose exports Node's ESM loader cannot see by name, so it is loaded
 * through require (the same object under vitest, esbuild bundles and plain Node).
 */
import { createRequire } from 'node:module';
import type * as DicomParser from 'dicom-parser';

const require = createRequire(import.meta.url);
export const dicomParser = require('dicom-parser') as typeof DicomParser;
export type DataSet = DicomParser.DataSet;
export type Element = DicomParser.Element;
export type ParseDicomOptions = DicomParser.ParseDicomOptions;
