// The visualizer's run trace: the records of many train() calls in one trace for diagnose(),
// thinned evenly (every 2nd, 4th, … step from the first) once it reaches MAX_RECORDS, values copied
// unchanged; and the epochs of the run (thinned the same way past MAX_EPOCHS, the last always kept), whether a train() call passed over the training rows at
// once or single steps did over many calls (SteppedPass), as train() measures an epoch.
import { describe, expect, it } from 'vitest';
import { LAYER_METRIC_NAMES, RESIDUAL_METRIC_NAMES } from '../../src/flow/metrics.js';
import { diagnose } from '../../src/flow/diagnose.js';
import { TraceRecorder } from '../../src/flow/recorder.js';
import { createNetwork } from '../../src/api/network.js';
import { MAX_EPOCHS, MAX_RECORDS, RunTrace } from '../../demo/src/run-trace.js';
import { Rng } from '../../src/init/rng.js';
import { SteppedPass, type EpochEnd, type StepSettings } from '../../demo/src/stepped-pass.js';
import { Trace } from '../../src/flow/trace.js';
import type { Network } from '../../src/api/network.js';
import type { TrainOptions } from '../../src/training/train-options.js';
import { expectTraceInvariants } from '../util/trace-invariants.js';
import { quoteOn } from '../util/page-quotes.js';

describe('visualizer run trace', () => {
  it('diagnoses the probe until training, then keeps the whole run evenly thinned', async () => {
    const net = await createNetwork({ sizes: [2, 3, 3, 2], activation: 'sigmoid', backend: 'ref', seed: 3 });
    const x = { data: Float32Array.from([0, 0, 0, 1, 1, 0, 1, 1, 0.5, 0.2, 0.2, 0.5, 0.9, 0.1, 0.1, 0.9]), rows: 8, cols: 2 };
    const y = { data: Float32Array.from([1, 0, 0, 1, 0, 1, 1, 0, 1, 0, 1, 0, 0, 1, 0, 1]), rows: 8, cols: 2 };
    const gradients = net.gradients(x, y);
    const recorder = new TraceRecorder(net, { every: 1 });
    recorder.afterBackprop(x.rows, gradients.loss);
    recorder.close();
    const run = new RunTrace(recorder.trace);
    expect(run.trace).toBe(recorder.trace);

    // 11 calls of 200 steps (2 batches of 4 rows per epoch): thinned at 1024 records to every 2nd
    // step, at step 2047 to every 4th.
    for (let call = 0; call < 11; call++) {
      net.train(x, y, { epochs: 100, batchSize: 4, learningRate: 0.5, trace: { every: 1 } });
      expectTraceInvariants(net.trace!, `call ${call}`);
      run.append(net.trace!, net.trace!.epochs);
    }
    const { trace } = run;
    expect(trace.every).toBe(4);
    expect(trace.length).toBeLessThan(MAX_RECORDS);
    expect(Array.from(trace.steps)).toEqual(Array.from({ length: (2197 - 1) / 4 + 1 }, (_, r) => 1 + 4 * r));

    // The last call's kept steps hold exactly what that call recorded.
    const last = net.trace!;
    for (let r = 0; r < trace.length; r++) {
      const source = trace.steps[r] - last.steps[0];
      if (source < 0) continue;
      expect(trace.losses[r]).toBe(last.losses[source]);
      for (const name of LAYER_METRIC_NAMES) expect(trace.row(name, r)).toEqual(last.row(name, source));
    }
    expect(diagnose(trace).evidence.records).toBe(trace.length);
    expectTraceInvariants(trace, 'run trace');
    // The epochs of the 11 calls, numbered from the run's first, each as its call's trace had it: every
    // one up to MAX_EPOCHS, then every 2nd and the run's last (1,100 of them: 0, 2, …, 1098, 1099).
    const keptEpochs = [...Array.from({ length: 550 }, (_, k) => 2 * k), 1099];
    expect(trace.epochs.map((e) => e.epoch)).toEqual(keptEpochs);
    expect(trace.epochs.map((e) => e.step)).toEqual(keptEpochs.map((e) => 2 * (e + 1)));
    expect(trace.epochs.filter((e) => e.epoch >= 1000)).toEqual(last.epochs.filter((e) => e.epoch % 2 === 0 || e.epoch === 99).map((e) => ({ ...e, epoch: 1000 + e.epoch })));
    expect(diagnose(trace).evidence.training?.read).toBe('epochs');
    // The run description travels with the records (here: SGD at 0.5 in batches of 4, the default init and biases, one-hot targets, 4 rows of each class).
    expect(trace.run).toEqual({ optimizer: 'sgd', learningRate: 0.5, batchSize: 4, rows: 8, init: 'standard', biasInit: 'zero', targets: 'one-hot', classRows: [4, 4] });
    net.dispose();
  });

  it('keeps a million epochs in bounded memory: evenly thinned, the first and the last kept, read by the diagnosis as the whole run', async () => {
    const net = await createNetwork({ sizes: [2, 3, 2], activation: 'tanh', backend: 'ref', seed: 3 });
    const x = [[0, 0], [0, 1], [1, 0], [1, 1]];
    const y = [[1, 0], [0, 1], [0, 1], [1, 0]];
    net.train(x, y, { epochs: 2, batchSize: 2, learningRate: 0.1, trace: { every: 1 } });
    const records = net.trace!;
    net.dispose();
    // A loss still falling slowly, with noise: 1 + 1/(1 + e/1000) ± 1 %; an epoch of 10 steps.
    const rng = new Rng(5);
    const RUN = 1_000_000;
    const ended = (from: number, n: number): EpochEnd[] => Array.from({ length: n }, (_, i) => ({ step: 10 * (from + i + 1), loss: (1 + 1 / (1 + (from + i) / 1000)) * (1 + 0.01 * (rng.uniform() - 0.5)) }));
    const all = ended(0, RUN);
    // Whole passes (a call's epochs at once) and single steps (one epoch a call), as the page gives them.
    const run = new RunTrace(records);
    run.append(records, all.slice(0, 600_000));
    // Later calls bring no records (their steps are not what this test counts).
    const none = new Trace({ sizes: records.sizes, activations: records.activations, loss: records.loss, every: 1, run: records.run });
    for (let e = 600_000; e < RUN; e += 40_000) {
      run.append(none, all.slice(e, e + 39_999));
      run.append(none, all.slice(e + 39_999, e + 40_000));
      expect(run.trace.epochs.length).toBeLessThanOrEqual(MAX_EPOCHS);
    }
    const kept = run.trace.epochs;
    expect(kept.length).toBeLessThanOrEqual(MAX_EPOCHS);
    expect(kept.length).toBeGreaterThan(MAX_EPOCHS / 2);
    // docs/gradient-flow.md quotes this run's summary: 'the trace kept 978 of the run's 1,000,000 epochs'.
    expect(kept.length).toBe(978);
    expect(kept[0]).toEqual({ ...all[0], epoch: 0 });
    expect(kept.at(-1)).toEqual({ ...all[RUN - 1], epoch: RUN - 1 });
    // The rest evenly spaced, each the epoch it was.
    const stride = kept[1].epoch;
    expect(kept.slice(0, -1).every((e, i) => e.epoch === i * stride)).toBe(true);
    expect(kept.every((e) => e.step === all[e.epoch].step && e.loss === all[e.epoch].loss)).toBe(true);

    // Kept whole (the same trace with every epoch), the diagnosis reads the same state, counts and windows; its means within 0.1 %.
    const whole = Trace.fromJSON({ ...JSON.parse(JSON.stringify(run.trace)), epochs: [] });
    all.forEach((e, epoch) => whole.addEpoch({ ...e, epoch }));
    const [thinned, unthinned] = [diagnose(run.trace), diagnose(whole)];
    const [thin, full] = [thinned.evidence.training!, unthinned.evidence.training!];
    expect(thin.state).toBe(full.state);
    expect([thin.read, thin.epochs, thin.window, thin.epochsKept]).toEqual(['epochs', RUN, RUN / 5, kept.length]);
    expect([full.epochs, full.window, full.epochsKept]).toEqual([RUN, RUN / 5, undefined]);
    for (const key of ['lossBefore', 'lossEnd'] as const) expect(Math.abs(thin[key] / full[key] - 1)).toBeLessThan(1e-3);
    // Its counts grouped by thousands, as the rest of gradscope's output writes them (src/counted.ts grouped).
    expect(thinned.summary).toContain('over the last 200,000 of 1,000,000 epochs');
    expect(thinned.summary).toContain(`the trace kept ${kept.length} of the run's 1,000,000 epochs, evenly spread, and the means and the lowest are of those kept`);
    expect(unthinned.summary).not.toContain('the trace kept');
    expect(thinned.summary).toContain(quoteOn('docs/gradient-flow.md', 'the trace kept 978'));
  });

  it('describes the run as its latest call was set up, so a rate changed mid-run is the one the diagnosis starts from', async () => {
    const net = await createNetwork({ sizes: [2, 3, 2], activation: 'sigmoid', backend: 'ref', seed: 3 });
    const x = [[0, 0], [0, 1], [1, 0], [1, 1]];
    const y = [[1, 0], [0, 1], [0, 1], [1, 0]];
    const run = new RunTrace(probeOf(net, { data: Float32Array.from(x.flat()), rows: 4, cols: 2 }, { data: Float32Array.from(y.flat()), rows: 4, cols: 2 }));
    net.train(x, y, { epochs: 3, batchSize: 2, learningRate: 0.5, trace: { every: 1 } });
    run.append(net.trace!, net.trace!.epochs);
    const before = { steps: Array.from(run.trace.steps), losses: Array.from(run.trace.losses), epochs: run.trace.epochs.map((e) => ({ ...e })) };
    net.train(x, y, { epochs: 2, batchSize: 2, learningRate: 0.1, trace: { every: 1 } });
    run.append(net.trace!, net.trace!.epochs);
    expect(run.trace.run.learningRate).toBe(0.1);
    // The records and epochs before the change are all still there.
    expect(Array.from(run.trace.steps).slice(0, 6)).toEqual(before.steps);
    expect(Array.from(run.trace.losses).slice(0, 6)).toEqual(before.losses);
    expect(run.trace.epochs.slice(0, 3)).toEqual(before.epochs);
    expect(run.trace.epochs.map((e) => e.step)).toEqual([2, 4, 6, 8, 10]);
    expect(run.trace.length).toBe(10);
    net.dispose();
  });

  it("keeps a block network's row names, residual blocks and their metrics through appending and thinning", async () => {
    const net = await createNetwork({
      inputs: 2,
      layers: [{ type: 'dense', units: 4, activation: 'tanh' }, { type: 'residual', gate: 'rezero', layers: [{ type: 'layer-norm' }, { type: 'dense', units: 4, activation: 'tanh' }] }, { type: 'residual', layers: [{ type: 'dense', units: 4, activation: 'tanh' }] }, { type: 'dense', units: 2, activation: 'softmax' }],
      loss: 'cross-entropy',
      backend: 'ref',
      seed: 6,
    });
    const x = [[0, 0], [0, 1], [1, 0], [1, 1]];
    const y = [[1, 0], [0, 1], [0, 1], [1, 0]];
    const gradients = net.gradients(x, y);
    const recorder = new TraceRecorder(net, { every: 1 });
    recorder.afterBackprop(4, gradients.loss);
    recorder.close();
    const run = new RunTrace(recorder.trace);
    // 700 steps in two calls: thinned once, at 1024 records.
    for (const epochs of [300, 400]) {
      net.train(x, y, { epochs, batchSize: 2, learningRate: 0.05, trace: { every: 1 } });
      run.append(net.trace!, net.trace!.epochs);
    }
    const { trace } = run;
    const last = net.trace!;
    expect(trace.every).toBe(2);
    expect(trace.blocks).toEqual(last.blocks);
    expect(trace.residualBlocks).toBe(2);
    for (let r = 0; r < trace.length; r++) {
      const source = trace.steps[r] - last.steps[0];
      if (source < 0) continue;
      for (const name of RESIDUAL_METRIC_NAMES) {
        for (let b = 0; b < 2; b++) expect(trace.residualSeries(name, b)[r], `${name} block ${b} step ${trace.steps[r]}`).toBe(last.residualSeries(name, b)[source]);
      }
    }
    expect(diagnose(trace).evidence.records).toBe(trace.length);
    net.dispose();
  });

  it('records an epoch when single steps complete a pass over the training rows, with the loss and step train() gives that epoch', async () => {
    // 10 rows in batches of 4: a pass is 4 + 4 + 2 rows, as train()'s last batch of an epoch holds the rows left.
    const x = { data: Float32Array.from({ length: 20 }, (_, i) => Math.sin(i + 1)), rows: 10, cols: 2 };
    const y = { data: Float32Array.from({ length: 20 }, (_, i) => (Math.floor(i / 2) % 3 === 0) === (i % 2 === 0) ? 1 : 0), rows: 10, cols: 2 };
    const options = { batchSize: 4, learningRate: 0.5, shuffle: false, trace: { every: 1 } };
    const make = () => createNetwork({ sizes: [2, 5, 5, 2], activation: 'tanh', backend: 'ref', seed: 11 });
    // The same network trained 3 epochs by train() at once …
    const whole = await make();
    whole.train(x, y, { ...options, epochs: 3 });
    const measured = whole.trace!.epochs;
    // … and by one-batch train() calls, as the page's single steps are.
    const stepped = await make();
    // The run's classes are its 10 rows' (the page gives them): each one-batch call records its own batch's.
    const run = new RunTrace(probeOf(stepped, x, y), { classRows: whole.trace!.run.classRows });
    const pass = new SteppedPass(x.rows);
    const sizes: number[] = [];
    for (let call = 0; call < 9; call++) {
      const ended = oneStep(stepped, pass, x, y, options, sizes);
      run.append(stepped.trace!, ended ? [ended] : []);
      // An epoch ends exactly at the pass's last batch.
      expect(ended === undefined, `call ${call}`).toBe(call % 3 !== 2);
    }
    expect(sizes).toEqual([4, 4, 2, 4, 4, 2, 4, 4, 2]);
    expect(run.trace.epochs).toEqual(measured);
    expect(Array.from(run.trace.losses)).toEqual(Array.from(whole.trace!.losses));
    // The training state is read from those epochs, as from the run of train() at once.
    const training = diagnose(run.trace).evidence.training;
    expect(training?.read).toBe('epochs');
    expect(training).toEqual(diagnose(whole.trace!).evidence.training);
    whole.dispose();
    stepped.dispose();
  });

  it('gives up a pass of single steps that whole epochs interrupt, and counts none of its steps', async () => {
    const x = { data: Float32Array.from({ length: 12 }, (_, i) => Math.cos(i)), rows: 6, cols: 2 };
    const y = { data: Float32Array.from({ length: 12 }, (_, i) => (i % 4 === 0 || i % 4 === 3 ? 1 : 0)), rows: 6, cols: 2 };
    const net = await createNetwork({ sizes: [2, 4, 2], activation: 'tanh', backend: 'ref', seed: 2 });
    const run = new RunTrace(probeOf(net, x, y));
    const pass = new SteppedPass(x.rows);
    const sizes: number[] = [];
    const options = { batchSize: 2, learningRate: 0.1, shuffle: false, trace: { every: 1 } };
    // 2 of the 3 steps of a pass, then an epoch by train() (the page's "as fast as it goes"), then a whole pass of steps.
    for (let i = 0; i < 2; i++) {
      expect(oneStep(net, pass, x, y, options, sizes)).toBeUndefined();
      run.append(net.trace!, []);
    }
    pass.restart();
    net.train(x, y, { ...options, epochs: 1, shuffle: true });
    const wholeEpoch = net.trace!.epochs[0];
    run.append(net.trace!, net.trace!.epochs);
    const ends: EpochEnd[] = [];
    for (let i = 0; i < 3; i++) {
      const ended = oneStep(net, pass, x, y, options, sizes);
      if (ended) ends.push(ended);
      run.append(net.trace!, ended ? [ended] : []);
    }
    // The steps of the pass given up start again at the first row.
    expect(sizes).toEqual([2, 2, 2, 2, 2]);
    expect(ends).toHaveLength(1);
    expect(run.trace.epochs).toEqual([{ ...wholeEpoch, epoch: 0 }, { ...ends[0], epoch: 1 }]);
    expect(run.trace.epochs.map((e) => e.step)).toEqual([5, 8]);
    net.dispose();
  });

  it('starts a pass of single steps again when the batch size changes, so its last batch is the one the settings checked', () => {
    const pass = new SteppedPass(10);
    expect(pass.next(stepSettings(4))).toEqual({ start: 0, size: 4 });
    expect(pass.stepped(4, 1, 1)).toBeUndefined();
    expect(pass.next(stepSettings(4))).toEqual({ start: 4, size: 4 });
    expect(pass.stepped(4, 1, 2)).toBeUndefined();
    // 10 rows in batches of 3 end in a batch of 1 (10 % 3), not of 2 (the 2 left of the batches of 4).
    const sizes = [3, 3, 3, 1];
    const ends = sizes.map((size, i) => {
      expect(pass.next(stepSettings(3))).toEqual({ start: 3 * i, size });
      return pass.stepped(size, i + 1, 3 + i);
    });
    expect(ends).toEqual([undefined, undefined, undefined, { step: 6, loss: (1 + 2 + 3 + 4) / 4, batches: 4 }]);
  });

  it('starts a pass of single steps again when the learning rate, optimiser or L2 changes, so each epoch is trained with one rate', () => {
    // 6 rows in batches of 2: 3 steps a pass. A change after the first step of a pass gives it up.
    for (const changed of [{ learningRate: 0.3 }, { optimizer: 'adam' }, { l2: 0.01 }]) {
      const pass = new SteppedPass(6);
      const before = stepSettings(2);
      expect(pass.next(before)).toEqual({ start: 0, size: 2 });
      expect(pass.stepped(2, 9, 1)).toBeUndefined();
      const after = { ...before, ...changed };
      const ends = [2, 3, 4].map((step, i) => {
        expect(pass.next(after)).toEqual({ start: 2 * i, size: 2 });
        return pass.stepped(2, i + 1, step);
      });
      // The epoch is the three steps with the new settings: the loss 9 of the old one is in none.
      expect(ends).toEqual([undefined, undefined, { step: 4, loss: (1 + 2 + 3) / 3, batches: 3 }]);
    }
    // The same settings (a new object of equal values, as each update message brings) continue the pass.
    const pass = new SteppedPass(6);
    pass.next(stepSettings(2));
    pass.stepped(2, 1, 1);
    expect(pass.next(stepSettings(2))).toEqual({ start: 2, size: 2 });
  });

  it('saves its epochs in the trace JSON (the page\'s download), read back as diagnose() read them', async () => {
    const net = await createNetwork({ sizes: [2, 4, 4, 2], activation: 'sigmoid', backend: 'ref', seed: 5 });
    const x = [[0, 0], [0, 1], [1, 0], [1, 1]];
    const y = [[1, 0], [0, 1], [0, 1], [1, 0]];
    const run = new RunTrace(probeOf(net, { data: Float32Array.from(x.flat()), rows: 4, cols: 2 }, { data: Float32Array.from(y.flat()), rows: 4, cols: 2 }));
    for (let call = 0; call < 3; call++) {
      net.train(x, y, { epochs: 4, batchSize: 2, learningRate: 0.5, trace: { every: 1 } });
      run.append(net.trace!, net.trace!.epochs);
    }
    const back = Trace.fromJSON(JSON.parse(JSON.stringify(run.trace)));
    expect(back.epochs).toHaveLength(12);
    expect(back.epochs).toEqual(run.trace.epochs);
    expect(diagnose(back).summary).toBe(diagnose(run.trace).summary);
    expect(diagnose(back).summary).not.toContain('read from the batches');
    net.dispose();
  });
});

type Rows = { data: Float32Array; rows: number; cols: number };

/** The page's step settings: plain SGD at `learningRate`, without L2. */
const stepSettings = (batchSize: number, learningRate = 0.1): StepSettings => ({ batchSize, learningRate, optimizer: 'sgd', l2: 0 });

/** The gradients at initialisation on `x`, traced as the page's probe is. */
function probeOf(net: Network, x: Rows, y: Rows): Trace {
  const recorder = new TraceRecorder(net, { every: 1 });
  recorder.afterBackprop(x.rows, net.gradients(x, y).loss);
  recorder.close();
  return recorder.trace;
}

/** One single step of `pass` as the page's worker takes it: a one-batch train() call on the pass's next rows; notes the batch's size. */
function oneStep(net: Network, pass: SteppedPass, x: Rows, y: Rows, options: TrainOptions & { batchSize: number }, sizes: number[]): EpochEnd | undefined {
  const { start, size } = pass.next(stepSettings(options.batchSize, options.learningRate ?? 0.1));
  const batch = (m: Rows) => ({ data: m.data.subarray(start * m.cols, (start + size) * m.cols), rows: size, cols: m.cols });
  const { epochs } = net.train(batch(x), batch(y), { ...options, epochs: 1, shuffle: false });
  sizes.push(size);
  return pass.stepped(size, epochs[0].loss, net.step);
}
