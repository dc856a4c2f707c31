// docs/remedies.md's optimiser table states each optimiser's defaults, and its study section the
// remedies network's parameter count. Each value is read from the page and compared with the
// constant the optimiser takes it from, so a changed default fails here until the table says it.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parameterCountOf } from '../../src/network/memory-budget.js';
import { ADAGRAD_DEFAULTS } from '../../src/optim/adagrad.js';
import { ADAMW_WEIGHT_DECAY } from '../../src/optim/adam.js';
import { findOptimizer } from '../../src/optim/index.js';
import { LBFGS_DEFAULTS } from '../../src/optim/lbfgs.js';
import { LM_DEFAULTS, LM_MAX_PARAMETERS } from '../../src/optim/levenberg-marquardt.js';
import { RMSPROP_DEFAULTS } from '../../src/optim/rmsprop.js';
import { SGD_MOMENTUM } from '../../src/optim/sgd.js';
import { ADAM_DEFAULTS, LARS_DEFAULTS, SGD_LEARNING_RATE } from '../../src/optimizer-defaults.js';
import { REMEDIES_SIZES } from '../../src/studies/remedies.js';
import { flat } from '../util/printed-text.js';

const page = readFileSync(new URL('../../docs/remedies.md', import.meta.url), 'utf8');

/** The defaults cell of the optimiser table's row for `name` (its first cell, in backticks). */
function defaults(name: string): string {
  const line = page.split('\n').find((l) => l.startsWith(`| \`${name}\``));
  expect(line, name).toBeDefined();
  return line!.split(/(?<!\\)\|/).slice(1, -1).at(-1)!.trim();
}
/** The number after `label` in `cell` ("lr 0.1" → 0.1). */
function after(cell: string, label: string): number {
  const match = new RegExp(`${label.replace(/[()[\]]/g, '\\$&')} ([\\d.e+-]+)`).exec(cell);
  expect(match, `${label} in '${cell}'`).not.toBeNull();
  return Number(match![1]);
}

describe("docs/remedies.md's optimiser defaults", () => {
  it('sgd', () => {
    const cell = defaults('sgd');
    expect([after(cell, 'lr'), after(cell, 'momentum')]).toEqual([SGD_LEARNING_RATE, SGD_MOMENTUM]);
    expect(findOptimizer('sgd').learningRate).toBe(SGD_LEARNING_RATE);
  });

  it('lars', () => {
    const cell = defaults('lars');
    expect([after(cell, 'lr'), after(cell, '`eta`'), after(cell, 'momentum')]).toEqual([LARS_DEFAULTS.learningRate, LARS_DEFAULTS.eta, LARS_DEFAULTS.momentum]);
  });

  it('adagrad and rmsprop', () => {
    const adagrad = defaults('adagrad');
    expect([after(adagrad, 'lr'), after(adagrad, '`epsilon`')]).toEqual([ADAGRAD_DEFAULTS.learningRate, ADAGRAD_DEFAULTS.epsilon]);
    const rmsprop = defaults('rmsprop');
    expect([after(rmsprop, 'lr'), after(rmsprop, '`alpha`'), after(rmsprop, '`epsilon`')]).toEqual([RMSPROP_DEFAULTS.learningRate, RMSPROP_DEFAULTS.alpha, RMSPROP_DEFAULTS.epsilon]);
  });

  it('adam and adamw', () => {
    const cell = defaults('adam');
    expect([after(cell, 'lr'), after(cell, '`beta1`'), after(cell, '`beta2`'), after(cell, '`epsilon`')]).toEqual([ADAM_DEFAULTS.learningRate, ADAM_DEFAULTS.beta1, ADAM_DEFAULTS.beta2, ADAM_DEFAULTS.epsilon]);
    const [adam, adamw] = /weightDecay ([\d.]+) \/ ([\d.]+)/.exec(cell)!.slice(1).map(Number);
    expect([adam, adamw]).toEqual([0, ADAMW_WEIGHT_DECAY]);
  });

  it('lbfgs', () => {
    const cell = defaults('lbfgs');
    expect([after(cell, 'lr (first trial step)'), after(cell, '`memory`'), after(cell, '`c1`'), after(cell, '`c2`'), after(cell, '`maxEvaluations`')]).toEqual([LBFGS_DEFAULTS.learningRate, LBFGS_DEFAULTS.memory, LBFGS_DEFAULTS.c1, LBFGS_DEFAULTS.c2, LBFGS_DEFAULTS.maxEvaluations]);
  });

  it('levenberg-marquardt', () => {
    const cell = defaults('levenberg-marquardt');
    expect(after(cell, '`mu`')).toBe(LM_DEFAULTS.mu);
    const [grow, shrink] = /×(\d+) \/ ÷(\d+)/.exec(cell)!.slice(1).map(Number);
    expect([grow, 1 / shrink]).toEqual([LM_DEFAULTS.muIncrease, LM_DEFAULTS.muDecrease]);
    expect(after(cell, '`muMax`')).toBe(LM_DEFAULTS.muMax);
    expect(/≤ ([\d,]+) parameters/.exec(cell)![1]).toBe(LM_MAX_PARAMETERS.toLocaleString('en-US'));
  });
});

describe("docs/remedies.md's remedies study", () => {
  it("gives the study network's parameter count, which Levenberg–Marquardt's limit refuses", () => {
    const prose = flat(page);
    const [count] = /the study's network trains cross-entropy with ([\d,]+), so the study leaves it out/.exec(prose)!.slice(1);
    expect(count).toBe(parameterCountOf(REMEDIES_SIZES).toLocaleString('en-US'));
    expect(parameterCountOf(REMEDIES_SIZES)).toBeGreaterThan(LM_MAX_PARAMETERS);
    expect(prose).toContain(`trains [${REMEDIES_SIZES[0]}, ${REMEDIES_SIZES.length - 2} × ${REMEDIES_SIZES[1]}, ${REMEDIES_SIZES.at(-1)}]`);
  });
});
