// How study (b) shows a run's first ÷ last gradient at the start (startRatioText, the terminal's and
// the report's one formatter): each case its words, as the activations study documents them.
import { describe, expect, it } from 'vitest';
import type { Diagnosis } from '../../src/flow/diagnose.js';
import type { ActivationRun } from '../../src/studies/activations.js';
import { NO_GRADIENT, startRatioText } from '../../src/studies/activations-report.js';

/** A run whose diagnosis measured `first` as both ratios at the start. */
function run(first: number | undefined, diverged?: string): ActivationRun {
  const ratio = { first, last: 1, median: 1 };
  const diagnosis = first === undefined ? undefined : ({ evidence: { deltaFirstToLast: ratio, firstToLast: ratio } } as unknown as Diagnosis);
  return { activation: 'relu', init: 'he-normal', label: 'relu + he-normal', testError: 0.1, trainLoss: 1, seconds: 1, diverged, diagnosis };
}

describe('startRatioText', () => {
  it.each([
    ['a measured ratio, to the digits asked for', run(0.012345), '0.0123'],
    ['0/0, two layers without any gradient (dead relu units)', run(NaN), NO_GRADIENT],
    ['NaN in a diverged run (it may be the divergence\'s)', run(NaN, 'the loss is NaN'), '—'],
    ["a last layer's gradient of 0 under a first's that is not", run(Infinity), '∞'],
    ['a run without a diagnosis', run(undefined), '—'],
  ])('%s', (_, r, want) => {
    expect(startRatioText(r, 'deltaFirstToLast', 3)).toBe(want);
    expect(startRatioText(r, 'firstToLast', 3)).toBe(want);
  });
});
