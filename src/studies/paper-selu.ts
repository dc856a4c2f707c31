/**
 * Klambauer et al. (2017), "Self-Normalizing Neural Networks", the shape of Figure 1 (MNIST panel):
 * the training loss over epochs of networks with 8, 16 and 32 hidden layers, self-normalising
 * (SELU units, weights N(0, 1/n_in)) against ReLU with batch normalisation after each activation
 * (weights N(0, 2/n_in)), both by plain SGD on standardised inputs. Their set-up is the authors'
 * figure1/run.py (bioinf-jku/SNNs): batches of 128, learning rate 1e-5 on the batch's SUMMED loss
 * (TensorFlow differentiates the vector of losses as their sum), i.e. 1.28e-3 on the mean loss
 * gradscope trains on; 2,000 epochs; hidden layers as wide as the input (784).
 */
import { createNetwork, type Network } from '../api/network.js';
import { matrixRows, type Matrix } from '../data/matrix.js';
import { MNIST_SOURCE, type MnistSplit } from '../data/mnist.js';
import type { NetworkOptions } from '../network/config.js';
import { checkPaperOptions, epochsText, epochsUntilFailure, progressCounter, experimentEpochs, standardise, type PaperExperiment, type PaperOptions } from './paper-experiment.js';
import { loadStudyDigits } from './study-digits.js';
import { STUDY_SEED, TRAINABLE_WIDTH } from './study-defaults.js';
import { times, grouped } from '../counted.js';
import { BATCH_NORM_MOMENTUM } from '../layers/spec.js';
import { lossTexts } from '../loss-text.js';

/** The set-up as run (see the module comment). */
export const SELU_PAPER = {
  depths: [8, 16, 32],
  /** Hidden units: the trainable-depth study's width, not the paper's 784 (a 32-layer net of 784 costs 150× more per step). */
  width: TRAINABLE_WIDTH,
  batchSize: 128,
  /** 1e-5 on the summed loss of 128 rows. */
  learningRate: 1e-5 * 128,
  epochs: 15,
  /** Batch norm's ε: run.py's tf.layers.batch_normalization default (PyTorch's is 1e-5). */
  batchNormEpsilon: 1e-3,
} as const;

/**
 * Where the study's set-up departs from run.py's beyond the width, the epochs and the data (which the
 * experiment's differences give with the run's own numbers): every other difference, said where the
 * study reports them (test/studies/paper-experiments.test.ts holds the printed notes to it).
 */
export const SELU_SETUP_DIFFERENCES = [
  `the training loss is measured after each epoch (and before the first), where run.py logs it before each epoch; both in training mode, batches of ${SELU_PAPER.batchSize} in row order`,
  "the training loss counts every row, where run.py's sums the full batches only (its generate_minibatches keeps no smaller final batch) yet divides by all rows",
  "the output layer is initialised like the hidden ones (theirs: TensorFlow's Glorot uniform default)",
  `batch norm's running averages move at every step by PyTorch's momentum ${BATCH_NORM_MOMENTUM}, where run.py's (TensorFlow's decay 0.99) never move, its training op running no UPDATE_OPS; ` +
    'no loss here reads them, each being in training mode',
];

/** The network run.py builds for `variant` at `depth` hidden layers, at SELU_PAPER.width. */
export function seluNetworkOptions(variant: 'selu' | 'batch-norm', depth: number): NetworkOptions {
  const { width } = SELU_PAPER;
  if (variant === 'selu') return { sizes: [784, ...Array.from({ length: depth }, () => width), 10], activation: 'selu', init: 'lecun-normal', loss: 'cross-entropy' };
  const batchNorm = { type: 'batch-norm', epsilon: SELU_PAPER.batchNormEpsilon };
  const layers = [...Array.from({ length: depth }, () => [{ type: 'dense', units: width, activation: 'relu' }, batchNorm]).flat(), { type: 'dense', units: 10, activation: 'softmax' }];
  return { inputs: 784, layers: layers as unknown as NetworkOptions['layers'], init: 'he-normal', loss: 'cross-entropy' };
}

const LABEL = { selu: 'SNN (SELU)', 'batch-norm': 'ReLU + batch norm' } as const;

/** A loss curve, and why it stops early if it does. */
interface Curve {
  losses: number[];
  failed?: string;
}

/**
 * The loss over all training rows as run.py logs it: in training mode (batch norm normalises with
 * each batch's own statistics), in batches of SELU_PAPER.batchSize in row order, the rows' mean; the
 * last, shorter batch counted too, where run.py leaves it out (SELU_SETUP_DIFFERENCES). gradients() computes in that mode and moves no running statistics, so
 * measuring changes nothing the training uses.
 */
export function trainingModeLoss(net: Network, x: Matrix, y: Matrix): number {
  let sum = 0;
  for (let start = 0; start < x.rows; start += SELU_PAPER.batchSize) {
    const rows = Math.min(SELU_PAPER.batchSize, x.rows - start);
    sum += net.gradients(matrixRows(x, start, rows), matrixRows(y, start, rows)).loss * rows;
  }
  return sum / x.rows;
}

/** Training loss (trainingModeLoss) before training and after every epoch (until a numeric failure), or why the network cannot be built. */
async function lossCurve(variant: 'selu' | 'batch-norm', depth: number, x: ReturnType<typeof standardise>, y: MnistSplit['train']['y'], epochs: number, options: PaperOptions, onEpoch: () => void): Promise<Curve> {
  const net = await createNetwork({ ...seluNetworkOptions(variant, depth), seed: options.seed ?? STUDY_SEED, backend: options.backend });
  const data = net.dataset(x, y);
  try {
    const losses = [trainingModeLoss(net, x, y)];
    const failed = epochsUntilFailure(epochs, () => {
      // run.py's generate_minibatches keeps no smaller final batch: the rows left over sit out that epoch's steps.
      net.train(data, { optimizer: 'sgd', learningRate: SELU_PAPER.learningRate, batchSize: SELU_PAPER.batchSize, dropLast: true });
      losses.push(trainingModeLoss(net, x, y));
      onEpoch();
    });
    return { losses, ...(failed ? { failed } : {}) };
  } finally {
    data.dispose();
    net.dispose();
  }
}

/** Epochs after which the training loss was higher than after the epoch before: the curve's jitter (a run that stopped early counts its failure as one more). */
const rises = (c: Curve) => c.losses.slice(1).filter((v, i) => v > c.losses[i]).length + (c.failed ? 1 : 0);

/**
 * The share of epochs after which a curve's loss must rise to count as jittery here: the paper shows
 * the batch-norm curves' "high variance" as a jagged line, not a number, so this rule is ours.
 */
export const JITTER_SHARE = 0.2;

/** Whether the paper's "batch norm shows high variance" holds on these rises, by JITTER_SHARE, in words. */
export function varianceVerdict(seluRises: number, bnRises: number, epochs: number): string {
  const jittery = bnRises >= JITTER_SHARE * epochs && bnRises > seluRises;
  const rule = `(our rule: batch norm's loss rises after at least ${100 * JITTER_SHARE} % of the epochs, more often than the SNN's)`;
  return jittery ? `reproduces ${rule}` : `is NOT reproduced ${rule}`;
}

/** The loss after `epochs` epochs; a run that stopped before them has none (Infinity: any finished run is lower). */
const finalLoss = (c: Curve, epochs: number) => c.losses[epochs] ?? Infinity;
/** The two curves' losses after `epochs` epochs, told apart as lossTexts tells them; a run that stopped before them: none, and why. */
function finalTexts(curves: readonly Curve[], epochs: number): string[] {
  const texts = lossTexts(curves.map((c) => c.losses[epochs] ?? NaN));
  return curves.map((c, i) => (c.losses[epochs] === undefined ? `none (${c.failed})` : texts[i]));
}

/** The SELU paper's Figure 1 shape (see the module comment). */
export async function runSeluPaper(options: PaperOptions = {}): Promise<PaperExperiment> {
  checkPaperOptions(options);
  const digits = await loadStudyDigits(options.trainRows, options.testRows);
  const x = standardise(digits.train.x, digits.train.x);
  const epochs = experimentEpochs(SELU_PAPER.epochs, options);
  const findings: string[] = [];
  const series: { name: string; xs: number[]; ys: number[] }[] = [];
  const epochDone = progressCounter('paper-selu', 2 * SELU_PAPER.depths.length * epochs, options.onProgress);
  for (const depth of SELU_PAPER.depths) {
    const curve = async (variant: 'selu' | 'batch-norm') => {
      const name = `${LABEL[variant]}, ${depth} layers`;
      const c = await lossCurve(variant, depth, x, digits.train.y, epochs, options, () => epochDone(name));
      series.push({ name, xs: c.losses.map((_, e) => e), ys: c.losses });
      return c;
    };
    const selu = await curve('selu');
    const bn = await curve('batch-norm');
    const lower = finalLoss(selu, epochs) < finalLoss(bn, epochs);
    const [seluText, bnText] = finalTexts([selu, bn], epochs);
    findings.push(
      `${depth} layers: training loss after ${epochsText(epochs)} ${seluText} (SNN) against ${bnText} (ReLU + batch norm); ` +
        `the loss over all ${grouped(digits.train.x.rows)} training digits rose from one epoch to the next ${times(rises(selu))} in ${epochs} for the SNN and ${times(rises(bn))} for ReLU + batch norm. ` +
        `The paper's "SNNs learn faster" ${lower ? 'reproduces' : 'does NOT reproduce'} here; its "batch norm shows high variance" (their Figure 1, 2,000 epochs) ${varianceVerdict(rises(selu), rises(bn), epochs)}.`,
    );
  }
  return {
    id: 'paper-selu',
    title: 'Klambauer et al. (2017), self-normalising networks, the shape of Figure 1',
    setup:
      `${SELU_PAPER.depths.join(', ')} hidden layers of ${SELU_PAPER.width}; SNN: SELU, weights N(0, 1/n_in); against: ReLU followed by batch norm, weights N(0, 2/n_in); ` +
      `batch norm's ε ${SELU_PAPER.batchNormEpsilon.toExponential()} (run.py's TensorFlow default); softmax + cross-entropy; plain SGD, batches of ${SELU_PAPER.batchSize} (the rows left over sit out each epoch, as run.py's), ` +
      `learning rate ${SELU_PAPER.learningRate.toPrecision(3)} on the mean loss, ${epochsText(epochs)} over ${grouped(digits.train.x.rows)} standardised digits; training loss over all of them after every epoch, in training mode as run.py measures it (batch norm with each batch of ${SELU_PAPER.batchSize}'s own statistics).`,
    differences: [
      `hidden layers of ${SELU_PAPER.width} units, not 784`,
      `${epochsText(epochs)}, not 2,000`,
      `${grouped(digits.train.x.rows)} of ${MNIST_SOURCE}, not MNIST's 60,000`,
      ...SELU_SETUP_DIFFERENCES,
    ],
    charts: [{ id: 'paper-selu-loss', title: 'Training loss over epochs (log scale): SNN against ReLU + batch norm (their Fig. 1, left)', xLabel: 'epoch', yLabel: 'training loss', logY: true, series }],
    findings,
  };
}
