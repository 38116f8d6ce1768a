/**
 * A readable listing of a DICOM data set for the tag browser: every element up to the pixel data,
 * with its tag, VR, a name for the common ones, and its value rendered as text (binary values
 * summarised, never dumped).
 */
import type { DataSet, Element } from './parser-module';

/**
 * Name and VR of the tags a researcher looks for first; the rest show as (gggg,eeee). The VR matters
 * for implicit-VR files, which do not carry it: without it a binary Rows value would print as text.
 */
const DICTIONARY: Record<string, [name: string, vr: string]> = {
  x00020010: ['TransferSyntaxUID', 'UI'],
  x00080008: ['ImageType', 'CS'],
  x00080016: ['SOPClassUID', 'UI'],
  x00080018: ['SOPInstanceUID', 'UI'],
  x00080020: ['StudyDate', 'DA'],
  x00080021: ['SeriesDate', 'DA'],
  x00080030: ['StudyTime', 'TM'],
  x00080060: ['Modality', 'CS'],
  x00080070: ['Manufacturer', 'LO'],
  x00080080: ['InstitutionName', 'LO'],
  x00081030: ['StudyDescription', 'LO'],
  x0008103e: ['SeriesDescription', 'LO'],
  x00082111: ['DerivationDescription', 'ST'],
  x00081090: ['ManufacturerModelName', 'LO'],
  x00100010: ['PatientName', 'PN'],
  x00100020: ['PatientID', 'LO'],
  x00100030: ['PatientBirthDate', 'DA'],
  x00100040: ['PatientSex', 'CS'],
  x00180020: ['ScanningSequence', 'CS'],
  x00180021: ['SequenceVariant', 'CS'],
  x00180023: ['MRAcquisitionType', 'CS'],
  x00180050: ['SliceThickness', 'DS'],
  x00180080: ['RepetitionTime', 'DS'],
  x00180081: ['EchoTime', 'DS'],
  x00180082: ['InversionTime', 'DS'],
  x00180087: ['MagneticFieldStrength', 'DS'],
  x00180088: ['SpacingBetweenSlices', 'DS'],
  x00181310: ['AcquisitionMatrix', 'US'],
  x00181314: ['FlipAngle', 'DS'],
  x0020000d: ['StudyInstanceUID', 'UI'],
  x0020000e: ['SeriesInstanceUID', 'UI'],
  x00200011: ['SeriesNumber', 'IS'],
  x00200013: ['InstanceNumber', 'IS'],
  x00200032: ['ImagePositionPatient', 'DS'],
  x00200037: ['ImageOrientationPatient', 'DS'],
  x00200052: ['FrameOfReferenceUID', 'UI'],
  x00201041: ['SliceLocation', 'DS'],
  x00204000: ['ImageComments', 'LT'],
  x00280002: ['SamplesPerPixel', 'US'],
  x00280004: ['PhotometricInterpretation', 'CS'],
  x00280008: ['NumberOfFrames', 'IS'],
  x00280010: ['Rows', 'US'],
  x00280011: ['Columns', 'US'],
  x00280030: ['PixelSpacing', 'DS'],
  x00280100: ['BitsAllocated', 'US'],
  x00280101: ['BitsStored', 'US'],
  x00280102: ['HighBit', 'US'],
  x00280103: ['PixelRepresentation', 'US'],
  x00281050: ['WindowCenter', 'DS'],
  x00281051: ['WindowWidth', 'DS'],
  x00281052: ['RescaleIntercept', 'DS'],
  x00281053: ['RescaleSlope', 'DS'],
};

const TEXT_VRS = new Set(['AE', 'AS', 'CS', 'DA', 'DS', 'DT', 'IS', 'LO', 'LT', 'PN', 'SH', 'ST', 'TM', 'UI', 'UT', 'UC', 'UR']);
const NUMERIC: Record<string, [(ds: DataSet, tag: string, i: number) => number | undefined, number]> = {
  US: [(ds, t, i) => ds.uint16(t, i), 2],
  SS: [(ds, t, i) => ds.int16(t, i), 2],
  UL: [(ds, t, i) => ds.uint32(t, i), 4],
  SL: [(ds, t, i) => ds.int32(t, i), 4],
  FL: [(ds, t, i) => ds.float(t, i), 4],
  FD: [(ds, t, i) => ds.double(t, i), 8],
};

function printable(s: string): boolean {
  return /^[\x20-\x7e\t\r\n]*$/.test(s);
}

function render(ds: DataSet, tag: string, el: Element): { vr: string; value: string } {
  const vr = el.vr ?? DICTIONARY[tag]?.[1] ?? '';
  if (el.items) return { vr: vr || 'SQ', value: `(sequence of ${el.items.length} item${el.items.length === 1 ? '' : 's'})` };
  if (vr && NUMERIC[vr]) {
    const [get, size] = NUMERIC[vr];
    const n = Math.min(Math.floor(el.length / size), 16);
    const values = Array.from({ length: n }, (_, i) => get(ds, tag, i));
    const more = el.length / size > n ? ' …' : '';
    return { vr, value: values.join('\\') + more };
  }
  if (TEXT_VRS.has(vr) || (!vr && el.length > 4)) {
    // unknown implicit-VR elements are shown as text only when long enough not to be a binary number
    const text = ds.string(tag) ?? '';
    if (printable(text)) return { vr: vr || '??', value: text.length > 200 ? text.slice(0, 200) + ' …' : text };
  }
  return { vr: vr || '??', value: `(${el.length} bytes)` };
}

/** A value dicom-parser cannot read (a length running past the end of a damaged file) is listed as such. */
function renderSafely(ds: DataSet, tag: string, el: Element): { vr: string; value: string } {
  try {
    return render(ds, tag, el);
  } catch {
    return { vr: el.vr ?? DICTIONARY[tag]?.[1] ?? '??', value: `(unreadable: ${el.length} bytes at ${el.dataOffset})` };
  }
}

export function dicomTagEntries(ds: DataSet): { key: string; value: string }[] {
  return Object.keys(ds.elements)
    .sort()
    .filter((tag) => tag !== 'x7fe00010')
    .map((tag) => {
      const { vr, value } = renderSafely(ds, tag, ds.elements[tag]);
      const code = `(${tag.slice(1, 5)},${tag.slice(5, 9)})`.toUpperCase();
      return { key: `${code} ${vr} ${DICTIONARY[tag]?.[0] ?? ''}`.trim(), value };
    });
}
