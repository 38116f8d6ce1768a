import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { packMessage, unpackMessage } from '../../src/contract/codec';

describe('binary message codec', () => {
  it('round-trips nested values with typed arrays of every kind', () => {
    const msg = {
      id: 7,
      kind: 'response',
      value: {
        data: new Float32Array([1.5, -2, Math.PI]),
        mask: new Uint8Array([1, 0, 1, 1, 0]),
        list: [new Int16Array([-3, 4]), new Float64Array([1e-300]), 'text', null],
        n: 3,
      },
    };
    const out = unpackMessage(packMessage(msg)) as typeof msg;
    expect(out.id).toBe(7);
    expect(out.value.data).toBeInstanceOf(Float32Array);
    expect(Array.from(out.value.data)).toEqual(Array.from(msg.value.data));
    expect(Array.from(out.value.mask)).toEqual([1, 0, 1, 1, 0]);
    expect(Array.from(out.value.list[0] as Int16Array)).toEqual([-3, 4]);
    expect((out.value.list[1] as Float64Array)[0]).toBe(1e-300);
    expect(out.value.list.slice(2)).toEqual(['text', null]);
  });

  it('round-trips arbitrary float32 payloads (property)', () => {
    fc.assert(
      fc.property(fc.float32Array({ maxLength: 200 }), fc.string(), (arr, s) => {
        const out = unpackMessage(packMessage({ s, arr })) as { s: string; arr: Float32Array };
        expect(out.s).toBe(s);
        expect(Buffer.from(out.arr.buffer, out.arr.byteOffset, out.arr.byteLength)).toEqual(
          Buffer.from(arr.buffer, arr.byteOffset, arr.byteLength),
        );
      }),
      { numRuns: 50 },
    );
  });

  it('rejects malformed frames with a one-line error, never a crash', () => {
    expect(() => unpackMessage(new Uint8Array([1, 2]))).toThrow(/too short/);
    const huge = new Uint8Array(8);
    new DataView(huge.buffer).setUint32(0, 1e6, true);
    expect(() => unpackMessage(huge)).toThrow(/exceeds/);
    const notJson = new Uint8Array(12);
    new DataView(notJson.buffer).setUint32(0, 4, true);
    notJson.set([0x7b, 0x7b, 0x7b, 0x7b], 4);
    expect(() => unpackMessage(notJson)).toThrow(/not JSON/);
    const outside = packMessage({ a: new Float32Array(2) });
    const forged = new TextEncoder().encode(JSON.stringify({ a: { $ta: 'f32', o: 0, n: 1e9 } }));
    const frame = new Uint8Array(8 + forged.length);
    new DataView(frame.buffer).setUint32(0, forged.length, true);
    frame.set(forged, 4);
    expect(() => unpackMessage(frame)).toThrow(/outside/);
    expect(outside.length).toBeGreaterThan(0);
  });

  it('drops prototype-polluting keys', () => {
    const bytes = new TextEncoder().encode('{"__proto__":{"polluted":true},"ok":1}');
    const frame = new Uint8Array(8 + bytes.length);
    new DataView(frame.buffer).setUint32(0, bytes.length, true);
    frame.set(bytes, 4);
    const out = unpackMessage(frame) as Record<string, unknown>;
    expect(out.ok).toBe(1);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
  });
});

describe('codec alignment', () => {
  it('decodes frames at any byte offset (views when aligned, copies when not)', () => {
    const packed = packMessage({ a: new Float64Array([1.5, -2.25]), b: new Int16Array([7, -7, 9]) });
    for (const shift of [0, 1, 3, 8]) {
      const host = new Uint8Array(packed.length + shift);
      host.set(packed, shift);
      const out = unpackMessage(host.subarray(shift)) as { a: Float64Array; b: Int16Array };
      expect(Array.from(out.a)).toEqual([1.5, -2.25]);
      expect(Array.from(out.b)).toEqual([7, -7, 9]);
    }
  });
});
