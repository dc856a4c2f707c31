// The visualizer's test rows as its run's validation (demo/src/held-out.ts): after each epoch it measures what train()'s
// `validation` option records, so that its diagnosis reads a test loss that rises beside a training loss that does not as
// overfitting. Without them the page read such a run healthy beside the rising test curve of its own chart (newuser42).
import { describe, expect, it } from 'vitest';
import { createNetwork } from '../../src/api/network.js';
import { createOptimizer } from '../../src/optim/index.js';
import { diagnose } from '../../src/flow/diagnose.js';
import { trainingCheckRows } from '../../src/training/training-check-rows.js';
import { HeldOutRows } from '../../demo/src/held-out.js';
import { RunTrace } from '../../demo/src/run-trace.js';
import { classRows, planarDataset, splitDataset } from '../../demo/src/datasets.js';
import { networkOptions } from '../../demo/src/architecture.js';
import { DEFAULTS, parseSettings, type Settings } from '../../demo/src/settings.js';
import { pageDiagnosis } from '../../demo/src/remedies.js';
import { PAGE_EARLY_STOP_QUERY, PAGE_OVERFITTING_QUERY } from '../util/page-overfitting-run.js';
import { earlyStopEpochs } from '../../demo/src/remedies.js';
import { lossText } from '../../src/loss-text.js';
import { asWritten, quotedOn } from '../util/page-numbers.js';

function rowsOf(settings: Settings) {
  const { train, test } = splitDataset(planarDataset(settings.dataset as 'circles', settings.seed, settings.noise), settings.trainPercent);
  return { train, test };
}

describe("the visualizer's held-out rows", () => {
  it("measures after an epoch what train()'s validation records: the test rows, and as many training rows at the same weights", async () => {
    const settings: Settings = { ...DEFAULTS, dataset: 'circles', depth: 2, width: 8 };
    const { train, test } = rowsOf(settings);
    const [given, page] = await Promise.all([0, 1].map(() => createNetwork({ ...networkOptions(settings, 2, 2), backend: 'ref' })));
    const options = { epochs: 1, batchSize: 32, learningRate: 0.5, trace: { every: 1 } };
    const { trace } = given.train(train.x, train.y, { ...options, validation: { x: test.x, y: test.y } });
    page.train(train.x, train.y, options);
    const held = new HeldOutRows(train, test);
    expect(trainingCheckRows(train.x.rows, test.x.rows)).toHaveLength(test.x.rows);
    expect(held.measure(page)).toEqual({ validation: trace.epochs[0].validation, training: trace.epochs[0].training });
    given.dispose();
    page.dispose();
  });

  it('keeps the run described with its validation rows and its training rows\' classes through single steps and whole passes', async () => {
    const settings: Settings = { ...DEFAULTS, dataset: 'circles', depth: 2, width: 8 };
    const { train, test } = rowsOf(settings);
    const net = await createNetwork({ ...networkOptions(settings, 2, 2), backend: 'ref' });
    const held = new HeldOutRows(train, test);
    net.train(train.x, train.y, { epochs: 1, batchSize: 32, learningRate: 0.5, trace: { every: 1 } });
    const run = new RunTrace(net.trace!, { validation: 'other rows', classRows: classRows(train), rows: train.x.rows });
    const one = { data: train.x.data.subarray(0, 64), rows: 32, cols: 2 };
    const oneY = { data: train.y.data.subarray(0, 64), rows: 32, cols: 2 };
    net.train(one, oneY, { epochs: 1, batchSize: 32, learningRate: 0.5, trace: { every: 1 } });
    run.append(net.trace!, []);
    const stepped = run.trace;
    net.train(train.x, train.y, { epochs: 1, batchSize: 32, learningRate: 0.5, trace: { every: 1 } });
    run.append(net.trace!, net.trace!.epochs.map(({ epoch: _, ...e }) => ({ ...e, ...held.measure(net) })));
    // One run: the whole pass's call was set up as the single step's was, so the trace was not copied afresh.
    expect(run.trace).toBe(stepped);
    expect(run.trace.run.validation).toBe('other rows');
    // Chance is read from every training row's class, not the single step's batch's.
    expect(run.trace.run.classRows).toEqual(classRows(train));
    expect(run.trace.run.classRows!.reduce((a, b) => a + b)).toBe(train.x.rows);
    // And the rows it trained on are every training row (TraceRun.rows), not the single step's 32.
    expect(run.trace.run.rows).toBe(train.x.rows);
    expect(run.trace.epochs[0].validation?.loss).toBeGreaterThan(0);
    expect(run.trace.epochs[0].training?.rows).toBe(test.x.rows);
    net.dispose();
  });

  it('reads the overfitting run of the browser suite as overfitting, which it read healthy without them, and keeps its start where no epoch lowered its test loss', async () => {
    const { settings } = parseSettings(PAGE_OVERFITTING_QUERY);
    const { train, test } = rowsOf(settings);
    const net = await createNetwork(networkOptions(settings, 2, 2));
    const optimizer = createOptimizer(net, { name: settings.optimizer });
    const held = new HeldOutRows(train, test);
    // The test loss before the first step, as the page's worker measures it for diagnose() (heldOutAtStart).
    const start = held.lossAtStart(net)!;
    expect(start).toBe(net.evaluate(test.x, test.y).loss);
    const options = { epochs: 1, batchSize: settings.batchSize, learningRate: settings.learningRate, optimizer, trace: { every: 1 } };
    net.train(train.x, train.y, options);
    const [withRows, without] = [new RunTrace(net.trace!, { validation: 'other rows' }), new RunTrace(net.trace!)];
    const testLosses: number[] = [];
    for (let e = 0; e < 200; e++) {
      net.train(train.x, train.y, options);
      const ended = net.trace!.epochs.map(({ epoch: _, ...rest }) => rest);
      withRows.append(net.trace!, ended.map((end) => ({ ...end, ...held.measure(net) })));
      without.append(net.trace!, ended);
      testLosses.push(net.evaluate(test.x, test.y).loss);
    }
    // The test loss the page's chart draws rose: its last is well above its lowest.
    expect(testLosses.at(-1)!).toBeGreaterThan(2 * Math.min(...testLosses));
    const read = diagnose(withRows.trace, pageDiagnosis('circles'));
    expect([read.verdict, read.evidence.training?.state]).toEqual(['overfitting', 'overfitting']);
    expect(read.summary).toMatch(/^Overfitting: the held-out rows' loss rose while the training loss did not/);
    const blind = diagnose(without.trace, pageDiagnosis('circles'));
    expect(blind.verdict).toBe('healthy');
    // Its test loss was lowest before the first step (page43's note: the page gave diagnose() no heldOutAtStart): without it the
    // diagnosis offered to stop after the epochs' lowest, weights worse on the test rows than the ones the run started from.
    const earlyStop = (d: ReturnType<typeof diagnose>) => d.remedies.filter((r) => r.settings.some((s) => s.option === 'epochs')).map((r) => r.option);
    expect(start).toBeLessThan(Math.min(...withRows.trace.epochs.map((e) => e.validation!.loss)));
    // docs/browser.md quotes this run's start (review44 #7: it quoted it with no test reading it).
    const [quoted] = quotedOn('docs/browser.md', /the overfitting run of `test\/demo\/held-out\.test\.ts`: ([\d.]+) at the start, every epoch's above it/);
    expect(asWritten(quoted, start)).toBe(quoted);
    expect(earlyStop(read)).toEqual([expect.stringMatching(/^epochs: \d+$/)]);
    const page = diagnose(withRows.trace, pageDiagnosis('circles', start));
    expect(page.verdict).toBe('overfitting');
    expect(earlyStop(page)).toEqual([]);
    expect(page.summary).toContain(`The held-out rows' loss was lower still before the first epoch (${lossText(start)}, at the weights the run started from)`);
    optimizer.dispose();
    net.dispose();
  });

  // The page's early-stopping button reruns the same settings from the same start and stops after the epochs offered (page53's design).
  it("offers early stopping on the browser suite's early-stop run, and a rerun of those epochs from the same start ends at the test loss's lowest", async () => {
    const { settings } = parseSettings(PAGE_EARLY_STOP_QUERY);
    const { train, test } = rowsOf(settings);
    // One page run of `epochs` whole passes, each a train() call of its own as the worker's epoch() makes it.
    const pageRun = async (epochs: number) => {
      const net = await createNetwork(networkOptions(settings, 2, 2));
      const optimizer = createOptimizer(net, { name: settings.optimizer });
      const held = new HeldOutRows(train, test);
      const start = held.lossAtStart(net)!;
      const options = { epochs: 1, batchSize: settings.batchSize, learningRate: settings.learningRate, optimizer, trace: { every: 1 } };
      let run: RunTrace | undefined;
      for (let e = 0; e < epochs; e++) {
        net.train(train.x, train.y, options);
        run ??= new RunTrace(net.trace!, { validation: 'other rows', classRows: classRows(train), rows: train.x.rows });
        run.append(net.trace!, net.trace!.epochs.map(({ epoch: _, ...end }) => ({ ...end, ...held.measure(net) })));
      }
      optimizer.dispose();
      net.dispose();
      return { trace: run!.trace, start };
    };
    const first = await pageRun(100);
    const read = diagnose(first.trace, pageDiagnosis('circles', first.start));
    expect(read.verdict).toBe('overfitting');
    const offered = read.remedies.map(earlyStopEpochs).filter((k) => k !== null);
    const losses = first.trace.epochs.map((e) => e.validation!.loss);
    const lowest = losses.indexOf(Math.min(...losses));
    // The epochs after which the test loss was lowest, below the start's: not the first nor the last.
    expect(offered).toEqual([lowest + 1]);
    expect([lowest > 0, lowest < losses.length - 10, losses[lowest] < first.start]).toEqual([true, true, true]);
    // Rerun from the same start (a new network of the same settings and seed), stopped after those epochs: the first run's weights there.
    const rerun = await pageRun(lowest + 1);
    expect(rerun.trace.epochs.at(-1)!.validation!.loss).toBe(losses[lowest]);
    expect(rerun.trace.epochs.at(-1)!.step).toBe(first.trace.epochs[lowest].step);
    // docs/browser.md quotes this run's lowest and its epochs.
    const [loss, epochs] = quotedOn('docs/browser.md', /the early-stop run of `test\/demo\/held-out\.test\.ts`: ([\d.]+) after (\d+) epochs/);
    expect([asWritten(loss, losses[lowest]), Number(epochs)]).toEqual([loss, lowest + 1]);
  });
});
