/**
 * The remedies that change the weights' initialisation or the activation: an init that matches the
 * activation, one whose rows are even across norm layers, and what each is measured to need. Part of
 * diagnose() (diagnose.ts).
 */
import { type Activation, LEAKY_RELU_SLOPE } from '../../kernels.js';
import { sameInitRule, WEIGHT_INIT_DRAWS, type WeightInitName, weightInitStd } from '../../init/initializers.js';
import { isReluFamily } from '../metrics.js';
import { everyStepSawAllRows, type Trace } from '../trace.js';
import type { Remedy, RemedySetting } from '../remedy.js';
import { leakyReluRemedyRate, type MeasuredOptimizer, OWN_ROWS, OWN_ROWS_MEASURED, ownRowsBound, PAGE_DATASETS, type PageDataset, pageRow, type RateRegime, RELU_LATE_DROP_MARGIN, RELU_REMEDY_RATES, reluRemedyRate, type ReluRateChoice, type ReluRateRow, rowRegime, runRegimeRow, sameBudget } from '../relu-remedy-rates.js';
import type { Evidence } from './diagnosis-types.js';
import { rowList } from './diagnosis-words.js';
import { grouped } from '../../counted.js';
import { type AddRemedy, choice, hiddenActivation, initName, numberSetting, runRateText } from './remedy-settings.js';
import { givenFloat32Text, numberText } from '../../number-text.js';
import { percentText } from '../../percent-text.js';
import { andList } from '../../list-text.js';
import type { SameSetupReading } from '../same-setup-relu.js';

/**
 * Where a switch to relu takes its learning rate: a row of RELU_REMEDY_RATES (diagnose()'s reluRates), and a relu network of the
 * run's own set-up read at its rate, where one was given (diagnose()'s sameSetupRelu).
 */
export interface ReluRateSource {
  row: ReluRateChoice;
  sameSetup?: SameSetupReading;
}

/** The init explodingAcrossNorms offers: every weight row of the same mean square length, 1/3, whatever n_in. */
const EVEN_ROWS_INIT = 'standard';

/**
 * The variance rules explodingAcrossNorms replaces, by an init of each: their rows' length depends on n_out as well as n_in.
 * Measured on glorot-uniform, glorot-normal and orthogonal (scripts/batch-norm-exploding.ts); Keras' truncated
 * GlorotNormal draws Glorot's variance too (sameInitRule), so its rows are as long.
 */
const UNEVEN_ROWS_RULES: readonly WeightInitName[] = ['glorot-uniform', 'orthogonal'];

/** The mean square length of one weight row (a unit's n_in weights) that `init` draws: n_in·std². */
const rowSquare = (init: WeightInitName, nIn: number, nOut: number) => nIn * weightInitStd(init, nIn, nOut) ** 2;

/**
 * The remedy of an exploding gap read across norm layers (evidence.normalisedBy), or none. There a
 * dense layer before a norm learns the same whatever its weights' scale, so its gradient goes as
 * 1/‖w‖ and its relative gradient ‖∂C/∂W‖/‖W‖ as 1/‖w‖² of its weight rows: that measure compares the
 * layers' row lengths. Glorot's variance 2/(n_in + n_out) (and an orthogonal
 * matrix's) gives the rows of a layer of few inputs and many outputs a shorter length than the next
 * layers', so the first layer's relative gradient starts larger by the init alone; 'standard'
 * U[±1/√n_in] gives every row the same. On the visualizer's batch-normalised network (6 × 16,
 * spirals; scripts/batch-norm-exploding.ts, 2026-12-01, seeds 1–8, counted under the rule before
 * ae77fa8, which read the gap across norms from the relative gradient alone) Glorot's uniform init exploded
 * 4, 4 and 6 of 8 sigmoid, tanh and relu networks, glorot-normal 7, 7 and 7, orthogonal 8, 6 and 8;
 * 'standard' 0, 0 and 1. Nothing else is offered: clipping, LARS and a lower rate leave the first
 * record's gap as it was and widened the median (LARS: 3.74× → 15.0×); ReZero takes the branches'
 * dense layers off the chain, so no gap is left to measure; SELU and LSUV turned some networks
 * exploding or vanishing; he-normal and lecun-normal exploded 2 of 8 sigmoid networks, and Glorot's
 * init, once offered, made the gap of a network drawn by 'standard' wider (relu, seed 1: 9.19× → 40.1×).
 */
export function explodingAcrossNorms(trace: Trace, e: Evidence, add: AddRemedy): void {
  const init = initName(trace.run.init);
  const chain = e.chain ?? [];
  if (!UNEVEN_ROWS_RULES.some((rule) => sameInitRule(init, rule)) || chain.length < 2) return;
  const [first, last] = [chain[0], chain[chain.length - 1]];
  const square = (row: number) => rowSquare(init as WeightInitName, trace.sizes[row], trace.sizes[row + 1]);
  const byInit = square(last) / square(first);
  if (!(byInit > 1)) return;
  add(
    [choice('init', EVEN_ROWS_INIT)],
    `across the norm layers a layer's relative gradient goes as 1/‖w‖² of its weight rows (the norm divides out their scale), and '${init}' draws the ${rowList(trace, [first])}'s rows ` +
      `${numberText(square(first))} long (mean square) against ${numberText(square(last))} in the ${rowList(trace, [last])}: ${numberText(byInit)}× the relative gradient by the init alone. ` +
      `U[±1/√n_in] draws every row ${numberText(rowSquare(EVEN_ROWS_INIT, 1, 1))} long, whatever its layer's size.`,
  );
}

/**
 * The trace row whose weights make row l's z: l itself in a dense network's trace or for a dense
 * row; an activation row's dense row just before it; none after a norm row (which sets z's scale
 * whatever the weights) or for any other row.
 */
export function weightRowOf(trace: Trace, l: number): number | undefined {
  if (!trace.blocks) return l;
  const type = (row: number) => trace.blocks!.layers[row]?.type;
  if (type(l) === 'dense') return l;
  return type(l) === 'activation' && type(l - 1) === 'dense' ? l - 1 : undefined;
}

/**
 * Where the weights feeding the saturated rows were larger at the first record than `init` draws
 * them (RMS = ‖W‖/√(n_in·n_out) against weightInitStd), those layers' two scales, as a clause
 * ("hidden layer 1's RMS weight is 0.09, 'glorot-uniform' draws 0.05"); undefined where none was.
 */
export function weightsAboveInit(trace: Trace, e: Evidence, init: WeightInitName): string | undefined {
  // Layers the init draws at the same scale share one clause, their RMS weights as a range ("hidden layers 2–4's RMS weights are 1.01–1.04, … draws 0.177").
  const byDrawn = new Map<string, { rows: number[]; rms: number[] }>();
  for (const l of e.saturatedLayers) {
    const w = weightRowOf(trace, l);
    if (w === undefined) continue;
    const [nIn, nOut] = [trace.sizes[w], trace.sizes[w + 1]];
    const rms = trace.at('weightNorm', 0, w) / Math.sqrt(nIn * nOut);
    const drawn = weightInitStd(init, nIn, nOut);
    if (!(rms > drawn)) continue;
    const group = byDrawn.get(numberText(drawn)) ?? { rows: [], rms: [] };
    group.rows.push(w);
    group.rms.push(rms);
    byDrawn.set(numberText(drawn), group);
  }
  const clauses = [...byDrawn].map(([drawn, { rows, rms }]) => {
    const [low, high] = [numberText(Math.min(...rms)), numberText(Math.max(...rms))];
    const weights = low === high ? `RMS weight${rows.length > 1 ? 's are' : ' is'} ${low}` : `RMS weights are ${low}–${high}`;
    return `${rowList(trace, rows)}'s ${weights}, '${init}' draws ${drawn}`;
  });
  return clauses.length ? clauses.join('; ') : undefined;
}

/**
 * The activations of a network's hidden units: a dense network's hidden layers'; in a block
 * network, those of its hidden dense and activation layers other than 'linear' (a linear dense
 * layer followed by an activation layer is that activation's unit), or 'linear' if there are none.
 */
export function hiddenNonlinearities(trace: Trace): Activation[] {
  const hidden = trace.activations.slice(0, -1) as Activation[];
  if (!trace.blocks) return hidden;
  const types = trace.blocks.layers;
  const units = hidden.filter((f, l) => (types[l].type === 'dense' || types[l].type === 'activation') && f !== 'linear');
  return units.length ? units : ['linear'];
}

/**
 * The initialiser a switch to `activation` needs with it: He's for a relu-family unit, unless the
 * run already draws He's weights (either of his equations: sameInitRule) or LSUV rescales them (He et al. 2015: relu zeroes half of z, so
 * only variance 2/n_in keeps z's variance from layer to layer; 'standard' shrinks it 6× per layer,
 * and a deep relu stack's units die). Undefined where the run's own suits it.
 */
function initFor(trace: Trace, activation: string): WeightInitName | undefined {
  if (!isReluFamily(activation as Activation) || sameInitRule(initName(trace.run.init), RELU_INIT) || trace.run.lsuv) return undefined;
  return RELU_INIT;
}

const RELU_INIT = 'he-normal';

/**
 * The settings that switch the hidden units to `choices[0]`, and to the second as the alternative:
 * createNetwork's `activation`, or the layer specs' in a block network, with the init the first
 * choice needs (initFor) where the run's does not suit it, and the rate it was measured to need
 * (rateFor), so that applying the remedy applies them all; undefined where `row` measured the first
 * choice for the run's optimiser and no rate held (not offered: rateFor's null).
 */
export function activationChange(trace: Trace, choices: readonly Activation[], source: ReluRateSource): Pick<Remedy, 'settings' | 'alternative'> | undefined {
  const units = (f: Activation): RemedySetting => (trace.blocks ? hiddenActivation(f) : choice('activation', f));
  const init = initFor(trace, choices[0]);
  const rate = rateFor(trace, choices[0], source);
  if (rate === null) return undefined;
  return {
    settings: [units(choices[0]), ...(init ? [choice('init', init)] : []), ...(rate === undefined ? [] : [numberSetting('learningRate', rate)])],
    ...(choices[1] && { alternative: [units(choices[1])] }),
  };
}

/**
 * The learning rate a remedy carries beside a switch of the hidden units to relu or leaky-relu, and those units: always the bound
 * of a row of RELU_REMEDY_RATES (rateFor), a careful one, the largest rate of a grid at which every network measured held, not
 * the rate that trains a given network best; undefined where the remedy carries no such rate.
 */
export function switchBound(remedy: Pick<Remedy, 'settings'>): { rate: string; units: string } | undefined {
  const units = remedy.settings.map((s) => (s.option === 'activation' ? s.setting : s.option === 'layers' ? (s.setting as { activation?: unknown } | undefined)?.activation : undefined)).find((f) => f !== undefined);
  const rate = remedy.settings.find((s) => s.option === 'learningRate');
  return rate !== undefined && typeof units === 'string' && isReluFamily(units as Activation) ? { rate: rate.value, units } : undefined;
}

/**
 * The learning rate a switch to `activation` needs with it: a lower one where the run's is above the measured bound of the row
 * rowOf reads for `source.row` (boundFor), unless a relu network of the run's own set-up held at the run's rate (`source.sameSetup`:
 * a measurement of this run's set-up, where the row's is of others); undefined where the run's is kept.
 */
function rateFor(trace: Trace, activation: string, source: ReluRateSource): number | null | undefined {
  const bound = boundFor(trace, activation, source.row);
  return activation === 'relu' && source.sameSetup?.held ? undefined : bound;
}

/**
 * The bound of the row rowOf reads for `row` (the run's regime under 'command': a full-batch run reads the full-batch row) where the
 * run's rate is above it, relu's (reluRemedyRate) or leaky-relu's (leakyReluRemedyRate; null where none held); undefined where the run's is kept.
 */
function boundFor(trace: Trace, activation: string, row: ReluRateChoice): number | null | undefined {
  if (activation === 'relu') return reluRemedyRate(trace.run, rowOf(trace, row));
  return activation === 'leaky-relu' ? leakyReluRemedyRate(trace.run, rowOf(trace, row)) : undefined;
}

/**
 * The rates a relu or leaky-relu switch reads on `row`: OWN_ROWS over inputs far from standardised (TraceRun.inputScale) reads the digits', the
 * smallest bound (a relu layer passes their size on: over newuser45's rows the run's own 0.1 ran away or left a layer dead,
 * OWN_ROWS_MEASURED.raw); 'command', the digits row of the run's regime (runRegimeRow: the full-batch row for a run whose every step
 * saw all its rows); any other choice, its own.
 */
function rowOf(trace: Trace, row: ReluRateChoice): ReluRateChoice {
  if (row === OWN_ROWS) return trace.run.inputScale !== undefined ? 'command' : row;
  const regime = row === 'command' ? traceRegime(trace) : undefined;
  return regime ? runRegimeRow(regime) : row;
}

/**
 * How the traced run stepped (RateRegime), from its epochs' batches (applied and skipped); undefined where the trace does not record
 * them (a trace saved before it did, or recorded outside train()).
 */
function traceRegime(trace: Trace): RateRegime | undefined {
  const epochs = trace.epochs;
  if (epochs.length === 0 || epochs.some((e) => e.batches === undefined)) return undefined;
  return { fullBatch: everyStepSawAllRows(trace), steps: epochs.reduce((sum, e) => sum + e.batches!, 0) };
}


/** The visualizer's data sets in a reason's words ("on the visualizer's XOR points"). */
const PAGE_DATA_WORDS: Readonly<Record<PageDataset, string>> = { spirals: 'spirals', circles: 'circles', xor: 'XOR points', mnist: 'MNIST subset' };

/** The networks and training `row`'s rates were measured on, for the rate's reason. */
function measuredOn(row: ReluRateRow, optimizer: string): string {
  const setup = RELU_REMEDY_RATES[row].setup;
  const seeds = `${setup.seeds.length} seeds each`;
  if ('dataset' in setup) {
    return `${setup.depths.join(', ')} hidden layers of ${setup.widths.join(' and ')}, ${seeds}, ${setup.epochs} epochs of ${optimizer} in batches of ${setup.batchSize} on the visualizer's ${PAGE_DATA_WORDS[setup.dataset]}`;
  }
  if ('lambda' in setup) {
    return (
      `${setup.depths.join(', ')} hidden layers of ${setup.width}, ${seeds}, ${setup.epochs} epochs of ${optimizer} in one batch of all ${grouped(setup.trainRows)} digits as study (a) trains them: ` +
      `sigmoid outputs with cross-entropy, biases N(0, 1), L2 λ = ${setup.lambda} on the weights`
    );
  }
  // The command's bound is the one rate every network held at every width measured (RELU_RATE_SETUP.otherWidths): width 30's alone can be larger.
  const widths = setup.otherWidths[optimizer as MeasuredOptimizer] ?? [];
  // Over other depths and seeds there (review51 #12: the clause read as the same networks at those widths).
  const alsoAt = widths.length ? `; at widths ${andList(widths.map(String))} too, over other depths and seeds` : '';
  return `${setup.depths.join(', ')} hidden layers of ${setup.width}, ${seeds}, ${setup.epochs} epochs of ${optimizer} in batches of ${setup.batchSize} on ${grouped(setup.trainRows)} digits${alsoAt}`;
}

/** How the run's init drew its weights in words ('N(0, 1/n_in)', 'N(0, 0.1²)'), or undefined where no words fit (sparse, LSUV, unknown). */
function initDraws(init: Trace['run']['init']): string | undefined {
  if (typeof init === 'string') return (WEIGHT_INIT_DRAWS as Record<string, string>)[init];
  return init?.name === 'normal' ? `N(0, ${givenFloat32Text(init.std)}²)` : undefined;
}

/**
 * Beside the command's row, measured on the digits alone: that the bound is the digits', how far the visualizer's four data sets'
 * bounds for the run's optimiser ranged (RELU_REMEDY_RATES' page rows, measured the same way), and the run's own rate to try beside
 * it on other rows. No rule carries a bound from one data set to another (the page's rows are 0.05–0.2 for plain SGD, none of them
 * the digits' 0.002), and on a user's 20-feature rows the digits' 0.002 was the worst of four rates tried, 0.1 the best (newuser43,
 * finding 7). Beside the full-batch row (the digits too) the same without the page's bounds, measured in batches of 32. Over inputs
 * far from standardised, in place of the run's own rate, what the relu switch did over such rows (OVER_LARGE_INPUTS: at the run's
 * 0.1 it left a layer dead or ran away, advice46). Where the run's steps lie far from the row's, both budgets. '' on a page row,
 * which is its own data set's.
 */
function otherRowsClause(trace: Trace, row: ReluRateChoice): string {
  if (row === OWN_ROWS) return ` That bound is the digits': ${pageBounds(trace)}. ${OVER_LARGE_INPUTS}`;
  const read = rowOf(trace, row);
  if (read !== 'command' && read !== 'full-batch') return '';
  // The page's rows were measured in batches of 32, as the command's: beside the full-batch bound they are another regime.
  const digits = read === 'command' ? ` That bound is the digits': ${pageBounds(trace)}` : " That bound is the digits'";
  // Over inputs far from standardised the run's own rate is not offered: over newuser45's such rows it ran away or left a layer dead.
  if (trace.run.inputScale !== undefined) return `${digits}. ${OVER_LARGE_INPUTS}`;
  const own = `try the run's own rate, ${runRateText(trace.run, trace.run.learningRate!)}, beside it.`;
  // A run whose steps lie far from the row's (or, its row named, that stepped otherwise): the budgets said, the row kept (REGIME_STEPS_FACTOR says why).
  // A trace that does not record its epochs' batches is read as of the row's budget, as before the regimes were told apart.
  const regime = traceRegime(trace);
  const budget =
    regime === undefined || sameBudget(regime, read)
      ? ''
      : ` It held over ${regimeWords(rowRegime(read), RELU_REMEDY_RATES[read].setup.batchSize)}; this run took ${regimeWords(regime, trace.run.batchSize)}, a budget not measured.`;
  return `${digits}, so on rows other than the digits ${own}${budget}`;
}

/** A regime in words: '2,820 steps in batches of 32', '500 steps of one batch each'. */
function regimeWords(regime: RateRegime, batchSize?: number): string {
  const steps = `${grouped(regime.steps)} step${regime.steps === 1 ? '' : 's'}`;
  if (regime.fullBatch) return `${steps} of one batch each`;
  return batchSize === undefined ? steps : `${steps} in batches of ${grouped(batchSize)}`;
}

/** How far the visualizer's data sets' bounds for the run's optimiser ranged (RELU_REMEDY_RATES' page rows, measured as the digits'). */
function pageBounds(trace: Trace): string {
  const optimizer = (trace.run.optimizer ?? 'sgd') as MeasuredOptimizer;
  const bounds = PAGE_DATASETS.map((d) => RELU_REMEDY_RATES[pageRow(d)].rates[optimizer]);
  const range = Math.min(...bounds) === Math.max(...bounds) ? `${Math.min(...bounds)}` : `${Math.min(...bounds)} to ${Math.max(...bounds)}`;
  return `measured the same way on the visualizer's ${bounds.length} data sets, the bound for ${optimizer} was ${range}`;
}

const M = OWN_ROWS_MEASURED;
/** Newuser45's rows at both rates (OWN_ROWS_MEASURED), the relu network's accuracy over them. */
const OVER_NEWUSER45 = '[8, 6 × 32, 3] relu networks with He\'s weights (plain SGD, 10 epochs, seeds 1–3) over 350 rows whose fourth feature is 20 + 5·N(0, 1)';
/** Why OWN_ROWS over inputs far from standardised takes the digits' bound (rowOf). */
const OVER_LARGE_INPUTS =
  "These rows are not the digits, but their inputs are far from standardised, whose size a relu layer passes on unsquashed: " +
  `${OVER_NEWUSER45} reached ${M.raw.digitsRate} of their rows right at 0.002, and at 0.1 one ended with a dead layer (${M.raw.runRate}) and two ran away; ` +
  `standardised, ${M.standardised.runRate} at 0.1 and ${M.standardised.digitsRate} at 0.002.`;

/**
 * OWN_ROWS' words where the switch keeps the run's rate though the digits' bound lies below it: which rate the line carries, the
 * digits' beside it, and what each did over newuser45's standardised rows. '' elsewhere.
 */
function keptRateClause(trace: Trace, activation: string, row: ReluRateChoice): string {
  if (activation !== 'relu' || rowOf(trace, row) !== OWN_ROWS || reluRemedyRate(trace.run, OWN_ROWS) !== undefined) return '';
  const digits = reluRemedyRate(trace.run, 'command');
  if (digits === undefined) return '';
  const rate = runRateText(trace.run, trace.run.learningRate!);
  return (
    ` This line keeps the run's learning rate, ${rate}: the largest rate at which relu networks with He's weights all ended with a lower loss, no layer dead and their last epoch's ` +
    `test accuracy within ${100 * RELU_LATE_DROP_MARGIN} points of their best was ${digits} on the digits (${measuredOn('command', trace.run.optimizer ?? 'sgd')}), and ${pageBounds(trace)}: it depends on the rows, ` +
    `and these are none of them. At the digits' ${digits}, the smallest bound, fewer units die but they learn slower: ${OVER_NEWUSER45}, standardised, reached ` +
    `${M.standardised.runRate} of their rows right at 0.1 and ${M.standardised.digitsRate} at 0.002.`
  );
}

/** The reason's clauses for the init and the rate activationChange adds (see initFor, rateFor), '' where it adds neither. */
export function initClause(trace: Trace, choices: readonly string[], source: ReluRateSource): string {
  const { row, sameSetup } = source;
  const init = initFor(trace, choices[0]);
  const own = initName(trace.run.init);
  const ownDraws = initDraws(trace.run.init);
  const initWhy = init
    ? ` With ${choices[0]}, He's initialisation ('${init}', variance 2/n_in) keeps z's variance the same from layer to layer (He et al. 2015)${own ? `; the run's '${own}'${ownDraws ? ` (${ownDraws})` : ''} does not` : ''}.`
    : '';
  const rate = rateFor(trace, choices[0], source);
  // Where a step below 0 leaves a unit: relu passes no gradient, leaky-relu only its leak.
  const stuck = choices[0] === 'relu' ? "one large step can put a relu unit's z below 0 on every input, and it gets no gradient after that" : `one large step can put a unit's z below 0 on every input, where it passes back only its leak (${LEAKY_RELU_SLOPE})`;
  // rateFor offers a rate only above the run's own, so the run records one wherever rateWhy is said, and only for an optimiser
  // the rows measured (sgd, adam): `measured` is read there alone. OWN_ROWS reads the digits' bound over large inputs (rowOf),
  // else the largest bound of any row, which its rows measured.
  const read = rowOf(trace, row);
  const optimizer = trace.run.optimizer ?? 'sgd';
  const measured = () => (read === OWN_ROWS ? `${measuredOn(ownRowsBound(optimizer as MeasuredOptimizer).rows[0], optimizer)}: the largest bound of the data sets measured` : measuredOn(read, optimizer));
  const heldWords = `all ended with a lower loss, no layer dead and their last epoch's test accuracy within ${100 * RELU_LATE_DROP_MARGIN} points of their best`;
  const bound = boundFor(trace, choices[0], row);
  // A relu network of the run's own set-up held at the run's rate: the line keeps it, and says the row's bound beside it.
  if (rate === undefined && typeof bound === 'number' && sameSetup !== undefined) {
    return (
      `${initWhy} This line keeps the run's learning rate, ${runRateText(trace.run, trace.run.learningRate!)}: at it a relu network with He's weights of this run's own set-up (its layers, rows, ` +
      `batches and epochs) held, ${sameSetupWords(sameSetup)}. The largest rate of a grid at which relu networks with He's weights (${measured()}) ${heldWords} was ${bound}: ` +
      `a careful bound, one rate for networks and budgets other than this run's, not the rate that trains a network best.`
    );
  }
  const notHeld = sameSetup !== undefined && choices[0] === 'relu' && !sameSetup.held ? ` At the run's own rate a relu network with He's weights of this run's own set-up did not hold: ${sameSetupWords(sameSetup)}.` : '';
  const rateWhy =
    rate === undefined || rate === null
      ? keptRateClause(trace, choices[0], row)
      : ` The run's learning rate, ${runRateText(trace.run, trace.run.learningRate!)}, is above ${rate}, the largest rate of a grid at which ${choices[0]} networks with He's weights ` +
        `(${measured()}) ${heldWords}; at larger rates some did not: ${stuck}, or throw a trained network back in a late epoch.` +
        (read === OWN_ROWS ? '' : otherRowsClause(trace, row)) +
        notHeld;
  return initWhy + rateWhy;
}

/**
 * A relu network of the run's own set-up as reluRunHeld read it: its batch loss from its first traced step to its last epoch, its
 * dead layers, its last epoch's accuracy on rows it did not train on and, over several epochs, its best.
 */
function sameSetupWords(r: SameSetupReading): string {
  const last = r.accuracies[r.accuracies.length - 1];
  const best = Math.max(...r.accuracies);
  const dead = r.deadLayers === 0 ? 'no layer dead' : `${r.deadLayers} layer${r.deadLayers === 1 ? '' : 's'} dead`;
  const after = r.accuracies.length > 1 ? ` (its best epoch ${percentText(best)})` : '';
  return `its batch loss ${numberText(r.lossBefore)} at its first traced step and ${numberText(r.lossAfter)} over its last epoch, ${dead}, and ${percentText(last)} of the held-out rows right after its last epoch${after}`;
}
