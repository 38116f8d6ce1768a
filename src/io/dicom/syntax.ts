/** Transfer syntaxes: how each one's pixel data is stored, and the ones we refuse (with the reason). */

export type PixelEncoding = 'native' | 'rle' | 'jpeg' | 'jpeg-lossless' | 'jpeg-ls' | 'jpeg2000';

export interface TransferSyntax {
  uid: string;
  name: string;
  encoding: PixelEncoding;
  bigEndian?: boolean;
}

const LIST: TransferSyntax[] = [
  { uid: '1.2.840.10008.1.2', name: 'Implicit VR Little Endian', encoding: 'native' },
  { uid: '1.2.840.10008.1.2.1', name: 'Explicit VR Little Endian', encoding: 'native' },
  { uid: '1.2.840.10008.1.2.1.99', name: 'Deflated Explicit VR Little Endian', encoding: 'native' },
  { uid: '1.2.840.10008.1.2.2', name: 'Explicit VR Big Endian', encoding: 'native', bigEndian: true },
  { uid: '1.2.840.10008.1.2.5', name: 'RLE Lossless', encoding: 'rle' },
  { uid: '1.2.840.10008.1.2.4.50', name: 'JPEG Baseline (Process 1)', encoding: 'jpeg' },
  { uid: '1.2.840.10008.1.2.4.51', name: 'JPEG Extended (Process 2 & 4)', encoding: 'jpeg' },
  { uid: '1.2.840.10008.1.2.4.57', name: 'JPEG Lossless (Process 14)', encoding: 'jpeg-lossless' },
  { uid: '1.2.840.10008.1.2.4.70', name: 'JPEG Lossless SV1', encoding: 'jpeg-lossless' },
  { uid: '1.2.840.10008.1.2.4.80', name: 'JPEG-LS Lossless', encoding: 'jpeg-ls' },
  { uid: '1.2.840.10008.1.2.4.81', name: 'JPEG-LS Near-Lossless', encoding: 'jpeg-ls' },
  { uid: '1.2.840.10008.1.2.4.90', name: 'JPEG 2000 Lossless', encoding: 'jpeg2000' },
  { uid: '1.2.840.10008.1.2.4.91', name: 'JPEG 2000', encoding: 'jpeg2000' },
];

const BY_UID = new Map(LIST.map((t) => [t.uid, t]));

export function transferSyntax(uid: string, file: string): TransferSyntax {
  const t = BY_UID.get(uid);
  if (t) return t;
  throw new Error(
    `${file}: transfer syntax ${uid || '(none)'} is not supported (supported: ${LIST.map((x) => x.name).join(', ')})`,
  );
}
