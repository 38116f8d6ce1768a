/** Explicit VR little-endian element encoding, with a Part 10 preamble and File Meta group. */

export type Vr = 'AE' | 'CS' | 'DA' | 'DS' | 'IS' | 'LO' | 'LT' | 'OB' | 'OW' | 'PN' | 'SH' | 'ST' | 'TM' | 'UI' | 'UL' | 'US';
export interface El {
  tag: number; // group << 16 | element
  vr: Vr;
  value: string | number | (string | number)[] | Uint8Array;
}

const LONG_VR = new Set(['OB', 'OW', 'OF', 'SQ', 'UT', 'UN']);

function valueBytes(e: El): Uint8Array {
  const v = e.value;
  if (v instanceof Uint8Array) return v.length % 2 ? Uint8Array.from([...v, 0]) : v;
  if (e.vr === 'US' || e.vr === 'UL') {
    const nums = (Array.isArray(v) ? v : [v]).map(Number);
    const size = e.vr === 'US' ? 2 : 4;
    const b = new Uint8Array(nums.length * size);
    const dv = new DataView(b.buffer);
    nums.forEach((n, i) => (size === 2 ? dv.setUint16(i * 2, n, true) : dv.setUint32(i * 4, n, true)));
    return b;
  }
  let s = Array.isArray(v) ? v.join('\\') : String(v);
  if (s.length % 2) s += e.vr === 'UI' ? '\0' : ' ';
  return new TextEncoder().encode(s);
}

export function encodeElements(els: El[]): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const e of [...els].sort((a, b) => a.tag - b.tag)) {
    const val = valueBytes(e);
    const long = LONG_VR.has(e.vr);
    const head = new Uint8Array(long ? 12 : 8);
    const dv = new DataView(head.buffer);
    dv.setUint16(0, e.tag >>> 16, true);
    dv.setUint16(2, e.tag & 0xffff, true);
    head[4] = e.vr.charCodeAt(0);
    head[5] = e.vr.charCodeAt(1);
    if (long) dv.setUint32(8, val.length, true);
    else {
      if (val.length > 0xffff) throw new RangeError(`DICOM element ${e.tag.toString(16)} is too long for VR ${e.vr}`);
      dv.setUint16(6, val.length, true);
    }
    parts.push(head, val);
  }
  const out = new Uint8Array(parts.reduce((a, p) => a + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

export const IMPLEMENTATION_CLASS_UID = '2.25.243786329357861870383312361428312425001';

export function part10(sopClassUid: string, sopInstanceUid: string, dataset: Uint8Array): Uint8Array {
  const meta = encodeElements([
    { tag: 0x00020001, vr: 'OB', value: Uint8Array.from([0, 1]) },
    { tag: 0x00020002, vr: 'UI', value: sopClassUid },
    { tag: 0x00020003, vr: 'UI', value: sopInstanceUid },
    { tag: 0x00020010, vr: 'UI', value: '1.2.840.10008.1.2.1' },
    { tag: 0x00020012, vr: 'UI', value: IMPLEMENTATION_CLASS_UID },
    { tag: 0x00020013, vr: 'SH', value: 'MRIRECON_01' },
  ]);
  const groupLength = encodeElements([{ tag: 0x00020000, vr: 'UL', value: meta.length }]);
  const out = new Uint8Array(132 + groupLength.length + meta.length + dataset.length);
  out.set([0x44, 0x49, 0x43, 0x4d], 128);
  out.set(groupLength, 132);
  out.set(meta, 132 + groupLength.length);
  out.set(dataset, 132 + groupLength.length + meta.length);
  return out;
}

/** A Decimal String of at most 16 characters (the VR's limit) as close to x as fits. */
export function formatDS(x: number): string {
  if (!Number.isFinite(x)) throw new RangeError(`cannot store ${x} as a DICOM decimal string`);
  if (Number.isInteger(x) && Math.abs(x) < 1e15) return String(x);
  for (let p = 15; p >= 1; p--) {
    const s = String(Number(x.toPrecision(p)));
    if (s.length <= 16) return s;
    const e = x.toExponential(Math.max(0, p - 1)).replace('e+', 'e');
    if (e.length <= 16) return e;
  }
  return '0';
}
