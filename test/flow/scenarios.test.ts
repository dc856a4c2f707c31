/**
 * diagnose() on labelled scenarios with known answers, each a small run on the MNIST digits (loadMnist's):
 * Nielsen's networks (ch. 5) with 1 to 4 hidden layers, textbook healthy nets, exploding, dead and
 * saturated nets, and vanishing nets whose optimiser compensates. Each must get its verdict (and
 * severity), keep the trace's invariants, and never be told to use what it already uses.
 */
import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadMnist } from '../../src/data/mnist.js';
import { DEAD_UNITS, diagnose, FADE_WINDOW_RECORDS, LAYER_RATE_RECORDS, type Diagnosis, type Severity, type Verdict } from '../../src/flow/diagnose.js';
import type { Trace } from '../../src/flow/trace.js';
import { API_REMEDY_TERMS, remedyText } from '../../src/flow/remedy.js';
import type { NetworkOptions } from '../../src/network/config.js';
import { createNetwork } from '../../src/api/network.js';
import type { TrainOptions } from '../../src/training/train-options.js';
import { DEPTH_NETWORK_OPTIONS, DEPTH_ROWS, firstRows, nielsenTraining } from '../../src/studies/depth.js';
import { expectTraceInvariants } from '../util/trace-invariants.js';
import { expectSummaryExplained } from '../util/summary-explained.js';
import { codeQuoteOn, quotePattern } from '../util/page-quotes.js';
import { median } from '../../src/median.js';
import { expectParagraphWords, FIRST_PARAGRAPH_WORDS } from '../util/paragraph-words.js';

interface Scenario {
  name: string;
  network: NetworkOptions;
  /** 'nielsen': his 1,000 digits, full batch; 'digits': 256 digits in batches of 32. */
  data: 'nielsen' | 'digits';
  train: TrainOptions;
  verdict: Verdict;
  severity?: Severity;
  compensated?: boolean;
  saturatedLayers?: number[];
  deadLayers?: number[];
  /** The remedy the evidence points to first (undefined: no remedies at all). */
  first?: RegExp | null;
  /** Issue 13's remedies that must be among the rest (after the ones above). */
  added?: RegExp[];
}

const BATCH_NORM = /^layers: \{ type: 'dense', units \}, \{ type: 'batch-norm' \}, \{ type: 'activation', activation: '[a-z-]+' \} for each hidden layer( \(or layers: \{ type: 'dense', units \}, \{ type: 'layer-norm' \}, \{ type: 'activation', activation: '[a-z-]+' \} for each hidden layer\))?$/;
const RESIDUAL = /^layers: \{ type: 'residual', layers: \[\{ type: 'dense', units, activation: '[a-z-]+' \}\] \} for each hidden layer after the first \(or layers: \{ type: 'residual', gate: 'rezero', layers: \[\{ type: 'dense', units, activation: '[a-z-]+' \}\] \} for each hidden layer after the first\)$/;
/** ReZero: as the residual remedy's alternative, as new blocks, or as the gate of the network's blocks. */
const REZERO = /gate: 'rezero'/;
const SELU = /^activation: 'selu', init: 'lecun-normal'/;
const LSUV = /^init: 'lsuv'/;

const nielsen = (hidden: number) => ({ sizes: [784, ...Array(hidden).fill(30), 10], ...DEPTH_NETWORK_OPTIONS });
/** His training (η 0.1, L2 λ = 5 on the weights only, full batch), for 20 of his 500 epochs. */
const NIELSEN_RUN: TrainOptions = {
  epochs: 20,
  ...nielsenTraining(DEPTH_ROWS),
  trace: { every: 5 },
};
const softmax = (sizes: number[], options: Omit<NetworkOptions, 'sizes'>): NetworkOptions => ({ sizes, output: 'softmax', loss: 'cross-entropy', ...options });
const deep = (hidden: number, width = 32) => [784, ...Array(hidden).fill(width), 10];
const SGD: TrainOptions = { epochs: 2, batchSize: 32, learningRate: 0.05, trace: { every: 4 } };
const SIGMOID_5 = softmax(deep(5), { activation: 'sigmoid', init: 'glorot-uniform' });

const SCENARIOS: Scenario[] = [
  { name: "Nielsen's [784,30,10]: one hidden layer, no chain to vanish along", network: nielsen(1), data: 'nielsen', train: NIELSEN_RUN, verdict: 'healthy', first: null },
  { name: "Nielsen's [784,30,30,10]: about 5× between the hidden layers", network: nielsen(2), data: 'nielsen', train: NIELSEN_RUN, verdict: 'vanishing', severity: 'mild', first: /activation: 'relu'/ },
  { name: "Nielsen's [784,30,30,30,10]", network: nielsen(3), data: 'nielsen', train: NIELSEN_RUN, verdict: 'vanishing', severity: 'severe', first: /activation: 'relu'/, added: [BATCH_NORM, RESIDUAL, REZERO] },
  { name: "Nielsen's [784,30,30,30,30,10]", network: nielsen(4), data: 'nielsen', train: NIELSEN_RUN, verdict: 'vanishing', severity: 'severe', first: /activation: 'relu'/ },
  {
    name: 'relu + he-normal + adam: healthy, its inactive units neither saturated nor dead',
    network: softmax(deep(3), { activation: 'relu', init: 'he-normal' }),
    data: 'digits',
    train: { epochs: 4, batchSize: 32, learningRate: 1e-3, optimizer: 'adam', trace: { every: 4 } },
    verdict: 'healthy',
    saturatedLayers: [],
    deadLayers: [],
    first: null,
  },
  { name: 'tanh + glorot-uniform: healthy', network: softmax(deep(3), { activation: 'tanh', init: 'glorot-uniform' }), data: 'digits', train: SGD, verdict: 'healthy', first: null },
  { name: 'linear + orthogonal: every factor 1, healthy', network: softmax(deep(4), { activation: 'linear', init: 'orthogonal' }), data: 'digits', train: { ...SGD, learningRate: 0.01 }, verdict: 'healthy', first: null },
  {
    name: 'tanh with σ_w = 3 (chaotic phase): exploding',
    network: softmax(deep(8), { activation: 'tanh', init: { name: 'normal', std: 3 / Math.sqrt(32) } }),
    data: 'digits',
    train: { ...SGD, learningRate: 1e-3 },
    verdict: 'exploding',
    first: /init: 'glorot-uniform'/,
  },
  {
    name: 'relu with N(0, 0.45²) weights: exploding',
    network: softmax(deep(8), { activation: 'relu', init: { name: 'normal', std: 0.45 } }),
    data: 'digits',
    train: { epochs: 1, batchSize: 32, learningRate: 1e-5, trace: { every: 2 } },
    verdict: 'exploding',
    severity: 'severe',
    first: /init: 'he-normal'/,
  },
  {
    name: 'tanh with small weights N(0, 0.25/n): vanishing, the init first',
    network: softmax(deep(6), { activation: 'tanh', init: { name: 'normal', std: 0.5 / Math.sqrt(32) } }),
    data: 'digits',
    train: SGD,
    verdict: 'vanishing',
    severity: 'severe',
    first: /init: 'glorot-uniform'/,
  },
  {
    name: 'relu + glorot-uniform, 8 hidden layers: the variance halves per layer (He et al.), vanishing',
    network: softmax(deep(8), { activation: 'relu', init: 'glorot-uniform' }),
    data: 'digits',
    train: { ...SGD, learningRate: 0.01 },
    verdict: 'vanishing',
    first: /init: 'he-normal'/,
    added: [RESIDUAL, REZERO, SELU, LSUV],
  },
  {
    name: 'relu with biases −8: dead from the start',
    network: softmax(deep(3), { activation: 'relu', init: 'he-normal', biasInit: { name: 'constant', value: -8 } }),
    data: 'digits',
    train: SGD,
    verdict: 'dead',
    deadLayers: [0, 1, 2],
    first: /biasInit: 'zero'/,
    added: [BATCH_NORM],
  },
  {
    name: 'relu + he-normal killed by a learning rate of 2: dead during training',
    network: softmax(deep(3), { activation: 'relu', init: 'he-normal' }),
    data: 'digits',
    train: { epochs: 2, batchSize: 32, learningRate: 2, trace: { every: 2 } },
    verdict: 'dead',
    deadLayers: [0, 1, 2],
    first: /^learningRate: below 2$/,
  },
  {
    name: 'sigmoid with N(0, 1) weights: saturated',
    network: softmax(deep(3), { activation: 'sigmoid', init: { name: 'normal', std: 1 } }),
    data: 'digits',
    train: SGD,
    verdict: 'saturated',
    first: /init: 'glorot-uniform'/,
    added: [BATCH_NORM],
  },
  {
    name: 'sigmoid, 5 hidden layers, plain SGD: vanishing, every optimiser remedy offered',
    network: SIGMOID_5,
    data: 'digits',
    train: { epochs: 4, batchSize: 32, learningRate: 0.1, trace: { every: 4 } },
    verdict: 'vanishing',
    severity: 'severe',
    compensated: false,
    first: /activation: 'relu'/,
  },
  {
    name: 'sigmoid, 5 hidden layers, adam: vanishing, compensated',
    network: SIGMOID_5,
    data: 'digits',
    train: { epochs: 4, batchSize: 32, learningRate: 1e-3, optimizer: 'adam', trace: { every: 4 } },
    verdict: 'vanishing',
    severity: 'severe',
    compensated: true,
  },
  {
    name: 'sigmoid, 5 hidden layers, lars: vanishing, compensated',
    network: SIGMOID_5,
    data: 'digits',
    // LARS at 0.1, its default when this scenario's hashes were recorded (the default is 1 since: LARS_DEFAULTS).
    train: { epochs: 4, batchSize: 32, optimizer: 'lars', learningRate: 0.1, trace: { every: 4 } },
    verdict: 'vanishing',
    severity: 'severe',
    compensated: true,
  },
  {
    name: 'sigmoid, 5 hidden layers, SGD with per-layer rates: vanishing, compensated',
    network: SIGMOID_5,
    data: 'digits',
    train: { epochs: 4, batchSize: 32, learningRate: 0.1, optimizer: { name: 'sgd', layerRates: [300, 100, 20, 5, 1, 1] }, trace: { every: 4 } },
    verdict: 'vanishing',
    severity: 'severe',
    compensated: true,
  },
];

const OPTIMIZER_REMEDY = /optimizer:/;


/**
 * Each scenario's diagnosis before issue 13's remedies (recorded at bcadc12): SHA-256 (first 16
 * hex digits) of its JSON without the remedies (comparableCore), of its remedies' options, and how
 * many. The core hashes were recorded again when forward products of at most 12 outputs or at least
 * 512 inputs became dot products of rows (assembly/row-dots.simd.ts: another order of sums, so
 * other f32 bits); every verdict, severity, remedy and summary check passed unchanged then. They were recorded again when
 * the ‖W‖₂ refresh came to run on matrix-vector kernels (934eada: another order of sums): only evidence.layers[].chainBound
 * moved (at most 7.8e-7 relative, compared field by field against 934eada^ on every scenario), summaries and remedies equal.
 * They were recorded again when chainBound came to multiply a proved bound on ‖W‖₂ (src/flow/spectral-bound.ts) instead of
 * the power iteration's estimate: only evidence.layers[].chainBound moved (up by 1.0e-4 to 2.1e-2 relative; every other field of
 * every diagnosis and trace compared equal, 2026-12-05), and "relu with biases −8", whose bounds are all 0 (no unit active), kept its hash.
 * They were recorded again when that bound's tries came to start from Lanczos' estimate (src/flow/gram-lanczos.ts): only
 * evidence.layers[].chainBound moved (−1.85e-3 to +6.8e-5 relative: lower where the power iteration's estimate had read low,
 * every other field of every diagnosis and trace compared equal to c669286d's, 2026-12-05), "relu with biases −8" kept its hash.
 * They were recorded again when the change over training time came to be read over windows of records (lastHiddenChange,
 * lastHiddenDeltaChange, changeWindow, now left out of the hash: expectChangeOverWindows checks them): with those fields set to the
 * old reading (the last full batch's record over the first) every scenario's hash was the one before (2026-12-06). The options are hashed without the He init that a switch to relu came to carry (withoutReluInit), and without layerRates' numbers (withoutRates; the hashes of the six
 * scenarios offered layer rates were recorded so when the rates came to be read at the last record
 * instead of the larger of the first record's and the median gap, all else the same; they are now
 * read over the last records: expectRatesFromLastRecords). The core hashes of the two Adam scenarios were recorded again when
 * the adaptive steps came to divide before they scale, lr·(g / (√s + ε)) (8c6be8e9): other f32 bits in the trained weights; their verdicts, severities, remedies and summary checks pass unchanged. When the rates came to be equalisingLayerRates' rule (‖∂C/∂W‖, not ‖∂C/∂b‖), the
 * two scenarios whose first hidden layer's ‖∂C/∂W‖ is not below the last hidden layer's (tanh with small weights, relu + glorot) lost that
 * remedy and nothing else: their counts went from 5 to 4, and the old hashes are those of the new four with the rates remedy in 4th place. The diagnosis must be the same but for remedies added after those. The summary, the
 * remedies' reasons and meanChainFactor are left out since the factor per layer came to be read at
 * the records of the stated gap (the rest compared equal to bcadc12's diagnosis on every scenario
 * then); expectSummaryExplained checks them instead.
 */
const BEFORE_BLOCKS: Record<string, { core: string; remedies: string; count: number }> = {
  "Nielsen's [784,30,10]: one hidden layer, no chain to vanish along": { core: '0836345f52d3a03e', remedies: '4f53cda18c2baa0c', count: 0 },
  "Nielsen's [784,30,30,10]: about 5× between the hidden layers": { core: '239b184d5ec03e4e', remedies: 'd7cc8f7a4c8d90f2', count: 5 },
  "Nielsen's [784,30,30,30,10]": { core: 'e7dab80e407d6681', remedies: 'd7cc8f7a4c8d90f2', count: 5 },
  "Nielsen's [784,30,30,30,30,10]": { core: '1c13763d5e3fcb04', remedies: 'd7cc8f7a4c8d90f2', count: 5 },
  "relu + he-normal + adam: healthy, its inactive units neither saturated nor dead": { core: '13d9cfeb2308248a', remedies: '4f53cda18c2baa0c', count: 0 },
  "tanh + glorot-uniform: healthy": { core: '269f44bc2cfe15e5', remedies: '4f53cda18c2baa0c', count: 0 },
  "linear + orthogonal: every factor 1, healthy": { core: 'c7387f72eac809c9', remedies: '4f53cda18c2baa0c', count: 0 },
  "tanh with σ_w = 3 (chaotic phase): exploding": { core: 'ad71b7a34826c67a', remedies: '4f27ad30740a88b6', count: 3 },
  "relu with N(0, 0.45²) weights: exploding": { core: 'c45bc0d4c2687cd0', remedies: 'd1bc9b6d4ebd0426', count: 3 },
  "tanh with small weights N(0, 0.25/n): vanishing, the init first": { core: '2b479ec9df65f1e1', remedies: '714854e9715bbaf9', count: 4 },
  "relu + glorot-uniform, 8 hidden layers: the variance halves per layer (He et al.), vanishing": { core: '092c1fb490d1d620', remedies: '2e84772e7832e436', count: 4 },
  "relu with biases −8: dead from the start": { core: '81d642e8b08d4cf6', remedies: 'dcf71e3b4d2bf939', count: 2 },
  "relu + he-normal killed by a learning rate of 2: dead during training": { core: '1f11d6d237649ecd', remedies: 'f27bcc4aef9c56e0', count: 2 },
  "sigmoid with N(0, 1) weights: saturated": { core: '03ace56155649d18', remedies: 'c85c35df8699963b', count: 2 },
  "sigmoid, 5 hidden layers, plain SGD: vanishing, every optimiser remedy offered": { core: 'b2539ba40c66629e', remedies: 'd7cc8f7a4c8d90f2', count: 5 },
  "sigmoid, 5 hidden layers, adam: vanishing, compensated": { core: 'ca2680997cea8818', remedies: '4561dd8bb6f3860d', count: 1 },
  "sigmoid, 5 hidden layers, lars: vanishing, compensated": { core: '6f52aff51cf7c189', remedies: '4561dd8bb6f3860d', count: 1 },
  "sigmoid, 5 hidden layers, SGD with per-layer rates: vanishing, compensated": { core: '650d878105a0ca66', remedies: '4561dd8bb6f3860d', count: 1 },
};
// The headline came after too (expectSummaryExplained holds it to the summary and the first remedy).
// lastHiddenChange, lastHiddenDeltaChange and changeWindow: read over windows of records since session 44 (expectChangeOverWindows checks them).
// endNoise came after (session 45: the last hidden layer's batch gradient against its batch's sampling noise; expectEndNoise checks it).
// stepFirstToLast and speedMeasure came after (the speed of learning read from the steps taken where the optimiser sets them: test/flow/learning-speed.test.ts checks them); decayToGradient and evenedByDecay came after (they name L2 decay's share where compensated had credited the optimiser), layerRates (the offered rates as computed: expectRatesFromLastRecords checks them), training (where the run stands: test/flow/training-progress.test.ts checks it) and layersWithDeadUnits (expectDeadUnitsRemedied checks it).
// The summary's paragraphs (Diagnosis.paragraphs) are its summary, cut (expectSummaryExplained checks that): left out with it.
const comparableCore = ({ remedies: _remedies, summary: _summary, paragraphs: _paragraphs, headline: _headline, ...core }: Diagnosis) => ({
  ...core,
  evidence: { ...core.evidence, lastHiddenChange: undefined, lastHiddenDeltaChange: undefined, changeWindow: undefined, endNoise: undefined, meanChainFactor: undefined, decayToGradient: undefined, evenedByDecay: undefined, layerRates: undefined, training: undefined, layersWithDeadUnits: undefined, grewWhileLearning: undefined, stepFirstToLast: undefined, weightGradientFirstToLast: undefined, speedMeasure: undefined, gap: undefined },
});
/**
 * A remedy's option with its layerRates' numbers left out, and the run's SGD settings it came to keep
 * beside them (expectRatesFromLastRecords checks both).
 */
const withoutRates = (option: string) => option.replace(/^optimizer: \{ name: 'sgd'(, [^[]*)?, layerRates: \[[^\]]*\] \}$/, "optimizer: { name: 'sgd', layerRates: […] }");
/**
 * A remedy's option without the He init that came to go with a switch to relu or leaky-relu
 * (expectReluWithItsInit checks it): "activation: 'relu', init: 'he-normal' (or activation: 'tanh')"
 * as it was hashed, "activation: 'relu' (or 'tanh')".
 */
const withoutReluInit = (option: string) => option.replace(/^activation: '([a-z-]+)', init: 'he-normal'(?: \(or activation: ('[a-z-]+')\))?$/, (_, f, or) => `activation: '${f}'${or ? ` (or ${or})` : ''}`);
/**
 * A remedy's option as it was hashed before remedies became settings (src/flow/remedy.ts): the
 * relu remedy without the learning rate it came to carry (test/flow/relu-remedy.test.ts checks it), an
 * optimiser switch without the rate it came to carry or leave out and Hessian-free's without its batch and epochs (test/flow/switch-rates.test.ts), an
 * alternative activation or optimiser without its repeated key ("(or activation: 'tanh')" was
 * "(or 'tanh')", "'kfac' (or optimizer: 'hessian-free')" was "'kfac' or 'hessian-free'"), and a
 * smaller learning rate in the words it had ("below 2" was "a smaller value").
 */
const asHashed = (option: string) =>
  withoutReluInit(withoutRates(option.replace(/'hessian-free', batchSize: \d+(, epochs: \d+)?/, "'hessian-free'").replace(/, no learningRate: [a-z-]+ sets its own steps(\)?)$/, '$1').replace(/, learningRate: [0-9.e-]+( \(or |$)/, '$1')))
    .replace(/^(activation: '[a-z-]+') \(or activation: ('[a-z-]+')\)$/, '$1 (or $2)')
    .replace(/^optimizer: ('[a-z-]+') \(or optimizer: ('[a-z-]+')\)$/, 'optimizer: $1 or $2')
    .replace(/^learningRate: below [0-9.e-]+$/, 'learningRate: a smaller value');

/** A switch to relu or leaky-relu comes with He's init, unless the run already draws He's weights or had LSUV. */
function expectReluWithItsInit(d: Diagnosis, trace: Trace, label: string): void {
  const suited = trace.run.init === 'he-normal' || trace.run.lsuv === true;
  for (const { option } of d.remedies.filter((r) => /^activation: '(relu|leaky-relu)'/.test(r.option))) {
    expect(option.includes("init: 'he-normal'"), `${label}: ${option}`).toBe(!suited);
  }
}

/**
 * The suggested layerRates are the last hidden layer's ‖∂C/∂W‖ over each hidden layer's, the median
 * over the last LAYER_RATE_RECORDS full batches' records (an epoch's short last batch left out) of that ratio, printed to 3 significant digits, and 1 for
 * the output.
 */
function expectRatesFromLastRecords(d: Diagnosis, trace: Trace, label: string): void {
  const remedy = d.remedies.find((r) => r.option.includes('layerRates'));
  if (!remedy) return;
  const window = trace.fullBatchRecords().slice(-LAYER_RATE_RECORDS);
  const middle = (values: number[]) => {
    const sorted = values.filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
    const half = sorted.length >> 1;
    return sorted.length % 2 ? sorted[half] : (sorted[half - 1] + sorted[half]) / 2;
  };
  const rate = (l: number) => middle(window.map((r) => trace.at('weightGradNorm', r, trace.layers - 2) / trace.at('weightGradNorm', r, l)));
  const expected = [...Array.from({ length: trace.layers - 1 }, (_, l) => rate(l)), 1];
  expect(d.evidence.layerRates, label).toEqual(expected);
  // The run's own SGD, as it was set, with the rates added.
  const run = trace.run;
  const kept = [run.momentum && `momentum: ${run.momentum}`, run.nesterov && 'nesterov: true', run.weightDecay && `weightDecay: ${run.weightDecay}`, run.decayBiases === false && 'decayBiases: false'].filter(Boolean);
  const settings = kept.map((s) => `${s}, `).join('');
  expect(remedy.option, label).toBe(`optimizer: { name: 'sgd', ${settings}layerRates: [${expected.map((r) => Number(r.toPrecision(3))).join(', ')}] }`);
  const [first, last] = [window[0], window[window.length - 1]];
  expect(remedy.why, label).toContain(first === last ? `at the last record (step ${trace.steps[last]})` : `(the median over steps ${trace.steps[first]}–${trace.steps[last]}`);
}
/**
 * The last hidden layer's change over training time (lastHiddenChange, lastHiddenDeltaChange) is the median over the last
 * changeWindow full batches' records over the median over the first changeWindow: FADE_WINDOW_RECORDS of them, or a fifth where that
 * is fewer, and one (the last full batch's over the first record) in a full-batch run.
 */
function expectChangeOverWindows(d: Diagnosis, trace: Trace, label: string): void {
  const full = trace.fullBatchRecords();
  const window = trace.epochs.length > 0 && trace.epochs.every((e) => e.batches === 1) ? 1 : Math.min(FADE_WINDOW_RECORDS, Math.max(1, Math.floor(full.length / 5)));
  expect(d.evidence.changeWindow, label).toBe(window);
  const lastHidden = trace.layers - 2;
  const over = (metric: 'biasGradNorm' | 'deltaRms', records: number[]) => median(records.map((r) => trace.at(metric, r, lastHidden)));
  const first = window === 1 ? [0] : full.slice(0, window);
  expect(d.evidence.lastHiddenChange, label).toBe(over('biasGradNorm', full.slice(-window)) / over('biasGradNorm', first));
  expect(d.evidence.lastHiddenDeltaChange, label).toBe(over('deltaRms', full.slice(-window)) / over('deltaRms', first));
}
/**
 * The last hidden layer's batch gradient against its batch's sampling noise (endNoise): over the last changeWindow full batches'
 * records, R = √(Σ rows·‖∂C/∂b‖² ÷ Σ RMS ‖δ‖²) and the rows of a batch; none for a full-batch run, batches of one row, or no R.
 */
function expectEndNoise(d: Diagnosis, trace: Trace, label: string): void {
  const fullBatch = trace.epochs.length > 0 && trace.epochs.every((e) => e.batches === 1);
  const records = trace.fullBatchRecords().slice(-d.evidence.changeWindow);
  const rows = trace.batchRows[records[records.length - 1]];
  if (fullBatch || rows < 2) {
    expect(d.evidence.endNoise, label).toBeUndefined();
    return;
  }
  const lastHidden = trace.layers - 2;
  const sum = (f: (r: number) => number) => records.reduce((total, r) => total + f(r), 0);
  const ratio = Math.sqrt(sum((r) => trace.batchRows[r] * trace.at('biasGradNorm', r, lastHidden) ** 2) / sum((r) => trace.at('deltaRms', r, lastHidden) ** 2));
  // Dead units pass no gradient back (0/0): nothing to read.
  expect(d.evidence.endNoise, label).toEqual(Number.isFinite(ratio) ? { ratio, rows } : undefined);
}
/**
 * Every hidden relu-family layer with at least DEAD_UNITS of its units dead (median over records) is
 * named in the summary, and the run is offered leaky relu (unless it uses it), whatever the verdict.
 */
function expectDeadUnitsRemedied(d: Diagnosis, trace: Trace, label: string): void {
  const e = d.evidence;
  const expected = e.layers.slice(0, -1).filter((l) => l.deadFraction >= DEAD_UNITS).map((l) => l.layer);
  expect(e.layersWithDeadUnits, label).toEqual(expected);
  if (expected.length === 0) return;
  expect(d.summary, label).toMatch(d.verdict === 'dead' ? /^Dead units: / : /Also dead units: \d+ % of the units in hidden layer /);
  if (!trace.activations.includes('leaky-relu')) expect(d.remedies.some((r) => r.option.startsWith("activation: 'leaky-relu'")), label).toBe(true);
}
const hash16 = (value: unknown) => createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 16);

/** No remedy names what the run already uses: its activation, initialiser, optimiser or per-layer rates. */
function expectNothingAlreadyUsed(d: Diagnosis, trace: Trace, label: string): void {
  const options = d.remedies.map((r) => r.option);
  for (const f of new Set(trace.activations.slice(0, -1))) {
    expect(options.filter((o) => o.startsWith('activation:') && o.includes(`'${f}'`)), `${label}: suggests its own activation`).toEqual([]);
  }
  const init = trace.run.init;
  if (typeof init === 'string') expect(options, `${label}: suggests its own init`).not.toContain(`init: '${init}'`);
  // (SGD with per-layer rates is a layer-rates remedy, offered to plain SGD runs.)
  const named = options.filter((o) => o.startsWith("optimizer: '"));
  if (trace.run.optimizer) expect(named.filter((o) => o.includes(`'${trace.run.optimizer}'`)), `${label}: suggests its own optimiser`).toEqual([]);
  if (trace.run.layerRates) expect(options.join('\n'), `${label}: suggests layer rates again`).not.toMatch(/layerRates/);
}

/**
 * A remedy's option is its settings in the API's terms, and its reason names no option: the
 * settings are what a printer says in its own terms (the command line's flags), and a reason that
 * named `learningRate` would say it in the API's to a command-line user.
 */
function expectSettingsSaidOnce(d: Diagnosis, label: string): void {
  for (const r of d.remedies) {
    expect(r.option, label).toBe(remedyText(r, API_REMEDY_TERMS));
    expect(r.why, `${label}: ${r.option}`).not.toMatch(/\b(learningRate|clipNorm|biasInit|batchSize|activation|init|optimizer|layers|lsuv): /);
  }
}

describe('diagnose() names each labelled scenario right', () => {
  let digits: { nielsen: ReturnType<typeof firstRows>; digits: ReturnType<typeof firstRows> };
  beforeAll(async () => {
    const mnist = await loadMnist({ train: DEPTH_ROWS, test: 1 });
    digits = { nielsen: firstRows(mnist.train.x, mnist.train.y, DEPTH_ROWS), digits: firstRows(mnist.train.x, mnist.train.y, 256) };
  });

  it('has at least 12 scenarios', () => expect(SCENARIOS.length).toBeGreaterThanOrEqual(12));

  it.each(SCENARIOS)('$name', async (scenario) => {
    const net = await createNetwork({ seed: 1, ...scenario.network });
    const data = digits[scenario.data];
    net.train(data.x, data.y, scenario.train);
    const trace = net.trace!;
    net.dispose();
    expectTraceInvariants(trace, scenario.name);
    const d = diagnose(trace);
    const e = d.evidence;
    const summary = `${d.verdict}/${d.severity}: ${d.summary}\n${d.remedies.map((r) => r.option).join('\n')}`;
    expect(d.verdict, summary).toBe(scenario.verdict);
    const { remedies } = d;
    const before = BEFORE_BLOCKS[scenario.name];
    expect(hash16(comparableCore(d)), 'the diagnosis but its remedies is as before').toBe(before.core);
    expect(hash16(remedies.slice(0, before.count).map((r) => asHashed(r.option))), 'the remedies before issue 13 come first, unchanged').toBe(before.remedies);
    expectReluWithItsInit(d, trace, scenario.name);
    expectRatesFromLastRecords(d, trace, scenario.name);
    expectChangeOverWindows(d, trace, scenario.name);
    expectEndNoise(d, trace, scenario.name);
    for (const pattern of scenario.added ?? []) expect(remedies.slice(before.count).some((r) => pattern.test(r.option)), `${pattern} added\n${summary}`).toBe(true);
    // The residual remedy as docs/gradient-flow.md quotes it (its activation left out: '…').
    const residual = quotePattern(codeQuoteOn('docs/gradient-flow.md', "layers: { type: 'residual', layers: [{ type: 'dense', units, activation:"));
    if (scenario.added?.includes(RESIDUAL)) expect(remedies.some((r) => residual.test(r.option)), summary).toBe(true);
    // The healthy get nothing new but a plateau's remedies (more epochs, a larger rate, momentum or Adam), or more epochs where the loss
    // is still falling; the rest of issue 13's remedies name the createNetwork change, and dead units under another verdict get theirs.
    const alsoDead = d.verdict !== 'dead' && e.layersWithDeadUnits.length > 0;
    // Saturated units under another verdict (the summary's 'Also saturated units') get theirs too: another activation, the init, zero biases, a smaller rate.
    const alsoSaturated = d.verdict !== 'saturated' && e.saturatedLayers.length > 0;
    const plateau = d.verdict === 'healthy' && e.training?.state === 'plateau';
    const learning = d.verdict === 'healthy' && e.training?.state === 'learning';
    const ofProgress = (o: string) => (plateau && /^(epochs: more than|learningRate: above|momentum: |optimizer: 'adam')/.test(o)) || (learning && /^epochs: more than/.test(o));
    if (d.verdict === 'healthy' && !alsoDead) {
      const added = remedies.slice(before.count).map((r) => r.option);
      expect(added.every(ofProgress), added.join('\n')).toBe(true);
    }
    // Dead units beside a vanishing or exploding gap (the summary's 'Also vanishing gradients') get that gap's remedies after theirs.
    const alsoGap = d.verdict === 'dead' && /Also (vanishing|exploding) gradients/.test(d.summary);
    for (const r of remedies.slice(before.count)) {
      if (alsoGap && /^(optimizer: |clipNorm: |init: )/.test(r.option)) continue;
      if (ofProgress(r.option)) continue;
      if (alsoSaturated && /^(activation: '(relu|softsign)'|init: '|biasInit: 'zero'|learningRate: )/.test(r.option)) continue;
      expect(r.option).toMatch(alsoDead ? /^(layers: .*\{ type: '|activation: 'selu'|init: 'lsuv'|activation: 'leaky-relu'|biasInit: 'zero'|learningRate: |init: 'he-normal')/ : /^(layers: .*\{ type: '|activation: 'selu'|init: 'lsuv')/);
    }
    expectDeadUnitsRemedied(d, trace, scenario.name);
    if (scenario.severity) expect(d.severity, summary).toBe(scenario.severity);
    expectSummaryExplained(d, scenario.name);
    expectParagraphWords(d, FIRST_PARAGRAPH_WORDS);
    expect(d.summary.startsWith({ vanishing: 'Vanishing', exploding: 'Exploding', dead: 'Dead', saturated: 'Saturated', 'loss-rising': 'Loss rising', overfitting: 'Overfitting', healthy: 'Healthy' }[d.verdict])).toBe(true);
    if (scenario.compensated !== undefined) expect(e.compensated, summary).toBe(scenario.compensated);
    if (scenario.saturatedLayers) expect(e.saturatedLayers).toEqual(scenario.saturatedLayers);
    if (scenario.deadLayers) expect(e.deadLayers).toEqual(scenario.deadLayers);
    // Saturation belongs to saturating units, death to the relu family.
    for (const l of e.saturatedLayers) expect(['sigmoid', 'tanh', 'softsign']).toContain(trace.activations[l]);
    for (const l of e.deadLayers) expect(['relu', 'leaky-relu']).toContain(trace.activations[l]);
    expectNothingAlreadyUsed(d, trace, scenario.name);
    expectSettingsSaidOnce(d, scenario.name);
    if (scenario.first === null) expect(d.remedies.filter((r) => !ofProgress(r.option)), summary).toEqual([]);
    else if (scenario.first) expect(d.remedies[0]?.option, summary).toMatch(scenario.first);
    if (e.compensated) {
      // The run is described, not prescribed for: no optimiser is offered to a run whose optimiser already evens the steps.
      expect(d.summary).toMatch(/compensates/);
      expect(d.remedies.filter((r) => OPTIMIZER_REMEDY.test(r.option))).toEqual([]);
    }
    if (d.verdict === 'vanishing' || d.verdict === 'exploding') {
      // The verdict's measure is named: per-example δ, beside the batch gradient ‖∂C/∂b‖.
      expect(d.summary).toMatch(/one example's gradient δ .* \(RMS over the batch/);
      expect(d.summary).toMatch(/‖∂C\/∂b‖/);
    }
  });
});
