// Every study entry point refuses a repeated or empty list and a count above its bound the same way
// (INVALID_OPTION naming the option, one shared check in src/checks.ts), before any work: the
// library says what the CLI says, instead of dropping a repeat (remedies) or running it twice (autoencoder).
import { describe, expect, it } from 'vitest';
import { runActivationStudy } from '../../src/studies/activations.js';
import { runAutoencoderStudy } from '../../src/studies/autoencoder.js';
import { runDepthStudy } from '../../src/studies/depth.js';
import { PLATEAU_K_BOUND, runPlateauStudy } from '../../src/studies/plateau.js';
import { runRemediesStudy } from '../../src/studies/remedies.js';
import { runBudgetSweep } from '../../src/studies/trainable-depth-budget.js';
import { runTrainableDepthStudy } from '../../src/studies/trainable-depth.js';
import * as bounds from '../../src/studies/study-bounds.js';
import { checkDistinctList, type Bound } from '../../src/checks.js';
import { expectError } from '../util/expect-error.js';
import { RAW_UNSAFE, UNSAFE_WORDS } from '../util/unsafe-words.js';
import { grouped } from '../../src/counted.js';

/** A pattern matching `text` literally. */
const literal = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('study list options', () => {
  it.each<[string, () => Promise<unknown>, RegExp]>([
    ['remedies optimizers repeated', () => runRemediesStudy({ optimizers: ['adam', 'sgd', 'adam'] }), /^optimizers: "adam" is listed twice \(each runs once\)$/],
    ['remedies optimizers empty', () => runRemediesStudy({ optimizers: [] }), /^optimizers: expected a non-empty list of contender labels, got \[\]$/],
    ['autoencoder optimizers repeated', () => runAutoencoderStudy({ optimizers: ['adam', 'adam'] }), /^autoencoder optimizers: "adam" is listed twice \(each runs once\)$/],
    ['autoencoder optimizers empty', () => runAutoencoderStudy({ optimizers: [] }), /^autoencoder optimizers: expected a non-empty list of optimiser names/],
    ['activations repeated', () => runActivationStudy({ activations: ['tanh', 'relu', 'tanh'] }), /^activations study: activations: "tanh" is listed twice \(each runs once\)$/],
    ['activations empty', () => runActivationStudy({ activations: [] }), /^activations study: activations: expected a non-empty list of activations/],
    ['inits repeated', () => runActivationStudy({ inits: ['he-normal', 'he-normal'] }), /^activations study: inits: "he-normal" is listed twice \(each runs once\)$/],
    ['inits empty', () => runActivationStudy({ inits: [] }), /^activations study: inits: expected a non-empty list of initialisations/],
    ['trainable-depth remedies repeated', () => runTrainableDepthStudy({ remedies: ['adam', 'adam'] }), /^remedies: "adam" is listed twice \(each runs once\)$/],
    ['trainable-depth remedies empty', () => runTrainableDepthStudy({ remedies: [] }), /^remedies: expected a non-empty list of remedy keys/],
    ['trainable-depth depths empty', () => runTrainableDepthStudy({ depths: [] }), /^depths: expected a non-empty list of whole numbers ≥ 1/],
    ['budget sweep remedies repeated', () => runBudgetSweep({ remedies: ['adam', 'plain-sigmoid', 'adam'] }), /^remedies: "adam" is listed twice \(each runs once\)$/],
    ['budget sweep budgets empty', () => runBudgetSweep({ budgets: [] }), /^budgets: expected a non-empty list of whole numbers ≥ 1/],
  ])('%s: INVALID_OPTION naming the option', async (_name, run, message) => {
    await expectError(run, 'INVALID_OPTION', message);
  });

  it('the budget sweep still takes no extra learning rates ([]), and refuses a repeated one', async () => {
    await expectError(() => runBudgetSweep({ learningRates: [2, 0.5, 2] }), 'INVALID_OPTION', /^learningRates: 2 is listed twice \(each runs once\)$/);
    // [] passes the list check: the sweep then stops at contrastMaxBudget, the option checked after learningRates (budgets are checked before it, so a bad one would not show that).
    await expectError(() => runBudgetSweep({ learningRates: [], contrastMaxBudget: 0 }), 'INVALID_OPTION', /^contrastMaxBudget: expected a whole number ≥ 1, got 0$/);
  });
});

describe('checkDistinctList', () => {
  it('finds a repeat as includes does: a repeated undefined or NaN is one, a lone NaN is not', async () => {
    await expectError(() => checkDistinctList([1, undefined, undefined], 'xs', 'numbers'), 'INVALID_OPTION', /^xs: undefined is listed twice \(each runs once\)$/);
    await expectError(() => checkDistinctList([NaN, 1, NaN], 'xs', 'numbers'), 'INVALID_OPTION', /^xs: NaN is listed twice \(each runs once\)$/);
    await expectError(() => checkDistinctList([0, -0], 'xs', 'numbers'), 'INVALID_OPTION', /^xs: 0 is listed twice/);
    expect(checkDistinctList([NaN], 'xs', 'numbers')).toEqual([NaN]);
  });

  it('checks entries before repeats: depths [NaN, NaN] names the bad entry, not a repeat', async () => {
    await expectError(() => runTrainableDepthStudy({ depths: [NaN] }), 'INVALID_OPTION', /^depths\[0\]: expected a whole number ≥ 1, got NaN$/);
    await expectError(() => runTrainableDepthStudy({ depths: [NaN, NaN] }), 'INVALID_OPTION', /^depths\[0\]: expected a whole number ≥ 1, got NaN$/);
    await expectError(() => runBudgetSweep({ depths: [undefined, undefined] as never }), 'INVALID_OPTION', /^depths\[0\]: expected a whole number ≥ 1, got none$/);
  });
});

describe('study count bounds', () => {
  const above = (name: string, bound: Bound) => new RegExp(`^${literal(`${name}: at most ${grouped(bound.max)} (${bound.why}), got ${bound.max + 1}`)}$`);
  it.each<[string, (value: number) => Promise<unknown>, string, Bound]>([
    ['remedies seconds', (v) => runRemediesStudy({ seconds: v }), 'seconds', bounds.SECONDS_BOUND],
    ['autoencoder seconds', (v) => runAutoencoderStudy({ seconds: v }), 'autoencoder seconds', bounds.SECONDS_BOUND],
    ['remedies steps', (v) => runRemediesStudy({ steps: v }), 'steps', bounds.STEPS_BOUND],
    ['autoencoder steps', (v) => runAutoencoderStudy({ steps: v }), 'autoencoder steps', bounds.STEPS_BOUND],
    ['autoencoder points', (v) => runAutoencoderStudy({ points: v }), 'autoencoder points', bounds.AUTOENCODER_POINTS_BOUND],
    ['activations epochs', (v) => runActivationStudy({ epochs: v }), 'activations study: epochs', bounds.ACTIVATION_EPOCHS_BOUND],
    ['activations width', (v) => runActivationStudy({ width: v }), 'activations study: width', bounds.WIDTH_BOUND],
    ['trainable-depth width', (v) => runTrainableDepthStudy({ width: v }), 'width', bounds.WIDTH_BOUND],
    ['depth seeds', (v) => runDepthStudy({ seeds: v }), 'depth study: seeds', bounds.DEPTH_SEEDS_BOUND],
    ['depth epochs', (v) => runDepthStudy({ epochs: v }), 'depth study: epochs', bounds.NIELSEN_EPOCHS_BOUND],
    ['plateau epochs', (v) => runPlateauStudy({ epochs: v }), 'plateau study: epochs', bounds.NIELSEN_EPOCHS_BOUND],
    ['plateau points', (v) => runPlateauStudy({ points: v }), 'plateau study: points', bounds.PLATEAU_POINTS_BOUND],
    ['trainable-depth epochs', (v) => runTrainableDepthStudy({ epochs: v }), 'epochs', bounds.TRAINABLE_EPOCHS_BOUND],
    ['budget sweep epochs', (v) => runBudgetSweep({ epochs: v }), 'epochs', bounds.TRAINABLE_EPOCHS_BOUND],
    ['budget sweep budgets', (v) => runBudgetSweep({ budgets: [1, v] }), 'budgets[1]', bounds.BUDGET_MULTIPLE_BOUND],
  ])('%s: one above the bound is INVALID_OPTION saying the bound and why', async (_name, run, option, bound) => {
    await expectError(() => run(bound.max + 1), 'INVALID_OPTION', above(option, bound));
  });

  it("plateau k: at most the network's parameter count, checked before the digits load (measureCurvature's rule)", async () => {
    await expectError(() => runPlateauStudy({ k: PLATEAU_K_BOUND.max + 1 }), 'INVALID_OPTION', new RegExp(`^plateau study: k: expected an integer from 1 to the parameter count ${grouped(PLATEAU_K_BOUND.max)}, got ${PLATEAU_K_BOUND.max + 1}$`));
  });

  it("plateau seed: the RNG's 32 bits, checked before the digits load (createNetwork refused it after, in its own name)", async () => {
    await expectError(() => runPlateauStudy({ seed: 0.5 }), 'INVALID_OPTION', /^plateau study: seed: expected an integer from 0 to 4,294,967,295 \(the random number generator's seed is 32 bits\), got 0\.5$/);
    await expectError(() => runPlateauStudy({ seed: '1' as never }), 'INVALID_OPTION', /^plateau study: seed: expected an integer .*, got "1"$/);
  });

  it('the activations study checks what it hands createNetwork and train() itself, naming its own option, before the digits load', async () => {
    // Each came back in createNetwork's or train()'s terms ('seed: …', 'learningRate: …'), after the digits had loaded.
    const refusals: [object, RegExp][] = [
      [{ width: 0 }, /^activations study: width: expected a whole number ≥ 1, got 0$/],
      // 784·w + w, 4·(w² + w), 10·w + 10 at w = 100,000: 40,079,900,010
      [{ width: 100_000 }, /^activations study: width 100000: 40,079,900,010 parameters exceeds the limit of 268,435,456 that gradscope's model files store$/],
      [{ batchSize: 0 }, /^activations study: batchSize: expected a whole number ≥ 1, got 0$/],
      [{ batchSize: 2.5 }, /^activations study: batchSize: expected a whole number ≥ 1, got 2\.5$/],
      [{ learningRate: 0 }, /^activations study: learningRate: expected a finite number > 0, got 0$/],
      [{ learningRate: '0.1' }, /^activations study: learningRate: expected a finite number > 0, got "0\.1"$/],
      [{ records: 0 }, /^activations study: records: expected a whole number ≥ 1, got 0$/],
      [{ seed: 0.5 }, /^activations study: seed: expected an integer from 0 to 4,294,967,295 \(the random number generator's seed is 32 bits\), got 0\.5$/],
      [{ activations: ['sigmoid', 'sigmod'] }, /^activations study: activations\[1\]: expected one of sigmoid, tanh, relu, leaky-relu, softsign, linear, selu, got "sigmod"; did you mean "sigmoid"\?$/],
      [{ inits: ['xavier'] }, /^activations study: inits\[0\]: expected one of standard, glorot-uniform, glorot-normal, glorot-normal-truncated, he-normal, he-normal-fan-out, he-normal-truncated, lecun-normal, lecun-normal-truncated, orthogonal, got "xavier"$/],
    ];
    for (const [options, message] of refusals) {
      // trainRows past the mnist package's digits: its refusal would come first if the digits loaded before the check.
      await expectError(() => runActivationStudy({ ...options, trainRows: 20_000 } as never), 'INVALID_OPTION', message);
    }
  });

  it('the autoencoder study checks its sizes, loss, seed and counts itself, before the digits load', async () => {
    // sizes 5 was a TypeError ('not iterable'), sizes [784, 0, 784] and seed 0.5 came back in createNetwork's terms.
    const refusals: [object, RegExp][] = [
      [{ sizes: 5 }, /^autoencoder sizes: expected a list of layer widths, got 5$/],
      [{ sizes: [784, 0, 784] }, /^autoencoder sizes\[1\]: expected a whole number of units from 1 to 1,048,576, got 0$/],
      // 784·w + w + w·784 + 784 at w = 1,000,000: 1,569,000,784
      [{ sizes: [784, 1_000_000, 784] }, /^autoencoder sizes: 1,569,000,784 parameters exceeds the limit of 268,435,456/],
      [{ loss: 'bce' }, /^autoencoder loss: expected one of binary-cross-entropy, mse, got "bce"; did you mean "binary-cross-entropy"\?$/],
      [{ seed: 1.5 }, /^autoencoder seed: expected an integer from 0 to 4,294,967,295 \(the random number generator's seed is 32 bits\), got 1\.5$/],
      [{ seconds: '30' }, /^autoencoder seconds: expected a finite number > 0, got "30"$/],
      [{ points: 2.5 }, /^autoencoder points: expected a whole number ≥ 1, got 2\.5$/],
      [{ testRows: 0 }, /^autoencoder testRows: expected a whole number ≥ 1, got 0$/],
      // An inherited key passed `name in AUTOENCODER_OPTIMIZERS`, then threw a TypeError from contender.create.
      [{ optimizers: ['adam', 'toString'] }, /^autoencoder optimizers\[1\]: expected one of hessian-free, adam, sgd-momentum, got "toString"$/],
    ];
    for (const [options, message] of refusals) {
      await expectError(() => runAutoencoderStudy({ trainRows: 20_000, ...options } as never), 'INVALID_OPTION', message);
    }
  });

  it('an unknown remedy or contender is refused by checkChoice over the table: did-you-mean for a typo, an unsafe word escaped', async () => {
    const refusals: [string, (names: string[]) => Promise<unknown>][] = [
      ['optimizers', (names) => runRemediesStudy({ optimizers: names })],
      ['remedies', (names) => runTrainableDepthStudy({ remedies: names })],
      ['remedies', (names) => runBudgetSweep({ remedies: names })],
    ];
    for (const [option, run] of refusals) {
      // It said "unknown remedy 'adamm' (known: …)", the name hand-quoted and no did-you-mean.
      await expectError(() => run(['adamm']), 'INVALID_OPTION', new RegExp(`^${option}\\[0\\]: expected one of .*adam.*, got "adamm"; did you mean "adam"\\?$`));
      await expectError(() => run(['toString']), 'INVALID_OPTION', new RegExp(`^${option}\\[0\\]: expected one of .*, got "toString"`));
      for (const word of UNSAFE_WORDS) {
        const error = await expectError(() => run(['adam', word]), 'INVALID_OPTION', new RegExp(`^${option}\\[1\\]: expected one of `));
        expect(error.message).not.toMatch(RAW_UNSAFE);
      }
    }
  });

  it('a repeated list entry is shown as a value, its unsafe characters escaped', async () => {
    for (const word of UNSAFE_WORDS) {
      const error = await expectError(() => checkDistinctList([word, word], 'xs', 'names'), 'INVALID_OPTION', /^xs: ".*" is listed twice \(each runs once\)$/s);
      expect(error.message).not.toMatch(RAW_UNSAFE);
    }
  });

  it("remedies seconds: a finite number > 0, a string shown as one (it said 'got 5' of '5')", async () => {
    await expectError(() => runRemediesStudy({ seconds: '5' as never }), 'INVALID_OPTION', /^seconds: expected a finite number > 0, got "5"$/);
    await expectError(() => runRemediesStudy({ seconds: 0 }), 'INVALID_OPTION', /^seconds: expected a finite number > 0, got 0$/);
  });

  it('activations epochs are whole numbers ≥ 1 (the study checked none)', async () => {
    await expectError(() => runActivationStudy({ epochs: 1.5 }), 'INVALID_OPTION', /^activations study: epochs: expected a whole number ≥ 1, got 1\.5$/);
    await expectError(() => runActivationStudy({ epochs: 0 }), 'INVALID_OPTION', /^activations study: epochs: expected a whole number ≥ 1, got 0$/);
  });
});
