/**
 * Bachlechner et al. (2020), "ReZero is All You Need", its deep fully connected network against a
 * plain residual one, as the authors' notebook ReZero-Deep_Fast_NeuralNetwork.ipynb
 * (tbachlechner/ReZero-examples) runs it: an input layer with ReLU, then 64 blocks
 * x + relu(Wx + b) (residual) or x + α·relu(Wx + b) with one α per block starting at 0 (ReZero), a
 * linear output with softmax cross-entropy, Adagrad at 0.01, batches of 100; the residual blocks'
 * weights Xavier normal with gain √0.25 (variance 0.25/width), ReZero's with gain √2 (variance
 * 2/width, He's). Their claim: ReZero's training loss falls much faster.
 */
import { createNetwork } from '../api/network.js';
import { grouped } from '../counted.js';
import { lossTexts } from '../loss-text.js';
import type { NetworkOptions } from '../network/config.js';
import { createOptimizer } from '../optim/index.js';
import { checkPaperOptions, epochsText, epochsUntilFailure, progressCounter, experimentEpochs, type PaperExperiment, type PaperOptions } from './paper-experiment.js';
import { loadStudyDigits } from './study-digits.js';
import { batchesPerEpoch } from '../epoch-batches.js';
import { STUDY_SEED, TRAINABLE_WIDTH } from './study-defaults.js';

/** The set-up as run (see the module comment). */
export const REZERO_PAPER = {
  /** Residual blocks after the input layer (the notebook's depth). */
  blocks: 64,
  /** Units per layer: the trainable-depth study's width, not the notebook's 256. */
  width: TRAINABLE_WIDTH,
  batchSize: 100,
  learningRate: 0.01,
  epochs: 10,
} as const;

const GATES = ['none', 'rezero'] as const;
type Gate = (typeof GATES)[number];

function networkOptions(gate: Gate): NetworkOptions {
  const { blocks, width } = REZERO_PAPER;
  const block = { type: 'residual', gate, layers: [{ type: 'dense', units: width, activation: 'relu' }] };
  const layers = [{ type: 'dense', units: width, activation: 'relu' }, ...Array.from({ length: blocks }, () => block), { type: 'dense', units: 10, activation: 'softmax' }];
  // One initialiser for every layer: the branches' (see the module comment); the input layer's differs from the notebook's Kaiming normal.
  const init = gate === 'rezero' ? 'he-normal' : ({ name: 'normal', std: Math.sqrt(0.25 / width) } as const);
  return { inputs: 784, layers: layers as unknown as NetworkOptions['layers'], init, loss: 'cross-entropy' };
}

const LABEL: Record<Gate, string> = { none: 'residual', rezero: 'ReZero' };

/** ReZero against a plain residual stack (see the module comment). */
export async function runRezeroPaper(options: PaperOptions = {}): Promise<PaperExperiment> {
  checkPaperOptions(options);
  const digits = await loadStudyDigits(options.trainRows, options.testRows);
  const epochs = experimentEpochs(REZERO_PAPER.epochs, options);
  const curves = {} as Record<Gate, number[]>;
  const failures: Partial<Record<Gate, string>> = {};
  const epochDone = progressCounter('paper-rezero', GATES.length * epochs, options.onProgress);
  for (const gate of GATES) {
    const net = await createNetwork({ ...networkOptions(gate), seed: options.seed ?? STUDY_SEED, backend: options.backend });
    const data = net.dataset(digits.train.x, digits.train.y);
    // One Adagrad for every epoch's train() call, so its sums of squares carry over.
    const optimizer = createOptimizer(net, 'adagrad');
    try {
      const losses: number[] = [];
      // The notebook prints the mean of the epoch's batch losses (each before its update); train() returns the same per epoch.
      const failed = epochsUntilFailure(epochs, () => {
        losses.push(net.train(data, { optimizer, learningRate: REZERO_PAPER.learningRate, batchSize: REZERO_PAPER.batchSize }).epochs[0].loss);
        epochDone(LABEL[gate]);
      });
      curves[gate] = losses;
      if (failed) failures[gate] = failed;
    } finally {
      optimizer.dispose();
      data.dispose();
      net.dispose();
    }
  }
  const findings: string[] = [];
  const { none, rezero } = curves;
  // A run that stopped early has no last-epoch loss: Infinity, which any finished run beats.
  const final = (c: number[]) => c[epochs - 1] ?? Infinity;
  // The two finals (and the target, one of them) told apart as lossTexts tells them.
  const [rezeroText, noneText] = lossTexts([final(rezero), final(none)]);
  const text = (c: number[], gate: Gate, told: string) => (c[epochs - 1] === undefined ? `none (${failures[gate]})` : told);
  // Epochs until the loss first falls to the slower run's final loss: how much sooner the faster one gets there.
  const target = Math.max(final(none), final(rezero));
  const reach = (c: number[]) => (Number.isFinite(target) ? `${c.findIndex((v) => v <= target) + 1}` : '—');
  const faster = final(rezero) < final(none);
  findings.push(
    `Mean training loss of the last epoch: ${text(rezero, 'rezero', rezeroText)} (ReZero) against ${text(none, 'none', noneText)} (residual); ` +
      `epochs to reach ${Number.isFinite(target) ? (target === final(none) ? noneText : rezeroText) : 'the slower one\'s'}: ${reach(rezero)} and ${reach(none)}. The paper's "ReZero converges faster than a residual network" ` +
      `${faster ? 'reproduces' : 'does NOT reproduce'} here.`,
  );
  return {
    id: 'paper-rezero',
    title: 'Bachlechner et al. (2020), ReZero against a plain residual network at depth 64',
    setup:
      `784 → ${REZERO_PAPER.width} relu, then ${REZERO_PAPER.blocks} blocks x + relu(Wx + b) or x + α·relu(Wx + b) (α from 0), then 10 softmax + cross-entropy; ` +
      `Adagrad, learning rate ${REZERO_PAPER.learningRate}, batches of ${REZERO_PAPER.batchSize}, ${epochsText(epochs)} over ${grouped(digits.train.x.rows)} digits; ` +
      'weights N(0, 0.25/width) for the residual network, N(0, 2/n_in) for ReZero.',
    differences: [
      'the digits, not CIFAR-10',
      `width ${REZERO_PAPER.width}, not 256`,
      `${grouped(epochs * batchesPerEpoch(digits.train.x.rows, REZERO_PAPER.batchSize))} Adagrad steps (${epochsText(epochs)} over ${grouped(digits.train.x.rows)} digits), not the notebook's 5,000 (10 epochs over CIFAR-10's 50,000 images)`,
      'the input layer is initialised like the blocks (theirs: Kaiming normal in both networks)',
      "biases start at 0 and the output layer's weights like the blocks' (theirs keep PyTorch's nn.Linear default, U[±1/√n_in], for every bias and the output layer's weights)",
      "the inputs are the digits' pixels in [0, 1] (theirs: CIFAR-10's, normalised to [−1, 1])",
    ],
    charts: [
      {
        id: 'paper-rezero-loss',
        title: `Mean training loss per epoch (log scale), ${REZERO_PAPER.blocks} blocks: ReZero against residual`,
        xLabel: 'epoch',
        yLabel: 'training loss',
        logY: true,
        series: GATES.map((gate) => ({ name: LABEL[gate], xs: curves[gate].map((_, e) => e + 1), ys: curves[gate] })),
      },
    ],
    findings,
  };
}
