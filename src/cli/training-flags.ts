/**
 * The flags of train()'s options, shared by every command that trains a network the user names
 * (`gradscope train`, `gradscope study --model`): one table, one reader and one set of checks, so
 * that both commands take and refuse the same things the same way.
 */
import type { Network } from '../api/network.js';
import type { Rows } from '../data/matrix.js';
import { MODEL } from '../model.js';
import { counted, grouped, times } from '../counted.js';
import { checkOptimizerSupports, createOptimizer, findOptimizer, OPTIMIZERS, type Optimizer, type OptimizerSpec } from '../optim/index.js';
import { GradscopeError, invalidOption } from '../errors.js';
import { OptionRefusal, type OptionTerms } from '../option-refusal.js';
import { KFAC_DEFAULTS, KFAC_NORM_CONSTRAINT } from '../optim/kfac.js';
import { HESSIAN_FREE_DEFAULTS } from '../optim/hessian-free.js';
import { CHOICE_MOMENTUM, HESSIAN_FREE_BATCH, OWN_GRADIENTS, wantedBatchSize } from '../optimizer-defaults.js';
import { COMMAND_EPOCHS } from '../command-epochs.js';
import { SGD_MOMENTUM } from '../optim/sgd.js';
import { SETTING_RANGES } from '../optim/setting-ranges.js';
import { BATCH_NORM_MIN_ROWS } from '../layers/spec.js';
import { measuredRatesText } from '../equalising-rates.js';
import { givenFloat32Text } from '../number-text.js';
import { andList } from '../list-text.js';
import { denseOnlyChoiceNames, optimizerChoiceNames, optimizerChoices, type OptimizerChoice } from '../studies/optimizer-choices.js';
import { cappedBatch, checkBatchRows, DEFAULT_BATCH_SIZE } from '../training/batch-rows.js';
import { DEFAULT_MAX_HALVINGS, NON_FINITE_POLICIES, type NonFinitePolicy } from '../training/numeric-faults.js';
import type { TrainResult } from '../training/train-options.js';
import { checkSettingsForOptimizer } from '../training/optimizer-settings.js';
import { coresAvailable } from '../wasm/threads/pool.js';
import { SCHEDULE_FLAG, scheduleOfFlag, scheduleSettingsText } from './schedule-flag.js';
import type { LearningRateSchedule } from '../learning-rate-schedule.js';
import { booleanFlag, checkAsUsage, checkOptionsAsUsage, choiceFlag, COUNT, numberFlag, OPTION_FLAGS, POSITIVE, stringFlag, UsageError, type Flag, type ParsedArgs } from './command.js';

/** Each registered optimiser's own learning rate, as --help lists it ('sgd 0.1, …'), and those that take none. */
function defaultRatesText(): string {
  const rates = OPTIMIZERS.filter((d) => d.learningRate !== undefined).map((d) => `${d.name} ${givenFloat32Text(d.learningRate!)}`);
  const none = OPTIMIZERS.filter((d) => d.learningRate === undefined).map((d) => d.name);
  return `${rates.join(', ')}${none.length ? `; ${none.join(' and ')} choose their own steps and take none` : ''}`;
}

/** train()'s options as flags: epochs, batches, the optimiser and its settings, clipping, and what a non-finite step does. */
export const TRAINING_FLAGS: Flag[] = [
  { name: OPTION_FLAGS.epochs, value: 'N', default: COMMAND_EPOCHS, rule: { integer: true, min: 0 }, about: 'epochs of training' },
  {
    name: OPTION_FLAGS.batchSize,
    value: 'N',
    default: DEFAULT_BATCH_SIZE,
    rule: COUNT,
    about: `rows per step; without it --optimizer hessian-free takes its own, ${grouped(HESSIAN_FREE_BATCH)}: its steps fit the rows they are given`,
  },
  { name: OPTION_FLAGS.shuffle, about: "keep the rows in their order in every epoch (train's shuffle: false; default: reshuffled every epoch by --seed)" },
  { name: OPTION_FLAGS.dropLast, about: `leave out each epoch's last batch when it holds fewer than --batch-size rows (train's dropLast; with batch norm a last batch under ${BATCH_NORM_MIN_ROWS} rows is refused without it)` },
  { name: OPTION_FLAGS.learningRate, value: 'η', rule: { ...POSITIVE, float32: true }, about: `the step size (default: the optimiser's own: ${defaultRatesText()})` },
  SCHEDULE_FLAG,
  {
    name: OPTION_FLAGS.optimizer,
    value: 'NAME',
    default: 'sgd',
    about: `the optimiser, one of ${optimizerChoiceNames().join(', ')} (as study remedies --optimizers names them; ${denseOnlyChoiceNames().join(', ')}: models of dense layers only)`,
  },
  { name: OPTION_FLAGS.momentum, value: 'μ', rule: { min: 0, below: SETTING_RANGES.sgd.momentum.max, float32: true }, about: `the momentum of sgd, its named settings and lars, in place of the optimiser's own (sgd ${SGD_MOMENTUM}, sgd-momentum, nesterov and layer-rates ${CHOICE_MOMENTUM})` },
  {
    name: OPTION_FLAGS.normConstraint,
    value: 'c',
    rule: { min: 0 },
    about: `kfac's norm constraint (Ba et al. 2017): each step's δᵀF̂δ at most c, in place of its ${KFAC_NORM_CONSTRAINT}; 0: off`,
  },
  {
    name: OPTION_FLAGS.damping,
    value: 'λ',
    rule: POSITIVE,
    about: `the starting damping λ of kfac and hessian-free, in place of their own (kfac ${KFAC_DEFAULTS.damping}, hessian-free ${HESSIAN_FREE_DEFAULTS.damping}), which each then adapts as it trains; a larger one is what K-FAC's DIVERGED of a factor it cannot factorise asks for`,
  },
  { name: OPTION_FLAGS.clipNorm, value: 'N', rule: { ...POSITIVE, float32: true }, about: `clip the gradient to this global norm before each step (train's clipNorm; not with ${OWN_GRADIENTS.join(', ')}, which evaluate their own gradients; default: no clipping)` },
  {
    name: OPTION_FLAGS.onNonFinite,
    value: NON_FINITE_POLICIES.join('|'),
    default: 'throw',
    about: `a step whose loss or gradient is not finite or runs away (never applied): throw stops with DIVERGED, skip leaves its batch out and goes on from the weights it faulted at (nothing is put back), halve halves the learning rate and reruns from the last epoch start judged good, at most ${DEFAULT_MAX_HALVINGS} times (train's maxHalvings), then DIVERGED (train's onNonFinite)`,
  },
];

/** The flags that set the optimiser's own settings: another --optimizer does not keep them (a remedy's line that changes it leaves them to the new one's own, or sets them). */
export const OPTIMIZER_SETTING_FLAGS: readonly string[] = [OPTION_FLAGS.learningRate, OPTION_FLAGS.momentum, OPTION_FLAGS.normConstraint, OPTION_FLAGS.damping];

/** The optimiser options the training flags set (the learning rate goes to train()), by their API keys. */
const OPTIMIZER_OPTIONS = ['momentum', 'normConstraint', 'damping'] as const;

/**
 * How the settings line echoes an optimiser option's value, by how the core holds it (src/number-text.ts' header): momentum
 * enters the update kernels as float32 (sgdUpdate's μ), echoed as givenFloat32Text; normConstraint and damping are held and
 * adapted as float64 (K-FAC's ν and λ, hessian-free's λ), echoed as given, String(value). A refusal's prefix echoes every
 * value as given instead: it quotes what the user typed, which its reason may be about (0.99999999 is 1 in float32).
 */
const optionValueText = (option: (typeof OPTIMIZER_OPTIONS)[number], value: number) => (option === 'momentum' ? givenFloat32Text(value) : String(value));

/** How the training flags name an optimiser's options: by their flags (--momentum, --damping); one no flag sets (rescale, beta1, …) has none. */
const flagTerms: OptionTerms = (option) => ((OPTIMIZER_OPTIONS as readonly string[]).includes(option) ? `--${OPTION_FLAGS[option as (typeof OPTIMIZER_OPTIONS)[number]]}` : undefined);

/**
 * Refuses (UsageError) a flag of OPTIMIZER_OPTIONS given to an optimiser whose registry entry does
 * not list its option, in the flags' words ('adam takes no --momentum'), with the option that plays
 * its part there (OptimizerDefinition.counterparts), which no flag sets. A plugin that lists no
 * options is left to its constructor.
 */
function checkOptimizerTakes(choice: OptimizerChoice, given: Record<(typeof OPTIMIZER_OPTIONS)[number], number | undefined>): void {
  const definition = findOptimizer(choice.optimizer);
  for (const option of OPTIMIZER_OPTIONS) {
    const value = given[option];
    if (value === undefined || definition.options === undefined || definition.options.includes(option)) continue;
    const counterpart = definition.counterparts?.[option];
    const flag = flagTerms(option)!;
    throw new UsageError(`--optimizer ${choice.name} ${flag} ${value}: ${definition.name} takes no ${flag}${counterpart ? ` (its ${counterpart} plays that part, and no flag sets it)` : ''}`);
  }
}

/**
 * `build()` of `optimizer`, its refusal of what the optimiser flags give said in their words: an
 * OptionRefusal in flagTerms, and a value check that names its option first ("kfac: momentum:
 * expected …") with the flag in its place ("--momentum: expected …"). The optimiser's name that
 * starts every refusal of its options is left out: --optimizer names it, by its choice's name
 * ('nesterov' for sgd's).
 */
function inFlagTerms<R>(optimizer: string, build: () => R): R {
  const unnamed = (message: string) => (message.startsWith(`${optimizer}: `) ? message.slice(optimizer.length + 2) : message);
  try {
    return build();
  } catch (error) {
    if (error instanceof OptionRefusal) throw invalidOption(unnamed(error.messageFor(flagTerms)));
    const label = error instanceof GradscopeError && error.code === 'INVALID_OPTION' ? /^((?:[\w-]+: )?)(\w+): /.exec(error.message) : null;
    const flag = label && flagTerms(label[2]);
    if (label && flag) throw invalidOption(unnamed(`${label[1]}${flag}: ${(error as Error).message.slice(label[0].length)}`));
    throw error;
  }
}

/**
 * The training flags of `flags` that the optimiser of choice `name` would not apply, each with why: by
 * checkSettingsForOptimizer's rule, read from the registry (no instance is built): --on-non-finite halve
 * and --schedule beside one that chooses its own steps (it takes no learning rate: OptimizerDefinition.learningRate
 * absent), --clip-norm beside one that evaluates its own gradients (OptimizerDefinition.recomputesGradient).
 * What a remedy's line that switches to it leaves out. (--learning-rate goes with OPTIMIZER_SETTING_FLAGS.)
 */
export function flagsRefusedBeside(name: string, flags: ReadonlyMap<string, string | true>): { flag: string; why: string }[] {
  const choice = optimizerChoices().find((c) => c.name === name);
  const definition = OPTIMIZERS.find((d) => d.name === choice?.optimizer);
  if (definition === undefined) return [];
  const refused: { flag: string; why: string }[] = [];
  if (definition.learningRate === undefined && flags.get(OPTION_FLAGS.onNonFinite) === 'halve') {
    refused.push({ flag: OPTION_FLAGS.onNonFinite, why: `--on-non-finite halve left out: ${name} chooses its own steps, and halve halves a learning rate` });
  }
  const schedule = flags.get(OPTION_FLAGS.schedule);
  if (definition.learningRate === undefined && schedule !== undefined) {
    refused.push({ flag: OPTION_FLAGS.schedule, why: `--schedule ${schedule} left out: ${name} chooses its own steps, and a schedule changes a learning rate` });
  }
  const clip = flags.get(OPTION_FLAGS.clipNorm);
  if (definition.recomputesGradient && clip !== undefined) refused.push({ flag: OPTION_FLAGS.clipNorm, why: `--clip-norm ${clip} left out: ${name} evaluates its own gradients, which clipping the first would not match` });
  return refused;
}

/** The threads this machine runs at once, as createNetwork bounds `threads` (coresAvailable: one source for both). */
const cores = await coresAvailable();

/** --threads of the wasm backend (createNetwork's and loadModel's `threads`), bounded by the cores. */
export const THREADS_FLAG: Flag = {
  name: 'threads',
  value: 'N',
  default: 1,
  // createNetwork refuses more (they only add hand-offs), by the same count: the flag says so before any work.
  rule: { integer: true, min: 1, ...(cores && { max: cores.cores, why: `the threads this machine runs at once, ${cores.source}` }) },
  about: "threads of the wasm backend's large products, the main thread included",
};

/** --threads, refused beside --backend ref (threads apply to the wasm backend only). */
export function threadsFlag(args: ParsedArgs, backend: 'wasm' | 'ref' | undefined): number {
  const threads = numberFlag(args, 'threads');
  if (threads > 1 && backend !== 'wasm') throw new UsageError(`--threads ${threads}: threads apply to --backend wasm only`);
  return threads;
}

/** What TRAINING_FLAGS give, read and checked by their rules (the ones absent: undefined, or their defaults). */
export interface TrainingSettings {
  epochs: number;
  /** --batch-size; without it the batch the optimiser wants (wantedBatchSize: Hessian-free's), else DEFAULT_BATCH_SIZE. */
  batchSize: number;
  /** The optimiser whose batch batchSize is, where --batch-size was not given and it wants one; undefined otherwise. */
  batchOf?: string;
  /** False with --no-shuffle (train's shuffle). */
  shuffle: boolean;
  dropLast: boolean;
  /** --learning-rate; undefined: the optimiser's own. */
  learningRate?: number;
  /** --schedule (train's schedule), checked by the library's rules; undefined: none, the rate held. */
  schedule?: LearningRateSchedule;
  choice: OptimizerChoice;
  momentum?: number;
  normConstraint?: number;
  /** --damping: kfac's and hessian-free's starting damping; undefined: their own. */
  damping?: number;
  clipNorm?: number;
  onNonFinite: NonFinitePolicy;
}

/** A number flag with no default: undefined where not given. */
function optionalNumberFlag(args: ParsedArgs, name: string): number | undefined {
  return stringFlag(args, name) === undefined ? undefined : numberFlag(args, name);
}

/**
 * TRAINING_FLAGS of `args`, each by its rule (UsageError before any work); each read by its OPTION_FLAGS name, the one
 * the table is written from (test/cli/command-line.test.ts checks each reader against the table).
 */
export function readTrainingFlags(args: ParsedArgs): TrainingSettings {
  const choice = optimizerChoices().find((c) => c.name === choiceFlag(args, OPTION_FLAGS.optimizer, optimizerChoiceNames()))!;
  // An optimiser that wants batches of its own (Hessian-free: at 32 rows a step it stayed at chance) takes them where none is given, as the diagnosis's switch to it and the visualizer's control do.
  const wanted = stringFlag(args, OPTION_FLAGS.batchSize) === undefined ? wantedBatchSize(choice.optimizer) : undefined;
  return {
    epochs: numberFlag(args, OPTION_FLAGS.epochs),
    batchSize: numberFlag(args, OPTION_FLAGS.batchSize, wanted),
    ...(wanted !== undefined && { batchOf: choice.optimizer }),
    shuffle: !booleanFlag(args, OPTION_FLAGS.shuffle),
    dropLast: booleanFlag(args, OPTION_FLAGS.dropLast),
    learningRate: optionalNumberFlag(args, OPTION_FLAGS.learningRate),
    schedule: scheduleOfFlag(stringFlag(args, OPTION_FLAGS.schedule)),
    choice,
    momentum: optionalNumberFlag(args, OPTION_FLAGS.momentum),
    normConstraint: optionalNumberFlag(args, OPTION_FLAGS.normConstraint),
    damping: optionalNumberFlag(args, OPTION_FLAGS.damping),
    clipNorm: optionalNumberFlag(args, OPTION_FLAGS.clipNorm),
    onNonFinite: choiceFlag<NonFinitePolicy>(args, OPTION_FLAGS.onNonFinite)!,
  };
}

/** `spec` with the options given (`momentum`, `normConstraint`, `damping`) in place of its own; undefined ones are left out. */
function withOptions(spec: OptimizerSpec, given: Record<string, number | undefined>): OptimizerSpec {
  const options = Object.fromEntries(Object.entries(given).filter(([, value]) => value !== undefined));
  if (Object.keys(options).length === 0) return spec;
  return typeof spec === 'string' ? { name: spec, ...options } : { ...spec, ...options };
}

/** An optimiser trainingOptimizer built, and the spec it was built from: the choice's own settings (a named setting's momentum, layer-rates' measured rates) with the flags'. */
export interface BuiltOptimizer {
  optimizer: Optimizer;
  spec: OptimizerSpec;
}

/**
 * The optimiser `settings` name, built for `net` to train on `rows` (`where` says where they come
 * from, e.g. 'in data.json'), after every check of the flags against this network and these rows:
 * each refusal is the flags' fault, a UsageError (exit 2) naming them, before any training. `prepare`
 * (default none) runs after those checks and before the optimiser is built, on the weights it will
 * train: train's --init lsuv rescales them there, so that layer-rates measures its rates on the
 * weights it trains, not on the orthonormal ones LSUV replaces. The caller disposes of the optimiser.
 */
export async function trainingOptimizer(
  args: ParsedArgs,
  net: Network,
  settings: TrainingSettings,
  rows: { x: Rows; y: Rows; count: number },
  where: string,
  prepare?: () => Promise<void>,
): Promise<BuiltOptimizer> {
  const { choice, batchSize, dropLast, momentum, normConstraint, damping } = settings;
  // An optimiser that cannot train this model's layers: K-FAC (its curvature is a dense layer's), and layer-rates, which measures its
  // rates per dense layer (equalisingLayerRates), beside norm layers or residual blocks (train's --norm, --residual-gate). Said in the
  // flags' terms: the library's refusal named createNetwork({ sizes }) and its optimisers quoted as API values (cli43).
  if (net.kind === 'blocks' && denseOnlyChoiceNames().includes(choice.name)) {
    const why = choice.denseOnly ? 'measures one rate per layer of a network of dense layers' : 'trains networks of dense layers only';
    throw new UsageError(
      `--optimizer ${choice.name} ${why}, and this one is made of layer specs (norm layers or residual blocks: --norm, --residual-gate); choose another --optimizer (all but ${andList(denseOnlyChoiceNames())} train any layer)`,
    );
  }
  checkAsUsage(`--optimizer ${choice.name}`, () => checkOptimizerSupports(net, choice.optimizer));
  // Batches this network cannot train on (batch norm over one row).
  checkAsUsage(`--batch-size ${batchSize}`, () =>
    checkBatchRows(net[MODEL], rows.count, batchSize, dropLast, { sizes: `with ${counted(rows.count, 'row')} ${where}`, batchSize: '--batch-size', dropLast: '--drop-last' }),
  );
  // A --momentum, --norm-constraint or --damping this optimiser does not take, before it is built; what it refuses of their values as it is built, naming the flags.
  const given = { momentum, normConstraint, damping };
  checkOptimizerTakes(choice, given);
  const flags = `--optimizer ${choice.name}${OPTIMIZER_OPTIONS.filter((option) => given[option] !== undefined).map((option) => ` ${flagTerms(option)} ${given[option]!}`).join('')}`;
  await prepare?.();
  const spec = checkAsUsage(flags, () => inFlagTerms(choice.optimizer, () => withOptions(choice.spec(net, { x: rows.x, y: rows.y }), given)));
  const optimizer = checkAsUsage(flags, () => inFlagTerms(choice.optimizer, () => createOptimizer(net, spec)));
  try {
    // Settings this optimiser would not apply (--learning-rate or halve beside one that chooses its own steps, --clip-norm beside one that
    // evaluates its own gradients): by train()'s own rule, the one place it is checked.
    const { learningRate, schedule, clipNorm, onNonFinite } = settings;
    checkOptionsAsUsage(args, { learningRate: OPTION_FLAGS.learningRate, schedule: OPTION_FLAGS.schedule, clipNorm: OPTION_FLAGS.clipNorm, onNonFinite: OPTION_FLAGS.onNonFinite }, () =>
      checkSettingsForOptimizer(optimizer, { learningRate, schedule, clipNorm, onNonFinite }),
    );
  } catch (error) {
    optimizer.dispose();
    throw error;
  }
  return { optimizer, spec };
}

/**
 * The training's settings in one sentence, for `rows` training rows: `sgd, learning rate 0.1 (sgd's default), batches of 32, seed 1.`;
 * a --schedule after the rate it starts at; the settings the optimiser was built with (BuiltOptimizer.spec: a named setting's own momentum,
 * `layer-rates, momentum 0.9, per-layer rates [41.2, 7.5, 1] (…)`, and --momentum, --norm-constraint and --damping where given);
 * the batch is the one train() uses, --batch-size (or, without it, the optimiser's own: batchOf) capped at the rows, and says so when
 * capped or the optimiser's.
 */
export function trainingSettingsText(settings: TrainingSettings, { optimizer, spec }: BuiltOptimizer, seed: number, rows: number): string {
  const { choice, learningRate, normConstraint, damping, clipNorm, batchSize, batchOf } = settings;
  const ownRate = optimizer.defaultLearningRate;
  const start = learningRate !== undefined ? `learning rate ${givenFloat32Text(learningRate)}` : ownRate === undefined ? 'its own steps' : `learning rate ${givenFloat32Text(ownRate)} (${choice.optimizer}'s default)`;
  // checkSettingsForOptimizer refused a schedule beside an optimiser that takes no rate: here there is one to start it at.
  const rate = settings.schedule === undefined ? start : `${start} at the start of ${scheduleSettingsText(settings.schedule)}`;
  // clipNorm is held as float64 (the gradient's norm is compared with it there; only the scale it gives enters float32): echoed as given.
  const clipped = clipNorm === undefined ? '' : `, gradient clipped to norm ${clipNorm}`;
  const built: Record<string, unknown> = typeof spec === 'string' ? {} : spec;
  const layerRates = Array.isArray(built.layerRates) ? `, per-layer rates ${measuredRatesText(built.layerRates, `the ${counted(rows, 'training row')} before training`)}` : '';
  const given =
    `${typeof built.momentum === 'number' ? `, momentum ${optionValueText('momentum', built.momentum)}` : ''}${layerRates}` +
    `${normConstraint === undefined ? '' : `, norm constraint ${optionValueText('normConstraint', normConstraint)}`}${damping === undefined ? '' : `, damping ${optionValueText('damping', damping)}`}`;
  const used = cappedBatch(batchSize, rows);
  const [asked, own] = batchOf === undefined ? [`--batch-size ${batchSize}`, ''] : [`${batchOf}'s own ${grouped(batchSize)}`, '; no --batch-size given'];
  const batches =
    used < batchSize ? `batches of ${grouped(used)} (${asked} capped at the ${counted(rows, 'row')}${own})` : batchOf === undefined ? `batches of ${batchSize}` : `batches of ${grouped(used)} (${batchOf}'s own${own})`;
  return `${choice.name}${given}, ${rate}, ${batches}${clipped}, seed ${seed}.`;
}

/** What --on-non-finite did in a finished run, a line each: the batches 'skip' left out, the halvings of 'halve' and the rate they ended at; none when it did nothing. */
export function nonFiniteLines(trained: Pick<TrainResult, 'skipped' | 'halvings' | 'learningRate'>): string[] {
  return [
    ...(trained.skipped > 0 ? [`--on-non-finite skip left out ${counted(trained.skipped, 'batch', 'batches')} whose step was not finite or ran away.`] : []),
    ...(trained.halvings > 0 ? [`--on-non-finite halve halved the learning rate ${times(trained.halvings)}, to ${givenFloat32Text(trained.learningRate!)}.` /* only a rate is halved: one is in force */] : []),
  ];
}
