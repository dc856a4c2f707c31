/**
 * In a run too short to read the epochs' noise (windows of fewer than NOISE_WINDOW_MIN epochs), overfitting is read only from a
 * held-out rise held OVERFIT_PATIENCE epochs in a row, early stopping's patience (newuser48 #5). The case behind it: the batch-norm
 * and residual remedies of a [784, 6 × 64, 10] sigmoid net on the digits (SGD 0.1, 5 epochs, validated on the test digits) read
 * "Overfitting … Try epochs: 4" from one epoch's rise, the residual one's "fits its training rows better at the cost of the rows
 * it has not seen" beside a training loss above the held-out one. Their per-epoch losses on a real run's records (the fixture's
 * first 5 epochs); a real overfitting run of 10 epochs, whose held-out loss held its rise, still reads overfitting.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadMnist } from '../../src/data/mnist.js';
import { diagnose } from '../../src/flow/diagnose.js';
import { OVERFIT_PATIENCE, NOISE_WINDOW_MIN, RUN_FIFTHS } from '../../src/flow/training-progress.js';
import { firstRows } from '../../src/studies/depth.js';
import { lossFixture, lossTrace, type LossFixture } from '../util/loss-fixture.js';
import { quoteOn, quotePattern } from '../util/page-quotes.js';
import { OVERFITTING_NETWORK, overfittingTraining, tracedRun, type Rows } from '../util/traced-run.js';

/** The fixture's first 5 epochs (and their records), each epoch's training subset's and held-out loss as given. */
function fiveEpochs(training: number[], heldOut: number[]): LossFixture {
  const f = lossFixture('study-model-new-low');
  const epochs = f.epochs!.slice(0, 5).map((e, i) => ({ ...e, training: { ...e.training!, loss: training[i] }, validation: { ...e.validation!, loss: heldOut[i] } }));
  const records = f.steps.filter((s) => s <= epochs[4].step).length;
  return { ...f, epochs, steps: f.steps.slice(0, records), losses: f.losses.slice(0, records), accuracy: f.accuracy.slice(0, records) };
}

/** newuser48's s16, the residual remedy: held-out 0.3462 → 0.3681 in the last epoch, the training subset's loss above it and falling. */
const RESIDUAL = fiveEpochs([1.1463, 0.4986, 0.4176, 0.3927, 0.3751], [1.1702, 0.4743, 0.3813, 0.3462, 0.3681]);
/** …the batch-norm remedy: both jumped in epoch 3 and came back; held-out 0.2875 → 0.3430 in the last, the training subset's 0.2971 → 0.2999. */
const BATCH_NORM = fiveEpochs([0.7046, 0.4355, 0.4765, 0.2971, 0.2999], [0.695, 0.4341, 0.5178, 0.2875, 0.343]);

describe('overfitting in a short run asks a held-out rise held for early stopping\'s patience', () => {
  it("newuser48's residual run: one epoch's rise beside a training loss above the held-out one is unclear, not overfitting, and the words say how little it rests on", () => {
    const d = diagnose(lossTrace(RESIDUAL));
    const p = d.evidence.training!;
    expect([d.verdict, p.state, p.heldOutRose, p.heldOutRiseEpochs, p.window]).toEqual(['healthy', 'unclear', true, 1, 1]);
    expect(d.headline).toContain('whether the network overfits is unclear');
    expect(d.summary).toContain(
      "The epochs cannot tell whether the network overfits: the held-out rows' loss rose, 0.3681 at the last of 5 epochs, 6 % above its lowest, 0.3462 after 4 epochs, " +
        "while the loss on the same 1,000 training rows after each epoch (measured with the network's weights at that epoch's end, as the held-out rows' loss is) went 0.3927 → 0.3751",
    );
    expect(d.summary).toContain("; that loss lies above the held-out rows', so the network does not fit its training rows better than the rows it has not seen.");
    expect(d.summary).toContain(
      `The held-out loss lay 5 % or more above its lowest in its last epoch only, where a run too short to read how far the losses vary from epoch to epoch (that takes ${NOISE_WINDOW_MIN} epochs a window: runs of ${RUN_FIFTHS * NOISE_WINDOW_MIN} epochs or more) ` +
        `reads overfitting only from a rise held ${OVERFIT_PATIENCE} epochs in a row (early stopping's patience): too few epochs to tell overfitting from noise, so no epoch to stop at is offered; more epochs would tell.`,
    );
    expect(d.summary).toMatch(quotePattern(quoteOn('docs/gradient-flow.md', 'The held-out loss lay')));
    expect(d.summary).not.toMatch(/Overfitting|at the cost of/);
    // No epoch to stop at (overfitting's remedy); the run that would tell.
    expect(d.remedies.map((r) => r.option)).toEqual([`epochs: ${RUN_FIFTHS * NOISE_WINDOW_MIN}`]);
  });

  it("newuser48's batch-norm run: a held-out rise of 19 % in the last epoch, after both losses jumped and came back, is unclear too; its training loss lies below, so no word of it", () => {
    const d = diagnose(lossTrace(BATCH_NORM));
    const p = d.evidence.training!;
    expect([p.state, p.heldOutRiseEpochs]).toEqual(['unclear', 1]);
    expect(d.summary).toContain("the held-out rows' loss rose, 0.3430 at the last of 5 epochs, 19 % above its lowest, 0.2875 after 4 epochs");
    expect(d.summary).toContain('in its last epoch only');
    expect(d.summary).not.toMatch(/lies above the held-out|Overfitting:/);
  });

  it('a rise held 2 epochs is still short of the patience; held 3 it reads overfitting, and the training loss below the held-out one fits its rows at their cost', () => {
    const training = [0.9, 0.5, 0.4, 0.3, 0.25];
    const two = diagnose(lossTrace(fiveEpochs(training, [0.9, 0.5, 0.35, 0.38, 0.4])));
    expect([two.evidence.training!.state, two.evidence.training!.heldOutRiseEpochs]).toEqual(['unclear', 2]);
    expect(two.summary).toContain('in its last 2 epochs only');
    const three = diagnose(lossTrace(fiveEpochs(training, [0.9, 0.35, 0.38, 0.4, 0.42])));
    const p = three.evidence.training!;
    expect([three.verdict, p.state, p.heldOutRiseEpochs]).toEqual(['overfitting', 'overfitting', undefined]);
    expect(three.summary).toContain('The network fits its training rows better at the cost of the rows it has not seen.');
    expect(three.summary).toMatch(quotePattern(quoteOn('docs/gradient-flow.md', 'The network fits its training rows better')));
    expect(three.remedies.map((r) => r.option)).toEqual(['epochs: 2']);
    // The same rise held 3 epochs beside a training loss above it: overfitting (the gap between them widened), but not said to fit its rows better.
    const above = diagnose(lossTrace(fiveEpochs([0.9, 0.5, 0.48, 0.46, 0.45], [0.9, 0.35, 0.38, 0.4, 0.42])));
    expect(above.evidence.training!.state).toBe('overfitting');
    expect(above.summary).not.toContain('at the cost of');
  });
});

describe('a real overfitting run of 10 epochs', () => {
  let digits: { hundred: Rows; test: Rows };
  beforeAll(async () => {
    const { train, test } = await loadMnist();
    digits = { hundred: firstRows(train.x, train.y, 100), test: firstRows(test.x, test.y, 1000) };
  });

  it('100 digits fitted by a big net for 10 epochs (windows of 2: no noise read): its held-out loss held its rise past the patience, so overfitting', async () => {
    const { trace } = await tracedRun(OVERFITTING_NETWORK, digits.hundred, { ...overfittingTraining(digits.test), epochs: 10 });
    const d = diagnose(trace);
    const p = d.evidence.training!;
    expect([p.window, p.lossNoise]).toEqual([2, { rise: 0, fall: 0 }]);
    // Where the run stands (the verdict is the flow's: dead relu units, whose remedies it gives).
    expect([p.state, p.heldOutRiseEpochs]).toEqual(['overfitting', undefined]);
    expect(d.summary).toMatch(/The held-out rows' loss rose while the training loss did not: mean \S+ over the last 2 of 10 epochs, \d+ % above its lowest, \S+ after \d epochs?, /);
    const heldOut = trace.epochs.map((e) => e.validation!.loss);
    expect(heldOut.indexOf(Math.min(...heldOut))).toBeLessThanOrEqual(heldOut.length - 1 - OVERFIT_PATIENCE);
  }, 120_000);
});
