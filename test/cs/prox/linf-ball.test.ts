import { describe, expect, it } from 'vitest';
import { groupSoftThreshold, l21Norm, projectL2InfBall } from '../../../src/cs/prox/linf-ball';

describe('isotropic L2,∞ ball projection and group shrinkage', () => {
  // two components × two pixels: pixel 0 = (3+0i, 0+4i) norm 5; pixel 1 = (0.3, 0.4) norm 0.5
  const p = Float32Array.from([3, 0, 0.3, 0, 0, 4, 0.4, 0]);
  it('projection scales groups outside the ball onto its surface and leaves the inside alone', () => {
    const q = projectL2InfBall(p, 1, 2, 2);
    expect(q[0]).toBeCloseTo(0.6, 6);
    expect(q[5]).toBeCloseTo(0.8, 6);
    expect(q[2]).toBeCloseTo(0.3, 6);
    expect(q[6]).toBeCloseTo(0.4, 6);
  });
  it('group soft-threshold = identity − projection (Moreau)', () => {
    const s = groupSoftThreshold(p, 1, 2, 2);
    const q = projectL2InfBall(p, 1, 2, 2);
    for (let i = 0; i < p.length; i++) expect(s[i]).toBeCloseTo(p[i] - q[i], 6);
    expect(s[0]).toBeCloseTo(2.4, 6);
    expect(s[5]).toBeCloseTo(3.2, 6);
    expect(s[2]).toBe(0);
  });
  it('l21 norm sums the group norms', () => {
    expect(l21Norm(p, 2, 2)).toBeCloseTo(5.5, 6);
  });
});
