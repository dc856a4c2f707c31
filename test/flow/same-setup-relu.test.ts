/**
 * diagnose()'s sameSetupRelu: a relu + he-normal network trained on the diagnosed run's own set-up at its rate. Where it held
 * (reluRunHeld) the switch to relu keeps the run's rate, which that network measured, in place of the digits row's careful bound,
 * and says both; where it did not, the bound stays and the reason says how it failed. Study (b) passes its relu + he-normal run
 * (note49: its sigmoid runs were offered 0.002 beside its own relu run that held at the study's 0.05). Real runs on the digits.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadMnist } from '../../src/data/mnist.js';
import { createNetwork } from '../../src/api/network.js';
import { diagnose } from '../../src/flow/diagnose.js';
import { GradscopeError } from '../../src/errors.js';
import { RELU_REMEDY_RATES } from '../../src/flow/relu-remedy-rates.js';
import type { Trace } from '../../src/flow/trace.js';
import type { Remedy } from '../../src/flow/remedy.js';
import type { Activation } from '../../src/kernels.js';
import type { WeightInitName } from '../../src/init/initializers.js';
import { firstRows } from '../../src/studies/depth.js';
import { runActivationStudy } from '../../src/studies/activations.js';
import { quoteOn, quotePattern } from '../util/page-quotes.js';

type Rows = ReturnType<typeof firstRows>;
let train: Rows;
let test: Rows;
beforeAll(async () => {
  const digits = await loadMnist();
  train = firstRows(digits.train.x, digits.train.y, 3000);
  test = firstRows(digits.test.x, digits.test.y, 500);
});

const SIZES = [784, 30, 30, 30, 10];

/** A traced run of 2 epochs in batches of 32 at `learningRate`, and its test accuracy after each epoch. */
async function run(activation: Activation, init: WeightInitName, learningRate: number): Promise<{ trace: Trace; accuracies: number[] }> {
  const net = await createNetwork({ sizes: SIZES, activation, init, seed: 1 });
  const accuracies: number[] = [];
  net.train(train.x, train.y, { epochs: 2, batchSize: 32, learningRate, trace: { every: 10 }, onEpoch: () => void accuracies.push(net.evaluate(test.x, test.y).accuracy) });
  const trace = net.trace!;
  net.dispose();
  return { trace, accuracies };
}

const reluSwitch = (remedies: readonly Remedy[]) => remedies.find((r) => r.settings.some((s) => s.option === 'activation' && s.value === "'relu'"))!;
const rateOf = (remedy: Remedy) => remedy.settings.find((s) => s.option === 'learningRate')?.setting;
const SGD_BOUND = RELU_REMEDY_RATES.command.rates.sgd;

describe("diagnose()'s sameSetupRelu", () => {
  it("keeps the run's rate where a relu network of its own set-up held at it, and lowers it without one", async () => {
    const sigmoid = await run('sigmoid', 'standard', 0.05);
    const relu = await run('relu', 'he-normal', 0.05);
    const without = reluSwitch(diagnose(sigmoid.trace).remedies);
    expect(rateOf(without)).toBe(SGD_BOUND);
    const d = diagnose(sigmoid.trace, { sameSetupRelu: relu });
    const kept = reluSwitch(d.remedies);
    expect(kept.settings.map((s) => s.option)).toEqual(['activation', 'init']);
    expect(kept.why).toContain("This line keeps the run's learning rate, 0.05: at it a relu network with He's weights of this run's own set-up (its layers, rows, batches and epochs) held, its batch loss ");
    expect(kept.why).toMatch(quotePattern(quoteOn('docs/gradient-flow.md', "at it a relu network with He's weights of this run's own set-up")));
    expect(kept.why).toMatch(/over its last epoch, no layer dead, and \d+(\.\d)? % of the held-out rows right after its last epoch \(its best epoch \d+(\.\d)? %\)\./);
    expect(kept.why).toContain(`all ended with a lower loss, no layer dead and their last epoch's test accuracy within 5 points of their best was ${SGD_BOUND}: a careful bound`);
    expect(d.headline).toContain("Try activation: 'relu', init: 'he-normal' (the first of");
    // The same relu network read as falling back in its last epoch (its accuracies as given): the bound stays, and the reason says why.
    const fell = reluSwitch(diagnose(sigmoid.trace, { sameSetupRelu: { trace: relu.trace, accuracies: [0.9, 0.8] } }).remedies);
    expect(rateOf(fell)).toBe(SGD_BOUND);
    expect(fell.why).toMatch(/At the run's own rate a relu network with He's weights of this run's own set-up did not hold: .*no layer dead, and 80.0 % of the held-out rows right after its last epoch \(its best epoch 90.0 %\)\.$/);
  }, 120_000);

  it('leaves the bound where the relu network of the same set-up did not hold: at 0.5 its units die', async () => {
    const sigmoid = await run('sigmoid', 'standard', 0.5);
    const relu = await run('relu', 'he-normal', 0.5);
    const remedy = reluSwitch(diagnose(sigmoid.trace, { sameSetupRelu: relu }).remedies);
    expect(rateOf(remedy)).toBe(SGD_BOUND);
    expect(remedy.why).toMatch(/did not hold: its batch loss .* layers? dead, /);
  }, 120_000);

  it('refuses a relu network of another set-up, or accuracies that are not one fraction per epoch, naming what differs', async () => {
    const sigmoid = await run('sigmoid', 'standard', 0.05);
    const other = await run('relu', 'he-normal', 0.1);
    const who = 'diagnose(trace, options): sameSetupRelu';
    const refused = (given: unknown) => {
      try {
        diagnose(sigmoid.trace, { sameSetupRelu: given as never });
      } catch (error) {
        expect(error).toBeInstanceOf(GradscopeError);
        expect((error as GradscopeError).code).toBe('INVALID_OPTION');
        return (error as Error).message;
      }
      throw new Error('not refused');
    };
    expect(refused(other)).toBe(`${who}: trace is not of this run's set-up: its learningRate is 0.1, this run's 0.05`);
    expect(refused(sigmoid)).toBe(`${who}: trace's hidden units must all be relu, and one is "sigmoid"`);
    expect(refused({ trace: other.trace, accuracies: [0.9] })).toMatch(/^diagnose\(trace, options\): sameSetupRelu: trace is not of this run's set-up/);
    const same = await run('relu', 'he-normal', 0.05);
    expect(refused({ trace: same.trace, accuracies: [0.9] })).toBe(`${who}: accuracies is [0.9]; expected 2 fractions from 0 to 1, one per epoch of its trace`);
    expect(refused({ trace: same.trace, accuracies: [0.9, 90] })).toContain('expected 2 fractions from 0 to 1');
    expect(refused({ trace: {}, accuracies: [] })).toBe(`${who}: trace is {}; expected the Trace of a relu network's run`);
    expect(refused(5)).toMatch(/^diagnose\(trace, options\): sameSetupRelu: expected an object \{ trace, accuracies \}, got 5/);
  }, 120_000);
});

describe("study (b) reads its own relu + he-normal run for its other runs' switch to relu", () => {
  it('keeps the study rate where its relu + he-normal run held there', async () => {
    const { runs, learningRate } = await runActivationStudy({ width: 32, epochs: 1, trainRows: 2000, testRows: 500, activations: ['sigmoid', 'relu'], inits: ['standard', 'he-normal'] });
    const relu = runs.find((r) => r.label === 'relu + he-normal')!;
    expect(relu.diagnosis!.evidence.deadLayers).toEqual([]);
    for (const r of runs.filter((r) => r.activation === 'sigmoid')) {
      const remedy = reluSwitch(r.diagnosis!.remedies);
      expect(rateOf(remedy), r.label).toBeUndefined();
      expect(remedy.why).toContain(`This line keeps the run's learning rate, ${learningRate}: at it a relu network with He's weights of this run's own set-up`);
      // The same run without the study's relu run: the digits' bound.
      expect(rateOf(reluSwitch(diagnose(r.trace!).remedies))).toBe(SGD_BOUND);
    }
  }, 180_000);
});
