/**
 * The trace's description of a run (optimiser, learning rate and its schedule, batch size and the rows trained on, per-layer rates, weight
 * decay, momentum, clipping, initialisation, what the validation rows were, whether the input rows were alike or far from standardised, the rows of each class), built here in the training loop, which sees the engine and the optimiser; the
 * trace (src/flow) sees neither. diagnose() reads it to attribute what it measures and to suggest
 * nothing the run already uses.
 */
import type { TraceRun } from '../flow/trace.js';
import type { InputScale } from '../flow/input-scale.js';
import type { Initialisers } from '../init/initialisation.js';
import { FirstOrderOptimizer } from '../optim/first-order.js';
import type { Optimizer } from '../optim/optimizer.js';
import { layerRatesOf } from './optimizer-settings.js';
import type { RunSchedule } from '../learning-rate-schedule.js';

export function describeRun(
  net: { readonly initialisation?: Initialisers; readonly lsuvApplied?: boolean },
  optimizer: Optimizer,
  settings: {
    clipNorm: number | undefined;
    batchSize: number;
    rows?: number;
    learningRate: number | undefined;
    validation?: { trainingRows: boolean };
    inputsAlike?: boolean;
    inputScale?: InputScale;
    classRows?: number[];
    schedule?: RunSchedule;
  },
): TraceRun {
  const { clipNorm, batchSize, rows, learningRate, validation, inputsAlike, inputScale, classRows, schedule } = settings;
  const run: TraceRun = { optimizer: optimizer.name, ...(learningRate !== undefined && { learningRate }), ...(schedule && { schedule }), batchSize, ...(rows !== undefined && { rows }) };
  const rates = layerRatesOf(optimizer);
  if (rates) run.layerRates = rates;
  if (optimizer instanceof FirstOrderOptimizer && optimizer.weightDecay > 0) {
    run.weightDecay = optimizer.weightDecay;
    if (!optimizer.decayBiases) run.decayBiases = false;
  }
  // What diagnose() must keep when it suggests the same optimiser with per-layer rates.
  const { momentum, nesterov } = optimizer as { momentum?: unknown; nesterov?: unknown };
  if (typeof momentum === 'number' && momentum > 0) run.momentum = momentum;
  if (nesterov === true) run.nesterov = true;
  if (clipNorm !== undefined) run.clipNorm = clipNorm;
  if (validation) run.validation = validation.trainingRows ? 'training rows' : 'other rows';
  if (inputsAlike) run.inputs = 'alike';
  if (inputScale) run.inputScale = inputScale;
  if (classRows) run.classRows = classRows;
  if (net.initialisation) {
    run.init = net.initialisation.init;
    run.biasInit = net.initialisation.biasInit;
  }
  // The network remembers LSUV (net.initLsuv(x) or train's lsuv option, in this call or an earlier one).
  if (net.lsuvApplied) run.lsuv = true;
  return run;
}
