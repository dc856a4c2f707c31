// The batch an optimiser chosen by hand brings (page48's leftover): Hessian-free chosen on the Optimizer control gets the batch
// the diagnosis's switch to it carries (wantedBatchSize, one source), said beside the control; another optimiser chosen while
// Batch still holds it gives the user's own back; a batch the user set meanwhile is theirs. test/browser/visualizer does it by hand.
import { describe, expect, it } from 'vitest';
import { DEFAULTS, type Settings } from '../../demo/src/settings.js';
import { optimizerBatch } from '../../demo/src/optimizer-batch.js';
import { trainingRows } from '../../demo/src/datasets.js';
import { wantedBatchSize } from '../../src/index.js';
import { optimizerSwitch } from '../../src/flow/diagnosis/remedy-settings.js';

const HF = wantedBatchSize('hessian-free')!;

describe("the Optimizer control's batch", () => {
  it("is the one the diagnosis's switch to Hessian-free carries, and none for K-FAC or a first-order optimiser", () => {
    expect(HF).toBe(1000);
    const carried = optimizerSwitch({ optimizer: 'sgd', batchSize: 32 }, 'hessian-free').find((s) => s.option === 'batchSize');
    expect(carried?.setting).toBe(HF);
    for (const name of ['kfac', 'adam', 'sgd', 'lbfgs']) {
      expect(wantedBatchSize(name)).toBeUndefined();
      expect(optimizerSwitch({ optimizer: 'sgd', batchSize: 32 }, name).some((s) => s.option === 'batchSize')).toBe(false);
    }
    // Not a name: refused, as the library's public functions refuse what is not their argument (review49b #6); any name answers.
    expect(() => wantedBatchSize(undefined as never)).toThrow(/^wantedBatchSize\(name\): expected an optimiser's name, a string, got none$/);
    expect(wantedBatchSize('my-plugin')).toBeUndefined();
  });

  it('sets Batch to it where Hessian-free is chosen, says so, and gives the batch back where another optimiser is chosen', () => {
    const rows = trainingRows(DEFAULTS.dataset, DEFAULTS.trainPercent);
    const chosen = optimizerBatch(DEFAULTS, { ...DEFAULTS, optimizer: 'hessian-free' }, null);
    expect(chosen.settings).toEqual({ ...DEFAULTS, optimizer: 'hessian-free', batchSize: HF });
    expect(chosen.carried).toEqual({ from: 32, to: HF, optimizer: 'hessian-free' });
    expect(chosen.note).toBe(
      `Batch set to 1,000 for hessian-free (it was 32): its steps fit the rows they are given, so it takes 1,000 rows a step, as the diagnosis's switch to it does; train() caps a batch at the rows: here all ${rows} training rows. Batch can still be changed.`,
    );
    const back = optimizerBatch(chosen.settings, { ...chosen.settings, optimizer: 'kfac' }, chosen.carried);
    expect(back.settings).toEqual({ ...DEFAULTS, optimizer: 'kfac' });
    expect(back.carried).toBeNull();
    expect(back.note).toBe('Batch back to 32, as it was before hessian-free set it to 1,000.');
  });

  it('leaves a batch the user set meanwhile, and a batch that holds every training row already', () => {
    const chosen = optimizerBatch(DEFAULTS, { ...DEFAULTS, optimizer: 'hessian-free' }, null);
    const own = optimizerBatch(chosen.settings, { ...chosen.settings, batchSize: 500 }, chosen.carried);
    expect([own.settings.batchSize, own.carried, own.note]).toEqual([500, null, '']);
    expect(optimizerBatch(own.settings, { ...own.settings, optimizer: 'sgd' }, own.carried).settings.batchSize).toBe(500);
    // 300 rows a batch hold the spirals' 280 training rows: Hessian-free's 1,000 would train on the same rows.
    const whole: Settings = { ...DEFAULTS, batchSize: 300 };
    expect(optimizerBatch(whole, { ...whole, optimizer: 'hessian-free' }, null)).toEqual({ settings: { ...whole, optimizer: 'hessian-free' }, carried: null, note: '' });
    // On the 700 training digits, 1,000 rows a step are all 700 of them; a batch of 64 is not.
    const digits: Settings = { ...DEFAULTS, dataset: 'mnist', batchSize: 64 };
    expect(optimizerBatch(digits, { ...digits, optimizer: 'hessian-free' }, null).settings.batchSize).toBe(HF);
  });

  it('changes nothing of the batch for an optimiser that wants none, or where the optimiser stays', () => {
    expect(optimizerBatch(DEFAULTS, { ...DEFAULTS, optimizer: 'kfac' }, null)).toEqual({ settings: { ...DEFAULTS, optimizer: 'kfac' }, carried: null, note: '' });
    const chosen = optimizerBatch(DEFAULTS, { ...DEFAULTS, optimizer: 'hessian-free' }, null);
    const noise = optimizerBatch(chosen.settings, { ...chosen.settings, noise: 0.1 }, chosen.carried);
    expect([noise.settings.batchSize, noise.carried, noise.note]).toEqual([HF, chosen.carried, '']);
    // Still the batch it set: another optimiser then gives the user's back.
    expect(optimizerBatch(noise.settings, { ...noise.settings, optimizer: 'adam' }, noise.carried).settings.batchSize).toBe(32);
  });
});
