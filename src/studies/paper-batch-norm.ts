/**
 * Ioffe & Szegedy (2015), "Batch Normalization", §4.1 and Figure 1, on the digits (loadMnist's): a
 * 784-100-100-100-10 network of sigmoids (weights small random Gaussians), softmax and cross-entropy,
 * mini-batches of 60, trained with and without batch normalisation of each hidden layer's input to
 * its sigmoid (BN(Wu), as their §3.2; the dense bias kept: BATCH_NORM_SETUP_DIFFERENCES). Recorded over training: held-out accuracy (their Fig. 1a),
 * and the 15th, 50th and 85th percentiles over the held-out digits of the input to one sigmoid of
 * the last hidden layer (their Fig. 1b, c).
 *
 * The paper gives neither the learning rate nor the weights' scale ("small random Gaussian
 * values"): here SGD at 0.5 and N(0, 0.1²) (BATCH_NORM_SETUP_DIFFERENCES says why, with every other
 * way the set-up departs from theirs).
 */
import { createNetwork, type Network } from '../api/network.js';
import { MNIST_SOURCE, type MnistSplit } from '../data/mnist.js';
import type { NetworkOptions } from '../network/config.js';
import { checkPaperOptions, epochsText, epochsUntilFailure, progressCounter, experimentEpochs, type PaperExperiment, type PaperOptions } from './paper-experiment.js';
import { quantile } from '../median.js';
import { finiteRange } from '../flow/svg.js';
import { loadStudyDigits } from './study-digits.js';
import { STUDY_SEED } from './study-defaults.js';
import { percentText } from '../percent-text.js';
import { grouped } from '../counted.js';
import { decimalsShowing } from './compared-decimals.js';
import { BATCH_NORM_MOMENTUM, NORM_EPSILON } from '../layers/spec.js';
import { ACCURACY_STANDARD_ERRORS, binomialVariance } from './accuracy-errors.js';

/** The set-up as run (see the module comment). */
export const BATCH_NORM_PAPER = {
  hidden: [100, 100, 100],
  batchSize: 60,
  learningRate: 0.5,
  initStd: 0.1,
  /** 67 epochs of 9,000 digits ≈ 10,000 steps: about the paper's 50 epochs (50,000 steps of 60 on 60,000 digits) in epochs, a fifth in steps. */
  epochs: 67,
  /** The paper's training: 50,000 steps. */
  paperSteps: 50_000,
  /** The sigmoid whose input is followed: this unit of the last hidden layer. */
  unit: 0,
  /** Its percentiles. */
  percentiles: [0.15, 0.5, 0.85],
} as const;

/**
 * Where the study's set-up departs from the paper's beyond the data and the length of training (which
 * the experiment's differences give with the run's own numbers): every difference, said where the
 * study reports them (test/studies/paper-experiments.test.ts holds the printed notes to it).
 */
export const BATCH_NORM_SETUP_DIFFERENCES = [
  `the learning rate, the weights' scale and batch norm's ε are not given in the paper: the first two are the pair at which the network without batch norm trains in a pilot ` +
    `(N(0, 0.01²) barely moved in 20 epochs, N(0, 1) trained slower), ε is PyTorch's ${NORM_EPSILON.toExponential()}`,
  "each hidden dense layer keeps its bias before batch norm, where the paper normalises Wu without one (BN(Wu)): the bias starts at 0 and batch norm subtracts it again, " +
    'so its gradient is 0 up to rounding and it changes nothing downstream',
  `at inference (the held-out accuracy, and the followed input) batch norm uses running averages of the batches' statistics, moved at every step by PyTorch's momentum ${BATCH_NORM_MOMENTUM} ` +
    "(the variance unbiased), where the paper's inference uses the trained network's population statistics, averaged over training mini-batches (their Algorithm 2); " +
    'before the first step the running averages are at their start (mean 0, variance 1), so the record at step 0 with batch norm shows the input un-normalised',
  `the followed sigmoid is unit ${BATCH_NORM_PAPER.unit + 1} of the last hidden layer (the paper does not say which)`,
];

/** The followed percentiles as the charts and findings name them: '15th', '50th', '85th'. */
const PERCENTILE_NAMES = BATCH_NORM_PAPER.percentiles.map((q) => `${Math.round(100 * q)}th`);

/** What one network's training recorded, once per epoch (and before the first). */
interface Record {
  steps: number[];
  accuracy: number[];
  /** Per percentile of BATCH_NORM_PAPER.percentiles, its value at each record. */
  percentiles: number[][];
  /** Where and why training stopped early, if it did. */
  failed?: string;
}

/**
 * The layers of the network up to the followed sigmoid's input (the last hidden layer's dense, or
 * its batch norm), as a network of their own: its outputs are the inputs of the last sigmoids.
 */
function prefixOptions(batchNorm: boolean): NetworkOptions {
  const { hidden } = BATCH_NORM_PAPER;
  const layers = batchNorm
    ? [...hidden.flatMap((units) => [{ type: 'dense', units }, { type: 'batch-norm' }, { type: 'activation', activation: 'sigmoid' }]).slice(0, -1)]
    : hidden.map((units, l) => ({ type: 'dense', units, activation: l < hidden.length - 1 ? 'sigmoid' : 'linear' }));
  return { inputs: 784, layers: layers as unknown as NetworkOptions['layers'], loss: 'mse' };
}

/**
 * The input of the followed sigmoid for every row of x: the trained network's state copied by name
 * into its prefix (Network.state and loadState; batch norm with its running statistics, as
 * predict() runs it), whose outputs are that input.
 */
function sigmoidInputs(net: Network, prefix: Network, x: Parameters<Network['predict']>[0]): Float64Array {
  const state = new Map(net.state().map((t) => [t.name, t]));
  prefix.loadState(prefix.state().map((t) => state.get(t.name)!));
  return Float64Array.from(prefix.predict(x), (row) => row[BATCH_NORM_PAPER.unit]);
}

function networkOptions(batchNorm: boolean): NetworkOptions {
  const { hidden, initStd } = BATCH_NORM_PAPER;
  const init = { name: 'normal', std: initStd } as const;
  if (!batchNorm) return { sizes: [784, ...hidden, 10], activation: 'sigmoid', init, loss: 'cross-entropy' };
  const layers = [
    ...hidden.flatMap((units) => [{ type: 'dense', units }, { type: 'batch-norm' }, { type: 'activation', activation: 'sigmoid' }]),
    { type: 'dense', units: 10, activation: 'softmax' },
  ];
  return { inputs: 784, layers: layers as unknown as NetworkOptions['layers'], init, loss: 'cross-entropy' };
}

async function train(batchNorm: boolean, digits: MnistSplit, epochs: number, options: PaperOptions, onEpoch: () => void): Promise<Record> {
  const net = await createNetwork({ ...networkOptions(batchNorm), seed: options.seed ?? STUDY_SEED, backend: options.backend });
  let prefix: Network;
  try {
    prefix = await createNetwork({ ...prefixOptions(batchNorm), backend: options.backend });
  } catch (error) {
    net.dispose();
    throw error;
  }
  const train = net.dataset(digits.train.x, digits.train.y);
  const test = net.dataset(digits.test.x, digits.test.y);
  try {
    const record: Record = { steps: [], accuracy: [], percentiles: BATCH_NORM_PAPER.percentiles.map(() => []) };
    // Steps from the network's own count (onBatch would make train measure the parameters again after every batch).
    const firstStep = net.step;
    const measure = () => {
      record.steps.push(net.step - firstStep);
      record.accuracy.push(net.evaluate(test).accuracy);
      const z = sigmoidInputs(net, prefix, digits.test.x);
      BATCH_NORM_PAPER.percentiles.forEach((q, i) => record.percentiles[i].push(quantile(z, q)));
    };
    measure();
    const failed = epochsUntilFailure(epochs, () => {
      net.train(train, { optimizer: 'sgd', learningRate: BATCH_NORM_PAPER.learningRate, batchSize: BATCH_NORM_PAPER.batchSize });
      measure();
      onEpoch();
    });
    return failed ? { ...record, failed } : record;
  } finally {
    train.dispose();
    test.dispose();
    prefix.dispose();
    net.dispose();
  }
}

const num = (v: number) => v.toFixed(2);

/**
 * The binomial standard error of the difference of two accuracies a and b, each over `rows` held-out
 * digits, taken as independent samples (the same digits make the true error smaller: a cautious bound).
 */
export function accuracyDifferenceError(a: number, b: number, rows: number): number {
  return Math.sqrt(binomialVariance(a, rows) + binomialVariance(b, rows));
}

/** Whether accuracy `a` exceeds `b` by more than ACCURACY_STANDARD_ERRORS standard errors of their difference. */
export function clearlyHigher(a: number, b: number, rows: number): boolean {
  return a - b > ACCURACY_STANDARD_ERRORS * accuracyDifferenceError(a, b, rows);
}


/**
 * The verdict on "higher test accuracy with batch norm, reached faster" from the accuracies with and
 * without it, early and at the end, over `rows` held-out digits: it reproduces only when batch norm
 * is clearly higher (clearlyHigher) at both points; when it is higher or equal but within the
 * standard errors somewhere, the numbers are consistent with the claim but do not show it.
 */
export function accuracyVerdict(withEarly: number, withoutEarly: number, withLast: number, withoutLast: number, rows: number): string {
  // In points: each difference, and the margin it is held to.
  const [early, last] = [100 * (withEarly - withoutEarly), 100 * (withLast - withoutLast)];
  const [earlyMargin, lastMargin] = [100 * ACCURACY_STANDARD_ERRORS * accuracyDifferenceError(withEarly, withoutEarly, rows), 100 * ACCURACY_STANDARD_ERRORS * accuracyDifferenceError(withLast, withoutLast, rows)];
  // The decimals that show each difference against its margin and against 0 (clearlyHigher's and the tie's comparisons).
  const decimals = decimalsShowing([[early, earlyMargin], [last, lastMargin], [early, 0], [last, 0]]);
  const points = (v: number) => v.toFixed(decimals);
  const margins =
    `differences ${points(early)} and ${points(last)} points, against ${ACCURACY_STANDARD_ERRORS} standard errors of ` +
    `${points(earlyMargin)} and ${points(lastMargin)} points (binomial, ${grouped(rows)} held-out digits, one seed)`;
  const claim = 'the paper\'s "higher test accuracy with batch norm, reached faster"';
  if (clearlyHigher(withEarly, withoutEarly, rows) && clearlyHigher(withLast, withoutLast, rows)) return `${margins}: ${claim} reproduces here.`;
  if (withEarly >= withoutEarly && withLast >= withoutLast) return `${margins}: ${claim} does NOT reproduce here beyond the standard errors (a tie where a difference is within them): consistent with it, not evidence for it.`;
  return `${margins}: ${claim} does NOT reproduce here.`;
}

/**
 * The first record the distribution's stability is read from: the end of the first epoch, for both
 * networks. The record before the first step is left out of both: with batch norm it is taken in
 * evaluation mode with running statistics at their start (mean 0, variance 1), so batch norm passes
 * the input through un-normalised and that record shows the network without batch norm (the same
 * seed draws the same weights: the two runs' first records are equal), not the distribution batch
 * norm gives its sigmoid. After one epoch (⌈rows / 60⌉ steps at momentum 0.1; 150 on 9,000 digits)
 * the running statistics are the batches' own.
 */
export const STABILITY_FROM_RECORD = 1;

/**
 * How much narrower than without batch norm each percentile's band must be with it for the paper's
 * "much more stable" to count: at most this share of the width. Their Figure 1 shows it as curves,
 * not a number, so this rule is ours.
 */
export const MUCH_NARROWER = 0.5;

/**
 * Internal covariate shift as Ioffe & Szegedy show it in their Fig. 1b–c (the 15th, 50th and 85th
 * percentiles of a sigmoid's input over training): for each percentile's curve, the width of the
 * band it moves in (highest minus lowest value) over the records from `from` to the last. Every move
 * counts, a trend and the jitter from one record to the next alike: either is a distribution the
 * layers above must follow.
 */
export function percentileBands(percentiles: readonly (readonly number[])[], from = STABILITY_FROM_RECORD): number[] {
  return percentiles.map((curve) => {
    const kept = curve.slice(from);
    return Math.max(...kept) - Math.min(...kept);
  });
}

/**
 * The verdict on "the distribution is much more stable with batch norm" from the bands without and
 * with it (percentileBands, in BATCH_NORM_PAPER.percentiles' order): it reproduces when every band
 * with batch norm is at most MUCH_NARROWER of the one without; narrower but not that much, or wider
 * somewhere, it does not.
 */
export function stabilityVerdict(without: readonly number[], withBn: readonly number[]): string {
  const ratios = withBn.map((band, i) => band / without[i]);
  const rule = `(our rule: every percentile's band with batch norm at most ${MUCH_NARROWER}× as wide as without)`;
  const claim = 'the paper\'s "the distribution is much more stable with batch norm"';
  // Two decimals, or more where they would not show a ratio against the rule's MUCH_NARROWER or against 1 (narrower or not).
  const decimals = decimalsShowing(ratios.flatMap((r) => [[r, MUCH_NARROWER] as const, [r, 1] as const]), 2);
  const shown = `${ratios.map((r) => `${r.toFixed(decimals)}×`).join(', ')} as wide with batch norm`;
  if (ratios.every((r) => r <= MUCH_NARROWER)) return `${shown}: ${claim} reproduces here ${rule}.`;
  if (ratios.every((r) => r < 1)) return `${shown}: ${claim} does NOT reproduce here ${rule}, though every band is narrower with it.`;
  return `${shown}: ${claim} does NOT reproduce here ${rule}.`;
}

/** The stability finding: the bands of the followed input's percentiles over the window, without and with batch norm, and the verdict. */
export function stabilityFinding(without: Pick<Record, 'steps' | 'percentiles'>, withBn: Pick<Record, 'steps' | 'percentiles'>): string {
  const records = without.steps.length - STABILITY_FROM_RECORD;
  const window = `from the end of the first epoch (step ${STABILITY_FROM_RECORD < without.steps.length ? grouped(without.steps[STABILITY_FROM_RECORD]) : '—'}) to the last record`;
  if (records < 2) return `The followed sigmoid's input ${window}: ${records < 1 ? 'no record' : 'one record'}, so its stability is not compared (train more than one epoch).`;
  const [a, b] = [percentileBands(without.percentiles), percentileBands(withBn.percentiles)];
  return (
    `The followed sigmoid's input ${window}, ${records} records (the record before the first step left out of both: with batch norm it is taken with running statistics at their start, ` +
    `mean 0 and variance 1, so it shows the input un-normalised): its ${PERCENTILE_NAMES.join(', ')} percentiles stayed within bands ${a.map(num).join(', ')} wide without batch norm ` +
    `and ${b.map(num).join(', ')} with it; ${stabilityVerdict(a, b)}`
  );
}

/** Batch norm's §4.1 experiment (see the module comment). */
export async function runBatchNormPaper(options: PaperOptions = {}): Promise<PaperExperiment> {
  checkPaperOptions(options);
  const digits = await loadStudyDigits(options.trainRows, options.testRows);
  const epochs = experimentEpochs(BATCH_NORM_PAPER.epochs, options);
  const epochDone = progressCounter('paper-batch-norm', 2 * epochs, options.onProgress);
  const without = await train(false, digits, epochs, options, () => epochDone('without batch norm'));
  const withBn = await train(true, digits, epochs, options, () => epochDone('with batch norm'));
  const runs = [
    { name: 'without batch norm', record: without },
    { name: 'with batch norm', record: withBn },
  ];
  const steps = without.steps;
  // Fig. 1b and 1c on one y range, as the paper draws them, so the bands' widths compare by eye (lecturer53 #11: each fitted its own).
  const z = finiteRange(runs.flatMap(({ record }) => record.percentiles.flat()));
  const zRange = z && z[0] < z[1] ? { yRange: z } : {};
  const early = Math.max(1, Math.round(steps.length / 10));
  const findings: string[] = [];
  for (const { name, record } of runs) if (record.failed) findings.push(`Training ${name} ${record.failed}: its curves end there, and the paper's claims are not compared.`);
  if (!without.failed && !withBn.failed) {
    const at = (r: Record, i: number) => `${percentText(r.accuracy[i])} at step ${grouped(r.steps[i])}`;
    const last = steps.length - 1;
    findings.push(
      `Held-out accuracy with batch norm ${at(withBn, early)} and ${at(withBn, last)}; without ${at(without, early)} and ${at(without, last)}; ` +
        accuracyVerdict(withBn.accuracy[early], without.accuracy[early], withBn.accuracy[last], without.accuracy[last], digits.test.x.rows),
    );
    findings.push(stabilityFinding(without, withBn));
  }
  return {
    id: 'paper-batch-norm',
    title: 'Ioffe & Szegedy (2015), batch normalisation, §4.1 and Figure 1',
    setup:
      `784-100-100-100-10, sigmoid hidden units, weights N(0, ${BATCH_NORM_PAPER.initStd}²), softmax + cross-entropy; SGD, learning rate ${BATCH_NORM_PAPER.learningRate}, ` +
      `batches of ${BATCH_NORM_PAPER.batchSize}, ${epochsText(epochs)} over ${grouped(digits.train.x.rows)} digits (${grouped(steps[steps.length - 1])} steps); with batch norm: dense → batch norm → sigmoid ` +
      `in each hidden layer. Recorded after every epoch on ${grouped(digits.test.x.rows)} held-out digits.`,
    differences: [
      `the digits: the first ${grouped(digits.train.x.rows)} of ${MNIST_SOURCE} for training and the next ${grouped(digits.test.x.rows)} held out, not MNIST's 60,000 and 10,000`,
      `${grouped(steps[steps.length - 1])} steps instead of ${grouped(BATCH_NORM_PAPER.paperSteps)} (${epochsText(epochs)} against their 50)`,
      ...BATCH_NORM_SETUP_DIFFERENCES,
    ],
    charts: [
      {
        id: 'paper-batch-norm-accuracy',
        title: 'Held-out accuracy over training, with and without batch norm (their Fig. 1a)',
        xLabel: 'step',
        yLabel: 'accuracy',
        series: runs.map(({ name, record }) => ({ name, xs: record.steps, ys: record.accuracy })),
      },
      ...runs.map(({ name, record }, i) => ({
          id: `paper-batch-norm-input-${i}`,
          title: `Input to one sigmoid of the last hidden layer over training, ${name}: 15th, 50th, 85th percentiles (their Fig. 1${name === 'with batch norm' ? 'c' : 'b'})`,
          xLabel: 'step',
          yLabel: 'z',
          ...zRange,
          series: record.percentiles.map((ys, k) => ({ name: `${PERCENTILE_NAMES[k]} percentile`, xs: record.steps, ys })),
        })),
    ],
    findings,
  };
}
