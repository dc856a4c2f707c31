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
import { OWN_ROWS, OWN_ROWS_MEASURED, RELU_RATE_SETUP, RELU_REMEDY_RATES, reluRemedyRate } from '../../src/flow/relu-remedy-rates.js';
import { applied, type RemedyRun, wideColumnSigmoid } from '../../scripts/remedy-setups.js';
import type { Remedy } from '../../src/flow/remedy.js';
import type { Activation } from '../../src/kernels.js';
import type { WeightInitName } from '../../src/init/initializers.js';
import { DEPTH_NETWORK_OPTIONS, DEPTH_NETWORKS, DEPTH_ROWS, DEPTH_TRAINING_SEED, firstRows, NIELSEN_TRAINING, nielsenTraining } from '../../src/studies/depth.js';
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
    expect(relu.why).toContain('10 epochs of sgd in batches of 32 on 9,000 digits; at widths 16, 64, 128 and 256 too, over other depths and seeds) all ended with a lower loss, no layer dead and their last epoch\'s test accuracy within 5 points of their best');
    // Measured on the digits alone: the page's data sets held plain SGD at 0.05 to 0.2 (newuser43: on 20-feature rows the digits' 0.002 was the
    // worst of four rates, the run's own the best), so the run's own rate is offered beside it.
    expect(relu.why).toMatch(quotePattern(quoteOn('docs/gradient-flow.md', "That bound is the digits'")));
    expect(relu.why).toContain("That bound is the digits': measured the same way on the visualizer's 4 data sets, the bound for sgd was 0.05 to 0.2, so on rows other than the digits try the run's own rate, 0.5, beside it.");
    // One epoch, 282 steps: the budget is said, the row kept (the run's own 0.5 is no remedy here: below, the switch at it dies).
    expect(relu.why).toContain('It held over 2,820 steps in batches of 32; this run took 282 steps in batches of 32, a budget not measured.');
    expect(relu.why).toMatch(quotePattern(quoteOn('docs/gradient-flow.md', 'It held over 2,820 steps')));

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

  it("offers study (a)'s deepest network, trained as the study trains it (one batch of 1,000 digits, 500 epochs), the full-batch bound, not the batch-32 0.002 (newuser46 #1)", async () => {
    const { train } = await loadMnist({ take: { train: DEPTH_ROWS } });
    const net = await createNetwork({ sizes: DEPTH_NETWORKS.at(-1)!, seed: DEPTH_TRAINING_SEED, ...DEPTH_NETWORK_OPTIONS });
    net.train(train.x, train.y, { epochs: NIELSEN_TRAINING.epochs, ...nielsenTraining(DEPTH_ROWS), trace: { every: 10 } });
    const d = diagnose(net.trace!);
    net.dispose();
    expect(d.verdict).toBe('vanishing');
    const relu = d.remedies[0];
    expect(valueOf(relu, 'activation')).toBe('relu');
    expect(Number(valueOf(relu, 'learningRate'))).toBe(RELU_REMEDY_RATES['full-batch'].rates.sgd);
    expect(RELU_REMEDY_RATES['full-batch'].rates.sgd).not.toBe(RELU_REMEDY_RATES.command.rates.sgd);
    expect(relu.why).toContain(`The run's learning rate, 0.1, is above ${RELU_REMEDY_RATES['full-batch'].rates.sgd}, the largest rate of a grid at which relu networks with He's weights (2, 3, 4, 5, 8 hidden layers of 30, 3 seeds each, 500 epochs of sgd in one batch of all 1,000 digits as study (a) trains them`);
    expect(relu.why).toContain("That bound is the digits', so on rows other than the digits try the run's own rate, 0.1, beside it.");
    expect(relu.why).not.toContain('batches of 32');
    const sgd = RELU_REMEDY_RATES['full-batch'].rates.sgd;
    expect(d.headline).toContain(`Try activation: 'relu', init: 'he-normal', learningRate: ${sgd} (${sgd} is a careful bound, the largest rate at which every relu network measured held, not the rate that trains one best; the first of`);
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

  it("on rows none of the set-ups measured ('own-rows'): keeps the run's rate up to the largest bound, the digits' beside it", () => {
    const circles = RELU_REMEDY_RATES['page-circles'].rates.sgd;
    expect(reluRemedyRate({ optimizer: 'sgd', learningRate: 0.1 }, OWN_ROWS)).toBeUndefined();
    expect(reluRemedyRate({ optimizer: 'sgd', learningRate: 0.5 }, OWN_ROWS)).toBe(circles);
    // The largest bound of the rows measured in mini-batches: the full-batch row's, measured without a batch's noise, is none of own-rows' ceiling.
    const miniBatch = Object.entries(RELU_REMEDY_RATES).filter(([row]) => row !== 'full-batch').map(([, r]) => r.rates as { sgd: number; adam: number });
    expect(Math.max(...miniBatch.map((r) => r.sgd))).toBe(circles);
    expect(reluRemedyRate({ optimizer: 'adam', learningRate: 0.01 }, OWN_ROWS)).toBe(Math.max(...miniBatch.map((r) => r.adam)));
  });
});

/** Whole percents' range "83–93 %" (or "39 %") as [low, high]. */
const percents = (range: string) => {
  const [low, high = low] = range.replace(' %', '').split('–').map(Number);
  return [low, high];
};

describe("the relu remedy on a caller's own rows (newuser45 #5: the digits' 0.002 in the command, 'try the run's own rate' in its reason)", () => {
  /** Seed 1 of `run` trained, diagnosed as `gradscope study --model --data` diagnoses it and as the digits' row would, and its relu switch applied. */
  async function diagnosed(run: RemedyRun) {
    const net = await createNetwork({ ...run.net, seed: 1 });
    net.train(run.x, run.y, run.train);
    const trace = net.trace!;
    net.dispose();
    const relu = (d: ReturnType<typeof diagnose>) => d.remedies.find((r) => valueOf(r, 'activation') === 'relu')!;
    return { own: relu(diagnose(trace, { reluRates: OWN_ROWS })), digits: relu(diagnose(trace)) };
  }
  const accuracyAt = async (run: RemedyRun, remedy: Remedy, rate?: number) => {
    const changed = applied(run, rate === undefined ? remedy.settings : [...remedy.settings, { option: 'learningRate', value: String(rate), setting: rate }]);
    const net = await createNetwork({ ...changed.net, seed: 1 });
    try {
      net.train(changed.x, changed.y, changed.train);
      return { accuracy: Math.round(100 * net.evaluate(changed.x, changed.y).accuracy!), verdict: diagnose(net.trace!).verdict };
    } finally {
      net.dispose();
    }
  };
  const expectIn = (range: string, accuracy: number) => {
    const [low, high] = percents(range);
    expect(accuracy).toBeGreaterThanOrEqual(low);
    expect(accuracy).toBeLessThanOrEqual(high);
  };

  it('standardised rows: the line keeps the run\'s 0.1 (seed 1 inside the measured range), the reason names the digits\' 0.002 and what it reached', async () => {
    const run = applied(wideColumnSigmoid(), [{ option: 'inputs', value: 'standardised' }]);
    const { own, digits } = await diagnosed(run);
    expect(valueOf(digits, 'learningRate')).toBe(String(RELU_REMEDY_RATES.command.rates.sgd));
    expect(own.settings.map((s) => s.option)).toEqual(['activation', 'init']);
    expect(own.why).toContain("This line keeps the run's learning rate, 0.1: the largest rate at which relu networks with He's weights all ended with a lower loss");
    expect(own.why).toMatch(quotePattern(quoteOn('docs/gradient-flow.md', "This line keeps the run's")));
    expect(own.why).toContain(`was 0.002 on the digits (2, 3, 5, 8 hidden layers of 30, 3 seeds each, 10 epochs of sgd in batches of 32 on 9,000 digits; at widths 16, 64, 128 and 256 too, over other depths and seeds), and measured the same way on the visualizer's 4 data sets, the bound for sgd was 0.05 to 0.2: it depends on the rows, and these are none of them.`);
    const S = OWN_ROWS_MEASURED.standardised;
    expect(own.why).toContain(`standardised, reached ${S.runRate} of their rows right at 0.1 and ${S.digitsRate} at 0.002.`);
    expect(own.why).not.toContain("try the run's own rate");
    expectIn(S.runRate, (await accuracyAt(run, own)).accuracy);
    expectIn(S.digitsRate, (await accuracyAt(run, own, 0.002)).accuracy);
  }, 60_000);

  it("standardised rows, an optimiser no row measured (RMSprop): the relu line keeps the run's rate and its reason reads no row's set-up (study --model threw from inside, 2f458af1)", async () => {
    const run = applied(wideColumnSigmoid(), [{ option: 'inputs', value: 'standardised' }]);
    const net = await createNetwork({ ...run.net, seed: 1 });
    net.train(run.x, run.y, { ...run.train, optimizer: 'rmsprop', learningRate: 0.01 });
    const trace = net.trace!;
    net.dispose();
    const relu = diagnose(trace, { reluRates: OWN_ROWS }).remedies.find((r) => valueOf(r, 'activation') === 'relu');
    expect(relu).toBeDefined();
    expect(relu!.settings.map((s) => s.option)).not.toContain('learningRate');
  }, 60_000);

  it("rows far from standardised: the line takes the digits' 0.002, whose measured range seed 1 falls in; at the run's 0.1 seed 1 ends with a dead layer", async () => {
    const run = wideColumnSigmoid();
    const { own } = await diagnosed(run);
    expect(valueOf(own, 'learningRate')).toBe('0.002');
    const R = OWN_ROWS_MEASURED.raw;
    expect(own.why).toContain(
      `These rows are not the digits, but their inputs are far from standardised, whose size a relu layer passes on unsquashed: [8, 6 × 32, 3] relu networks with He's weights (plain SGD, 10 epochs, seeds 1–3) over 350 rows whose fourth feature is 20 + 5·N(0, 1) reached ${R.digitsRate} of their rows right at 0.002, and at 0.1 one ended with a dead layer (${R.runRate}) and two ran away;`,
    );
    expect(own.why).not.toContain("try the run's own rate");
    expectIn(R.digitsRate, (await accuracyAt(run, own)).accuracy);
    const atRunRate = await accuracyAt(run, own, 0.1);
    expectIn(R.runRate, atRunRate.accuracy);
    expect(atRunRate.verdict).toBe('dead');
  }, 60_000);
});
