/**
 * Measures LAYER_STEP_SIZE_BOUND (src/flow/diagnosis/diagnosis-thresholds.ts): how large a step size,
 * learning rate × a layer's rate, diagnose()'s per-layer-rates remedy may offer. For each network
 * (sigmoid and tanh, the given depths and seeds) a plain-SGD run is traced and diagnosed; the rates
 * its remedy would offer (LAYER_STEP_SIZE_BOUND left aside: equalisingRates of the last records, as
 * evidence of the first run) are then capped at each step size of STEP_SIZE_CAPS and run twice: from
 * the same start (the visualizer's "Apply and rerun") and continued on the diagnosed network (a
 * train() call on it, as the remedy's text says). Each line: the training loss and accuracy after,
 * the largest fraction of a hidden layer's units saturated at the last record, and the largest
 * ‖ΔW‖/‖W‖ of a hidden layer at the first record and over the run.
 *
 *   nice -n 19 npx tsx scripts/layer-rate-bound.ts [digits|spirals] [epochs] [learning rate] [depths] [seeds]
 *   e.g. digits 8 0.5 5,10 1,2  (2026-12-03: about 12 minutes on a loaded 2-core AMD EPYC)
 */
import { createNetwork, loadMnist, type Activation, type Matrix, type Network } from '../src/node.js';
import { equalisingRates } from '../src/equalising-rates.js';
import { median } from '../src/median.js';
import { LAYER_RATE_RECORDS } from '../src/flow/diagnose.js';
import { checkpointOf, networkFromCheckpoint } from '../src/io/checkpoint.js';
import { planarDataset, POINTS_2D } from '../demo/src/datasets.js';

/** Caps on a layer's step size (learning rate × its rate); 0 caps every rate at 1: plain SGD. */
const STEP_SIZE_CAPS = [0, 10, 30, 100, 300, Infinity];

const [data = 'digits', epochsArg, rateArg, depthsArg = '5,8,10', seedsArg = '1,2,3'] = process.argv.slice(2);
const LEARNING_RATE = Number(rateArg ?? 0.1);
const DEPTHS = depthsArg.split(',').map(Number);
const SEEDS = seedsArg.split(',').map(Number);

/** The rows and the network's width: 3,000 digits and 30 units, or the visualizer's spirals (its 70 % training share) and 16. */
async function rows(): Promise<{ x: Matrix; y: Matrix; width: number; epochs: number }> {
  if (data === 'digits') {
    const { train } = await loadMnist({ train: 3000, test: 0 });
    return { x: train.x, y: train.y, width: 30, epochs: Number(epochsArg ?? 8) };
  }
  const set = planarDataset('spirals', 1, 0.05);
  const count = Math.round(POINTS_2D * 0.7);
  return { x: { data: set.x.data.slice(0, count * 2), rows: count, cols: 2 }, y: { data: set.y.data.slice(0, count * 2), rows: count, cols: 2 }, width: 16, epochs: Number(epochsArg ?? 300) };
}

interface Outcome {
  loss: number;
  accuracy: number;
  saturated: number;
  firstStep: number;
  peakStep: number;
}

/** Trains `net` (SGD at LEARNING_RATE, batch 32, with `rates` if given) and reads the outcome. */
function train(net: Network, set: Awaited<ReturnType<typeof rows>>, rates?: number[]): Outcome {
  try {
    net.train(set.x, set.y, { epochs: set.epochs, batchSize: 32, learningRate: LEARNING_RATE, optimizer: rates ? { name: 'sgd', layerRates: rates } : 'sgd', trace: { every: 5 } });
  } catch (error) {
    console.log(`  refused: ${String(error).slice(0, 200)}`);
    return { loss: NaN, accuracy: NaN, saturated: NaN, firstStep: NaN, peakStep: NaN };
  }
  const trace = net.trace!;
  const hidden = Array.from({ length: trace.layers - 1 }, (_, l) => l);
  const largest = (metric: 'saturatedFraction' | 'updateRatio', record: number) => Math.max(...hidden.map((l) => trace.at(metric, record, l)));
  const { loss, accuracy } = net.evaluate(set.x, set.y);
  return {
    loss,
    accuracy: accuracy ?? NaN,
    saturated: largest('saturatedFraction', trace.length - 1),
    firstStep: largest('updateRatio', 0),
    peakStep: Math.max(...Array.from({ length: trace.length }, (_, r) => largest('updateRatio', r))),
  };
}

/** The rates the remedy measures at the end of the trace: per layer, the median over the last LAYER_RATE_RECORDS records' equalisingRates. */
function measuredRates(net: Network): number[] {
  const trace = net.trace!;
  const from = Math.max(0, trace.length - LAYER_RATE_RECORDS);
  const perRecord = Array.from({ length: trace.length - from }, (_, i) => equalisingRates(trace.row('weightGradNorm', from + i)));
  return Array.from({ length: trace.layers }, (_, l) => median(perRecord.map((record) => record[l])));
}

const said = (o: Outcome) =>
  `loss ${o.loss.toFixed(3)} acc ${(100 * o.accuracy).toFixed(0)}% sat ${(100 * o.saturated).toFixed(0)}% step0 ${o.firstStep.toExponential(1)} peak ${o.peakStep.toExponential(1)}`;

const set = await rows();
for (const activation of ['sigmoid', 'tanh'] as Activation[]) {
  for (const depth of DEPTHS) {
    for (const seed of SEEDS) {
      const make = () => createNetwork({ sizes: [set.x.cols, ...Array<number>(depth).fill(set.width), set.y.cols], activation, output: 'softmax', loss: 'cross-entropy', seed });
      const net = await make();
      const first = train(net, set);
      const rates = measuredRates(net);
      const diagnosed = checkpointOf(net);
      net.dispose();
      console.log(`${data} ${activation} ${depth}×${seed} at ${LEARNING_RATE}: first run ${said(first)}; rates [${rates.map((r) => r.toPrecision(3)).join(', ')}]`);
      for (const stepCap of STEP_SIZE_CAPS) {
        const cap = Math.max(1, stepCap / LEARNING_RATE);
        const capped = rates.map((rate) => Math.min(rate, cap));
        const fresh = await make();
        const rerun = train(fresh, set, capped);
        fresh.dispose();
        const on = await networkFromCheckpoint(diagnosed);
        const continued = train(on, set, capped);
        on.dispose();
        console.log(`  step size ≤ ${stepCap} (rate ≤ ${cap}): rerun ${said(rerun)} | continued ${said(continued)}`);
      }
    }
  }
}
