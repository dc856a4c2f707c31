/**
 * Measures the visualizer's row of RELU_REMEDY_RATES (src/flow/relu-remedy-rates.ts, RELU_REMEDY_RATES.page):
 * for each optimiser and each rate of its grid, the relu + he-normal networks of the row's set-up
 * trained as the page trains them (demo/: its spirals, noise, 70 % split, batches and network,
 * the data and weights drawn from one seed, as the page's Seed setting draws both); a rate passes
 * under reluRunHeld, as the command's row does (scripts/relu-remedy-rates.ts). Prints a line per
 * (optimiser, rate) and the largest rate at which every network held. A rate stops at its
 * first network that fails (deepest first), so a failing rate's line names that network only.
 *
 *   nice -n 19 npx tsx scripts/relu-remedy-rates-page.ts [sgd|adam] [rate ...]
 */
import { createNetwork, diagnose } from '../src/node.js';
import { RELU_RATE_PAGE_SETUP, reluRunHeld, type MeasuredOptimizer, type ReluRun } from '../src/flow/relu-remedy-rates.js';
import { planarDataset, splitDataset } from '../demo/src/datasets.js';
import { networkOptions } from '../demo/src/architecture.js';
import { DEFAULTS } from '../demo/src/settings.js';

const SETUP = RELU_RATE_PAGE_SETUP;
type Outcome = { depth: number; width: number; seed: number } & ({ diverged: true } | ({ diverged: false } & ReluRun));
const rowsOf = (m: { data: Float32Array; rows: number; cols: number }) => Array.from({ length: m.rows }, (_, r) => Array.from(m.data.subarray(r * m.cols, (r + 1) * m.cols)));

async function trainOne(optimizer: MeasuredOptimizer, learningRate: number, depth: number, width: number, seed: number): Promise<Outcome> {
  const { train, test } = splitDataset(planarDataset(SETUP.dataset, seed, DEFAULTS.noise), DEFAULTS.trainPercent);
  const net = await createNetwork(networkOptions({ ...DEFAULTS, depth, width, seed, activation: 'relu', init: 'he-normal' }, 2, 2));
  try {
    const [x, y] = [rowsOf(train.x), rowsOf(train.y)];
    const lossBefore = net.evaluate(x, y).loss;
    const accuracies: number[] = [];
    try {
      net.train(x, y, {
        epochs: SETUP.epochs,
        batchSize: SETUP.batchSize,
        learningRate,
        optimizer,
        validation: { x: rowsOf(test.x), y: rowsOf(test.y) },
        onEpoch: (info) => void accuracies.push(info.validation!.accuracy),
        trace: { every: 10 },
      });
    } catch {
      return { depth, width, seed, diverged: true };
    }
    const lossAfter = net.evaluate(x, y).loss;
    const deadLayers = diagnose(net.trace!).evidence.deadLayers.length;
    return { depth, width, seed, diverged: false, lossBefore, lossAfter, deadLayers, accuracies };
  } finally {
    net.dispose();
  }
}

const percent = (a: number) => `${(100 * a).toFixed(1)} %`;
const describe = (o: Outcome) =>
  `${o.depth}×${o.width}×${o.seed}: ${
    o.diverged
      ? 'DIVERGED'
      : `loss ${o.lossBefore.toFixed(3)}→${o.lossAfter.toFixed(3)}, test ${percent(o.accuracies.at(-1)!)} (best ${percent(Math.max(...o.accuracies))})${o.deadLayers ? `, ${o.deadLayers} dead` : ''}`
  }`;

const [chosenName, ...givenRates] = process.argv.slice(2);
const chosen = (chosenName ? [chosenName] : Object.keys(SETUP.grids)) as MeasuredOptimizer[];
const deepestFirst = [...SETUP.depths].sort((a, b) => b - a);
for (const optimizer of chosen) {
  const rates = givenRates.length ? givenRates.map(Number) : SETUP.grids[optimizer];
  let largest: number | undefined;
  for (const rate of rates) {
    const started = Date.now();
    const outcomes: Outcome[] = [];
    let failed: Outcome | undefined;
    search: for (const depth of deepestFirst) {
      for (const width of SETUP.widths) {
        for (const seed of SETUP.seeds) {
          const o = await trainOne(optimizer, rate, depth, width, seed);
          outcomes.push(o);
          if (o.diverged || !reluRunHeld(o)) {
            failed = o;
            break search;
          }
        }
      }
    }
    const seconds = ((Date.now() - started) / 1000).toFixed(0);
    console.log(`${optimizer} ${rate}: ${failed ? `FAILS ${describe(failed)}` : 'passes'}  [${outcomes.map(describe).join('; ')}] ${seconds} s`);
    // The grid is ascending: the last rate that passed is the largest.
    if (!failed) largest = rate;
  }
  console.log(`${optimizer}: largest rate at which every network held: ${largest ?? 'none'}`);
}
