/**
 * The relu remedy applied as diagnose() suggests it, on a real case: a deep sigmoid network trained
 * with plain SGD at Nielsen's kind of rate (0.5) on the digits (loadMnist's), whose gradient vanishes.
 * The remedy's settings (relu, He's weights, and a rate lowered to the measured bound) are read from
 * the diagnosis, not typed here; trained for the epochs its printed command trains (train's default,
 * RELU_RATE_SETUP.epochs), the network must no longer vanish, have no dead layer and reach under half
 * the diagnosed run's loss. At the run's own rate the same switch kills units within one epoch, which
 * is why the remedy lowers it.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadMnist } from '../../src/data/mnist.js';
import { createNetwork } from '../../src/api/network.js';
import { diagnose, VANISHING_RATIO } from '../../src/flow/diagnose.js';
import { RELU_RATE_SETUP, RELU_REMEDY_RATES, reluRemedyRate } from '../../src/flow/relu-remedy-rates.js';
import type { Remedy } from '../../src/flow/remedy.js';
import type { Activation } from '../../src/kernels.js';
import type { WeightInitName } from '../../src/init/initializers.js';
import { firstRows } from '../../src/studies/depth.js';
import { quoteOn, quotePattern } from '../util/page-quotes.js';

type Rows = ReturnType<typeof firstRows>;
let digits: Rows;
beforeAll(async () => {
  const { train } = await loadMnist();
  digits = firstRows(train.x, train.y, train.x.rows);
});

const SIZES = [784, 30, 30, 30, 10];
const RUN = { batchSize: 32, trace: { every: 10 } } as const;

async function run(activation: Activation, init: WeightInitName, learningRate: number, epochs = 1) {
  const net = await createNetwork({ sizes: SIZES, activation, init, seed: 1 });
  net.train(digits.x, digits.y, { ...RUN, epochs, learningRate });
  const loss = net.evaluate(digits.x, digits.y).loss;
  const d = diagnose(net.trace!);
  net.dispose();
  return { loss, d };
}

/** The value of `option` among the remedy's settings, unquoted. */
const valueOf = (remedy: Remedy, option: string) => remedy.settings.find((s) => s.option === option)?.value.replace(/'/g, '');

describe("diagnose()'s relu remedy, applied as suggested", () => {
  it('fixes the vanishing gradient of a sigmoid SGD run at 0.5 without killing units, where relu at the run\'s rate dies', async () => {
    const before = await run('sigmoid', 'standard', 0.5);
    expect(before.d.verdict).toBe('vanishing');
    const relu = before.d.remedies.find((r) => valueOf(r, 'activation') === 'relu')!;
    expect(relu.settings.map((s) => s.option)).toEqual(['activation', 'init', 'learningRate']);
    const rate = Number(valueOf(relu, 'learningRate'));
    expect(rate).toBe(RELU_REMEDY_RATES.command.rates.sgd);
    expect(relu.why).toContain(`The run's learning rate, 0.5, is above ${RELU_REMEDY_RATES.command.rates.sgd}, the largest rate of a grid`);
    expect(relu.why).toContain('10 epochs of sgd in batches of 32 on 9,000 digits) all ended with a lower loss, no layer dead and their last epoch\'s test accuracy within 5 points of their best');
    // Measured on the digits alone: the page's data sets held plain SGD at 0.05 to 0.2 (newuser43: on 20-feature rows the digits' 0.002 was the
    // worst of four rates, the run's own the best), so the run's own rate is offered beside it.
    expect(relu.why).toMatch(quotePattern(quoteOn('docs/gradient-flow.md', "That bound is the digits'")));
    expect(relu.why).toContain("That bound is the digits': measured the same way on the visualizer's 4 data sets, the bound for sgd was 0.05 to 0.2, so on rows other than the digits try the run's own rate, 0.5, beside it.");

    const after = await run(valueOf(relu, 'activation') as Activation, valueOf(relu, 'init') as WeightInitName, rate, RELU_RATE_SETUP.epochs);
    expect(after.d.verdict, after.d.summary).toBe('healthy');
    expect(after.d.evidence.deltaFirstToLast.median).toBeGreaterThan(VANISHING_RATIO);
    expect(after.d.evidence.deadLayers).toEqual([]);
    expect(after.loss).toBeLessThan(before.loss / 2);

    // The same switch at the run's rate: units die (why the remedy lowers it).
    const atRunRate = await run('relu', 'he-normal', 0.5);
    expect(atRunRate.d.verdict).toBe('dead');
    expect(atRunRate.loss).toBeGreaterThan(after.loss);
  }, 180_000);

  it('lowers only a rate above the bound, and only for the optimisers it was measured for', () => {
    expect(reluRemedyRate({ optimizer: 'sgd', learningRate: 0.5 })).toBe(RELU_REMEDY_RATES.command.rates.sgd);
    expect(reluRemedyRate({ learningRate: 0.5 })).toBe(RELU_REMEDY_RATES.command.rates.sgd);
    expect(reluRemedyRate({ optimizer: 'sgd', learningRate: RELU_REMEDY_RATES.command.rates.sgd })).toBeUndefined();
    expect(reluRemedyRate({ optimizer: 'adam', learningRate: 0.01 })).toBe(RELU_REMEDY_RATES.command.rates.adam);
    expect(reluRemedyRate({ optimizer: 'adam', learningRate: 0.001 })).toBeUndefined();
    // SGD with momentum is another optimiser as far as the bound goes; RMSProp's was not measured; K-FAC takes no rate.
    expect(reluRemedyRate({ optimizer: 'sgd', learningRate: 0.5, momentum: 0.9 })).toBeUndefined();
    expect(reluRemedyRate({ optimizer: 'rmsprop', learningRate: 0.5 })).toBeUndefined();
    expect(reluRemedyRate({ optimizer: 'kfac' })).toBeUndefined();
  });
});
