// docs/cli.md states the numbers the commands work by; each is read from the page and compared with
// the constant that holds it, so a change to one cannot leave the page behind (truth38's audit of
// the page: these were stated with no test reading them).
import { describe, expect, it } from 'vitest';
import { READING_WIDTH } from '../../src/cli/prose.js';
import { OVER_TIME_STEPS } from '../../src/cli/trace-table.js';
import { COMMAND_EPOCHS } from '../../src/command-epochs.js';
import { MNIST_DIGITS, MNIST_TEST_DIGITS } from '../../src/data/mnist-counts.js';
import { NOISE_WINDOW_MIN, RUN_FIFTHS, STILL_FALLING } from '../../src/flow/training-progress.js';
import { SECONDS_BOUND } from '../../src/studies/study-bounds.js';
import { TRAINING_CHECK_MAX_ROWS } from '../../src/training/training-check-rows.js';
import { pageProse, quotedOn } from '../util/page-numbers.js';

const PAGE = 'docs/cli.md';
const said = (pattern: RegExp) => quotedOn(PAGE, pattern);
const count = (n: number) => n.toLocaleString('en-US');

describe('docs/cli.md states the numbers the commands work by', () => {
  it("the digits: the mnist package's 10,000, the 1,000 test digits a run checks on", () => {
    expect(said(/that together ask for more than the `mnist` package's ([\d,]+) digits/)).toEqual([count(MNIST_DIGITS)]);
    expect(said(/test loss and accuracy, on the ([\d,]+) test digits after it\./)).toEqual([count(MNIST_TEST_DIGITS)]);
  });

  it("the worse-than-start warning's 5 % (STILL_FALLING) and the runs whose spread the diagnosis reads", () => {
    const percent = `${STILL_FALLING * 100}`;
    expect(said(/A loss up less than (\d+) % is no rise by the diagnosis's rule/)).toEqual([percent]);
    expect(said(/`under the ([\d.]+) % that counts as a rise, too little to blame on the learning rate`/)).toEqual([(STILL_FALLING * 100).toFixed(1)]);
    expect(said(/The (\d+) % is `STILL_FALLING`/)).toEqual([percent]);
    expect(said(/at chance before and after with its loss up less than (\d+) %/)).toEqual([percent]);
    // "the diagnosis estimates that spread only in runs of 25 epochs or more, and the commands train 10 by default"
    expect(said(/estimates that spread only in runs of (\d+) epochs or more, and the commands train (\d+) by default/)).toEqual([String(RUN_FIFTHS * NOISE_WINDOW_MIN), String(COMMAND_EPOCHS)]);
  });

  it('the over-time table, the training rows checked, the reading width and the --seconds bound', () => {
    expect(said(/at up to (\d+) \(`OVER_TIME_STEPS`\) of the full batches' traced steps/)).toEqual([String(OVER_TIME_STEPS)]);
    expect(said(/also on as many training digits, at most (\d+), at the same weights/)).toEqual([String(TRAINING_CHECK_MAX_ROWS)]);
    expect(said(/fits its tables and prose to (\d+) columns \(`READING_WIDTH`\)/)).toEqual([String(READING_WIDTH)]);
    expect(pageProse(PAGE)).toContain(`e.g. at most ${SECONDS_BOUND.max} seconds, ${SECONDS_BOUND.why.split(';')[0]})`);
  });
});
