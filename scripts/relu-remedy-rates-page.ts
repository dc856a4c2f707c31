/**
 * Measures the visualizer's row of RELU_REMEDY_RATES for one of the page's data sets (src/flow/relu-remedy-rates.ts,
 * RELU_REMEDY_RATES[pageRow(dataset)]: its rates, or with --activation=leaky-relu its leakyRates): for each optimiser and each rate of its grid, the relu + he-normal
 * networks of the row's set-up trained as the page trains them (demo/: the data set, its noise, 70 %
 * split, batches and network, the points and weights drawn from one seed, as the page's Seed setting
 * draws both; the MNIST subset is the file the demo build writes, the same for every seed); a rate
 * passes under reluRunHeld, as the command's row does. Prints a line per (optimiser, rate) and the
 * largest rate at which every network held (scripts/relu-rate-grid.ts). A rate stops at its first
 * network that fails (deepest first), so a failing rate's line names that network only.
 *
 *   nice -n 19 npx tsx scripts/relu-remedy-rates-page.ts DATASET [--activation=leaky-relu] [sgd|adam] [rate ...]
 */
import { readFile } from 'node:fs/promises';
import { createNetwork } from '../src/node.js';
import { RELU_RATE_PAGE_SETUP } from '../src/flow/relu-remedy-rates.js';
import { DATASETS, mnistDataset, planarDataset, splitDataset, type Dataset, type DatasetName } from '../demo/src/datasets.js';
import { networkOptions } from '../demo/src/architecture.js';
import { DEFAULTS } from '../demo/src/settings.js';
import { writeMnistSubset } from '../demo/build.js';
import { gridArgs, largestHeldRates, reluRun } from './relu-rate-grid.js';

const SETUP = RELU_RATE_PAGE_SETUP;
const [datasetName, ...rest] = process.argv.slice(2);
if (!(DATASETS as readonly string[]).includes(datasetName)) throw new Error(`usage: relu-remedy-rates-page.ts DATASET [--activation=leaky-relu] [sgd|adam] [rate ...]; DATASET is one of ${DATASETS.join(', ')}`);
const dataset = datasetName as DatasetName;
const { activation, optimizers, givenRates } = gridArgs(SETUP.grids, rest);

const mnist = dataset === 'mnist' ? mnistDataset(JSON.parse(await readFile(await writeMnistSubset(), 'utf8'))) : undefined;
/** The page's data for `seed`: its generated points (drawn from the seed), or the MNIST subset. */
const dataOf = (seed: number): Dataset => mnist ?? planarDataset(dataset as Exclude<DatasetName, 'mnist'>, seed, DEFAULTS.noise);

const networks = [...SETUP.depths]
  .sort((a, b) => b - a)
  .flatMap((depth) => SETUP.widths.flatMap((width) => SETUP.seeds.map((seed) => ({ depth, width, seed }))));

console.log(`${dataset}, ${activation}: ${networks.length} networks, ${SETUP.epochs} epochs each`);
await largestHeldRates({ grids: SETUP.grids, networks }, optimizers, givenRates, async (optimizer, learningRate, { depth, width, seed }) => {
  const all = dataOf(seed);
  const { train, test } = splitDataset(all, DEFAULTS.trainPercent);
  const net = await createNetwork(networkOptions({ ...DEFAULTS, depth, width, seed, activation, init: 'he-normal' }, all.x.cols, all.classes));
  return reluRun(`${depth}×${width}×${seed}`, net, train, test, { epochs: SETUP.epochs, batchSize: SETUP.batchSize, learningRate, optimizer });
});
