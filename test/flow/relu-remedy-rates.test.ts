/**
 * RELU_REMEDY_RATES is measured on what the relu remedy's printed command trains (RELU_RATE_SETUP:
 * train's default epochs, batch size and digits), and judged at the run's end (reluRunHeld): a late
 * spike that throws a trained network back fails a rate however well its best epoch did.
 */
import { describe, expect, it } from 'vitest';
import { RELU_LATE_DROP_MARGIN, RELU_RATE_PAGE_SETUP, RELU_RATE_SETUP, RELU_REMEDY_RATES, reluRemedyRate, reluRunHeld, type ReluRun } from '../../src/flow/relu-remedy-rates.js';
import { TRAINING_FLAGS } from '../../src/cli/training-flags.js';
import { TRAINING_ROWS_FLAGS } from '../../src/cli/training-rows.js';
import { STUDY_DIGITS } from '../../src/studies/study-defaults.js';
import { DEFAULT_BATCH_SIZE } from '../../src/training/batch-rows.js';
import { DEFAULTS } from '../../demo/src/settings.js';
import { diagnose } from '../../src/flow/diagnose.js';
import { Trace } from '../../src/flow/trace.js';
import { GradscopeError } from '../../src/errors.js';

const defaultOf = (flags: readonly { name: string; default?: unknown }[], name: string) => flags.find((f) => f.name === name)?.default;

describe('RELU_RATE_SETUP', () => {
  it("trains what `gradscope train` trains by default: its epochs, batch size, training and test digits", () => {
    expect(RELU_RATE_SETUP.epochs).toBe(defaultOf(TRAINING_FLAGS, 'epochs'));
    expect(RELU_RATE_SETUP.batchSize).toBe(defaultOf(TRAINING_FLAGS, 'batch-size'));
    expect(RELU_RATE_SETUP.trainRows).toBe(defaultOf(TRAINING_ROWS_FLAGS, 'train'));
    expect(RELU_RATE_SETUP.testRows).toBe(defaultOf(TRAINING_ROWS_FLAGS, 'test'));
  });

  it("writes out train()'s default batch size and the studies' digits, which flow/ cannot import", () => {
    expect(RELU_RATE_SETUP.batchSize).toBe(DEFAULT_BATCH_SIZE);
    expect([RELU_RATE_SETUP.trainRows, RELU_RATE_SETUP.testRows]).toEqual([STUDY_DIGITS.trainRows, STUDY_DIGITS.testRows]);
  });
});

describe('RELU_RATE_PAGE_SETUP', () => {
  it("trains what the visualizer trains by default: its data set and batch size, and spans its default depth and width", () => {
    expect(RELU_RATE_PAGE_SETUP.dataset).toBe(DEFAULTS.dataset);
    expect(RELU_RATE_PAGE_SETUP.batchSize).toBe(DEFAULTS.batchSize);
    expect(RELU_RATE_PAGE_SETUP.depths).toContain(DEFAULTS.depth);
    expect(RELU_RATE_PAGE_SETUP.widths).toContain(DEFAULTS.width);
  });
});

describe('RELU_REMEDY_RATES', () => {
  it("gives each set-up its own row: the page keeps its SGD 0.1, which the command's row lowers", () => {
    const pageRun = { optimizer: DEFAULTS.optimizer, learningRate: DEFAULTS.learningRate };
    expect(reluRemedyRate(pageRun, 'page')).toBeUndefined();
    expect(reluRemedyRate(pageRun, 'command')).toBe(RELU_REMEDY_RATES.command.rates.sgd);
    expect(reluRemedyRate(pageRun)).toBe(RELU_REMEDY_RATES.command.rates.sgd);
    expect(reluRemedyRate({ optimizer: 'sgd', learningRate: 0.5 }, 'page')).toBe(RELU_REMEDY_RATES.page.rates.sgd);
    expect(reluRemedyRate({ optimizer: 'adam', learningRate: 0.01 }, 'page')).toBe(RELU_REMEDY_RATES.page.rates.adam);
  });

  it("diagnose() refuses a row that was not measured, naming the rows", () => {
    const trace = new Trace({ sizes: [2, 3, 2], activations: ['sigmoid', 'softmax'], loss: 'cross-entropy', every: 1 });
    expect(() => diagnose(trace, { reluRates: 'spirals' as never })).toThrow(GradscopeError);
    expect(() => diagnose(trace, { reluRates: 'spirals' as never })).toThrow('diagnose(trace, options): reluRates is "spirals"; expected one of "command", "page"');
  });
});

describe('reluRunHeld', () => {
  const accuracies = [0.85, 0.89, 0.9, 0.91, 0.92, 0.93, 0.925, 0.93, 0.931];
  const held: ReluRun = { lossBefore: 2.39, lossAfter: 0.2, deadLayers: 0, accuracies: [...accuracies, 0.92] };

  it('passes a run that ends lower, with no dead layer, within the margin of its best epoch', () => {
    expect(reluRunHeld(held)).toBe(true);
    expect(reluRunHeld({ ...held, accuracies: [...accuracies, 0.931 - RELU_LATE_DROP_MARGIN + 0.001] })).toBe(true);
  });

  it("fails a late spike: newuser25's 93.1 % at epoch 9, 41.6 % at epoch 10", () => {
    expect(reluRunHeld({ ...held, accuracies: [...accuracies, 0.416] })).toBe(false);
    expect(reluRunHeld({ ...held, accuracies: [...accuracies, 0.931 - RELU_LATE_DROP_MARGIN - 0.001] })).toBe(false);
  });

  it('fails a dead layer, a loss that did not fall, and a loss that is not finite', () => {
    expect(reluRunHeld({ ...held, deadLayers: 1 })).toBe(false);
    expect(reluRunHeld({ ...held, lossAfter: 2.5 })).toBe(false);
    expect(reluRunHeld({ ...held, lossAfter: Number.NaN })).toBe(false);
  });
});
