/**
 * Measures RELU_REMEDY_RATES (src/flow/relu-remedy-rates.ts): for each optimiser and each rate of its
 * grid, the relu + he-normal networks of RELU_RATE_SETUP trained as the relu remedy's printed `gradscope
 * train` command trains them (its epochs, batch size, training and test digits); a rate passes under
 * RELU_RATE_SETUP's rule (reluRunHeld). Prints a line per (optimiser, rate) and the largest rate at
 * which every network held. A rate stops at its first network that fails (deepest first: they fail
 * first), so a failing rate's line names that network only.
 *
 *   nice -n 19 npx tsx scripts/relu-remedy-rates.ts [sgd|adam] [rate ...]
 *
 * Rates given on the command line replace the grid (a part of it, when the whole does not fit the time).
 */
import { createNetwork, diagnose, loadMnist, type Digits } from '../src/node.js';
import { RELU_RATE_SETUP, reluRunHeld, type MeasuredOptimizer, type ReluRun } from '../src/flow/relu-remedy-rates.js';

/** One network's run at one rate: ReluRun, or diverged (train threw). */
type Outcome = { depth: number; seed: number } & ({ diverged: true } | ({ diverged: false } & ReluRun));

async function trainOne(optimizer: MeasuredOptimizer, learningRate: number, depth: number, seed: number, train: Digits, test: Digits): Promise<Outcome> {
  const { width, epochs, batchSize } = RELU_RATE_SETUP;
  const net = await createNetwork({ sizes: [784, ...Array<number>(depth).fill(width), 10], activation: 'relu', init: 'he-normal', seed });
  try {
    const lossBefore = net.evaluate(train.x, train.y).loss;
    const accuracies: number[] = [];
    try {
      net.train(train.x, train.y, {
        epochs,
        batchSize,
        learningRate,
        optimizer,
        validation: { x: test.x, y: test.y },
        onEpoch: (info) => void accuracies.push(info.validation!.accuracy),
        trace: { every: 10 },
      });
    } catch {
      return { depth, seed, diverged: true };
    }
    const lossAfter = net.evaluate(train.x, train.y).loss;
    const deadLayers = diagnose(net.trace!).evidence.deadLayers.length;
    return { depth, seed, diverged: false, lossBefore, lossAfter, deadLayers, accuracies };
  } finally {
    net.dispose();
  }
}

const percent = (a: number) => `${(100 * a).toFixed(1)} %`;
const describe = (o: Outcome) =>
  `${o.depth}×${o.seed}: ${
    o.diverged
      ? 'DIVERGED'
      : `loss ${o.lossBefore.toFixed(3)}→${o.lossAfter.toFixed(3)}, test ${percent(o.accuracies.at(-1)!)} (best ${percent(Math.max(...o.accuracies))})${o.deadLayers ? `, ${o.deadLayers} dead` : ''}`
  }`;

const { train, test } = await loadMnist({ train: RELU_RATE_SETUP.trainRows, test: RELU_RATE_SETUP.testRows });
const [chosenName, ...givenRates] = process.argv.slice(2);
const chosen = (chosenName ? [chosenName] : Object.keys(RELU_RATE_SETUP.grids)) as MeasuredOptimizer[];
const deepestFirst = [...RELU_RATE_SETUP.depths].sort((a, b) => b - a);
for (const optimizer of chosen) {
  const rates = givenRates.length ? givenRates.map(Number) : RELU_RATE_SETUP.grids[optimizer];
  let largest: number | undefined;
  for (const rate of rates) {
    const started = Date.now();
    const outcomes: Outcome[] = [];
    let failed: Outcome | undefined;
    for (const depth of deepestFirst) {
      for (const seed of RELU_RATE_SETUP.seeds) {
        const o = await trainOne(optimizer, rate, depth, seed, train, test);
        outcomes.push(o);
        if (o.diverged || !reluRunHeld(o)) failed = o;
        if (failed) break;
      }
      if (failed) break;
    }
    const seconds = ((Date.now() - started) / 1000).toFixed(0);
    console.log(`${optimizer} ${rate}: ${failed ? `FAILS ${describe(failed)}` : 'passes'}  [${outcomes.map(describe).join('; ')}] ${seconds} s`);
    // The grid is ascending: the last rate that passed is the largest.
    if (!failed) largest = rate;
  }
  console.log(`${optimizer}: largest rate at which every network held: ${largest ?? 'none'}`);
}
