/**
 * Study (c)'s plain sigmoid net (seed STUDY_SEED, TRAINABLE_WIDTH units a layer) and one batch of the first 32 training digits:
 * the set-up on which test/studies/adam-epsilon-floor measures Adam's ε floor at 10 hidden layers and test/flow/adam-epsilon-words
 * holds Adam's remedy's count of the layers below it, one set-up so that the two measure the same gradient.
 */
import { createNetwork, type Network } from '../../src/api/network.js';
import { loadMnist } from '../../src/data/mnist.js';
import type { NetworkOptions } from '../../src/network/config.js';
import { firstRows } from '../../src/studies/depth.js';
import { STUDY_SEED, TRAINABLE_WIDTH } from '../../src/studies/study-defaults.js';
import { TRAINABLE_DEPTH_REMEDIES } from '../../src/studies/trainable-depth-remedies.js';
import type { Rows } from './traced-run.js';

/** The rows of the one batch. */
export const PLAIN_SIGMOID_BATCH = 32;

/** Study (c)'s plain sigmoid net at `hiddenLayers` hidden layers (10: the depth where its adam row stays at chance), seed STUDY_SEED. */
export function plainSigmoidNet(hiddenLayers = 10): NetworkOptions {
  const plainSigmoid = TRAINABLE_DEPTH_REMEDIES.find((r) => r.key === 'plain-sigmoid')!;
  return { ...plainSigmoid.network(hiddenLayers, TRAINABLE_WIDTH), seed: STUDY_SEED };
}

/** The first PLAIN_SIGMOID_BATCH training digits. */
export async function plainSigmoidBatch(): Promise<Rows> {
  const { train } = await loadMnist({ train: PLAIN_SIGMOID_BATCH, test: 1 });
  return firstRows(train.x, train.y, PLAIN_SIGMOID_BATCH);
}

/** `use` on a fresh plainSigmoidNet(`hiddenLayers`), disposed after (also when `use` throws). */
export async function onPlainSigmoidNet<T>(hiddenLayers: number, use: (net: Network) => T): Promise<T> {
  const net = await createNetwork(plainSigmoidNet(hiddenLayers));
  try {
    return use(net);
  } finally {
    net.dispose();
  }
}
