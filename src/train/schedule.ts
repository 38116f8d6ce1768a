/**
 * Learning-rate schedules, as a pure function of the optimiser step (so a resumed run needs no state):
 *   constant | step (× gamma every stepSize steps) | cosine (to minLr over totalSteps), each after an
 *   optional linear warm-up from 0 over warmupSteps.
 */
export const SCHEDULES = ['constant', 'step', 'cosine'] as const;
export type ScheduleName = (typeof SCHEDULES)[number];

export interface ScheduleConfig {
  name: ScheduleName;
  warmupSteps?: number;
  /** step: decay every stepSize optimiser steps by gamma */
  stepSize?: number;
  gamma?: number;
  /** cosine: the horizon and the floor */
  totalSteps?: number;
  minLr?: number;
}

export function learningRateAt(base: number, s: ScheduleConfig, step: number): number {
  const warm = s.warmupSteps ?? 0;
  if (warm > 0 && step < warm) return (base * (step + 1)) / warm;
  const t = step - warm;
  switch (s.name) {
    case 'constant':
      return base;
    case 'step': {
      const size = Math.max(1, s.stepSize ?? 1000);
      return base * (s.gamma ?? 0.1) ** Math.floor(t / size);
    }
    case 'cosine': {
      const total = Math.max(1, (s.totalSteps ?? 1000) - warm);
      const min = s.minLr ?? 0;
      const f = Math.min(1, t / total);
      return min + 0.5 * (base - min) * (1 + Math.cos(Math.PI * f));
    }
  }
}
