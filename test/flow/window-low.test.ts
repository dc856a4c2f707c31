/**
 * A rising loss is said to rise above the lowest epoch of the run, not above a lowest that an epoch of
 * its own last window undercuts. A new user's run (fixture below, 2026-12-03): README's
 * `gradscope train --layers 784,64,64,10 --activation relu --init he-normal --optimizer adam --epochs 5`,
 * then `gradscope study --model` of its model with `--optimizer adam` (the command train prints). Its
 * training subset's loss went 0.0137, 0.0156, 0.00395, 0.0377 over epochs 7–10, and the summary read
 * "LOSS RISING … rose: mean 0.0208 over the last 2 of 10 epochs, 52 % above its lowest, 0.0137 after 7
 * epochs" and "became unstable from epoch 8" beside a table that printed 0.003953 at epoch 9; its
 * remedy repeated "above its lowest (0.0137 after 7 epochs)". The lowest before the last window decides
 * the rule (unchanged: still rising); the words name the run's lowest, epoch 9's (windowLow). Its training
 * loss rose in its last epoch alone: in a run of 10 epochs, too short to read their noise, that is no
 * unstable end (TrainingProgress.unstableRiseEpochs, early stopping's patience of 3 epochs), where it read
 * "unstable from epoch 10" before.
 */
import { describe, expect, it } from 'vitest';
import { lossFixture, lossTrace as traceOf, type LossFixture as Fixture } from '../util/loss-fixture.js';
import { diagnose } from '../../src/flow/diagnose.js';
import { quoteOn } from '../util/page-quotes.js';

/** The held-out rows' loss before the first epoch, as study --model measured it (0.1668: its table's epoch 0). */
const HELD_OUT_AT_START = 0.1668;

const fixture = (): Fixture => lossFixture('study-model-window-low');

describe('a rising loss whose last window holds the lowest epoch of the run', () => {
  it("the new user's run: still rising, said to rise above epoch 9's loss, the run's lowest, its last epoch's jump no unstable end; elsewhere as before", () => {
    const d = diagnose(traceOf(fixture()), { heldOutAtStart: HELD_OUT_AT_START });
    const p = d.evidence.training!;
    const training = fixture().epochs!.map((e) => e.training!.loss);
    // The rule reads what it read: the last window's mean (epochs 9–10) 52 % above the lowest epoch before it (epoch 7's).
    expect([d.verdict, p.state, p.window, p.lowest!.epoch, p.unstableRiseEpochs]).toEqual(['loss-rising', 'rising', 2, 6, 1]);
    // The words' lowest is the run's: epoch 9's, in the last window.
    expect(p.windowLow).toEqual({ epoch: 8, loss: training[8] });
    expect(Math.min(...training)).toBe(training[8]);
    expect(d.summary).toContain(
      "Loss rising: the loss on the same 1,000 training rows after each epoch (measured with the network's weights at that epoch's end, as the held-out rows' loss is) rose: mean 0.02084 over the last 2 of 10 epochs, 427 % above its lowest, 0.003953 after 9 epochs,",
    );
    expect(d.summary).toContain(
      "The held-out rows' loss rose with it at the same weights, mean 0.2194 over the last 2 of 10 epochs, 29 % above its lowest, 0.1701 after 1 epoch, but the two lay 5 % or more above their lowest together in their last epoch only,",
    );
    expect(d.summary).not.toContain('became unstable');
    expect(d.summary).not.toContain('0.0137');
    expect(d.summary).toContain(quoteOn('docs/gradient-flow.md', '427 % above its lowest'));
    const rate = d.remedies.find((r) => r.option.startsWith('learningRate'))!;
    expect(rate.why).toContain('the training loss rose 427 % above its lowest (0.003953 after 9 epochs): smaller steps overshoot less.');

    // No window low where the last window holds no epoch below the lowest before it, or where its last epoch is a new low.
    const f = fixture();
    // Epoch 9's loss raised to the lowest before the window's (0.0137): nothing in the window undercuts it, and the words name epoch 7's.
    const level = { ...f, epochs: f.epochs!.map((e, i) => (i === 8 ? { ...e, training: { ...e.training!, loss: f.epochs![6].training!.loss } } : e)) };
    const levelled = diagnose(traceOf(level), { heldOutAtStart: HELD_OUT_AT_START });
    expect(levelled.evidence.training!.windowLow).toBeUndefined();
    expect(levelled.summary).toContain('above its lowest, 0.01371 after 7 epochs');
    // The last epoch below every other is a new low (test/flow/new-low), never a window low.
    const last = { ...f, epochs: f.epochs!.map((e, i) => (i === 9 ? { ...e, training: { ...e.training!, loss: 0.002 } } : e)) };
    const lastLow = diagnose(traceOf(last), { heldOutAtStart: HELD_OUT_AT_START }).evidence.training!;
    expect([lastLow.newLow?.epoch, lastLow.windowLow]).toEqual([9, undefined]);
  });

  it("the held-out loss alike: its lowest and its start's are read from an epoch of its last window below the lowest before it", () => {
    // The run with epoch 9's validation loss at 0.160, below the lowest before the window (0.170 after 1 epoch) and the start's (0.1668):
    // the sentences said 'above its lowest, 0.170 after 1 epoch' and 'lower still before the first epoch … no epoch to stop at'.
    const f = fixture();
    const dipped = { ...f, epochs: f.epochs!.map((e, i) => (i === 8 ? { ...e, validation: { ...e.validation!, loss: 0.16 } } : e)) };
    const d = diagnose(traceOf(dipped), { heldOutAtStart: HELD_OUT_AT_START });
    const held = d.evidence.training!.heldOut!;
    expect([d.verdict, held.lowest.epoch, held.windowLow]).toEqual(['loss-rising', 0, { epoch: 8, loss: 0.16 }]);
    expect(d.summary).toContain("The held-out rows' loss rose with it at the same weights, mean 0.2011 over the last 2 of 10 epochs, 26 % above its lowest, 0.1600 after 9 epochs, but the two lay 5 % or more above their lowest together in their last epoch only,");
    expect(d.summary).toContain(quoteOn('docs/gradient-flow.md', '26 % above its lowest, 0.1600 after 9 epochs'));
    expect(d.summary).not.toContain('lower still before the first epoch');
    // Lowest in the epoch before the last, the held-out loss rose in the last alone: no epoch to stop at from a short run's one-epoch jump
    // (the stop it offered, epochs: 9, is read from such an epoch only where the rise is read: test/flow/diagnose-boundaries).
    expect(d.remedies.map((r) => r.option)).not.toContain('epochs: 9');
  });
});
