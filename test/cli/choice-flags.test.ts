// Flags that name one of a few choices: a misspelt choice gets the same "did you mean" on every
// command (edit distance, src/suggest.ts), and a library refusal of a choice names it once.
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../src/cli/cli.js';
import { usageRefusal } from '../../src/cli/command.js';
import { BIAS_INIT_FORMS, WEIGHT_INIT_FORMS } from '../../src/cli/init-flags.js';
import { INTEROP_FORMATS, READABLE_INPUT_FORMATS } from '../../src/io/model-formats.js';
import { ACTIVATIONS, LOSSES, OUTPUT_ACTIVATIONS } from '../../src/kernels.js';
import { NETWORK_DEFAULTS } from '../../src/network/config.js';
import { optimizerChoiceNames } from '../../src/studies/optimizer-choices.js';
import { runCliInProcess } from '../util/cli.js';

/** The choices of the flags whose value is a placeholder (`--optimizer NAME`); a flag whose value lists them (`wasm|ref`) needs no entry. */
const NAMED_CHOICES: Record<string, readonly string[]> = {
  optimizer: optimizerChoiceNames(),
  activation: ACTIVATIONS,
  output: OUTPUT_ACTIVATIONS,
  loss: LOSSES,
  init: [...WEIGHT_INIT_FORMS.names, ...Object.keys(WEIGHT_INIT_FORMS.valued)],
  'bias-init': [...BIAS_INIT_FORMS.names, ...Object.keys(BIAS_INIT_FORMS.valued)],
  from: READABLE_INPUT_FORMATS,
  to: INTEROP_FORMATS,
};

/** What a command needs besides the flag under test to get as far as reading its flags. */
const NEEDS: Record<string, string[]> = {
  convert: ['in.json', 'out.json'],
  gradients: ['--model', 'm.json', '--data', 'd.json'],
  curvature: ['--model', 'm.json', '--data', 'd.json'],
  study: ['--model', 'm.json', '--data', 'd.json'],
};

/** `word` with its two middle letters swapped: one edit away. */
const misspelt = (word: string) => {
  const i = Math.floor(word.length / 2) - 1;
  return word.slice(0, i) + word[i + 1] + word[i] + word.slice(i + 2);
};

const choiceFlags = COMMANDS.flatMap((command) =>
  command.flags.flatMap((flag) => {
    const choices = flag.value?.includes('|') ? flag.value.split('|') : NAMED_CHOICES[flag.name];
    return choices === undefined ? [] : [{ words: command.words, flag: flag.name, choices }];
  }),
);

describe('every choice flag says "did you mean" for a misspelt choice', () => {
  it('knows the choices of every flag that names one of a few (a new one needs an entry here)', () => {
    const described = COMMANDS.flatMap((command) => command.flags.filter((flag) => /\bone of\b/.test(flag.about)).map((flag) => `${command.words.join(' ')} --${flag.name}`));
    const known = new Set(choiceFlags.map((c) => `${c.words.join(' ')} --${c.flag}`));
    expect(described.filter((flag) => !known.has(flag))).toEqual([]);
    for (const name of Object.keys(NAMED_CHOICES)) expect(choiceFlags.some((c) => c.flag === name), name).toBe(true);
  });

  // A choice of one or two characters (--papers' 1 and 0) is too short to be misspelt by one edit and told from the others.
  it.each(choiceFlags.filter((c) => c.choices.some((choice) => choice.length >= 3)).map((c) => [[...c.words].join(' ') || '(main job)', c.flag, c] as const))(
    'gradscope %s --%s',
    async (_command, flag, { words, choices }) => {
      const choice = [...choices].sort((a, b) => b.length - a.length)[0];
      const typo = misspelt(choice);
      expect(choices).not.toContain(typo);
      const { code, stdout, stderr } = await runCliInProcess([...words, ...(NEEDS[words.join(' ')] ?? []), `--${flag}`, typo]);
      expect(stderr.trimEnd()).toMatch(new RegExp(`^gradscope: --${flag} .*got '${typo}'; did you mean '${choice}'\\?$`));
      expect([code, stdout]).toEqual([2, '']);
    },
  );

  it.each([
    [['train', '--optimizer', 'adamm'], "--optimizer must be one of sgd, sgd-momentum, nesterov, layer-rates, lars, adagrad, rmsprop, adam, adamw, lbfgs, levenberg-marquardt, hessian-free, kfac, got 'adamm'; did you mean 'adam'?"],
    [['train', '--activation', 'rleu'], "--activation must be one of sigmoid, tanh, relu, leaky-relu, softsign, linear, selu, got 'rleu'; did you mean 'relu'?"],
    [['train', '--init', 'he-norml'], "--init must be standard, glorot-uniform, glorot-normal, glorot-normal-truncated, he-normal, he-normal-fan-out, he-normal-truncated, lecun-normal, lecun-normal-truncated, orthogonal, lsuv, normal:STD or sparse[:N] (STD, N decimal numbers), got 'he-norml'; did you mean 'he-normal'?"],
    // A NAME:NUMBER form keeps its number in the suggestion.
    [['train', '--init', 'sparce:15'], "got 'sparce:15'; did you mean 'sparse:15'?"],
    [['train', '--bias-init', 'constnt:0.1'], "--bias-init must be zero, constant:V or normal:STD (V, STD decimal numbers), got 'constnt:0.1'; did you mean 'constant:0.1'?"],
  ])('gradscope %j', async (args, message) => {
    const { code, stderr } = await runCliInProcess(args);
    expect(stderr.trimEnd()).toMatch(new RegExp(`^gradscope: .*${message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`));
    expect(code).toBe(2);
  });

  it('suggests nothing for a number that is wrong, or a word far from every choice', async () => {
    for (const args of [['train', '--init', 'normal:x'], ['train', '--init', 'xavier'], ['train', '--optimizer', 'newton']]) {
      const { code, stderr } = await runCliInProcess(args);
      expect(stderr).not.toContain('did you mean');
      expect(code).toBe(2);
    }
  });
});

describe('a library refusal of what flags give names each thing once', () => {
  it.each([
    ['--optimizer levenberg-marquardt', "levenberg-marquardt: needs the quadratic cost (loss 'mse'), this network uses 'cross-entropy'", "--optimizer levenberg-marquardt: needs the quadratic cost (loss 'mse'), this network uses 'cross-entropy'"],
    ['--optimizer kfac', "optimizer: 'kfac' trains networks of dense layers only", '--optimizer kfac trains networks of dense layers only'],
    ['--optimizer adam --momentum 0.5', "adam: unknown option 'momentum'", "--optimizer adam --momentum 0.5: unknown option 'momentum'"],
    ['--k 27 for m.json', 'k: expected an integer from 1 to the parameter count 26, got 27', '--k 27 for m.json: expected an integer from 1 to the parameter count 26, got 27'],
    ['--learning-rate 2', 'learningRate: expected a number > 0', '--learning-rate 2: expected a number > 0'],
    // Among several flags the option's name says which one is wrong: kept.
    ['--optimizer kfac --momentum 2', 'kfac: momentum: expected a number < 1', '--optimizer kfac --momentum 2: momentum: expected a number < 1'],
    // What the flags do not name stays.
    ['--layers 784,10', 'the network: 9 layers exceeds the limit', '--layers 784,10: the network: 9 layers exceeds the limit'],
    ['--optimizer nesterov', "optimizer: 'sgd' trains networks of dense layers only", "--optimizer nesterov: 'sgd' trains networks of dense layers only"],
  ])('%s + "%s"', (flags, message, expected) => {
    expect(usageRefusal(flags, message)).toBe(expected);
  });

  it('says the optimiser once on the command line', async () => {
    const { code, stderr } = await runCliInProcess(['train', '--depth', '1', '--width', '4', '--train', '40', '--test', '10', '--optimizer', 'levenberg-marquardt']);
    expect(stderr.trimEnd()).toBe("gradscope: --optimizer levenberg-marquardt: needs the quadratic cost (loss 'mse'), this network uses 'cross-entropy'");
    expect(code).toBe(2);
  });
});

describe('gradscope train --help names createNetwork\'s defaults', () => {
  it('the activation, the loss, the weights\' and the biases\' initialisation', async () => {
    const help = (await runCliInProcess(['train', '--help'])).stdout;
    expect(help).not.toContain("createNetwork's)");
    const line = (flag: string) => help.split('\n').find((l) => l.startsWith(`  --${flag} `))!;
    expect(line('activation')).toMatch(new RegExp(`\\(default: ${NETWORK_DEFAULTS.activation}\\)$`));
    expect(line('loss')).toMatch(/\(default: cross-entropy; mse when --output is not softmax\)$/);
    expect(line('init')).toMatch(new RegExp(`default: ${NETWORK_DEFAULTS.init}, U\\[±1/√n_in\\]\\)$`));
    expect(line('bias-init')).toMatch(new RegExp(`\\(default: ${NETWORK_DEFAULTS.biasInit}\\)$`));
  });
});
