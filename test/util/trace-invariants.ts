/**
 * Invariants every recorded gradient-flow trace must satisfy, checked on each traced run of the
 * tests: a bound bounds (the measured chain factor never exceeds the chain-rule bound of its own
 * record, within float error), and a bound is only ever shown with the ‖W‖₂ of its own record.
 */
import { expect } from 'vitest';
import type { Trace } from '../../src/flow/trace.js';

/**
 * f32 rounding in the factor's two norms and in the bound's σ'. The bound's ‖W‖₂ is proved at least ‖W‖₂
 * (src/flow/spectral-bound.ts; test/flow/chain-bound-truth checks it against float64), not power iteration's
 * estimate, which can read low by more (docs/gradient-flow.md).
 */
const FLOAT_ERROR = 1e-4;

/** Checks the invariants on every record and hidden layer of `trace`; returns how many bounds it checked. */
export function expectTraceInvariants(trace: Trace, label: string): number {
  let checked = 0;
  for (let r = 0; r < trace.length; r++) {
    for (let l = 0; l < trace.layers - 1; l++) {
      const bound = trace.at('chainBound', r, l);
      const factor = trace.at('chainFactor', r, l);
      // A bound exists exactly where this record measured ‖W^{l+1}‖₂.
      expect(Number.isNaN(bound), `${label}: record ${r} layer ${l}: bound without its own ‖W‖₂`).toBe(Number.isNaN(trace.at('spectralNorm', r, l + 1)));
      if (Number.isNaN(bound) || !Number.isFinite(factor)) continue;
      expect(factor, `${label}: record ${r} (step ${trace.steps[r]}) layer ${l}: factor ≤ bound`).toBeLessThanOrEqual(bound * (1 + FLOAT_ERROR) + 1e-30);
      checked++;
    }
  }
  // The first record always computes ‖W‖₂, so a run with two hidden layers has bounds to check.
  if (trace.length > 0 && trace.layers > 2) expect(checked, `${label}: bounds checked`).toBeGreaterThan(0);
  return checked;
}
