/**
 * Measures RELU_REMEDY_RATES (src/flow/relu-remedy-rates.ts): for each optimiser and each rate of its
 * grid, the relu + he-normal networks of RELU_RATE_SETUP trained one epoch on the digits of loadMnist; a
 * rate passes when every network lowered its training loss, stayed finite, and diagnose() found no
 * dead layer. Prints a line per (optimiser, rate) and the largest rate below which every rate passed.
 *
 *   nice -n 19 npx tsx scripts/relu-remedy-rates.ts [sgd|adam]
 *
 * About a minute per optimiser on a 2-core AMD EPYC (2026-12-01).
 */
import { createNetwork, diagnose, loadMnist, type Digits } from '../src/node.js';
import { RELU_RATE_SETUP, type MeasuredOptimizer } from '../src/flow/relu-remedy-rates.js';

/** One network's outcome at one rate. */
interface Outcome {
  depth: number;
  seed: number;
  lossBefore: number;
  lossAfter: number;
  diverged: boolean;
  dead: boolean;
}

async function trainOne(optimizer: MeasuredOptimizer, learningRate: number, depth: number, seed: number, data: Digits): Promise<Outcome> {
  const { width, epochs, batchSize } = RELU_RATE_SETUP;
  const net = await createNetwork({ sizes: [784, ...Array<number>(depth).fill(width), 10], activation: 'relu', init: 'he-normal', seed });
  try {
    const lossBefore = net.evaluate(data.x, data.y).loss;
    try {
      net.train(data.x, data.y, { epochs, batchSize, learningRate, optimizer, trace: { every: 10 } });
    } catch {
      return { depth, seed, lossBefore, lossAfter: NaN, diverged: true, dead: false };
    }
    const lossAfter = net.evaluate(data.x, data.y).loss;
    return { depth, seed, lossBefore, lossAfter, diverged: false, dead: diagnose(net.trace!).evidence.deadLayers.length > 0 };
  } finally {
    net.dispose();
  }
}

const passed = (o: Outcome) => !o.diverged && !o.dead && o.lossAfter < o.lossBefore;
const describe = (o: Outcome) =>
  `${o.depth}×${o.seed}: ${o.diverged ? 'DIVERGED' : `${o.lossBefore.toFixed(3)}→${o.lossAfter.toFixed(3)}${o.dead ? ' dead' : ''}`}`;

const { train } = await loadMnist({ train: RELU_RATE_SETUP.trainRows });
const chosen = (process.argv[2] ? [process.argv[2]] : Object.keys(RELU_RATE_SETUP.grids)) as MeasuredOptimizer[];
for (const optimizer of chosen) {
  let largest: number | undefined;
  let allPassed = true;
  for (const rate of RELU_RATE_SETUP.grids[optimizer]) {
    const outcomes: Outcome[] = [];
    for (const depth of RELU_RATE_SETUP.depths) for (const seed of RELU_RATE_SETUP.seeds) outcomes.push(await trainOne(optimizer, rate, depth, seed, train));
    const failed = outcomes.filter((o) => !passed(o));
    console.log(`${optimizer} ${rate}: ${failed.length ? `FAILS ${failed.map(describe).join(', ')}` : 'passes'}  [${outcomes.map(describe).join(', ')}]`);
    allPassed &&= failed.length === 0;
    if (allPassed) largest = rate;
  }
  console.log(`${optimizer}: largest rate below which every rate passed: ${largest ?? 'none'}`);
}
