/**
 * worseWarning, the line `gradscope train` and `study --model` print when a run ends worse on its
 * checked rows than its initial weights: said when the final loss is above the initial one or not a
 * number, never when it is at or below it; the likely cause fits the optimiser (a rate to lower, or
 * none to lower), what halving did and what the save flag does are said.
 */
import { describe, expect, it } from 'vitest';
import { worseWarning, type FinishedRun } from '../../src/cli/worse-warning.js';

const run = (initial: number, final: number, more: Partial<FinishedRun> = {}): string | undefined =>
  worseWarning({ checked: 'test', initial: { loss: initial, accuracy: 0.113 }, final: { loss: final, accuracy: 0.098 }, trained: { halvings: 0, learningRate: 100 }, optimizer: 'sgd', ...more });

describe('worseWarning', () => {
  it('says nothing when the run ended at or below its initial loss', () => {
    expect(run(2.285, 0.5)).toBeUndefined();
    expect(run(2.285, 2.285)).toBeUndefined();
  });

  it('says both losses and accuracies and the likely cause, a learning rate too large, with the rate to go below', () => {
    expect(run(2.285, 48.6)).toBe(
      'Warning: the trained network is worse than the initial weights on the test rows (test loss 2.285 → 48.60, test accuracy 11.3 % → 9.8 %); the likely cause is a learning rate too large: try a --learning-rate below 100.',
    );
  });

  it('warns of a final loss that is not a number', () => {
    expect(run(2.285, NaN)).toMatch(/^Warning: .*\(test loss 2\.285 → NaN,/);
  });

  it('says what halving did (the rate it ended at) and that the save flag saved it as asked', () => {
    expect(run(0.7, 3, { checked: 'training', trained: { halvings: 2, learningRate: 25 }, saved: '--save' })).toBe(
      'Warning: the trained network is worse than the initial weights on the training rows (training loss 0.7000 → 3.000, training accuracy 11.3 % → 9.8 %); halving kept the steps finite, not the network better than its start; --save saves it as asked; the likely cause is a learning rate too large: try a --learning-rate below 25.',
    );
  });

  it('offers no learning rate to an optimiser that chooses its own steps', () => {
    expect(run(1, 2, { trained: { halvings: 0 }, optimizer: 'hessian-free' })).toMatch(/; 'hessian-free' chooses its own steps \(there is no --learning-rate to lower\): try another --optimizer\.$/);
  });
});
