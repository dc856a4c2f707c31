/**
 * Measures RELU_REMEDY_RATES.command (src/flow/relu-remedy-rates.ts): for each optimiser and each rate of its
 * grid, the relu + he-normal networks of RELU_RATE_SETUP trained as the relu remedy's printed `gradscope
 * train` command trains them (its epochs, batch size, training and test digits); a rate passes under
 * RELU_RATE_SETUP's rule (reluRunHeld). Prints a line per (optimiser, rate) and the largest rate at
 * which every network held (scripts/relu-rate-grid.ts). A rate stops at its first network that fails
 * (deepest first: they fail first), so a failing rate's line names that network only.
 *
 *   nice -n 19 npx tsx scripts/relu-remedy-rates.ts [--full-batch] [--depths=D,...] [--width=W] [--seeds=S,...] [--epochs=E] [--batch=B] [--every] [--activation=leaky-relu] [sgd|adam] [rate ...]
 *
 * --full-batch measures the full-batch row in place of the command's (RELU_RATE_FULL_BATCH_SETUP): study (a)'s networks
 * with relu + he-normal, trained as the study trains them (Nielsen's: the first 1,000 digits in one batch, 500 epochs,
 * sigmoid outputs with cross-entropy, biases N(0, 1), L2 λ = 5 on the weights only).
 * Rates given on the command line replace the grid (a part of it, when the whole does not fit the time), as --depths replaces
 * the set-up's depths (a depth added to a row's set-up is run alone at the rates its other depths measured), --width its units per
 * hidden layer, --seeds its seeds, --epochs and --batch its training (a row's bound measured at other widths, seeds and budgets:
 * the command's row beside the networks its remedy is printed for); --every runs every network at every rate, past a rate's first failure, and counts those that held;
 * --activation=leaky-relu trains leaky-relu units in place of relu (the dead units' remedy, checked at the row's rates).
 */
import { createNetwork, loadMnist } from '../src/node.js';
import { RELU_RATE_FULL_BATCH_SETUP, RELU_RATE_SETUP } from '../src/flow/relu-remedy-rates.js';
import { DEPTH_NETWORK_OPTIONS, nielsenWeightDecay } from '../src/studies/depth.js';
import { gridArgs, largestHeldRates, outcomeText, reluRun } from './relu-rate-grid.js';

const all = process.argv.slice(2);
const fullBatch = all[0] === '--full-batch';
const flag = (name: string) => all.find((a) => a.startsWith(`--${name}=`));
const [depthsArg, widthArg, seedsArg, epochsArg, batchArg] = [flag('depths'), flag('width'), flag('seeds'), flag('epochs'), flag('batch')];
const every = all.includes('--every');
const args = all.filter((a) => ![depthsArg, widthArg, seedsArg, epochsArg, batchArg, '--every'].includes(a));
const SETUP = fullBatch ? RELU_RATE_FULL_BATCH_SETUP : RELU_RATE_SETUP;
/** A flag's whole numbers ≥ 1 ('--depths=8,5' → [8, 5]), or `otherwise` where it is not given. */
function wholeNumbers(arg: string | undefined, otherwise: readonly number[]): readonly number[] {
  if (arg === undefined) return otherwise;
  const numbers = arg.slice(arg.indexOf('=') + 1).split(',').map(Number);
  if (numbers.some((n) => !Number.isInteger(n) || n < 1)) throw new Error(`${arg.slice(0, arg.indexOf('='))} takes whole numbers ≥ 1, got ${arg}`);
  return numbers;
}
const widths = wholeNumbers(widthArg, [SETUP.width]);
if (widths.length !== 1) throw new Error(`--width takes one width, got ${widthArg}`);
const [width] = widths;
const [epochs] = wholeNumbers(epochsArg, [SETUP.epochs]);
const [batchSize] = wholeNumbers(batchArg, [SETUP.batchSize]);
const seeds = wholeNumbers(seedsArg, SETUP.seeds);
const { train, test } = await loadMnist(fullBatch ? { take: { train: RELU_RATE_FULL_BATCH_SETUP.trainRows } } : { train: RELU_RATE_SETUP.trainRows, test: RELU_RATE_SETUP.testRows });
const depths = wholeNumbers(depthsArg, SETUP.depths);
const networks = [...depths].sort((a, b) => b - a).flatMap((depth) => seeds.map((seed) => ({ depth, seed })));
const { activation, optimizers, givenRates } = gridArgs(SETUP.grids, fullBatch ? args.slice(1) : args);
// Study (a)'s network ends and L2, the switch's units and init in place of its own (full batch); the command's softmax network otherwise.
const ends = fullBatch ? { output: DEPTH_NETWORK_OPTIONS.output, loss: DEPTH_NETWORK_OPTIONS.loss, biasInit: DEPTH_NETWORK_OPTIONS.biasInit } : {};
const decay = (name: 'sgd' | 'adam') => (fullBatch ? { name, weightDecay: nielsenWeightDecay(RELU_RATE_FULL_BATCH_SETUP.trainRows, RELU_RATE_FULL_BATCH_SETUP.lambda), decayBiases: false } : name);

console.log(`${fullBatch ? 'full batch' : 'command'}, ${activation}: ${networks.length} networks of width ${width}, ${epochs} epochs of batch ${batchSize} each`);
await largestHeldRates({ grids: SETUP.grids, networks, every }, optimizers, givenRates, async (optimizer, learningRate, { depth, seed }) => {
  const net = await createNetwork({ sizes: [784, ...Array<number>(depth).fill(width), 10], activation, init: 'he-normal', seed, ...ends });
  const started = process.cpuUsage();
  const outcome = reluRun(`${depth}×${seed}`, net, train, test, { epochs, batchSize, learningRate, optimizer: decay(optimizer), ...(fullBatch && { shuffle: false }) });
  // Each network as it ends (on stderr), so that a run stopped part-way (a timeout under load) still says what it measured.
  const { user, system } = process.cpuUsage(started);
  const curve = outcome.diverged ? '' : `, epochs ${outcome.accuracies.map((a) => (100 * a).toFixed(1)).join(' ')}`;
  console.error(`  ${optimizer} ${learningRate} ${outcomeText(outcome)}${curve} (${((user + system) / 1e6).toFixed(1)} s of CPU)`);
  return outcome;
});
