/**
 * The held-out loss before the first epoch (DiagnoseOptions.heldOutAtStart), which the trace does not
 * hold: where it lay at or below every epoch's lowest, no epoch of the run lowered it, and the
 * early-stopping remedy's "stop after the epoch of the lowest" would keep weights worse on those rows
 * than the ones the run started from. Measured (2026-12-03, study --model of the relu/he [784,64,64,10]
 * model Adam trained for 5 epochs, SGD 0.1, 10 epochs): its test loss was 0.1668 before the first epoch,
 * 0.1675 after it, the lowest the trace holds.
 */
import { describe, expect, it } from 'vitest';
import { diagnose } from '../../src/flow/diagnose.js';
import { overfittingTrace } from '../util/overfitting-trace.js';
import { overfittingOf } from '../../src/cli/worse-warning.js';

const SAID = "The held-out rows' loss was lower still before the first epoch (0.1668, at the weights the run started from): no epoch of this run lowered it, so no epoch to stop at is offered; the weights it started from are the ones to keep.";

describe('the held-out loss before the first epoch', () => {
  it('lowest before any epoch (the measured 0.1668 against 0.1675 after the first): no epoch to stop at, and the summary says why', () => {
    const d = diagnose(overfittingTrace(), { heldOutAtStart: 0.1668 });
    expect([d.verdict, d.evidence.training!.heldOut!.start, d.evidence.training!.heldOut!.lowest.epoch]).toEqual(['overfitting', 0.1668, 0]);
    expect(d.remedies.map((r) => r.option)).toEqual([]);
    expect(d.summary).toContain(SAID);
    expect(overfittingOf(d)).toEqual({});
  });

  it('above an epoch\'s lowest, or not given: stop after the epoch of the lowest, as before', () => {
    for (const d of [diagnose(overfittingTrace(), { heldOutAtStart: 2.3 }), diagnose(overfittingTrace())]) {
      expect(d.remedies.map((r) => r.option)).toEqual(['epochs: 1']);
      expect(d.summary).not.toContain('before the first epoch');
      expect(overfittingOf(d)).toEqual({ stopAfter: 1 });
    }
  });

  it.each([-1, NaN, Infinity, '0.2'])('refuses heldOutAtStart %s, saying what it takes', (value) => {
    expect(() => diagnose(overfittingTrace(), { heldOutAtStart: value as number })).toThrow(/^diagnose\(trace, options\): heldOutAtStart is .*; expected the held-out rows' loss before the first epoch, a finite number ≥ 0$/);
  });
});
