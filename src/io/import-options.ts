/**
 * Import options beside what a file records itself (gradscope's safetensors metadata, a tfjs
 * topology, a PyTorch module expression), one rule for every reader: the file's record is the
 * model's own, so an option that agrees with it is taken, one that contradicts it is refused naming
 * both values, and one the file gives no room for is refused saying why; never silently overridden
 * or ignored either way.
 */
import { GradscopeError } from '../errors.js';
import type { LayerSpec } from '../layers/spec.js';
import type { Fail } from '../model-limits.js';
import { shellWord } from '../shell-word.js';

/** The import options a reader may be given (ImportOptions' keys). */
export type ImportOptionName = 'activation' | 'output' | 'loss' | 'layers' | 'pytorch';

/**
 * INVALID_OPTION for an import option that contradicts what the file's gradscope metadata records:
 * the metadata is the model's own, so an option that agrees is taken and one that contradicts it is
 * refused, never silently overridden. `option`, `given` and `recorded` let a caller say it its own
 * way (the CLI: --loss mse).
 */
export class ContradictedImportOption extends GradscopeError {
  /** Whether `recorded` is one value the option could give (not several, as 'relu,tanh' of a network whose hidden layers differ). */
  readonly single: boolean;

  constructor(
    /** The option given. */
    readonly option: 'activation' | 'output' | 'loss',
    /** Its value. */
    readonly given: string,
    /** The metadata field that records it, e.g. '__metadata__.loss'. */
    readonly field: string,
    /** What the file records there (comma-separated when the hidden layers use several activations). */
    readonly recorded: string,
  ) {
    const single = !recorded.includes(',');
    super('INVALID_OPTION', `${option} option '${given}' contradicts ${field} '${recorded}', which the file records; leave the option out${single ? `, or give '${recorded}'` : ''}`);
    this.single = single;
  }
}

/**
 * INVALID_OPTION for an import option the file gives no room for (it records what the option would
 * say, or has nothing the option could describe). `option` and `why` let a caller name the option
 * its own way (the CLI: --loss); `path`, when known, names the file.
 */
export class UnreadImportOption extends GradscopeError {
  constructor(
    /** The option given. */
    readonly option: ImportOptionName,
    /** Why it does not apply: what the file records instead. */
    readonly why: string,
    /** The file, when the reader knows it. */
    readonly path?: string,
  ) {
    super('INVALID_OPTION', `${path === undefined ? '' : `${shellWord(path)}: `}the ${option} option does not apply: ${why}`);
  }
}

/** Import options as a message asks for them, in the API's words and the command line's: `{ output, loss } (--output, --loss)`. */
export function optionsToPass(keys: readonly ImportOptionName[]): string {
  return `{ ${keys.join(', ')} } (${keys.map((key) => `--${key}`).join(', ')})`;
}

/** The route to a model that UnstatedImportOptions offers beside the options: reading a PyTorch state_dict by its module's expression. */
export const BY_MODULE = 'read it by the expression of the PyTorch module that saved it';

/**
 * BAD_MODEL_FILE for a file that does not record what its model computes (a plain state_dict has no
 * activations, or no loss): the import options that would say it, so each caller asks for them in its
 * own words (cli/unstated-import-words.ts: convert takes them as flags; a command without those flags
 * is given the convert command that takes them). `byModule`: the options of the other route, a PyTorch
 * state_dict read by its module's expression, where it applies. `path`, when known, names the file.
 */
export class UnstatedImportOptions extends GradscopeError {
  constructor(
    /** Where in the file the record is missing ('__metadata__'). */
    readonly where: string,
    /** What it lacks: 'has no gradscope "activations"'. */
    readonly lacks: string,
    /** The options that would say it. */
    readonly options: readonly ImportOptionName[],
    /** What they say: 'to say what the layers compute'. */
    readonly purpose: string,
    /** The options of the module-expression route, where it applies. */
    readonly byModule?: readonly ImportOptionName[],
    /** The file, when the reader knows it. */
    readonly path?: string,
    /** The values the file itself allows for some of `options` (its layers' names, in each order they chain in): a printed command is given once for each, in place of a placeholder. */
    readonly values?: Readonly<Partial<Record<ImportOptionName, readonly string[]>>>,
  ) {
    const route = byModule === undefined ? '' : `, or ${BY_MODULE}: blockModelFromSafetensors's ${optionsToPass(byModule)}`;
    super('BAD_MODEL_FILE', `${path === undefined ? '' : `${shellWord(path)}: `}${where}: ${lacks}; pass ${optionsToPass(options)} ${purpose}${route}`);
  }

  /** The same refusal naming the file at `path`. */
  at(path: string): UnstatedImportOptions {
    return new UnstatedImportOptions(this.where, this.lacks, this.options, this.purpose, this.byModule, path, this.values);
  }
}

/**
 * INVALID_OPTION for an import option whose value is wrong: a layers option naming a layer the file
 * does not have, or leaving one out; a module expression (pytorch option) that does not parse, has a
 * module gradscope does not compute, or names tensors the file does not hold. The caller wrote it,
 * so the mistake is the caller's (not the file's, BAD_MODEL_FILE). `where` is the message's place
 * ('pytorch option module 3', or a tensor's name), `problem` what is wrong, so a caller can name
 * the option its own way (the CLI: --pytorch).
 */
export class MistakenImportOption extends GradscopeError {
  constructor(
    /** The option given. */
    readonly option: 'layers' | 'pytorch',
    /** Where in the option, or in the file, the mistake shows. */
    readonly where: string,
    /** What is wrong there. */
    readonly problem: string,
  ) {
    super('INVALID_OPTION', `${where}: ${problem}`);
  }
}

/**
 * INVALID_OPTION for an output option that does not go with the loss (checkLossPairing's rule): a 'linear' output with loss
 * 'cross-entropy'. The output is the caller's, and so is the loss where `lossGiven` (else the file's `__metadata__.loss`): it was
 * BAD_MODEL_FILE naming the file's `__metadata__`, which had none (newuser45 #2). `why` is the rule's words; `logits`, where the
 * loss is one a PyTorch loss takes logits for, says which output reads such a module (logitsReading).
 */
export class ClashingImportOptions extends GradscopeError {
  constructor(
    /** The output option given. */
    readonly output: string,
    /** The loss, the option's or the file's. */
    readonly loss: string,
    /** Whether the loss is the caller's option (else `__metadata__.loss`). */
    readonly lossGiven: boolean,
    /** Why they do not go together. */
    readonly why: string,
    /** How a PyTorch module's logits trained with this loss are read, where the loss is such a one. */
    readonly logits: string | undefined,
  ) {
    super('INVALID_OPTION', `output option '${output}' with ${lossGiven ? 'loss option' : '__metadata__.loss'} '${loss}': ${why}${logits ? `; ${logits}` : ''}`);
  }
}

/** The Fail of checks that read an option's value: MistakenImportOption of `option`. */
export function mistakenOption(option: 'layers' | 'pytorch'): Fail {
  return (where, problem) => new MistakenImportOption(option, where, problem);
}

/** Refuses (ContradictedImportOption) an option given beside the metadata's value that differs from it. */
export function checkAgrees(option: 'activation' | 'output' | 'loss', given: string | undefined, field: string, recorded: string): void {
  if (given !== undefined && given !== recorded) throw new ContradictedImportOption(option, given, field, recorded);
}

/** What a file records of the activations, as the activation and output options would say it. */
export interface RecordedActivations {
  /** The hidden layers' activations, each once, in order; none when the model has no hidden layer. */
  hidden: readonly string[];
  /** The output layer's activation. */
  output: string;
}

/** Refuses (UnreadImportOption) an activation option for a model with no hidden layer: it would be ignored. */
export function refuseHiddenActivation(given: string | undefined): void {
  if (given !== undefined) throw new UnreadImportOption('activation', 'the model has no hidden layer, so no hidden activation to give');
}

/** The activation options of every reader (SafetensorsImportOptions', BlockSafetensorsOptions'), as checkActivationOptions reads them. */
export interface ActivationOptions {
  /** The hidden layers' activation. Default: none given (nothing to check). */
  activation?: string;
  /** The output layer's activation. Default: none given (nothing to check). */
  output?: string;
}

/**
 * The activation and output options beside a file's record of them (`field` names where, e.g.
 * '__metadata__.activations'): each must agree with it (ContradictedImportOption otherwise), and an
 * activation option needs a hidden layer (UnreadImportOption otherwise). The one rule of the dense
 * and the block readers.
 */
export function checkActivationOptions(options: ActivationOptions, recorded: RecordedActivations, field: string): void {
  if (recorded.hidden.length === 0) refuseHiddenActivation(options.activation);
  else checkAgrees('activation', options.activation, `${field} (hidden layers)`, recorded.hidden.join(','));
  checkAgrees('output', options.output, `${field} (output layer)`, recorded.output);
}

/**
 * What a block network's layer specs record of the activations, as the activation and output
 * options would say it: the output is the last layer's (a dense or activation layer; 'linear' after
 * a norm); the hidden ones are those of every other dense and activation layer, residual branches
 * included, leaving out a dense layer's 'linear' (its activation is a layer of its own, if any), and
 * 'linear' alone when that is all there is. Diagnose's remedies read a trace the same way.
 */
export function blockActivations(layers: readonly LayerSpec[]): RecordedActivations {
  const last = layers[layers.length - 1];
  const outputLayer = last?.type === 'dense' || last?.type === 'activation' ? last : undefined;
  const hidden = new Set<string>();
  let units = false;
  const walk = (specs: readonly LayerSpec[]) => {
    for (const spec of specs) {
      if (spec === outputLayer) continue;
      if (spec.type === 'residual') walk(spec.layers);
      else if (spec.type === 'dense' || spec.type === 'activation') {
        units = true;
        if ((spec.activation ?? 'linear') !== 'linear') hidden.add(spec.activation!);
      }
    }
  };
  walk(layers);
  return { hidden: hidden.size > 0 ? [...hidden] : units ? ['linear'] : [], output: outputLayer?.activation ?? 'linear' };
}
