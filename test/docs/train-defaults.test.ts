// docs/api.md's `train` options table states each default as a value, and a value it states is the
// one train() applies: a network trained with the options the table's default cells give (each cell
// that is one value in code, `32`, `'throw'`) ends with the weights, bit for bit, of its twin trained
// with no options. `momentum` and `weightDecay` are refused beside `optimizer`, so the two runs leave
// out one side each. A cell that says no value (none) is not read here; the learningRate cell's
// optimisers' own rates ('0.1 for SGD') are each optimiser's defaultLearningRate.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createNetwork } from '../../src/api/network.js';
import { createOptimizer } from '../../src/optim/index.js';
import { GradscopeError } from '../../src/errors.js';
import { tableUnder } from '../util/markdown-tables.js';

const API_DOC = readFileSync(new URL('../../docs/api.md', import.meta.url), 'utf8');

/** The table's defaults that are one value in code, by option: `1` → 1, `'sgd'` → 'sgd', `false` → false. */
function statedDefaults(): Record<string, unknown> {
  const stated: Record<string, unknown> = {};
  for (const [option, cell] of tableUnder(API_DOC, '## `train` options')) {
    const value = /^`([^`]+)`$/.exec(cell)?.[1];
    if (value !== undefined) stated[option.replace(/`/g, '')] = JSON.parse(value.replace(/'/g, '"'));
  }
  return stated;
}

/** The weights after a train() of 70 rows (more than two batches of 32, so batching, shuffling and the last batch count) with `options`. */
async function trainedWeights(options?: Record<string, unknown>): Promise<number[]> {
  return (await trainedOutcome(options)).weights;
}

/** What a train() of those rows with `options` ends with: its weights, and the refusal it threw (code and message), if any. */
async function trainedOutcome(options?: Record<string, unknown>): Promise<{ weights: number[]; refusal?: string }> {
  const net = await createNetwork({ sizes: [3, 5, 2], activation: 'tanh', output: 'softmax', loss: 'cross-entropy', seed: 7 });
  const x = Array.from({ length: 70 }, (_, r) => [Math.sin(r), Math.cos(3 * r), (r % 7) / 7]);
  const y = x.map((row) => (row[0] + row[1] > 0 ? [1, 0] : [0, 1]));
  let refusal: string | undefined;
  try {
    net.train(x, y, options);
  } catch (error) {
    if (!(error instanceof GradscopeError)) throw error;
    refusal = `${error.code}: ${error.message}`;
  }
  const weights = net.state().flatMap((tensor) => [...tensor.values]);
  net.dispose();
  return { weights, ...(refusal !== undefined && { refusal }) };
}

describe("docs/api.md's `train` defaults", () => {
  const stated = statedDefaults();

  it('states a value for the options whose default is one', () => {
    expect(Object.keys(stated).sort()).toEqual(['batchSize', 'clock', 'dropLast', 'epochs', 'lsuv', 'maxHalvings', 'momentum', 'onNonFinite', 'optimizer', 'shuffle', 'weightDecay']);
  });

  it('are what train() does given no options', async () => {
    // clock is read only by maxSeconds (given without it, refused): the stated one rides with a budget no run reaches.
    const budgeted: Record<string, unknown> = { ...stated, maxSeconds: 1e9 };
    const { optimizer, ...withDefaultSgd } = budgeted;
    const { momentum, weightDecay, ...withOptimizer } = budgeted;
    expect([momentum, weightDecay, optimizer]).not.toContain(undefined);
    const given = await trainedWeights();
    expect(await trainedWeights(withDefaultSgd)).toEqual(given);
    expect(await trainedWeights(withOptimizer)).toEqual(given);
    // The comparison sees a default changed: another batch size, no shuffle, a second epoch.
    for (const changed of [{ batchSize: 16 }, { shuffle: false }, { epochs: 2 }]) expect(await trainedWeights({ ...withDefaultSgd, ...changed })).not.toEqual(given);
  });

  // A run that meets no NaN, Inf or runaway step ends the same under every onNonFinite policy and
  // every maxHalvings: these two defaults are seen only where the steps run away. A rate of 1e30 takes
  // the first step's parameters past what training keeps, which each policy meets in its own way.
  it('onNonFinite and maxHalvings: what train() does given neither, where the steps run away', async () => {
    const { onNonFinite, maxHalvings } = stated;
    expect([onNonFinite, maxHalvings]).not.toContain(undefined);
    const runaway = { learningRate: 1e30 };
    const given = await trainedOutcome(runaway);
    expect(given.refusal).toMatch(/^DIVERGED: /);
    expect(await trainedOutcome({ ...runaway, onNonFinite })).toEqual(given);
    const halving = { ...runaway, onNonFinite: 'halve' };
    const halved = await trainedOutcome(halving);
    expect(halved.refusal).toMatch(/^DIVERGED: /);
    expect(await trainedOutcome({ ...halving, maxHalvings })).toEqual(halved);
    // The comparisons see either default changed: another policy, another number of halvings.
    for (const policy of ['skip', 'halve']) expect(await trainedOutcome({ ...runaway, onNonFinite: policy })).not.toEqual(given);
    expect(await trainedOutcome({ ...halving, maxHalvings: (maxHalvings as number) - 1 })).not.toEqual(halved);
  });

  it("give the optimisers' own learning rates as they are", async () => {
    const cell = tableUnder(API_DOC, '## `train` options').find(([option]) => option === '`learningRate`')![1];
    const rates = [...cell.matchAll(/([\d.e-]+) for (SGD|Adam|LARS)\b/g)].map((m) => [m[2].toLowerCase(), Number(m[1])] as const);
    expect(rates.map(([name]) => name)).toEqual(['sgd', 'adam', 'lars']);
    const net = await createNetwork({ sizes: [2, 2], seed: 1 });
    for (const [name, rate] of rates) {
      const optimizer = createOptimizer(net, name);
      expect(optimizer.defaultLearningRate, name).toBe(rate);
      optimizer.dispose();
    }
    net.dispose();
  });
});
