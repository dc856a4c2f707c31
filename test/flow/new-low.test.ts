/**
 * A loss whose last epoch is the lowest of the run did not rise, whatever its last window's mean
 * says. A new user's run (fixture below, 2026-12-02): a [784,64,64,10] relu/he network trained by
 * Adam for 5 epochs, then `gradscope study --model` of it (SGD 0.1, 10 epochs, validated on the 1,000
 * test digits). Its training subset's loss went 0.0142, 0.0493, 0.00875 over epochs 8–10: the last
 * window's mean (epochs 9–10, 0.0290) lay 104 % above its lowest epoch, and the summary read "LOSS
 * RISING … rose" while epoch 10's loss was the lowest of the run. Windows of 2 epochs read no noise
 * (fewer than NOISE_WINDOW_MIN), so one epoch that jumped and came back decided it.
 */
import { describe, expect, it } from 'vitest';
import { lossFixture, lossTrace as traceOf, type LossFixture as Fixture } from '../util/loss-fixture.js';
import { diagnose } from '../../src/flow/diagnose.js';
import { chainEnds } from '../../src/flow/diagnosis/gap-measures.js';
import { progressSentence } from '../../src/flow/diagnosis/progress-sentences.js';
import { meanRose, windowsRose } from '../../src/flow/training-progress.js';
import type { TraceEpoch } from '../../src/flow/trace.js';
import { quoteOn, quotePattern } from '../util/page-quotes.js';

const fixture = (): Fixture => lossFixture('study-model-new-low');

/** The fixture with each epoch changed by `change` (its index). */
const withEpochs = (f: Fixture, change: (e: TraceEpoch, i: number) => TraceEpoch): Fixture => ({ ...f, epochs: f.epochs!.map(change) });

/** The fixture validated on its training rows: each epoch's training subset's loss and accuracy as the validation's, the training loss read ('all rows at the end'). */
const onTrainingRows = (f: Fixture): Fixture => ({
  ...withEpochs(f, ({ training, ...e }) => ({ ...e, validation: { loss: training!.loss, accuracy: training!.accuracy } })),
  run: { ...f.run, validation: 'training rows' },
});

/** The training subset's loss of epoch `at` (0-based) set to `loss`. */
const withTrainingLoss = (f: Fixture, at: number, loss: number) => withEpochs(f, (e, i) => (i === at ? { ...e, training: { ...e.training!, loss } } : e));

describe('a last epoch at the lowest loss of the run is no rise', () => {
  it("the new user's run: its last epoch a new low, its held-out loss above its lowest, its training loss jumped with it: neither overfitting nor LOSS RISING, and the summary says why", () => {
    // Epochs 5–10 of the training subset: 0.214, 0.222, 0.0142, 0.0493, 0.00875 after 0.0387; the held-out loss jumped in the same epochs (0.363, 0.388, 0.182, 0.261, 0.194).
    // Overfitting asks the training loss to have held; its windows say it rose (104 % above its lowest), its last epoch that it did not: windows of 2 epochs read no noise to settle it.
    const d = diagnose(traceOf(fixture()));
    const p = d.evidence.training!;
    expect([p.epochLoss, p.window, p.lossNoise]).toEqual(['training subset at the end', 2, { rise: 0, fall: 0 }]);
    expect(p.lossEnd).toBeGreaterThan(2 * p.lowest!.loss);
    expect(p.newLow).toEqual({ epoch: 9, loss: fixture().epochs![9].training!.loss });
    expect([d.verdict, p.state, p.heldOutRose]).toEqual(['healthy', 'unclear', true]);
    // Each clause true of the numbers it prints, and says which loss it reads: the windows' means fell (0.118 → 0.0290), the last mean lies above
    // the lowest epoch before its window (0.0142, epoch 8), the last epoch (8.75e-3) is the lowest epoch of all. It said 'went 0.118 → 0.0290 …,
    // 104 % above its lowest, … its last epoch's … is the lowest of the run' (two lowests) and 'the training loss's windows say it rose'.
    expect(d.summary).toContain(
      "The epochs cannot tell whether the network overfits: the held-out rows' loss rose, mean 0.2273 over the last 2 of 10 epochs, 36 % above the lowest epoch's loss, 0.1675 after 1 epoch, " +
        "while the loss on the same 1,000 training rows after each epoch (measured with the network's weights at that epoch's end, as the held-out rows' loss is) fell 0.1181 → 0.02902 between its means over the last two windows of 2 epochs; " +
        "that last mean lies 104 % above the lowest epoch's loss before that window, 0.01419 after 8 epochs, but its last epoch's loss, 0.008749 after 10 epochs, is the lowest of any epoch in the run (the last window's mean carries an epoch before its last that lay higher), with 99 % of those training rows classified right. " +
        "Overfitting holds the training loss while the held-out loss rises, an unstable end raises both: the training loss's last window's mean, above the lowest epoch's loss before that window, says it rose with the held-out loss, its last epoch that it did not; " +
        'windows of 2 epochs are too short to read how far the losses vary from epoch to epoch (that takes 5 epochs a window: runs of 25 epochs or more), so neither overfitting nor an unstable end is read; more epochs would tell.',
    );
    expect(d.summary).toMatch(quotePattern(quoteOn('docs/gradient-flow.md', 'The epochs cannot tell whether the network overfits')));
    // The numbers the words stand for: the windows' means fell, the last mean lies above the lowest epoch before it, the last epoch is below every epoch.
    const training = fixture().epochs!.map((e) => e.training!.loss);
    expect(p.lossEnd).toBeLessThan(p.lossBefore);
    expect([p.lowest!.from, p.lowest!.epoch, p.lossEnd > p.lowest!.loss]).toEqual([undefined, 7, true]);
    expect(Math.min(...training)).toBe(training[9]);
    expect(d.summary).not.toMatch(/Overfitting:|rising|overshoot|hide a change/);
    // No epoch to stop at: that is overfitting's and an unstable end's remedy, and neither is read.
    expect(d.remedies.map((r) => r.option)).not.toContain('epochs: 1');
  });

  it("windows whose means fell beside a steady pace up: the rise said is the pace's, with what it reads, not the windows'", () => {
    // windowsRose reads a rise from the pace alone where the last window's mean lies at or below every epoch before it. The run's pace set so
    // (steady, up 49 % over 8 epochs more): no trace of single-epoch losses was found to reach it (a search over windows of 5–20 epochs whose
    // last mean lies at or below every epoch before, the last epoch the lowest, kept the pace's t at least 1.6 below its 95 % line).
    const trace = traceOf(fixture());
    const d = diagnose(trace);
    const read = d.evidence.training!;
    const p = { ...read, lossEnd: read.lowest!.loss, pace: { points: 4, horizon: 8, logSlope: 0.05, projected: Math.expm1(0.4), steady: true } };
    expect([windowsRose(p), p.lossEnd < p.lossBefore, p.lossEnd <= p.lowest!.loss]).toEqual([true, true, true]);
    const said = progressSentence(p, d.verdict, { ...d.evidence, training: p }, chainEnds(trace, d.evidence), trace);
    expect(said).toContain('fell 0.1181 → 0.01419 between its means over the last two windows of 2 epochs;');
    expect(said).toContain(
      "an unstable end raises both: the training loss's pace over its last 4 epochs (a least-squares line through the losses' logarithms, its slope clear of 0 at 95 %), at which it would rise 49 % over 8 epochs more, says it rose with the held-out loss, its last epoch that it did not;",
    );
    expect(said).not.toContain("windows says");
  });

  it("a last window's mean above the lowest by less than a rise, beside a steady pace up: the rise said is the pace's, not the mean's", () => {
    // The mean 1 % above the lowest epoch before it (under STILL_FALLING, 5 %: no rise by itself), so windowsRose read the rise from the pace
    // alone; the sentence said "the training loss's last window's mean, above the lowest epoch's loss before that window, …, says it rose".
    const trace = traceOf(fixture());
    const d = diagnose(trace);
    const read = d.evidence.training!;
    const p = { ...read, lossEnd: read.lowest!.loss * 1.01, pace: { points: 4, horizon: 8, logSlope: 0.05, projected: Math.expm1(0.4), steady: true } };
    expect([windowsRose(p), meanRose(p), p.lossEnd > p.lowest!.loss]).toEqual([true, false, true]);
    const said = progressSentence(p, d.verdict, { ...d.evidence, training: p }, chainEnds(trace, d.evidence), trace);
    expect(said).toContain('; that last mean lies 1 % above the lowest epoch');
    expect(said).toContain("an unstable end raises both: the training loss's pace over its last 4 epochs (a least-squares line through the losses' logarithms, its slope clear of 0 at 95 %), at which it would rise 49 % over 8 epochs more, says it rose with the held-out loss");
    expect(said).not.toContain("last window's mean, above");
  });

  it("the new user's run with its held-out loss lowest before the first epoch: the summary says so, and no more epochs are offered", () => {
    // Overfitting or an unstable end: either keeps the weights the run started from where no epoch lowered the held-out loss (0.167 after 1 epoch).
    const d = diagnose(traceOf(fixture()), { heldOutAtStart: 0.16 });
    expect([d.verdict, d.evidence.training!.state]).toEqual(['healthy', 'unclear']);
    expect(d.summary).toContain(
      "so neither overfitting nor an unstable end is read. The held-out rows' loss was lower still before the first epoch (0.1600, at the weights the run started from): no epoch of this run lowered it, so no epoch to stop at is offered; the weights it started from are the ones to keep.",
    );
    expect(d.summary).not.toContain('more epochs would tell');
    expect(d.remedies.flatMap((r) => r.settings.map((s) => s.option))).not.toContain('epochs');
    // Above the lowest epoch's held-out loss: more epochs would tell, and are offered, as before.
    const above = diagnose(traceOf(fixture()), { heldOutAtStart: 0.2 });
    expect(above.summary).toContain('so neither overfitting nor an unstable end is read; more epochs would tell.');
    expect(above.remedies.flatMap((r) => r.settings.map((s) => s.option))).toContain('epochs');
  });

  it('the same held-out rise beside a training loss that fell in every epoch: overfitting, as before', () => {
    // Epochs 5–9's jumps taken out of the training subset (each below the one before): the windows fell, nothing to disagree on.
    const f = withEpochs(fixture(), (e, i) => (i >= 4 ? { ...e, training: { ...e.training!, loss: 0.0387 * 0.8 ** (i - 3) } } : e));
    const d = diagnose(traceOf(f));
    const p = d.evidence.training!;
    expect([d.verdict, p.state, p.heldOutRose]).toEqual(['overfitting', 'overfitting', true]);
    expect(d.remedies.map((r) => r.option)).toEqual(['epochs: 1']);
  });

  it('validated on its training rows (no held-out loss): still learning, its windows\' means fell', () => {
    const d = diagnose(traceOf(onTrainingRows(fixture())));
    const p = d.evidence.training!;
    expect([p.epochLoss, p.newLow?.epoch]).toEqual(['all rows at the end', 9]);
    expect([d.verdict, p.state]).toEqual(['healthy', 'learning']);
    expect(d.summary).toContain('Still learning: the loss on every training row at each epoch\'s end (the run measured its training rows after each epoch, as its validation) is still falling, mean 0.02902 over the last 2 of 10 epochs, 1/4.07 of the 2 epochs before (0.1181)');
  });

  it("windows whose means rose beside a last epoch at the run's lowest: unclear, saying both and that the noise is unread, no 'hide a change of 0 %'", () => {
    // Epoch 7's spike (0.222) lowered to 0.02: the window before (epochs 7–8) now lies below the last (0.0171 → 0.0290).
    const d = diagnose(traceOf(onTrainingRows(withTrainingLoss(fixture(), 6, 0.02))));
    const p = d.evidence.training!;
    expect(p.lossEnd).toBeGreaterThan(p.lossBefore);
    expect([d.verdict, p.state, p.newLow?.epoch]).toEqual(['healthy', 'unclear', 9]);
    expect(d.summary).toContain(
      "Whether training still makes progress the epochs cannot tell: the loss on every training row at each epoch's end (the run measured its training rows after each epoch, as its validation) went 0.01710 → 0.02902 (means over the last two windows of 2 epochs), 104 % above its lowest, 0.01419 after 8 epochs, but its last epoch's, 0.008749 after 10 epochs, is the lowest of the run, so it did not rise (the last window's mean carries an epoch before its last that lay higher), with 99 % of the training rows classified right; windows of 2 epochs are too short to read how far the loss varies from epoch to epoch (that takes 5 epochs a window: runs of 25 epochs or more), so neither a rise nor a standstill is read; more epochs would tell.",
    );
    expect(d.summary).not.toMatch(/hide a change|rising|overshoot/);
    expect(d.summary).toMatch(quotePattern(quoteOn('docs/gradient-flow.md', '… is the lowest of the run')));
    expect(d.remedies.flatMap((r) => r.settings.map((s) => s.option))).not.toContain('learningRate');
  });

  it('the same windows with the last epoch no lower than epoch 8: rising, as before', () => {
    const f = onTrainingRows(withTrainingLoss(withTrainingLoss(fixture(), 6, 0.02), 9, 0.0143));
    const d = diagnose(traceOf(f));
    expect([d.verdict, d.evidence.training!.state, d.evidence.training!.newLow]).toEqual(['loss-rising', 'rising', undefined]);
  });

  it("a held-out loss whose last epoch is its lowest did not rise: no overfitting, and no rise said", () => {
    const f = withEpochs(fixture(), (e, i) => (i === 9 ? { ...e, validation: { ...e.validation!, loss: 0.15 } } : e));
    const d = diagnose(traceOf(f));
    const p = d.evidence.training!;
    expect(p.heldOut!.newLow).toEqual({ epoch: 9, loss: 0.15 });
    expect([p.heldOutRose, p.state]).toEqual([false, 'learning']);
    expect(d.verdict).toBe('healthy');
    expect(d.summary).not.toMatch(/held out from training|rose/);
  });
});
