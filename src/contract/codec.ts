/**
 * Binary framing for the WebSocket transport: a JSON header plus the raw bytes of every typed array in
 * the message, so images cross without base64 or number-by-number JSON. Electron IPC needs none of this
 * (structured clone carries typed arrays). Layout: u32 header length (LE), header JSON (UTF-8), padding
 * to 8 bytes, then each array's bytes at the 8-aligned offset recorded in the header.
 */

type Typed = Float32Array | Float64Array | Uint8Array | Int16Array | Int32Array | Uint16Array;
const KINDS: Record<string, new (b: ArrayBufferLike, o: number, n: number) => Typed> = {
  f32: Float32Array,
  f64: Float64Array,
  u8: Uint8Array,
  i16: Int16Array,
  i32: Int32Array,
  u16: Uint16Array,
};

function kindOf(v: unknown): string | null {
  if (v instanceof Float32Array) return 'f32';
  if (v instanceof Float64Array) return 'f64';
  if (v instanceof Uint8Array) return 'u8';
  if (v instanceof Int16Array) return 'i16';
  if (v instanceof Int32Array) return 'i32';
  if (v instanceof Uint16Array) return 'u16';
  return null;
}

const MAX_DEPTH = 32;

export function packMessage(value: unknown): Uint8Array {
  const blobs: Typed[] = [];
  let offset = 0;
  const header = JSON.stringify(value, function (this: unknown, _key, v: unknown) {
    const kind = kindOf(v);
    if (!kind) return v;
    const t = v as Typed;
    const entry = { $ta: kind, o: offset, n: t.length };
    blobs.push(t);
    offset += Math.ceil(t.byteLength / 8) * 8;
    return entry;
  });
  const headerBytes = new TextEncoder().encode(header);
  const start = Math.ceil((4 + headerBytes.length) / 8) * 8;
  const out = new Uint8Array(start + offset);
  new DataView(out.buffer).setUint32(0, headerBytes.length, true);
  out.set(headerBytes, 4);
  let o = start;
  for (const b of blobs) {
    out.set(new Uint8Array(b.buffer, b.byteOffset, b.byteLength), o);
    o += Math.ceil(b.byteLength / 8) * 8;
  }
  return out;
}

/** Decodes a packed message; throws a one-line Error on any malformed input (hostile peers included). */
export function unpackMessage(bytes: Uint8Array): unknown {
  if (bytes.byteLength < 4) throw new Error('message too short');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const len = view.getUint32(0, true);
  if (4 + len > bytes.byteLength) throw new Error('message header length exceeds the frame');
  const start = Math.ceil((4 + len) / 8) * 8;
  // attachments are 8-aligned within the frame: when the frame itself is aligned the arrays are views
  // on it (no copy per image); otherwise they are copied into an aligned buffer of their own
  const at = Math.min(start, bytes.byteLength);
  const body = (bytes.byteOffset + at) % 8 === 0 ? bytes.subarray(at) : bytes.slice(at);
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder().decode(bytes.subarray(4, 4 + len)));
  } catch {
    throw new Error('message header is not JSON');
  }
  const revive = (v: unknown, depth: number): unknown => {
    if (depth > MAX_DEPTH) throw new Error('message nests too deeply');
    if (Array.isArray(v)) return v.map((x) => revive(x, depth + 1));
    if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if (typeof o.$ta === 'string') {
        const Ctor = KINDS[o.$ta];
        const off = o.o;
        const n = o.n;
        if (!Ctor || !Number.isInteger(off) || !Number.isInteger(n) || (off as number) < 0 || (n as number) < 0) {
          throw new Error('malformed typed-array reference');
        }
        const bytesPer = (Ctor as unknown as { BYTES_PER_ELEMENT: number }).BYTES_PER_ELEMENT;
        if ((off as number) % bytesPer !== 0 || (off as number) + (n as number) * bytesPer > body.byteLength) {
          throw new Error('typed-array reference outside the message');
        }
        return new Ctor(body.buffer, body.byteOffset + (off as number), n as number);
      }
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(o)) {
        if (k === '__proto__' || k === 'constructor' || k === 'prototype') continue;
        out[k] = revive(x, depth + 1);
      }
      return out;
    }
    return v;
  };
  return revive(parsed, 0);
}
