import { describe, expect, it } from 'vitest';
import { MaskSpecSchema, MethodSpecSchema, REQUEST_NAMES, describeZodError, requests } from '../../src/contract/schemas';
import { REQUEST_NAME_LIST } from '../../src/contract/names';

describe('contract schemas', () => {
  it('the preload name list is exactly the contract', () => {
    expect([...REQUEST_NAME_LIST].sort()).toEqual([...REQUEST_NAMES].sort());
  });

  it('fills mask defaults and names the offending field', () => {
    expect(MaskSpecSchema.parse({ type: 'random' })).toMatchObject({ acceleration: 4, centerFraction: 0.08 });
    const bad = MaskSpecSchema.safeParse({ type: 'random', acceleration: 0.5, centerFraction: 1.2 });
    expect(bad.success).toBe(false);
    const msg = describeZodError(bad.error!);
    expect(msg).toMatch(/acceleration/);
    expect(msg).toMatch(/centerFraction/);
    expect(MaskSpecSchema.safeParse({ type: 'spiral' }).success).toBe(false);
    expect(MaskSpecSchema.safeParse({ type: 'random', extra: 1 }).success).toBe(false);
  });

  it('bounds method parameters', () => {
    expect(MethodSpecSchema.safeParse({ method: 'zf' }).success).toBe(true);
    expect(MethodSpecSchema.safeParse({ method: 'cs-tv', lambda: -1 }).success).toBe(false);
    expect(MethodSpecSchema.safeParse({ method: 'cs-tv', iterations: 0 }).success).toBe(false);
    expect(MethodSpecSchema.safeParse({ method: 'cs-tv', iterations: 1e9 }).success).toBe(false);
    expect(MethodSpecSchema.safeParse({ method: 'cs-tv', lambda: Number.NaN }).success).toBe(false);
  });

  it('cs-tv takes tv 2d | 3d and a through-plane weight; other methods do not', () => {
    expect(MethodSpecSchema.safeParse({ method: 'cs-tv', tv: '3d', tvZWeight: 0.5 }).success).toBe(true);
    expect(MethodSpecSchema.safeParse({ method: 'cs-tv', tv: '2d' }).success).toBe(true);
    expect(MethodSpecSchema.safeParse({ method: 'cs-tv', tv: '4d' }).success).toBe(false);
    expect(MethodSpecSchema.safeParse({ method: 'cs-tv', tv: '3d', tvZWeight: -1 }).success).toBe(false);
    expect(MethodSpecSchema.safeParse({ method: 'cs-tv', tv: '3d', tvZWeight: 1000 }).success).toBe(false);
    const other = MethodSpecSchema.safeParse({ method: 'cs-wavelet', tv: '3d' });
    expect(other.success).toBe(false);
    expect(describeZodError(other.error!)).toMatch(/tv: tv applies to cs-tv only/);
    expect(MethodSpecSchema.safeParse({ method: 'zf', tvZWeight: 1 }).success).toBe(false);
    expect(
      requests['recon.start'].params.safeParse({ scanId: 's', mask: { type: 'random' }, method: { method: 'cs-tv', tv: '3d' } })
        .success,
    ).toBe(true);
  });

  it('rejects wrong shapes of every request', () => {
    for (const name of REQUEST_NAMES) {
      expect(requests[name].params.safeParse('not an object').success, name).toBe(false);
      expect(requests[name].params.safeParse({ unexpected: true }).success, name).toBe(false);
    }
  });
});
