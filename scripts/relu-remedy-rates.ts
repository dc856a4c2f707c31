/**
 * Measures RELU_REMEDY_RATES.command (src/flow/relu-remedy-rates.ts): for each optimiser and each rate of its
 * grid, the relu + he-normal networks of RELU_RATE_SETUP trained as the relu remedy's printed `gradscope
 * train` command trains them (its epochs, batch size, training and test digits); a rate passes under
 * RELU_RATE_SETUP's rule (reluRunHeld). Prints a line per (optimiser, rate) and the largest rate at
 * which every network held (scripts/relu-rate-grid.ts). A rate stops at its first network that fails
 * (deepest first: they fail first), so a failing rate's line names that network only.
 *
 *   nice -n 19 npx tsx scripts/relu-remedy-rates.ts [--activation=leaky-relu] [sgd|adam] [rate ...]
 *
 * Rates given on the command line replace the grid (a part of it, when the whole does not fit the time);
 * --activation=leaky-relu trains leaky-relu units in place of relu (the dead units' remedy, checked at the row's rates).
 */
import { createNetwork, loadMnist } from '../src/node.js';
import { RELU_RATE_SETUP } from '../src/flow/relu-remedy-rates.js';
import { gridArgs, largestHeldRates, reluRun } from './relu-rate-grid.js';

const { width, epochs, batchSize } = RELU_RATE_SETUP;
const { train, test } = await loadMnist({ train: RELU_RATE_SETUP.trainRows, test: RELU_RATE_SETUP.testRows });
const networks = [...RELU_RATE_SETUP.depths].sort((a, b) => b - a).flatMap((depth) => RELU_RATE_SETUP.seeds.map((seed) => ({ depth, seed })));
const { activation, optimizers, givenRates } = gridArgs(RELU_RATE_SETUP.grids, process.argv.slice(2));

await largestHeldRates({ grids: RELU_RATE_SETUP.grids, networks }, optimizers, givenRates, async (optimizer, learningRate, { depth, seed }) => {
  const net = await createNetwork({ sizes: [784, ...Array<number>(depth).fill(width), 10], activation, init: 'he-normal', seed });
  return reluRun(`${depth}×${seed}`, net, train, test, { epochs, batchSize, learningRate, optimizer });
});
