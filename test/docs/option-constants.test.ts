// The docs say values, not the names of constants a user cannot import: no exported options type
// (…Options, …Spec, …Init), nor any other export (result types such as Diagnosis and
// TrainingProgress, classes and their members, functions) names a CONSTANT_NAME the entry points do
// not export, and each value such a doc states in place of one is the constant's own value (its one
// source of truth), as test/optim/option-docs checks each optimiser's "(default N". Read with the
// TypeScript compiler from the sources, through src/index.ts and src/node.ts as typedoc reads them.
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { FLOAT32_MIN_NORMAL, MAX_SEED } from '../../src/checks.js';
import { grouped } from '../../src/counted.js';
import { NETWORK_ANSWERED_AFTER_DISPOSE } from '../../src/api/network.js';
import { MAIN_JOB_HEADINGS } from '../../src/cli/commands/main-job.js';
import { CLOSED_BELOW } from '../../src/curvature/lanczos.js';
import { BATCH_NOISE_SHARE, DEAD_LAYER, DEAD_UNITS, EXPLODING_RATIO, FADE_WINDOW_RECORDS, GRADIENT_FADED, LAYER_RATE_RECORDS, LAYER_STEP_SIZE_BOUND, SATURATED_LAYER, SEVERE_RATIO } from '../../src/flow/diagnosis/diagnosis-thresholds.js';
import { PRIME_MAX } from '../../src/flow/metrics.js';
import { LOSS_DIGITS, POSITIONAL_BELOW } from '../../src/loss-text.js';
import { MORE_EPOCHS } from '../../src/flow/remedy.js';
import { NOISE_WINDOW_MIN, OVERFIT_PATIENCE, PACE_POINTS, PROGRESS_WINDOW_MIN, START_NOISE_RECORDS, STILL_FALLING } from '../../src/flow/training-progress.js';
import { BLOCK_FILE_VERSION } from '../../src/io/safetensors-blocks.js';
import { CURVATURE_FLOOR } from '../../src/optim/lbfgs.js';
import { TRAINING_CHECK_MAX_ROWS } from '../../src/training/training-check-rows.js';
import { MAX_INIT_STD } from '../../src/init/initializers.js';
import { RUNAWAY_PARAMETER } from '../../src/model-limits.js';
import { KFAC_NORM_CONSTRAINT } from '../../src/optim/kfac.js';
import { STUDY_ACTIVATIONS, STUDY_INITS } from '../../src/studies/activations.js';
import { AUTOENCODER_OPTIMIZERS, TRAIN_ERROR_ROWS } from '../../src/studies/autoencoder.js';
import { DEPTH_NETWORKS, DEPTH_SEEDS, DEPTH_TRAINING_SEED, NIELSEN_TRAINING } from '../../src/studies/depth.js';
import { REMEDIES_SIZES } from '../../src/studies/remedies.js';
import { ACTIVATION_EPOCHS_BOUND, AUTOENCODER_POINTS_BOUND, DEPTH_SEEDS_BOUND, NIELSEN_EPOCHS_BOUND, SECONDS_BOUND, STEPS_BOUND, TRAINABLE_EPOCHS_BOUND } from '../../src/studies/study-bounds.js';
import { ACTIVATIONS_DEFAULTS, AUTOENCODER_DEFAULTS, REMEDIES_DEFAULTS, STUDY_DIGITS, STUDY_SEED, TRAINABLE_EPOCHS } from '../../src/studies/study-defaults.js';
import { EXAMPLE_ROWS, PROBE_ROWS } from '../../src/studies/trainable-depth-run.js';
import { DEFAULT_MIN_ROWS } from '../../src/wasm/threads/threaded-kernels.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const program = ts.createProgram([`${root}src/index.ts`, `${root}src/node.ts`], { module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, target: ts.ScriptTarget.ES2022, noEmit: true });
const checker = program.getTypeChecker();

/** Every export of the two entry points, by name, as the declarations it stands for. */
const EXPORTS = new Map<string, readonly ts.Declaration[]>();
for (const entry of ['src/index.ts', 'src/node.ts']) {
  const module = checker.getSymbolAtLocation(program.getSourceFile(`${root}${entry}`)!)!;
  for (const symbol of checker.getExportsOfModule(module)) {
    const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
    EXPORTS.set(symbol.name, target.declarations ?? []);
  }
}

const docText = (node: ts.Node) => ts.getJSDocCommentsAndTags(node).map((doc) => doc.getText()).join('\n');

/** A type's own doc and its fields' docs (every field of that name, in each member of a union), by field name ('' for the type's own). */
function docs(type: string): Map<string, string> {
  const found = new Map<string, string>();
  const add = (field: string, text: string) => found.set(field, [found.get(field), text].filter(Boolean).join('\n'));
  for (const declaration of EXPORTS.get(type) ?? []) {
    add('', docText(declaration));
    declaration.forEachChild(function walk(node: ts.Node): void {
      const member = ts.isPropertySignature(node) || ts.isMethodSignature(node) || ts.isPropertyDeclaration(node) || ts.isMethodDeclaration(node) || ts.isGetAccessor(node);
      if (member && node.name) add(node.name.getText(), docText(node));
      node.forEachChild(walk);
    });
  }
  return found;
}

/** The error codes (ErrorCode's members): a doc names those as a user reads them in `error.code`. */
const ERROR_CODES = new Set(
  (EXPORTS.get('ErrorCode') ?? []).flatMap((declaration) => [...declaration.getText().matchAll(/'([A-Z_]+)'/g)].map((m) => m[1])),
);
const OPTION_TYPES = [...EXPORTS.keys()].filter((name) => /(Options|Spec|Init)$/.test(name)).sort();
/** Every other export with a declaration of its own: result types, classes, functions, constants. */
const OTHER_EXPORTS = [...EXPORTS.keys()].filter((name) => !OPTION_TYPES.includes(name) && (EXPORTS.get(name) ?? []).length > 0).sort();
/** Notation a doc writes in capitals with an underscore, not a constant's name: H_L, the Hessian of the loss in the network's outputs. */
const NOTATION = new Set(['H_L']);

/** The names of constants (UPPER_SNAKE) `text` names that a user can neither import nor read as an error code. */
const unimportable = (text: string) => [...text.matchAll(/\b[A-Z][A-Z0-9]*_[A-Z0-9_]+\b/g)].map((m) => m[0]).filter((name) => !EXPORTS.has(name) && !ERROR_CODES.has(name) && !NOTATION.has(name));

/** A fraction as the docs write it: '1/4'. */
const fraction = (value: number) => `1/${1 / value}`;

/** A large bound as the docs write it: two digits, exponent without its '+' ('1.8e16'). */
const about = (value: number) => value.toPrecision(2).replace('e+', 'e');

/** What a doc says in place of a constant's name: [type, field, the words it must hold, made from the constant]. */
const STATED: [string, string, string][] = [
  ['NetworkOptions', 'seed', `2^32 − 1 = ${grouped(MAX_SEED)}`],
  ['WeightInit', 'std', `at most about ${about(MAX_INIT_STD)}`],
  ['WeightInit', 'std', `within about ±${about(RUNAWAY_PARAMETER)}`],
  ['BiasInit', 'value', `within about ±${about(RUNAWAY_PARAMETER)}`],
  ['TrainOptions', 'onBatch', `beyond about ±${about(RUNAWAY_PARAMETER)}`],
  ['BatchNormSpec', 'epsilon', `2⁻¹²⁶\n   * (≈ ${FLOAT32_MIN_NORMAL.toPrecision(3)}, float32's smallest normal)`],
  ['BatchNormSpec', 'momentum', `2⁻¹²⁶ (≈ ${FLOAT32_MIN_NORMAL.toPrecision(3)}, float32's smallest normal)`],
  ['KfacOptions', 'normConstraint', `(default ${KFAC_NORM_CONSTRAINT.toExponential()};`],
  ['ActivationStudyOptions', 'width', `(default ${grouped(ACTIVATIONS_DEFAULTS.width)};`],
  ['ActivationStudyOptions', 'epochs', `(default ${ACTIVATIONS_DEFAULTS.epochs}, at most ${grouped(ACTIVATION_EPOCHS_BOUND.max)})`],
  ['ActivationStudyOptions', 'trainRows', `(default ${grouped(STUDY_DIGITS.trainRows)})`],
  ['ActivationStudyOptions', 'testRows', `(default ${grouped(STUDY_DIGITS.testRows)})`],
  ['ActivationStudyOptions', 'batchSize', `(default ${ACTIVATIONS_DEFAULTS.batchSize})`],
  ['ActivationStudyOptions', 'learningRate', `(default ${ACTIVATIONS_DEFAULTS.learningRate})`],
  ['ActivationStudyOptions', 'records', `(default ${ACTIVATIONS_DEFAULTS.records})`],
  ['ActivationStudyOptions', 'activations', `(default ${STUDY_ACTIVATIONS.join(', ')})`],
  ['ActivationStudyOptions', 'inits', `(default ${STUDY_INITS.map((init) => init.name).join(', ')})`],
  ['AutoencoderStudyOptions', 'seconds', `(default ${AUTOENCODER_DEFAULTS.seconds}, at most ${grouped(SECONDS_BOUND.max)})`],
  ['AutoencoderStudyOptions', 'steps', `(default: none, \`seconds\` is the budget; at most ${grouped(STEPS_BOUND.max)})`],
  ['AutoencoderStudyOptions', 'points', `(default ${AUTOENCODER_DEFAULTS.points}, or the steps where a budget of steps has fewer; plus the start; at most ${grouped(AUTOENCODER_POINTS_BOUND.max)})`],
  ['AutoencoderStudyOptions', 'optimizers', `(default ${Object.keys(AUTOENCODER_OPTIMIZERS).join(', ')})`],
  ['CurvePoint', 'trainError', `on the first ${grouped(TRAIN_ERROR_ROWS)} training digits`],
  ['DepthStudyOptions', 'seeds', `at most ${grouped(DEPTH_SEEDS_BOUND.max)} (default ${DEPTH_SEEDS})`],
  ['DepthStudyOptions', 'epochs', `(default ${NIELSEN_TRAINING.epochs}, Nielsen's; at most ${grouped(NIELSEN_EPOCHS_BOUND.max)})`],
  ['DepthStudyOptions', 'onProgress', `(0: one hidden layer, to ${DEPTH_NETWORKS.length - 1}: four)`],
  ['DepthNetworkResult', 'training', `with seed ${DEPTH_TRAINING_SEED} (absent`],
  ['RemediesOptions', 'seconds', `(default ${REMEDIES_DEFAULTS.seconds}, at most ${grouped(SECONDS_BOUND.max)})`],
  ['RemediesOptions', 'steps', `(default: none, \`seconds\` is the budget; at most ${grouped(STEPS_BOUND.max)})`],
  ['RemediesOptions', 'trainRows', `(default ${grouped(STUDY_DIGITS.trainRows)})`],
  ['RemediesOptions', 'testRows', `(default ${grouped(STUDY_DIGITS.testRows)})`],
  ['RemediesOptions', 'seed', `(default ${STUDY_SEED})`],
  ['TrainableDepthOptions', 'epochs', `(default ${TRAINABLE_EPOCHS}, at most ${grouped(TRAINABLE_EPOCHS_BOUND.max)})`],
  ['TrainableDepthRow', 'firstToLastAtInit', `on the first ${grouped(PROBE_ROWS)} training digits`],
  ['TrainableDepthRow', 'deltaFirstToLastAtInit', `over the first ${grouped(EXAMPLE_ROWS)} training digits`],
];

/** What a result type's (or another export's) doc says in place of a constant's name: [export, field, the words it must hold, made from the constant]. */
const STATED_RESULTS: [string, string, string][] = [
  ['Diagnosis', 'severity', `severe at 1/${1 / SEVERE_RATIO} (two sigmoid layers' worth of σ′ ≤ ${fraction(PRIME_MAX.sigmoid)}), or ${1 / SEVERE_RATIO}×`],
  ['Diagnosis', 'lastHiddenChange', `below ${GRADIENT_FADED} (${100 * GRADIENT_FADED} % of its start)`],
  ['Diagnosis', 'changeWindow', `are medians over: ${FADE_WINDOW_RECORDS},`],
  ['Diagnosis', 'endNoise', `more than half (${BATCH_NOISE_SHARE})`],
  ['Diagnosis', 'saturatedLayers', `more than half (${SATURATED_LAYER}) are saturated`],
  ['Diagnosis', 'deadLayers', `more than half (${DEAD_LAYER}) of the units are dead`],
  ['Diagnosis', 'layersWithDeadUnits', `at least ${100 * DEAD_UNITS} % (${DEAD_UNITS}) of the units are dead`],
  ['Diagnosis', 'grewWhileLearning', `from ${EXPLODING_RATIO}× the last's up to ${1 / SEVERE_RATIO}×`],
  ['Diagnosis', 'skipCarried', `(${EXPLODING_RATIO}× up to ${1 / SEVERE_RATIO}×)`],
  ['Diagnosis', 'skipCarried', `growth below ${EXPLODING_RATIO}×, the exploding line`],
  ['diagnose', '', `the median over the last\n * ${LAYER_RATE_RECORDS} full batches' records`],
  ['diagnose', '', `learning rate × the largest stays within ${LAYER_STEP_SIZE_BOUND}, past which`],
  ['Diagnosis', 'layerRates', `the learning rate × the largest would pass ${LAYER_STEP_SIZE_BOUND} (see diagnose)`],
  ['LossPace', '', `(at least the last ${PACE_POINTS})`],
  ['LossPace', '', `the more-epochs remedy asks for ${MORE_EPOCHS === 2 ? 'twice them' : `${MORE_EPOCHS}×`}`],
  ['LossPace', 'points', `at least ${PACE_POINTS}.`],
  ['TrainingProgress', 'pace', `from ${PACE_POINTS} epochs or more`],
  ['TrainingProgress', 'window', `at least ${PROGRESS_WINDOW_MIN})`],
  ['TrainingProgress', 'startNoise', `fewer than ${START_NOISE_RECORDS} records`],
  ['TrainingProgress', 'lossNoise', `fewer than ${5 * NOISE_WINDOW_MIN} epochs, whose windows of a fifth hold fewer than ${NOISE_WINDOW_MIN}`],
  ['TrainingProgress', 'noise', `\n   * ${5 * NOISE_WINDOW_MIN} epochs): with`],
  ['ComparedLosses', 'noise', `than ${NOISE_WINDOW_MIN} (kept) epochs`],
  ['TrainingProgress', 'heldOutRiseEpochs', `(runs of fewer than ${5 * NOISE_WINDOW_MIN} epochs)`],
  ['TrainingProgress', 'heldOutRiseEpochs', `at least ${100 * STILL_FALLING} % above its lowest for fewer than ${OVERFIT_PATIENCE} epochs in a row (early stopping's patience):`],
  ['TrainingProgress', 'heldOutRiseEpochs', `(0 to ${OVERFIT_PATIENCE - 1})`],
  ['TrainingProgress', 'unstableRiseEpochs', `(runs of fewer than ${5 * NOISE_WINDOW_MIN} epochs)`],
  ['TrainingProgress', 'unstableRiseEpochs', `at least ${100 * STILL_FALLING} % above their lowest together for fewer than ${OVERFIT_PATIENCE} epochs in a row (early stopping's patience):`],
  ['TrainingProgress', 'unstableRiseEpochs', `(0 to ${OVERFIT_PATIENCE - 1})`],
  ['TrainingProgress', 'heldOutRose', `held that rise ${OVERFIT_PATIENCE} epochs in a row`],
  ['TraceEpoch', 'training', `at most\n   * ${grouped(TRAINING_CHECK_MAX_ROWS)}.`],
  ['EpochInfo', 'training', `at most ${grouped(TRAINING_CHECK_MAX_ROWS)},`],
  ['Lbfgs', 'restore', `sᵀy > ${CURVATURE_FLOOR}`],
  ['LanczosResult', 'zeroWithin', `max(${CLOSED_BELOW}, rounding)·s`],
  ['LanczosResult', 'remainder', `the closing bound, ${CLOSED_BELOW}·max|θ|`],
  ['LanczosRemainder', 'within', `max(${CLOSED_BELOW}, rounding)·s, the closing bound (${CLOSED_BELOW} of s)`],
  ['Network', '', `but ${NETWORK_ANSWERED_AFTER_DISPOSE.slice(0, 2).join(', ')}() (a second call does nothing) and ${NETWORK_ANSWERED_AFTER_DISPOSE[2]}.`],
  ['Network', 'dispose', `but ${NETWORK_ANSWERED_AFTER_DISPOSE.slice(0, 2).join(', ')}() (a second call does nothing) and ${NETWORK_ANSWERED_AFTER_DISPOSE[2]}.`],
  ['ThreadedOptions', 'minRowsPerThread', `least this many batch rows (default ${DEFAULT_MIN_ROWS})`],
  ['BackendOptions', 'threads', `least ${DEFAULT_MIN_ROWS} batch rows`],
  ['BackendOptions', 'threads', `batches under ${DEFAULT_MIN_ROWS}·n rows run on the\n   * main thread alone`],
  ['Network', 'initLsuv', `within about\n   * ±${about(RUNAWAY_PARAMETER)}`],
  ['Network', 'loadState', `within about ±${about(RUNAWAY_PARAMETER)}`],
  ['TfjsModelJson', 'version', `${BLOCK_FILE_VERSION} for a block network`],
  ['activationsReportSection', '', `'${MAIN_JOB_HEADINGS[1]}'`],
  ['depthReportSection', '', `"${MAIN_JOB_HEADINGS[0]}"`],
  ['lossText', '', `(default ${LOSS_DIGITS}, one more than`],
  ['lossText', '', `up to 10${'⁰¹²³⁴⁵⁶⁷⁸⁹'[Math.log10(POSITIONAL_BELOW)]} (`],
];

describe("the options' docs say values a user can read, each the constant's own", () => {
  it('surveys the exported options types and their fields', () => {
    expect(OPTION_TYPES).toEqual(expect.arrayContaining(['NetworkOptions', 'TrainOptions', 'AdamOptions', 'KfacOptions', 'BatchNormSpec', 'WeightInit', 'BiasInit', 'TrainableDepthOptions']));
    expect(docs('NetworkOptions').get('seed')).toMatch(/RNG/);
    expect(ERROR_CODES).toContain('INVALID_OPTION');
    expect(unimportable('(default ADAM_DEFAULTS, MODEL_LIMITS; INVALID_OPTION)')).toEqual(['ADAM_DEFAULTS']);
  });

  it.each(OPTION_TYPES)('%s names no constant a user cannot import', (type) => {
    const named = [...docs(type)].flatMap(([field, text]) => unimportable(text).map((name) => `${type}${field ? `.${field}` : ''}: ${name}`));
    expect(named).toEqual([]);
  });

  it.each(STATED)('%s.%s says %j', (type, field, words) => {
    expect(docs(type).get(field)).toContain(words);
  });

  it("the networks' sizes the depth and remedies studies' results name are the constants'", () => {
    expect(DEPTH_NETWORKS.map((sizes) => [sizes[0], sizes.length - 2, sizes[sizes.length - 1], new Set(sizes.slice(1, -1)).size === 1 ? sizes[1] : null])).toEqual([1, 2, 3, 4].map((n) => [784, n, 10, 30]));
    expect(docs('DepthNetworkResult').get('sizes')).toContain('784 inputs, one to four hidden layers of 30, 10 outputs');
    const hidden = REMEDIES_SIZES.slice(1, -1);
    expect([REMEDIES_SIZES[0], hidden.length, new Set(hidden).size, hidden[0], REMEDIES_SIZES[REMEDIES_SIZES.length - 1]]).toEqual([784, 8, 1, 32, 10]);
    expect(docs('RemediesResult').get('sizes')).toContain('784, eight hidden layers of 32, 10');
  });
});

describe("every other export's docs (result types, classes, functions) say values a user can read, each the constant's own", () => {
  it('surveys the result types and classes', () => {
    expect(OTHER_EXPORTS).toEqual(expect.arrayContaining(['Diagnosis', 'TrainingProgress', 'LossPace', 'Network', 'Trace', 'Kernels', 'diagnose']));
    expect(docs('Diagnosis').get('deadLayers')).toMatch(/dead/);
    expect(docs('Network').get('initLsuv')).toMatch(/LSUV|lsuv/);
  });

  it.each(OTHER_EXPORTS)('%s names no constant a user cannot import', (name) => {
    const named = [...docs(name)].flatMap(([field, text]) => unimportable(text).map((constant) => `${name}${field ? `.${field}` : ''}: ${constant}`));
    expect(named).toEqual([]);
  });

  it.each(STATED_RESULTS)('%s.%s says %j', (name, field, words) => {
    expect(docs(name).get(field)).toContain(words);
  });

});
