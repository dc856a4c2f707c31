/**
 * Overfitting is read only where the training loss at the same weights as the held-out loss
 * (TraceEpoch.training: a fixed subset of the training rows evaluated at each epoch's end) held or
 * fell while the held-out loss rose. The case behind it: a 10×64 relu run (sgd 0.1) called
 * OVERFITTING, remedy early stopping, when at its last weights the training rows' loss had risen
 * with the test rows': the held-out loss was compared with batch means over weights that moved.
 * Real runs on the digits (loadMnist's), fixed seeds.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadMnist } from '../../src/data/mnist.js';
import { diagnose } from '../../src/flow/diagnose.js';
import { Trace, type TraceJSON } from '../../src/flow/trace.js';
import { STILL_FALLING } from '../../src/flow/training-progress.js';
import { firstRows } from '../../src/studies/depth.js';
import { TRAINING_CHECK_MAX_ROWS, trainingCheckRows } from '../../src/training/training-check-rows.js';
import { expectError } from '../util/expect-error.js';
import { OVERFITTING_NETWORK, overfittingTraining, tracedRun, type Rows } from '../util/traced-run.js';

let digits: { thousand: Rows; hundred: Rows; test: Rows; fiveHundredTest: Rows };

beforeAll(async () => {
  const { train, test } = await loadMnist();
  digits = {
    thousand: firstRows(train.x, train.y, 1000),
    hundred: firstRows(train.x, train.y, 100),
    test: firstRows(test.x, test.y, test.x.rows),
    fiveHundredTest: firstRows(test.x, test.y, 500),
  };
});

const traced = async (...run: Parameters<typeof tracedRun>): Promise<Trace> => (await tracedRun(...run)).trace;

/** The trace as a gradscope that did not record the training rows' loss at each epoch's end would have saved it. */
function withoutTrainingLoss(trace: Trace): Trace {
  const json: TraceJSON = JSON.parse(JSON.stringify(trace.toJSON()));
  for (const e of json.epochs!) delete e.training;
  return Trace.fromJSON(json);
}

describe('the training rows evaluated beside held-out rows', () => {
  it('are as many as the validation rows, at most TRAINING_CHECK_MAX_ROWS and the training rows, evenly spaced', () => {
    expect(Array.from(trainingCheckRows(10, 4))).toEqual([0, 2, 5, 7]);
    expect(trainingCheckRows(3, 500).length).toBe(3);
    const capped = trainingCheckRows(60_000, 10_000);
    expect(capped.length).toBe(TRAINING_CHECK_MAX_ROWS);
    expect(capped[capped.length - 1]).toBeGreaterThan(59_000);
  });

  // Exported (the visualizer measures its single steps' epochs on the same rows): a count it cannot index is refused, where
  // 1e10 wrapped in the Uint32 indexes and −5 or NaN gave no rows (review43).
  it.each([
    ['a count past 2³² rows', 1e10, 3, 'trainingRows is 10000000000'],
    ['a negative count', -5, 10, 'trainingRows is -5'],
    ['NaN', 10, NaN, 'validationRows is NaN'],
    ['no rows', 10, 0, 'validationRows is 0'],
    ['a fraction', 10.5, 3, 'trainingRows is 10.5'],
  ])('refuses %s, saying which count and what it takes', async (_, training, validation, said) => {
    const [count, value] = said.split(' is ');
    await expectError(() => trainingCheckRows(training, validation), 'INVALID_OPTION', new RegExp(`^trainingCheckRows: ${count}: expected a count of rows, a whole number from 1 to 4294967296, got ${value.replace('.', '\\.')}$`));
  });

  it('a saved epoch\'s training subset goes through toJSON and fromJSON; a malformed one is refused with where it is', () => {
    const trace = new Trace({ sizes: [2, 3, 1], activations: ['relu', 'sigmoid'], loss: 'cross-entropy', every: 1 });
    trace.beginRecord(1, 0.5, 0.5);
    trace.addEpoch({ epoch: 0, step: 1, loss: 0.7, validation: { loss: 0.8, accuracy: 0.5 }, training: { loss: 0.6, accuracy: 0.75, rows: 4 } });
    const json = JSON.parse(JSON.stringify(trace.toJSON())) as TraceJSON;
    expect(Trace.fromJSON(json).epochs[0].training).toEqual({ loss: 0.6, accuracy: 0.75, rows: 4 });
    json.epochs![0].training!.rows = 0;
    expectError(() => Trace.fromJSON(json), 'INVALID_OPTION', /epochs\[0\]\.training\.rows must be a whole number from 1 to .*got 0/);
  });
});

describe('overfitting against the training loss at the same weights', () => {
  it('100 digits fitted by a big net over 30 epochs while the loss on the test digits rose: OVERFITTING, its training subset (all 100 rows) did not rise', async () => {
    const trace = await traced(OVERFITTING_NETWORK, digits.hundred, overfittingTraining(digits.test));
    expect(trace.epochs.every((e) => e.training?.rows === 100)).toBe(true);
    const d = diagnose(trace);
    const p = d.evidence.training!;
    expect([d.verdict, p.state, p.epochLoss, p.heldOutRose]).toEqual(['overfitting', 'overfitting', 'training subset at the end', true]);
    expect(p.lossEnd).toBeLessThan(p.lowest!.loss * (1 + STILL_FALLING));
    expect(d.summary).toMatch(/^Overfitting: .* while the loss on the same 100 training rows after each epoch \(measured with the network's weights at that epoch's end, as the held-out rows' loss is\) went /);

    // The same run saved before the training subset was recorded: no overfitting claimed from batch means over moving weights.
    const old = diagnose(withoutTrainingLoss(trace));
    expect(old.evidence.training!.epochLoss).toBe('batch mean');
    expect(old.verdict).not.toBe('overfitting');
    expect(old.evidence.training!.state).not.toBe('overfitting');
    expect(old.summary).toMatch(/The held-out rows' loss rose, .* above its lowest, .*; the trace holds no training loss at the same weights .* so whether that is overfitting \(the training loss held\) or an unstable end \(both rose\) it cannot tell/);
    expect(old.remedies.map((r) => r.option)).not.toContain('epochs: ' + (p.heldOut!.lowest.epoch + 1));
  }, 120_000);

  it('a relu run whose steps overshoot (rate 0.5): training and held-out loss both rose at the same weights, so not overfitting, with a smaller rate', async () => {
    const trace = await traced({ sizes: [784, 30, 30, 10], activation: 'relu' }, digits.thousand, {
      epochs: 10,
      batchSize: 16,
      learningRate: 0.5,
      trace: { every: 2 },
      validation: { x: digits.fiveHundredTest.x, y: digits.fiveHundredTest.y },
    });
    expect(trace.epochs.every((e) => e.training?.rows === 500)).toBe(true);
    const d = diagnose(trace);
    const p = d.evidence.training!;
    expect([p.state, p.epochLoss, p.heldOutRose]).toEqual(['rising', 'training subset at the end', true]);
    expect(d.verdict).not.toBe('overfitting');
    // Both rose in the last of its 10 epochs alone (training subset 0.2484 after 9 → 0.6000 mean over the last 2, 2026-12-07): in a
    // run too short to read the epochs' noise that is too brief for an unstable end (early stopping's patience of 3 epochs), which
    // it read before (tidy50); the rise of both is said, and no epoch to stop at offered.
    expect(p.unstableRiseEpochs).toBeLessThan(3);
    expect(d.summary).toMatch(/The held-out rows' loss rose with it at the same weights, .* too few epochs to tell an unstable end from noise/);
    expect(d.remedies.filter((r) => r.why.includes('stopping there'))).toEqual([]);
    // The old comparison's inputs: the batch means fell while the held-out loss rose, which read as overfitting.
    const old = diagnose(withoutTrainingLoss(trace)).evidence.training!;
    expect([old.epochLoss, old.heldOutRose, old.state]).toEqual(['batch mean', true, 'learning']);
    expect(old.lossEnd).toBeLessThan(old.lossBefore);
    expect(d.remedies.map((r) => r.option)).toContain('learningRate: below 0.5');
  }, 120_000);
});
