/**
 * What the two scripts that measure RELU_REMEDY_RATES share (scripts/relu-remedy-rates.ts, the
 * command's digits; scripts/relu-remedy-rates-page.ts, the visualizer's data sets): one relu
 * network's run at one rate as reluRunHeld reads it, and the driver that walks each optimiser's
 * rate grid over a set of networks and prints the largest rate at which every network held.
 */
import { diagnose, type Network, type Rows, type TrainOptions } from '../src/node.js';
import { reluRunHeld, type MeasuredOptimizer, type ReluRun } from '../src/flow/relu-remedy-rates.js';
import { percentText } from '../src/percent-text.js';

/** One network's run at one rate: ReluRun, or diverged (train threw); `network` names it in the printout (depth×seed, depth×width×seed). */
export type Outcome = { network: string } & ({ diverged: true } | ({ diverged: false } & ReluRun));

/** Data as train() takes it: inputs and one-hot targets. */
export interface LabelledRows {
  x: Rows;
  y: Rows;
}

/**
 * Trains `net` (fresh, relu-family units with he-normal weights) on `train` with `options`, reading the test accuracy on
 * `test` after each epoch, and disposes of it: the run as reluRunHeld judges it.
 */
export function reluRun(network: string, net: Network, train: LabelledRows, test: LabelledRows, options: Pick<TrainOptions, 'epochs' | 'batchSize' | 'learningRate' | 'optimizer' | 'shuffle'>): Outcome {
  try {
    const lossBefore = net.evaluate(train.x, train.y).loss;
    const accuracies: number[] = [];
    try {
      net.train(train.x, train.y, {
        ...options,
        validation: { x: test.x, y: test.y },
        onEpoch: (info) => void accuracies.push(info.validation!.accuracy),
        trace: { every: 10 },
      });
    } catch {
      return { network, diverged: true };
    }
    const lossAfter = net.evaluate(train.x, train.y).loss;
    const deadLayers = diagnose(net.trace!).evidence.deadLayers.length;
    return { network, diverged: false, lossBefore, lossAfter, deadLayers, accuracies };
  } finally {
    net.dispose();
  }
}

/** One outcome as the printout's words: the loss before and after, the last and best test accuracy, the dead layers. */
export function outcomeText(o: Outcome): string {
  if (o.diverged) return `${o.network}: DIVERGED`;
  const dead = o.deadLayers ? `, ${o.deadLayers} dead` : '';
  return `${o.network}: loss ${o.lossBefore.toFixed(3)}→${o.lossAfter.toFixed(3)}, test ${percentText(o.accuracies.at(-1)!)} (best ${percentText(Math.max(...o.accuracies))})${dead}`;
}

/** What the driver walks: the rates per optimiser (ascending) and the networks, in the order to try them (those that fail first, first). */
export interface RateGrid<N> {
  grids: Readonly<Record<MeasuredOptimizer, readonly number[]>>;
  networks: readonly N[];
  /** Run every network at every rate, past a rate's first failure, and say how many held: how often a rate fails, not only whether (--every). */
  every?: boolean;
}

/**
 * For each of `optimizers` and each rate of its grid (or `givenRates`, in place of the grid, in any order),
 * trains `grid.networks` with `trainOne` until one fails reluRunHeld (diverged, or not held), printing
 * a line per rate, and then the largest rate at which every network held. A failing rate stops at its
 * first failing network, so its line names that network only; with `grid.every`, every network is run
 * and the line names each that failed and how many held. Returns that largest rate per optimiser.
 */
export async function largestHeldRates<N>(
  grid: RateGrid<N>,
  optimizers: readonly MeasuredOptimizer[],
  givenRates: readonly number[],
  trainOne: (optimizer: MeasuredOptimizer, learningRate: number, network: N) => Promise<Outcome>,
  print: (line: string) => void = console.log,
): Promise<Partial<Record<MeasuredOptimizer, number>>> {
  const largest: Partial<Record<MeasuredOptimizer, number>> = {};
  for (const optimizer of optimizers) {
    const rates = givenRates.length ? givenRates : grid.grids[optimizer];
    for (const rate of rates) {
      const started = Date.now();
      const outcomes: Outcome[] = [];
      const failed: Outcome[] = [];
      for (const network of grid.networks) {
        const o = await trainOne(optimizer, rate, network);
        outcomes.push(o);
        if (o.diverged || !reluRunHeld(o)) {
          failed.push(o);
          if (!grid.every) break;
        }
      }
      const seconds = ((Date.now() - started) / 1000).toFixed(0);
      const held = grid.every ? ` (${outcomes.length - failed.length} of ${outcomes.length} held)` : '';
      print(`${optimizer} ${rate}: ${failed.length ? `FAILS ${failed.map(outcomeText).join('; ')}` : 'passes'}${held}  [${outcomes.map(outcomeText).join('; ')}] ${seconds} s`);
      // Rates given on the command line come in any order: the largest that passed, not the last.
      if (!failed.length) largest[optimizer] = Math.max(rate, largest[optimizer] ?? 0);
    }
    print(`${optimizer}: largest rate at which every network held: ${largest[optimizer] ?? 'none'}`);
  }
  return largest;
}

/** The relu-family units a rate can be measured for: the relu remedy's, and leaky-relu, the dead units' remedy, which carries the same row's rate. */
export const MEASURED_ACTIVATIONS = ['relu', 'leaky-relu'] as const;
export type MeasuredActivation = (typeof MEASURED_ACTIVATIONS)[number];

/**
 * The command line both scripts take after their own arguments: `--activation=leaky-relu` (else relu),
 * an optimiser (else every one of `grids`) and rates in place of its grid.
 */
export function gridArgs(grids: RateGrid<unknown>['grids'], args: readonly string[]): { activation: MeasuredActivation; optimizers: MeasuredOptimizer[]; givenRates: number[] } {
  const flag = args[0]?.startsWith('--activation=') ? args[0].slice('--activation='.length) : undefined;
  const activation = (flag ?? 'relu') as MeasuredActivation;
  if (!MEASURED_ACTIVATIONS.includes(activation)) throw new Error(`unknown activation '${flag}': expected one of ${MEASURED_ACTIVATIONS.join(', ')}`);
  const [name, ...rates] = flag === undefined ? args : args.slice(1);
  const known = Object.keys(grids) as MeasuredOptimizer[];
  if (name !== undefined && !known.includes(name as MeasuredOptimizer)) throw new Error(`unknown optimiser '${name}': expected one of ${known.join(', ')}`);
  const givenRates = rates.map(Number);
  if (givenRates.some((rate) => !(rate > 0))) throw new Error(`rates must be numbers > 0, got ${rates.join(' ')}`);
  return { activation, optimizers: name === undefined ? known : [name as MeasuredOptimizer], givenRates };
}
