/**
 * Every remedy the command line prints is a command line the CLI itself takes: diagnose()'s remedies
 * of every kind (each option a remedy may set, from real runs' diagnoses), said in the terms of each
 * command, are cut into the printer's own flags and each `gradscope train …`; the first are parsed
 * by that command's flag table and read by its readers, the second run as `gradscope train` on a
 * small data file. A setting is said as the library's option, with "no flag here", only where no
 * command has a flag for its option.
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createNetwork } from '../../src/api/network.js';
import { COMMANDS } from '../../src/cli/cli.js';
import { numberFlag, OPTION_FLAGS, optionFlag, parseArgs, stringFlag, type Command } from '../../src/cli/command.js';
import { trainCommand } from '../../src/cli/commands/train.js';
import { remedyTerms } from '../../src/cli/remedy-terms.js';
import { readTrainingFlags, TRAINING_FLAGS } from '../../src/cli/training-flags.js';
import { loadMnist } from '../../src/data/mnist.js';
import { diagnose } from '../../src/flow/diagnose.js';
import { Trace } from '../../src/flow/trace.js';
import { REMEDY_OPTION_OWNER, remedyText, type Remedy, type RemedyOption } from '../../src/flow/remedy.js';
import { Rng } from '../../src/init/rng.js';
import type { LayerSpec } from '../../src/layers/spec.js';
import type { NetworkOptions } from '../../src/network/config.js';
import type { TrainOptions } from '../../src/training/train-options.js';
import { firstRows } from '../../src/studies/depth.js';
import { runCliInProcess } from '../util/cli.js';

type Rows = { x: number[][] | ReturnType<typeof firstRows>['x']; y: number[][] | ReturnType<typeof firstRows>['y'] };

const rng = new Rng(3);
const small: Rows = (() => {
  const x = Array.from({ length: 64 }, () => Array.from({ length: 16 }, () => rng.uniform()));
  return { x, y: x.map((row) => [0, 1, 2, 3].map((k) => (k === Math.min(3, Math.floor(row[0] * 2) + (row[1] > 0.5 ? 2 : 0)) ? 1 : 0))) };
})();

async function remediesOf(network: NetworkOptions, rows: Rows, train: TrainOptions): Promise<Remedy[]> {
  const net = await createNetwork({ seed: 4, backend: 'ref', ...network });
  net.train(rows.x as never, rows.y as never, train);
  const trace = net.trace!;
  net.dispose();
  return diagnose(trace).remedies;
}

/** `--flag value` pairs from `words[start]` on, until a word that is not a flag; a value's closing ',' or ')' ends the run. */
function flagRun(words: string[], start: number): string[] {
  const run: string[] = [];
  for (let i = start; i + 1 < words.length && words[i].startsWith('--'); i += 2) {
    const value = words[i + 1].replace(/[,)]+$/, '');
    run.push(words[i], value);
    if (value !== words[i + 1]) break;
  }
  return run;
}

/** The printer's own flags (at the start of the text, and of its alternative after '(or') and each `gradscope train …` line in a printed remedy. */
function commandLines(text: string): { own: string[][]; train: string[][] } {
  const words = text.split(' ');
  const train = words.flatMap((word, i) => (word.replace(/^\(/, '') === 'gradscope' && words[i + 1] === 'train' ? [flagRun(words, i + 2)] : []));
  const own = [flagRun(words, 0), ...words.flatMap((word, i) => (word === '(or' ? [flagRun(words, i + 1)] : []))];
  return { own: own.filter((run) => run.length > 0), train };
}

/** The commands that print remedies: those whose source says its remedies in its terms (remedyTerms). */
const PRINTERS = (() => {
  const folder = new URL('../../src/cli/commands/', import.meta.url);
  const sources = readdirSync(folder).map((name) => readFileSync(new URL(name, folder), 'utf8'));
  return COMMANDS.filter((command) => sources.some((text) => text.includes(`words: [${command.words.map((w) => `'${w}'`).join(', ')}]`) && text.includes('remedyTerms(')));
})();

/** Each flag of `argv` on `command`'s line read by its reader: train()'s by the shared reader, a numeric one by its rule. */
function readOwn(command: Command, argv: string[]): void {
  const args = parseArgs(command, argv);
  if (command.flags.includes(TRAINING_FLAGS[0])) readTrainingFlags(args);
  for (const name of args.flags.keys()) {
    if (command.flags.find((f) => f.name === name)!.rule) numberFlag(args, name);
    else stringFlag(args, name);
  }
}

describe("the command line's remedies are command lines it takes", () => {
  const remedies: Remedy[] = [];
  const folder = mkdtempSync(join(tmpdir(), 'gradscope-remedy-lines-'));
  const data = join(folder, 'data.json');
  writeFileSync(data, JSON.stringify({ inputs: small.x, targets: small.y }));

  beforeAll(async () => {
    const { train } = await loadMnist({ train: 1000, test: 1 });
    const digits = firstRows(train.x, train.y, 256);
    const hundred = firstRows(train.x, train.y, 100);
    const held = firstRows(train.x, train.y, 1000);
    const deep = (layers: number, extra: NetworkOptions) => ({ inputs: 16, output: 'softmax', loss: 'cross-entropy', layers: [...Array(layers).fill({ units: 24 }), { units: 4 }], ...extra }) as NetworkOptions;
    const sgd: TrainOptions = { epochs: 5, batchSize: 16, learningRate: 0.05, trace: { every: 2 } };
    // Vanishing through sigmoid layers: the activation with its init and rate, lars, adam, per-layer rates, kfac or hessian-free, batch norm, residual blocks.
    remedies.push(...(await remediesOf(deep(9, { activation: 'sigmoid', init: 'standard' }), small, sgd)));
    // Dead from the start (biases −3): zero biases, leaky relu, He's init.
    remedies.push(...(await remediesOf(deep(3, { activation: 'relu', init: 'he-normal', biasInit: { name: 'constant', value: -3 } }), small, sgd)));
    // Exploding (tanh, weights 3× their stable scale): He's or Glorot's init, clipping, lars.
    remedies.push(...(await remediesOf(deep(6, { activation: 'tanh', init: { name: 'normal', std: 3 / Math.sqrt(24) } }), small, sgd)));
    // Saturated during Adam's steps (README's example): a smaller rate.
    remedies.push(...(await remediesOf({ sizes: [784, 30, 30, 30, 10], activation: 'sigmoid' }, digits, { epochs: 1, optimizer: 'adam', learningRate: 0.01, trace: { every: 4 } })));
    // LSUV's scales set on raw pixels no longer fit the 0–1 digits: the activations' spread drifts (SELU, LSUV).
    // The trace read as one that does not record LSUV (test/flow/diagnose-lsuv.test.ts), which is then offered.
    const drift = await createNetwork({ sizes: [784, 32, 32, 32, 32, 32, 32, 10], activation: 'sigmoid', init: 'glorot-uniform', output: 'softmax', loss: 'cross-entropy', seed: 1 });
    drift.initLsuv({ ...digits.x, data: digits.x.data.map((v) => 255 * v) });
    drift.train(digits.x, digits.y, { epochs: 2, batchSize: 32, learningRate: 0.05, trace: { every: 4 } });
    const json = drift.trace!.toJSON();
    remedies.push(...diagnose(Trace.fromJSON({ ...json, run: { ...json.run, lsuv: undefined } })).remedies);
    drift.dispose();
    // Overfitting 100 digits: the epochs the held-out loss was lowest after.
    remedies.push(...(await remediesOf({ sizes: [784, 100, 10], activation: 'relu', init: 'he-normal' }, hundred, { epochs: 30, batchSize: 10, learningRate: 0.01, optimizer: 'adam', trace: { every: 5 }, validation: { x: held.x, y: held.y } })));
    // Batch norm over batches of 2 rows: a larger batch, layer norm.
    const block: LayerSpec[] = [{ type: 'dense', units: 8 }, { type: 'batch-norm' }, { type: 'activation', activation: 'sigmoid' }];
    const norms = { inputs: 16, loss: 'cross-entropy', layers: [...Array.from({ length: 8 }, () => block).flat(), { type: 'dense', units: 4, activation: 'softmax' }] } as NetworkOptions;
    remedies.push(...(await remediesOf(norms, small, { batchSize: 2, trace: { every: 1 } })));
    // A plateau at chance after 3 epochs beside a healthy flow (10 × [dense, batch norm, sigmoid]): more epochs, a larger rate, momentum or Adam.
    const chance: LayerSpec[] = [{ type: 'dense', units: 32 }, { type: 'batch-norm' }, { type: 'activation', activation: 'sigmoid' }];
    const plateau = { inputs: 784, loss: 'cross-entropy', layers: [...Array.from({ length: 10 }, () => chance).flat(), { type: 'dense', units: 10, activation: 'softmax' }] } as NetworkOptions;
    remedies.push(...(await remediesOf({ ...plateau, seed: 1 }, digits, { epochs: 3, batchSize: 32, learningRate: 0.1, validation: { x: digits.x, y: digits.y }, trace: { every: 1 } })));
  }, 600_000);

  it('gathers a remedy of every option diagnose() may set, a rate below the run\'s, a batch of at least 16 and LSUV among them', () => {
    const options = new Set(remedies.flatMap((r) => [...r.settings, ...(r.alternative ?? [])].map((s) => s.option)));
    expect([...options].sort(), remedies.map((r) => r.option).join('\n')).toEqual(Object.keys(REMEDY_OPTION_OWNER).sort());
    const settings = remedies.flatMap((r) => r.settings);
    expect(settings.some((s) => s.option === 'learningRate' && s.value.startsWith('below'))).toBe(true);
    expect(settings.some((s) => s.option === 'optimizer' && s.layerRates)).toBe(true);
    expect(settings).toContainEqual({ option: 'batchSize', value: '16 or more', flagValue: '16' });
  });

  it("each command's remedies: its own flags parse and read on its own line, each gradscope train line runs", async () => {
    const trainLines = new Map<string, string[]>();
    // study --model, study depth, activations and plateau, and the main job.
    expect(PRINTERS.map((c) => c.words.join(' ')).sort()).toEqual(['', 'study', 'study activations', 'study depth', 'study plateau']);
    for (const command of PRINTERS) {
      for (const remedy of remedies) {
        const text = remedyText(remedy, remedyTerms(command));
        const { own, train } = commandLines(text);
        const label = `${command.usage.split(' [')[0]}: ${text}`;
        for (const run of own) expect(() => readOwn(command, run), label).not.toThrow();
        for (const line of train) {
          expect(line.length, label).toBeGreaterThan(0);
          trainLines.set(line.join(' '), line);
        }
        // Each setting a flag takes is said by a flag, where any command has one for its option.
        for (const s of [...remedy.settings, ...(remedy.alternative ?? [])]) {
          const option = s.option as RemedyOption & keyof typeof OPTION_FLAGS;
          const flag = Object.hasOwn(OPTION_FLAGS, option) ? (optionFlag(command, option) ?? optionFlag(trainCommand, option)) : undefined;
          if (flag && s.flagValue !== undefined) expect(text, label).toContain(`${flag} ${s.flagValue}`);
        }
        // "no flag here" only for an option no command has a flag for.
        if (text.includes('no flag here')) {
          const unflagged = [...remedy.settings, ...(remedy.alternative ?? [])].filter((s) => !(Object.hasOwn(OPTION_FLAGS, s.option) && COMMANDS.some((c) => optionFlag(c, s.option as keyof typeof OPTION_FLAGS))));
          expect(unflagged.length, label).toBeGreaterThan(0);
        }
      }
    }
    expect(trainLines.size).toBeGreaterThan(5);
    for (const line of trainLines.values()) {
      const epochs = line.includes('--epochs') ? [] : ['--epochs', '1'];
      const { code, stderr } = await runCliInProcess(['train', ...line, ...epochs, '--data', data, '--backend', 'ref']);
      expect(stderr, `gradscope train ${line.join(' ')}`).toBe('');
      expect(code, `gradscope train ${line.join(' ')}`).toBe(0);
    }
  }, 600_000);
});
