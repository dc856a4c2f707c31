/**
 * Does Nielsen's deepest network stay on study (a)'s plateau when trained as his chapter 5 trains it for
 * accuracy? Study (a) (src/studies/depth.ts) trains [784,30,30,30,30,10] by full-batch steps on 1,000 digits,
 * his fig/generate_gradient.py's set-up for plotting gradients, and ends at chance after 500 epochs. His
 * chapter trains the same networks for accuracy with mini-batches of 10 (`net.SGD(training_data, 30, 10,
 * 0.1, lmbda=5.0)` on 50,000 digits). This runs that: the same network, initialisation and cost
 * (DEPTH_NETWORK_OPTIONS, seed DEPTH_TRAINING_SEED), SGD at η 0.1 in shuffled batches of 10, his L2 λ 5
 * over the training digits as the studies apply it (nielsenWeightDecay: λ/n on the weights only), on
 * 9,000 digits (not his 50,000), held-out accuracy on the 1,000 after them after each epoch. README's
 * study (a) paragraph and docs/studies.md quote it; test/studies/plateau-minibatch re-runs it.
 *
 *   nice -n 19 npx tsx scripts/plateau-minibatch.ts [EPOCHS, default 40]
 */
import { createNetwork } from '../src/api/network.js';
import { createDataset } from '../src/api/dataset.js';
import { loadMnist } from '../src/data/mnist.js';
import { MNIST_TEST_DIGITS, MNIST_TRAIN_DIGITS } from '../src/data/mnist-counts.js';
import { DEPTH_NETWORK_OPTIONS, DEPTH_NETWORKS, DEPTH_TRAINING_SEED, NIELSEN_TRAINING, nielsenWeightDecay } from '../src/studies/depth.js';

/** His chapter 5's mini-batch size. */
export const NIELSEN_MINI_BATCH = 10;

/** Held-out accuracy (0–1) after each epoch of the run the file's comment describes, epochs 1 … `epochs`. */
export async function minibatchPlateauAccuracies(epochs: number): Promise<number[]> {
  const digits = await loadMnist({ take: { train: MNIST_TRAIN_DIGITS, test: MNIST_TEST_DIGITS } });
  const train = await createDataset(digits.train.x, digits.train.y);
  const test = await createDataset(digits.test.x, digits.test.y);
  const net = await createNetwork({ sizes: DEPTH_NETWORKS.at(-1)!, seed: DEPTH_TRAINING_SEED, ...DEPTH_NETWORK_OPTIONS });
  const accuracies: number[] = [];
  try {
    net.train(train, {
      epochs,
      batchSize: NIELSEN_MINI_BATCH,
      learningRate: NIELSEN_TRAINING.learningRate,
      optimizer: { name: 'sgd', weightDecay: nielsenWeightDecay(train.rows, NIELSEN_TRAINING.lambda), decayBiases: false },
      onEpoch: () => void accuracies.push(net.evaluate(test).accuracy),
    });
  } finally {
    net.dispose();
    train.dispose();
    test.dispose();
  }
  return accuracies;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const epochs = Number(process.argv[2] ?? 40);
  if (!(Number.isInteger(epochs) && epochs > 0)) {
    console.error('usage: npx tsx scripts/plateau-minibatch.ts [EPOCHS, a whole number > 0; default 40]');
    process.exit(2);
  }
  const started = process.cpuUsage();
  const accuracies = await minibatchPlateauAccuracies(epochs);
  const cpu = process.cpuUsage(started);
  accuracies.forEach((a, i) => console.log(`epoch ${i + 1}: test accuracy ${(100 * a).toFixed(1)} %`));
  console.log(`${((cpu.user + cpu.system) / 1e6).toFixed(0)} s of CPU time`);
}
