/**
 * How diagnose()'s remedies read on a command's line: each as a whole command that reruns the
 * printer's own run with the remedy's settings in place of the run's. A change of the network
 * (activation, init, bias init, LSUV, norm layers, residual blocks) is a `gradscope train` line that makes the run's network with
 * that one change and trains it as the run was trained, saving it (--out) to a new file named after
 * the run's; a change of the training alone reruns the printer's own command where it can rerun the
 * run (`study --model M`, from the same weights), else it is a train line too. Where no command line
 * makes the run with the change (its layers are blocks, a setting train has no flag for, a
 * per-layer-rates object as the value), the remedy is said as the API's options with why.
 * Each flag is OPTION_FLAGS' (or LAYERS_CHANGE_FLAGS') name, found in the command's own flag table.
 */
import { isLayersChange, LEFT_OUT, REMEDY_OPTION_OWNER, type RemedyCommandLine, type RemedyLayersChange, type RemedySetting, type RemedyTerms } from '../flow/remedy.js';
import { checkLayersChange, LAYERS_CHANGE_FLAGS, layersChangeFlags } from './layers-change-flags.js';
import { shorten } from '../errors.js';
import { commandName, numberFlag, OPTION_FLAGS, parseArgs, UsageError, wholeListFlag, type Command, type ParsedArgs } from './command.js';
import { gradscopeLine } from './invocation.js';
import { flagsRefusedBeside, OPTIMIZER_SETTING_FLAGS, readTrainingFlags, TRAINING_FLAGS, type TrainingSettings } from './training-flags.js';
import { shellLine } from '../shell-word.js';

/** A command line that repeats a run: its command, its flags, and what it cannot spell of the run. */
export interface RunCommand {
  command: Command;
  /** Its flags by name, each with its value as the command line gives it (a switch: true). */
  flags: ReadonlyMap<string, string | true>;
  /**
   * Flags of the run the line cannot spell, each with why (`the model file does not record its
   * initialisation`): a remedy that sets the flag replaces the run's value and the line stands;
   * otherwise there is no line, and the remedy reads as the API's options with the reason.
   */
  unsaid: ReadonlyMap<string, string>;
  /**
   * Flags of the run the line leaves at the command's default because the run records no value, each with what the line
   * then assumes (`the run records no initialisation of its biases: this line starts them as train does …`): a remedy that
   * sets the flag replaces the assumption; otherwise the line stands with the words as its note. Absent: none.
   */
  assumed?: ReadonlyMap<string, string>;
  /** The flag the line saves the trained model with ('out', 'save') and the file whose name the new one's derives from; absent: it saves none. */
  output?: { flag: string; from: string };
}

/** A run as the command line repeats it. */
export interface RunOnCommandLine {
  /** The printer's own command that reruns the run from its weights as they were (study --model M …); absent: the printer has none. */
  rerun?: RunCommand;
  /** `gradscope train`'s line that makes the run's network and trains it the same way, or why none does. */
  train: RunCommand | { cannot: string };
}

/**
 * The flags each setting is said by and their values, or undefined for a setting no flag takes; a setting that leaves its
 * option out (LEFT_OUT) is its flag with no value, which the line drops. A `layers` setting (a RemedyLayersChange) is a
 * flag per field it sets (--norm, --residual-gate, --activation: LAYERS_CHANGE_FLAGS), which train makes as
 * applyLayersChange does.
 */
function settingFlags(s: RemedySetting): { name: string; value?: string }[] | undefined {
  if (s.option === 'layers') return isLayersChange(s.setting) ? Object.entries(s.setting).map(([field, value]) => ({ name: LAYERS_CHANGE_FLAGS[field as keyof RemedyLayersChange], value })) : undefined;
  if (!Object.hasOwn(OPTION_FLAGS, s.option)) return undefined;
  const name = OPTION_FLAGS[s.option as keyof typeof OPTION_FLAGS];
  if (s.value === LEFT_OUT) return [{ name }];
  return s.flagValue === undefined ? undefined : [{ name, value: s.flagValue }];
}

/** Whether `settings` change the network (createNetwork's options, or LSUV's rescaled weights): only a new network, made by train, has them. */
const changesNetwork = (settings: readonly RemedySetting[]) => settings.some((s) => REMEDY_OPTION_OWNER[s.option] === 'createNetwork' || s.option === 'lsuv');

/** `text` as part of a file name: each run of characters other than letters, digits and '.' becomes one '-', none at either end. */
export const fileSlug = (text: string) => text.replace(/[^A-Za-z0-9.]+/g, '-').replace(/^-|-$/g, '');

/**
 * The flags whose word values name themselves in a file name (relu, he-normal, adam, batch-norm): the flag's name beside them
 * made the relu remedy's `--out model-activation-relu-init-he-normal-learning-rate-0.002.json`, 52 characters (newuser43 #10).
 */
const SELF_NAMED_FLAGS: readonly string[] = [OPTION_FLAGS.activation, OPTION_FLAGS.init, OPTION_FLAGS.optimizer, LAYERS_CHANGE_FLAGS.norm];

/** A change in a file name: a word value of a SELF_NAMED_FLAGS flag alone; any other value (a number, `normal:0.05`, `none`) after its flag's name. */
const changeSlug = ({ name, value }: { name: string; value: string }) => (SELF_NAMED_FLAGS.includes(name) && /^[a-z]+(-[a-z]+)*$/.test(value) ? value : `${name}-${value}`);

/** A file name beside `from` for the run with `changes`: `relu10.json` → `relu10-he-normal.json` (a .safetensors model's becomes .json: saveModel writes gradscope's own formats). */
export function derivedFileName(from: string, changes: readonly { name: string; value: string }[]): string {
  const slash = from.lastIndexOf('/') + 1;
  const dot = from.lastIndexOf('.');
  const [stem, ext] = dot > slash ? [from.slice(0, dot), from.slice(dot)] : [from, ''];
  const slug = fileSlug(changes.map(changeSlug).join('-'));
  return `${stem}-${slug}${ext.toLowerCase() === '.safetensors' ? '.json' : ext}`;
}

/** `--name value` of `flags` in the order of `command`'s flag table, as shell words after `gradscope` and its words. */
function commandWords(command: Command, flags: ReadonlyMap<string, string | true>): string[] {
  const ordered = command.flags.filter((f) => flags.has(f.name));
  return ordered.flatMap((f) => {
    const value = flags.get(f.name)!;
    return value === true ? [`--${f.name}`] : [`--${f.name}`, value];
  });
}

/** The layer sizes a train line gives: --layers, or --depth hidden layers of --width units between inputs and outputs it does not know (0: the rows' own). */
function trainSizes(args: ParsedArgs): number[] {
  const layers = wholeListFlag(args, 'layers', 1, '', true);
  return layers ?? [0, ...Array<number>(numberFlag(args, 'depth')).fill(numberFlag(args, 'width')), 0];
}

/** Why `command` would refuse `argv` (its parser, train()'s flags by their reader, each other numeric or list flag by its rule), or undefined when it takes it; `invoked`: Terminal.invokedAs. */
function refusal(command: Command, argv: string[], invoked: string | undefined): string | undefined {
  try {
    const args = parseArgs(command, argv, invoked);
    const training = new Set(TRAINING_FLAGS.map((f) => f.name));
    if (command.flags.some((f) => training.has(f.name))) readTrainingFlags(args);
    // --norm and --residual-gate where the network cannot take them (no hidden layer, hidden layers of different units).
    const change = command.flags.some((f) => f.name === LAYERS_CHANGE_FLAGS.norm) ? layersChangeFlags(args) : undefined;
    if (change) checkLayersChange(args, trainSizes(args), change);
    for (const [name, value] of args.flags) {
      const flag = command.flags.find((f) => f.name === name)!;
      if (training.has(name) || value === true || flag.rule === undefined) continue;
      if (flag.value?.includes(',')) wholeListFlag(args, name, 1, '', true);
      else numberFlag(args, name);
    }
    return undefined;
  } catch (error) {
    if (error instanceof UsageError) return error.message;
    throw error;
  }
}

/**
 * The training flags of `flags` as `command` reads them (readTrainingFlags), or undefined where it refuses them (the line's refusal
 * says why). A switch of optimiser reads the batch each line trains at from it (review49b #2: a Hessian-free run, at its own 1,000
 * rows a step without --batch-size, switched to Adam trained at 32, unsaid).
 */
function trainingOf(command: Command, flags: ReadonlyMap<string, string | true>, invoked: string | undefined): TrainingSettings | undefined {
  try {
    return readTrainingFlags(parseArgs(command, commandWords(command, flags), invoked));
  } catch (error) {
    if (error instanceof UsageError) return undefined;
    throw error;
  }
}

/**
 * `run`'s line with `settingFlags` in place of its flags (those without a value left out), or why there is none. Another --optimizer drops
 * the run's own settings of the old one, and those the new one would not apply (flagsRefusedBeside), and writes the run's batch where
 * the old one took its own without --batch-size and the new one would take another (trainingOf), saying so; a change of the training
 * alone (`trainingOnly`) drops --epochs 0, which trains nothing (the run measured its initial weights), so that the line shows the
 * change, saying so.
 */
function changedLine(run: RunCommand, settingFlags: readonly { name: string; value?: string }[], trainingOnly: boolean, invoked: string | undefined): RemedyCommandLine {
  const changes = settingFlags.filter((c): c is { name: string; value: string } => c.value !== undefined);
  const leftOut = settingFlags.filter((c) => c.value === undefined).map((c) => c.name);
  // A flag left out is left out of a command that has none too; one it cannot spell is no longer the run's.
  const names = new Set(settingFlags.map((c) => c.name));
  const missing = [...new Set(changes.map((c) => c.name))].filter((name) => !run.command.flags.some((f) => f.name === name));
  const command = commandName(run.command, invoked);
  if (missing.length) return { cannot: `${command} has no ${missing.map((name) => `--${name}`).join(' or ')}` };
  const unsaid = [...run.unsaid].filter(([name]) => !names.has(name)).map(([, why]) => why);
  if (unsaid.length) return { cannot: `${command} cannot make this run: ${unsaid.join('; ')}` };
  const flags = new Map(run.flags);
  const notes = [...(run.assumed ?? [])].filter(([name]) => !names.has(name)).map(([, words]) => words);
  const optimizer = changes.find((c) => c.name === OPTION_FLAGS.optimizer);
  if (optimizer) {
    for (const name of OPTIMIZER_SETTING_FLAGS) flags.delete(name);
    for (const { flag, why } of flagsRefusedBeside(optimizer.value, flags)) {
      flags.delete(flag);
      notes.push(why);
    }
  }
  if (trainingOnly && flags.get(OPTION_FLAGS.epochs) === '0' && !names.has(OPTION_FLAGS.epochs)) {
    flags.delete(OPTION_FLAGS.epochs);
    notes.push(`--epochs 0 left out (${run.command.flags.find((f) => f.name === OPTION_FLAGS.epochs)!.default} epochs): a change of the training shows only as it trains`);
  }
  for (const name of leftOut) flags.delete(name);
  for (const { name, value } of changes) flags.set(name, value);
  // A run whose optimiser took its own batch without --batch-size (Hessian-free's 1,000), switched to one that takes another there: the run's, written.
  const ran = optimizer && !flags.has(OPTION_FLAGS.batchSize) ? trainingOf(run.command, run.flags, invoked) : undefined;
  const taken = ran?.batchOf === undefined ? undefined : trainingOf(run.command, flags, invoked);
  if (ran && taken && taken.batchSize !== ran.batchSize) {
    flags.set(OPTION_FLAGS.batchSize, String(ran.batchSize));
    notes.push(`--batch-size ${ran.batchSize} written: ${ran.choice.name}'s own where none is given, so the line trains as the run did (each capped at the rows where they are fewer); without it ${taken.choice.name} would take ${taken.batchSize}`);
  }
  if (run.output) flags.set(run.output.flag, derivedFileName(run.output.from, changes));
  const argv = commandWords(run.command, flags);
  const refused = refusal(run.command, argv, invoked);
  if (refused !== undefined) return { cannot: `${command} refuses it: ${shorten(refused)}` };
  const line = gradscopeLine(invoked, shellLine([...run.command.words, ...argv]));
  return notes.length ? { line, note: notes.join('; ') } : { line };
}

/**
 * The remedies' terms for `run`: each remedy (and alternative) as the command line that reruns it
 * with the remedy's settings, by the rerun where the settings change the training alone and it takes
 * their flags, else by the train line; the API's options with why where neither can, and with the
 * reason once (RemedyTerms.unmadeRun) where the run itself has no command line. Each line starts as the
 * user runs gradscope (`invoked`, Terminal.invokedAs).
 */
export function remedyTerms(run: RunOnCommandLine, invoked: string | undefined): RemedyTerms {
  // No rerun and no train line: every remedy would carry the same reason, said once instead.
  if (run.rerun === undefined && 'cannot' in run.train) return { form: 'api', unmadeRun: run.train.cannot };
  return {
    form: 'command',
    commandLine(settings) {
      const flagged = settings.map(settingFlags);
      if (flagged.some((f) => f === undefined)) return { cannot: `no command-line flag takes ${settings.length === 1 ? 'its value' : `the value of ${settings.filter((_, i) => !flagged[i]).map((s) => s.option).join(', ')}`}` };
      // init 'lsuv' and train()'s lsuv are both --init lsuv: said once.
      const changes = [...new Map(flagged.flatMap((f) => f!).map((f) => [`${f.name} ${f.value}`, f])).values()];
      const trainingOnly = !changesNetwork(settings);
      const viaRerun = run.rerun && trainingOnly ? changedLine(run.rerun, changes, trainingOnly, invoked) : undefined;
      if (viaRerun && 'line' in viaRerun) return viaRerun;
      if ('cannot' in run.train) return { cannot: run.train.cannot };
      return changedLine(run.train, changes, trainingOnly, invoked);
    },
  };
}
