/**
 * Every remedy diagnose() can print names a flag that exists and a value its parser takes: each
 * setting written in src/flow with a flag value (choice('init', 'he-normal'), numberSetting('clipNorm', 1),
 * optimizerSwitch(run, 'adam'), optimizerRemedy('lars', …), a literal { option, flagValue }), or with a named constant
 * of src for its value (choice('init', EVEN_ROWS_INIT), numberSetting('momentum', CHOICE_MOMENTUM),
 * flagValue: `${BATCH_NORM_ROWS}`: read from the constant's definition), is built into the command line the CLI prints for it
 * (remedyTerms, a train run's line) and that line is parsed again by train's own parser, not run.
 * A renamed or removed flag or choice fails here, not only where a run happened to print it.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { choiceFlag, OPTION_FLAGS, parseArgs } from '../../src/cli/command.js';
import { LAYERS_CHANGE_FLAGS, layersChangeFlags } from '../../src/cli/layers-change-flags.js';
import { ACTIVATIONS } from '../../src/kernels.js';
import { trainCommand } from '../../src/cli/commands/train.js';
import { readTrainingFlags } from '../../src/cli/training-flags.js';
import { remedyTerms, type RunOnCommandLine } from '../../src/cli/remedy-terms.js';
import { LAYERS_CHANGE_VALUES, REMEDY_OPTION_OWNER, type RemedyLayersChange, type RemedyOption, type RemedySetting } from '../../src/flow/remedy.js';

const SRC = fileURLToPath(new URL('../../src/', import.meta.url));
const FLOW = join(SRC, 'flow');
const files = (dir: string): string[] => readdirSync(dir).flatMap((name) => (statSync(join(dir, name)).isDirectory() ? files(join(dir, name)) : name.endsWith('.ts') ? [join(dir, name)] : []));
const source = files(FLOW).map((file) => readFileSync(file, 'utf8')).join('\n');
const everySource = files(SRC).map((file) => readFileSync(file, 'utf8')).join('\n');

/** A constant's value as its definition in src writes it (`const NAME = 'standard';`, `= 0.9;`); a test error where there is none to read. */
function constantValue(name: string): string {
  const definitions = [...everySource.matchAll(new RegExp(`\\bconst ${name}(?:: \\w+)? = (?:'([\\w-]+)'|([\\d.]+));`, 'g'))];
  if (definitions.length !== 1) throw new Error(`${name}: expected one definition as a string or number literal in src, found ${definitions.length}`);
  return definitions[0][1] ?? definitions[0][2];
}

/** The settings whose value is a named constant (choice('init', EVEN_ROWS_INIT)), with the constant's name. */
const fromConstants: { option: RemedyOption; constant: string }[] = [
  ...[...source.matchAll(/\b(?:choice|numberSetting)\('(\w+)', ([A-Z][A-Z0-9_]+)\)/g)].map((m) => ({ option: m[1] as RemedyOption, constant: m[2] })),
  ...[...source.matchAll(/\{ option: '(\w+)', value: `[^`]*`, flagValue: `\$\{([A-Z][A-Z0-9_]+)\}`/g)].map((m) => ({ option: m[1] as RemedyOption, constant: m[2] })),
];

/** Each (option, flag value) a remedy in src/flow sets in a form written out. */
const written: [RemedyOption, string][] = [
  ...[...source.matchAll(/\bchoice\('(\w+)', '([\w-]+)'\)/g)].map((m) => [m[1] as RemedyOption, m[2]] as [RemedyOption, string]),
  ...[...source.matchAll(/\bnumberSetting\('(\w+)', ([\d.]+)\)/g)].map((m) => [m[1] as RemedyOption, m[2]] as [RemedyOption, string]),
  ...[...source.matchAll(/\boptimizerSwitch\(\w+, '([\w-]+)'\)/g)].map((m) => ['optimizer', m[1]] as [RemedyOption, string]),
  ...[...source.matchAll(/\boptimizerRemedy\(\s*'([\w-]+)'/g)].map((m) => ['optimizer', m[1]] as [RemedyOption, string]),
  ...[...source.matchAll(/\{ option: '(\w+)', value: '[^']*', flagValue: '([^']+)'/g)].map((m) => [m[1] as RemedyOption, m[2]] as [RemedyOption, string]),
  ...fromConstants.map(({ option, constant }) => [option, constantValue(constant)] as [RemedyOption, string]),
];
const settings = [...new Map(written.map(([option, flagValue]) => [`${option} ${flagValue}`, { option, value: flagValue, flagValue } as RemedySetting])).values()];

const flags = (entries: Record<string, string>) => new Map(Object.entries(entries));
/** A train run's line (sigmoid, SGD at 0.5, 4 epochs) that each remedy rewrites. */
const run: RunOnCommandLine = {
  train: {
    command: trainCommand,
    flags: flags({ layers: '6,8,8,2', activation: 'sigmoid', init: 'standard', 'bias-init': 'zero', epochs: '4', 'learning-rate': '0.5' }),
    unsaid: new Map(),
    output: { flag: 'out', from: 'm.json' },
  },
};

describe("every remedy diagnose() can print parses as the CLI's command line", () => {
  it('finds the remedies written out (the grep did not go blind)', () => {
    expect(settings.length).toBeGreaterThanOrEqual(7);
    for (const option of ['activation', 'init', 'biasInit', 'optimizer']) expect(settings.some((s) => s.option === option), option).toBe(true);
    // Those set from constants, each read from its definition (EVEN_ROWS_INIT: 'standard', CHOICE_MOMENTUM: 0.9, BATCH_NORM_ROWS: 16).
    expect(fromConstants.map((s) => s.constant)).toEqual(expect.arrayContaining(['EVEN_ROWS_INIT', 'CHOICE_MOMENTUM', 'BATCH_NORM_ROWS']));
    for (const [option, value] of [['init', 'standard'], ['momentum', '0.9'], ['batchSize', '16'], ['optimizer', 'lars']]) expect(settings.some((s) => s.option === option && s.flagValue === value), `${option} ${value}`).toBe(true);
  });

  // newuser42 #4: "What to try" offered batch norm and residual blocks, and train had no flag for them. Every option a remedy
  // may set is a flag of train's (a layers change: a flag per field), but the rows themselves ('inputs', standardised), which
  // are the data the flags name, not a setting of the network or its training.
  it("each option a remedy may set names one of train's flags, each field of a layers change too; only the rows themselves none", () => {
    const has = (name: string) => trainCommand.flags.some((f) => f.name === name);
    for (const option of Object.keys(REMEDY_OPTION_OWNER) as RemedyOption[]) {
      if (REMEDY_OPTION_OWNER[option] === 'data') continue;
      if (option === 'layers') {
        for (const field of Object.keys(LAYERS_CHANGE_VALUES) as (keyof RemedyLayersChange)[]) expect(has(LAYERS_CHANGE_FLAGS[field]), `layers.${field} → --${LAYERS_CHANGE_FLAGS[field]}`).toBe(true);
        continue;
      }
      expect(Object.hasOwn(OPTION_FLAGS, option), `${option}: no flag`).toBe(true);
      expect(has(OPTION_FLAGS[option as keyof typeof OPTION_FLAGS]), `${option} → --${OPTION_FLAGS[option as keyof typeof OPTION_FLAGS]}`).toBe(true);
    }
    expect(Object.keys(REMEDY_OPTION_OWNER).filter((option) => REMEDY_OPTION_OWNER[option as RemedyOption] === 'data')).toEqual(['inputs']);
  });

  // Each value of each field of a layers change (RemedyLayersChange: what the norm, residual and SELU remedies set) as train's
  // line, parsed and read back by train's own readers to the same change.
  it.each(Object.entries(LAYERS_CHANGE_VALUES).flatMap(([field, values]) => values.map((value): [string, string] => [field, value])))("layers { %s: '%s' }: train's line with it, read back to the change", (field, value) => {
    const built = remedyTerms(run, undefined);
    if (built.form !== 'command' || built.commandLine === undefined) throw new Error('a train run has a command line');
    const change = { [field]: value } as RemedyLayersChange;
    const line = built.commandLine([{ option: 'layers', value: `${field}: '${value}' for each hidden layer`, setting: change }]);
    expect(line, JSON.stringify(line)).toHaveProperty('line');
    const words = (line as { line: string }).line.split(' ');
    const args = parseArgs(trainCommand, words.slice(2));
    if (field === 'activation') expect(choiceFlag(args, OPTION_FLAGS.activation, ACTIVATIONS)).toBe(value);
    else expect(layersChangeFlags(args)).toEqual(change);
  });

  it.each(settings.map((s): [string, RemedySetting] => [`${s.option} ${s.flagValue}`, s]))("%s: train's line with it, parsed by train's parser", (_, setting) => {
    const built = remedyTerms(run, undefined);
    if (built.form !== 'command' || built.commandLine === undefined) throw new Error('a train run has a command line');
    const line = built.commandLine([setting]);
    expect(line, JSON.stringify(line)).toHaveProperty('line');
    const words = (line as { line: string }).line.split(' ');
    expect(words.slice(0, 2)).toEqual(['gradscope', 'train']);
    const args = parseArgs(trainCommand, words.slice(2));
    readTrainingFlags(args);
    expect(args.flags.get(OPTION_FLAGS[setting.option as keyof typeof OPTION_FLAGS])).toBe(setting.flagValue);
  });
});
