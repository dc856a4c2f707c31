/**
 * diagnose() judges where a run stands by the losses the training loop measured each epoch
 * (Trace.epochs), and by the batch losses of its records only where it holds fewer than two epochs.
 * The case behind it (issue 16a): `gradscope study --model` validates on the training rows, and a run
 * whose loss on every row rose at the end was called healthy, "still learning", from its falling
 * batch losses. Real runs on the digits (loadMnist's), fixed seeds.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadMnist } from '../../src/data/mnist.js';
import { diagnose } from '../../src/flow/diagnose.js';
import { Trace, type TraceJSON } from '../../src/flow/trace.js';
import { STILL_FALLING } from '../../src/flow/training-progress.js';
import { firstRows } from '../../src/studies/depth.js';
import { expectError } from '../util/expect-error.js';
import { OVERFITTING_NETWORK, overfittingTraining, tracedRun, type Rows } from '../util/traced-run.js';
import { quoteOn, quotePattern } from '../util/page-quotes.js';
import { asWritten, quotedOn } from '../util/page-numbers.js';

let digits: { thousand: Rows; hundred: Rows; test: Rows };

beforeAll(async () => {
  const { train, test } = await loadMnist();
  digits = { thousand: firstRows(train.x, train.y, 1000), hundred: firstRows(train.x, train.y, 100), test: firstRows(test.x, test.y, test.x.rows) };
});


/** The trace as a gradscope that recorded no epochs would have saved it. */
function withoutEpochs(trace: Trace): Trace {
  const json: TraceJSON = JSON.parse(JSON.stringify(trace.toJSON()));
  delete json.epochs;
  return Trace.fromJSON(json);
}

// Small-batch SGD at a high rate on 1,000 digits, validated on the training rows themselves (as `gradscope study --model` does).
const leaky = { sizes: [784, 30, 10], activation: 'leaky-relu' } as const;
const highRate = { epochs: 8, batchSize: 32, learningRate: 0.5, trace: { every: 2 } } as const;

describe("where a run stands is read from its epochs' losses", () => {
  it("the researcher's case: the loss on every training row rose at the end while the batches' fell; not healthy, and says so", async () => {
    const { trace, result } = await tracedRun(leaky, digits.thousand, { ...highRate, validation: { x: digits.thousand.x, y: digits.thousand.y } });
    expect(trace.run.validation).toBe('training rows');
    expect(trace.epochs.map((e) => e.validation!.loss)).toEqual(result.epochs.map((e) => e.validation!.loss));
    const allRows = result.epochs.map((e) => e.validation!.loss);
    const lowest = Math.min(...allRows.slice(0, -1));
    // The run as measured: its last epoch ended above the lowest loss of the epochs before, by more than STILL_FALLING …
    expect(allRows[allRows.length - 1]).toBeGreaterThan((1 + STILL_FALLING) * lowest);

    // … which the batches alone missed: without the epochs diagnose reads them, and calls the run healthy and still learning (what it said before).
    const fromBatches = diagnose(withoutEpochs(trace));
    expect([fromBatches.verdict, fromBatches.evidence.training?.state, fromBatches.evidence.training?.read]).toEqual(['healthy', 'learning', 'batches']);
    expect(fromBatches.summary).toContain('(read from the batches: the trace holds fewer than two epochs)');
    expect(fromBatches.summary).toContain(quoteOn('docs/gradient-flow.md', 'Still learning'));

    const d = diagnose(trace);
    const p = d.evidence.training!;
    expect([d.verdict, p.state, p.read, p.epochLoss]).toEqual(['loss-rising', 'rising', 'epochs', 'all rows at the end']);
    expect(p.lossEnd).toBe(allRows[allRows.length - 1]);
    expect(p.lowest).toEqual({ epoch: allRows.indexOf(lowest), loss: lowest });
    expect(d.summary).toMatch(
      /^Loss rising: the loss on every training row at each epoch's end \(the run measured its training rows after each epoch, as its validation\) rose: 0\.0\d+ at the last of 8 epochs, \d+ % above its lowest, 0\.0\d+ after 7 epochs, with \d+ % of the training rows classified right\. .*overshooting/,
    );
    expect(d.summary).not.toMatch(/Healthy|Still learning/);
    expect(d.summary).toMatch(quotePattern(quoteOn('docs/gradient-flow.md', 'Loss rising: the loss on every training row')));
    // The page's figures of this run, at its digits (auditor55 #16: held only as shapes before).
    const [seventh, eighth, above] = quotedOn(
      'docs/gradient-flow.md',
      /its loss on every row went (0\.\d+) after 7 epochs → (0\.\d+) after 8 .*?at the last of 8 epochs, (\d+ %) above its lowest,/,
    );
    expect([asWritten(seventh, allRows[6]), asWritten(eighth, allRows[7])]).toEqual([seventh, eighth]);
    expect(d.summary).toContain(`at the last of 8 epochs, ${above} above its lowest`);
    expect(d.summary).toContain(quoteOn('docs/gradient-flow.md', 'overshooting'));
    expect(d.remedies[0].option).toBe('learningRate: below 0.5');
    expect(d.remedies[0].why).toMatch(/^the training loss rose \d+ % above its lowest \(0\.0\d+ after 7 epochs\)/);
  }, 60_000);

  it("without validation the epochs' training loss is the mean of their batches' losses, and this run's fell: still learning, by its epochs", async () => {
    const { trace, result } = await tracedRun(leaky, digits.thousand, highRate);
    expect(trace.run.validation).toBeUndefined();
    expect(trace.epochs.map((e) => e.loss)).toEqual(result.epochs.map((e) => e.loss));
    const d = diagnose(trace);
    const p = d.evidence.training!;
    expect([p.state, p.read, p.epochLoss]).toEqual(['learning', 'epochs', 'batch mean']);
    expect(d.summary).toMatch(/Still learning: the training loss per epoch \(the mean of its batches' losses, each before its update\) is still falling, [\d.]+ at the last of 8 epochs, \d+ % below the epoch before/);
  }, 60_000);

  it('overfitting: 100 digits fitted while the loss on 1,000 held-out digits rose from its lowest; the remedy is the epochs it was lowest after', async () => {
    const { trace, result } = await tracedRun(OVERFITTING_NETWORK, digits.hundred, overfittingTraining(digits.test));
    expect(trace.run.validation).toBe('other rows');
    const held = result.epochs.map((e) => e.validation!.loss);
    const best = held.indexOf(Math.min(...held));
    const d = diagnose(trace);
    const p = d.evidence.training!;
    expect([d.verdict, p.state]).toEqual(['overfitting', 'overfitting']);
    expect(p.heldOut!.lowest).toEqual({ epoch: best, loss: held[best] });
    expect(p.lossEnd).toBeLessThan(p.lossBefore * (1 + STILL_FALLING));
    expect(d.summary).toMatch(/^Overfitting: the held-out rows' loss rose while the training loss did not: /);
    expect(d.remedies[0].settings).toEqual([{ option: 'epochs', value: `${best + 1}`, flagValue: `${best + 1}`, setting: best + 1 }]);
  }, 60_000);

  it("a verdict of the gradient flow keeps its name and its remedies, and its progress sentence reads the epochs: the loss on every row rose 3× in the last epoch", async () => {
    const { trace, result } = await tracedRun({ sizes: [784, 30, 30, 10], activation: 'relu' }, digits.thousand, {
      epochs: 10,
      batchSize: 16,
      learningRate: 0.5,
      trace: { every: 2 },
      validation: { x: digits.thousand.x, y: digits.thousand.y },
    });
    const allRows = result.epochs.map((e) => e.validation!.loss);
    expect(allRows[9]).toBeGreaterThan(3 * allRows[8]);
    const d = diagnose(trace);
    expect([d.verdict, d.evidence.training!.state, d.evidence.training!.read]).toEqual(['dead', 'rising', 'epochs']);
    expect(d.summary).toMatch(/The loss on every training row at each epoch's end .* rose: mean [\d.]+ over the last 2 of 10 epochs, .*, whatever the gradient flow above\.$/);
    // Its remedies are the dead units' (a lower rate among them: the units died during training).
    expect(d.remedies.map((r) => r.option)).toContain('learningRate: below 0.5');
  }, 60_000);
});

describe('the epochs in the trace', () => {
  const info = { sizes: [2, 3, 1], activations: ['relu', 'sigmoid'] as const, loss: 'cross-entropy' as const, every: 1 };

  it('go through toJSON and fromJSON, are absent from an older trace (read as none), and go with the steps a rewind drops', () => {
    const trace = new Trace({ ...info, activations: [...info.activations] });
    for (let step = 1; step <= 4; step++) trace.beginRecord(step, 1 / step, 0.5);
    trace.addEpoch({ epoch: 0, step: 2, loss: 0.7, validation: { loss: 0.8, accuracy: 0.5 } });
    trace.addEpoch({ epoch: 1, step: 4, loss: NaN });
    const back = Trace.fromJSON(JSON.parse(JSON.stringify(trace.toJSON())));
    expect(back.epochs).toEqual([
      { epoch: 0, step: 2, loss: 0.7, validation: { loss: 0.8, accuracy: 0.5 } },
      { epoch: 1, step: 4, loss: NaN },
    ]);
    const older = trace.toJSON();
    delete older.epochs;
    expect(Trace.fromJSON(older).epochs).toEqual([]);
    trace.dropRecordsAfter(3);
    expect(trace.epochs.map((e) => e.epoch)).toEqual([0]);
  });

  it('kept in part (keepEpochs), are counted by their numbers; a window with none kept is read from the batches, saying why', () => {
    const trace = new Trace({ ...info, activations: [...info.activations] });
    for (let step = 1; step <= 20; step++) trace.beginRecord(step, 1 - step / 40, 0.5);
    for (let epoch = 0; epoch < 10; epoch++) trace.addEpoch({ epoch, step: 2 * (epoch + 1), loss: 1 - epoch / 20 });
    // Every other epoch and the last: 10 epochs, windows of 2 (epochs 6–7 and 8–9), their kept ones 6 and 8, 9.
    trace.keepEpochs((e) => e.epoch % 2 === 0 || e.epoch === 9);
    expect(trace.epochs.map((e) => e.epoch)).toEqual([0, 2, 4, 6, 8, 9]);
    const p = diagnose(trace).evidence.training!;
    expect([p.read, p.epochs, p.window, p.epochsKept]).toEqual(['epochs', 10, 2, 6]);
    expect(p.lossBefore).toBeCloseTo(1 - 6 / 20, 12);
    expect(p.lossEnd).toBeCloseTo((1 - 8 / 20 + 1 - 9 / 20) / 2, 12);
    expect(diagnose(trace).summary).toContain("the trace kept 6 of the run's 10 epochs, evenly spread, and the means and the lowest are of those kept");
    // Only the first and the last: nothing kept in the window before the last.
    trace.keepEpochs((e) => e.epoch === 0 || e.epoch === 9);
    const sparse = diagnose(trace);
    expect([sparse.evidence.training!.read, sparse.evidence.training!.epochsUnread]).toEqual(['batches', 'too sparse']);
    expect(sparse.summary).toContain('(read from the batches: the trace kept no epoch in the window before the last)');
    expect(sparse.summary).toContain(quoteOn('docs/gradient-flow.md', 'the trace kept no epoch'));
  });

  it('keepEpochs refuses what is not a function (INVALID_OPTION), and a keep that throws midway drops none', async () => {
    const trace = new Trace({ ...info, activations: [...info.activations] });
    for (let epoch = 0; epoch < 4; epoch++) trace.addEpoch({ epoch, step: epoch + 1, loss: 1 });
    const before = trace.epochs.map((e) => ({ ...e }));
    // It was a TypeError, 'keep is not a function'.
    await expectError(() => trace.keepEpochs(undefined as never), 'INVALID_OPTION', /^keepEpochs\(keep\): expected a function of an epoch, got undefined$/);
    // It had moved epoch 1 into epoch 0's place before the throw at epoch 2: [1, 1, 2, 3].
    expect(() =>
      trace.keepEpochs((e) => {
        if (e.epoch === 2) throw new Error('a caller\'s fault');
        return e.epoch === 1;
      }),
    ).toThrow("a caller's fault");
    expect(trace.epochs).toEqual(before);
  });

  it('a saved trace with malformed epochs is refused, saying which', async () => {
    const json = (epochs: unknown) => ({ ...new Trace({ ...info, activations: [...info.activations] }).toJSON(), epochs }) as unknown;
    await expectError(() => Trace.fromJSON(json({ 0: 1 })), 'INVALID_OPTION', /trace JSON: epochs must be an array/);
    await expectError(() => Trace.fromJSON(json([{ epoch: 0, step: 1.5, loss: 1 }])), 'INVALID_OPTION', /epochs\[0\]\.step must be a whole number from 0 to .*got 1\.5/);
    await expectError(() => Trace.fromJSON(json([{ epoch: 0, step: 1, loss: '1' }])), 'INVALID_OPTION', /epochs\[0\]\.loss must be a number/);
    await expectError(() => Trace.fromJSON(json([7])), 'INVALID_OPTION', /epochs\[0\] must be an object/);
  });
});
