/**
 * Every remedy line the command line prints reruns the printer's own run with the remedy's change
 * and nothing else. diagnose()'s remedies of every kind (each option a remedy may set, from real
 * runs' diagnoses) are said for runs of several shapes studied by `gradscope study --model` (a deep
 * relu network, tanh with a large init, a non-default optimiser, per-layer activations, batch norm,
 * residual blocks) and for a study's runs; each printed line is parsed by the CLI's own parser and
 * read by its readers, and what it builds is compared with the run (its trace and its flags): the
 * network's sizes, activations, loss, init and bias init, the optimiser and its settings, the
 * epochs, batches, seed and rows, each the run's unless the remedy sets it; its model file is a new
 * one. Train lines are run, and the model each saves is the run's network with the change. A run
 * train cannot make gets the API's options with why, and only then.
 */
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createNetwork } from '../../src/api/network.js';
import { parseArgs, type ParsedArgs } from '../../src/cli/command.js';
import { studyModelCommand } from '../../src/cli/commands/study-model.js';
import { trainCommand } from '../../src/cli/commands/train.js';
import { biasInitFlag, weightInitFlag } from '../../src/cli/init-flags.js';
import { remedyTerms } from '../../src/cli/remedy-terms.js';
import { studyModelRun, studyRun } from '../../src/cli/run-command-line.js';
import { readTrainingFlags } from '../../src/cli/training-flags.js';
import { OPTIMIZERS } from '../../src/optim/index.js';
import { optimizerChoices } from '../../src/studies/optimizer-choices.js';
import { loadMnist } from '../../src/data/mnist.js';
import { diagnose } from '../../src/flow/diagnose.js';
import { Trace } from '../../src/flow/trace.js';
import { isLayersChange, LEFT_OUT, REMEDY_OPTION_OWNER, remedyLayerRates, remedyLines, type Remedy, type RemedySetting } from '../../src/flow/remedy.js';
import { Rng } from '../../src/init/rng.js';
import { saveModel, readCheckpoint } from '../../src/io/files.js';
import { checkLayerSpecs, type LayerSpec } from '../../src/layers/spec.js';
import { applyLayersChange } from '../../src/api/layers-change.js';
import type { NetworkOptions } from '../../src/network/config.js';
import type { TrainOptions } from '../../src/training/train-options.js';
import { DEPTH_TRAINING_SEED, firstRows, nielsenTraining, type DepthStudyResult } from '../../src/studies/depth.js';
import { depthRunTerms } from '../../src/cli/study-remedy-terms.js';
import { diagnosisText } from '../../src/cli/trace-table.js';
import { codeHtml, renderReport } from '../../src/flow/report-html.js';
import type { Diagnosis } from '../../src/flow/diagnose.js';
import { runCliInProcess } from '../util/cli.js';
import { codeQuoteOn, quotePattern } from '../util/page-quotes.js';

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

/** The words of a printed line as a shell reads them (single quotes, the only quoting the printer writes), up to a comment (an unquoted word `#`: the line's note). */
function shellWords(line: string): string[] {
  const words = [...line.matchAll(/'((?:[^']|'\\'')*)'|(\S+)/g)].map((m) => (m[1] !== undefined ? m[1].replaceAll("'\\''", "'") : m[2]));
  const comment = [...line.matchAll(/'((?:[^']|'\\'')*)'|(\S+)/g)].findIndex((m) => m[2] !== undefined && m[2].startsWith('#'));
  return comment < 0 ? words : words.slice(0, comment);
}

/** The note a printed line carries as a shell comment (`  # …`), or undefined. */
const noteOf = (line: string) => / {2}# (.*)$/.exec(line)?.[1];

/** A run `gradscope study --model` made of a model file: the shape's name, its flags, its trace, and what train can say of it. */
interface StudiedRun {
  name: string;
  model: string;
  argv: string[];
  trace: Trace;
  /** train makes its network: its layers are dense, one hidden activation. */
  trainable: boolean;
  /** A setting of the network train cannot spell unless the remedy sets it. */
  unsaid?: RemedySetting['option'];
}

const inputs16 = (layers: NetworkOptions['layers']) => ({ inputs: 16, loss: 'cross-entropy', layers }) as NetworkOptions;

/** The settings a line applies, by flag: a remedy's setting that the flag reads back to (a layers change's fields: --norm, --residual-gate, --activation). */
const flagOf: Partial<Record<RemedySetting['option'] | 'norm' | 'residualGate', string>> = { activation: 'activation', init: 'init', biasInit: 'bias-init', lsuv: 'init', learningRate: 'learning-rate', optimizer: 'optimizer', momentum: 'momentum', clipNorm: 'clip-norm', batchSize: 'batch-size', epochs: 'epochs', norm: 'norm', residualGate: 'residual-gate' };

/** A setting as the flags it reads as: a layers change (RemedyLayersChange) as one per field it sets, with that value; any other as it is. */
const asFlagSettings = (s: RemedySetting): { option: keyof typeof flagOf; value: string; flagValue?: string }[] =>
  s.option === 'layers' && isLayersChange(s.setting) ? Object.entries(s.setting).map(([field, value]) => ({ option: field as keyof typeof flagOf, value, flagValue: value })) : [s];

describe('remedy lines rerun the run they diagnose with only the remedy\'s change', () => {
  const remedies: Remedy[] = [];
  const runs: StudiedRun[] = [];
  const folder = mkdtempSync(join(tmpdir(), 'gradscope remedy lines '));
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
    // Saturated from the first record by inputs about an offset of 1000: standardising them (the rows: no option or flag takes it).
    remedies.push(...(await remediesOf(deep(2, { activation: 'tanh', init: 'glorot-uniform' }), { x: (small.x as number[][]).map((row) => row.map((v) => 1000 + v)), y: small.y }, sgd)));
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
    const norms = inputs16([...Array.from({ length: 8 }, () => block).flat(), { type: 'dense', units: 4, activation: 'softmax' }]);
    remedies.push(...(await remediesOf(norms, small, { batchSize: 2, trace: { every: 1 } })));
    // A plateau at chance after 3 epochs beside a healthy flow (10 × [dense, batch norm, sigmoid]): more epochs, a larger rate, momentum or Adam.
    const chance: LayerSpec[] = [{ type: 'dense', units: 32 }, { type: 'batch-norm' }, { type: 'activation', activation: 'sigmoid' }];
    const plateau = { inputs: 784, loss: 'cross-entropy', layers: [...Array.from({ length: 10 }, () => chance).flat(), { type: 'dense', units: 10, activation: 'softmax' }] } as NetworkOptions;
    remedies.push(...(await remediesOf({ ...plateau, seed: 1 }, digits, { epochs: 3, batchSize: 32, learningRate: 0.1, validation: { x: digits.x, y: digits.y }, trace: { every: 1 } })));

    // The runs the remedies are said for: model files studied by `gradscope study --model` on the data file.
    const shapes: { name: string; network: NetworkOptions; flags: string[]; epochs?: string; trainable: boolean; unsaid?: RemedySetting['option'] }[] = [
      { name: 'relu 10', network: deep(10, { activation: 'relu', init: 'glorot-uniform' }), flags: ['--learning-rate', '0.05', '--batch-size', '16', '--on-non-finite', 'halve', '--no-shuffle'], trainable: true },
      // Measured at the initial weights: a change of the training alone shows only as it trains.
      { name: 'at init', network: deep(4, { activation: 'sigmoid', init: 'standard' }), flags: ['--batch-size', '16'], epochs: '0', trainable: true },
      { name: 'tanh large init', network: deep(6, { activation: 'tanh', init: { name: 'normal', std: 0.6 }, biasInit: { name: 'constant', value: 0.1 } }), flags: ['--seed', '9', '--learning-rate', '0.01', '--on-non-finite', 'skip'], trainable: true },
      { name: "adam's", network: deep(4, { activation: 'sigmoid', init: 'lecun-normal' }), flags: ['--optimizer', 'sgd-momentum', '--momentum', '0.5', '--learning-rate', '0.02', '--clip-norm', '5', '--batch-size', '8', '--drop-last'], trainable: true },
      { name: 'mixed', network: inputs16([{ units: 12, activation: 'relu' }, { units: 12, activation: 'tanh' }, { units: 4, activation: 'softmax' }]), flags: [], trainable: true, unsaid: 'activation' },
      { name: 'batch norm', network: inputs16([...Array.from({ length: 3 }, () => block).flat(), { type: 'dense', units: 4, activation: 'softmax' }]), flags: ['--batch-size', '16'], trainable: false },
      { name: 'residual', network: inputs16([{ type: 'dense', units: 8, activation: 'relu' }, { type: 'residual', layers: [{ type: 'dense', units: 8, activation: 'relu' }] }, { type: 'dense', units: 4, activation: 'softmax' }]), flags: [], trainable: false },
    ];
    for (const shape of shapes) {
      const net = await createNetwork({ seed: 5, ...shape.network });
      const model = join(folder, `${shape.name}.json`);
      await saveModel(net, model);
      net.dispose();
      const argv = ['study', '--model', model, '--data', data, '--epochs', shape.epochs ?? '2', ...shape.flags];
      const studied = await runCliInProcess([...argv, '--json']);
      expect(studied.code, `${shape.name}: ${studied.stderr}`).toBe(0);
      runs.push({ name: shape.name, model, argv: argv.slice(1), trace: Trace.fromJSON(JSON.parse(studied.stdout).trace), trainable: shape.trainable, unsaid: shape.unsaid });
    }
  }, 600_000);

  it("gathers a remedy of every option diagnose() may set, a rate below the run's, a batch of at least 16 and LSUV among them", () => {
    const options = new Set(remedies.flatMap((r) => [...r.settings, ...(r.alternative ?? [])].map((s) => s.option)));
    expect([...options].sort(), remedies.map((r) => r.option).join('\n')).toEqual(Object.keys(REMEDY_OPTION_OWNER).sort());
    const settings = remedies.flatMap((r) => r.settings);
    expect(settings.some((s) => s.option === 'learningRate' && s.value.startsWith('below'))).toBe(true);
    expect(settings.some((s) => remedyLayerRates(s))).toBe(true);
    expect(settings).toContainEqual({ option: 'batchSize', value: '16 or more', flagValue: '16' });
  });

  it("each line, parsed by the CLI's parser, is the run with only the remedy's change; the API's options only where no line can make it", async () => {
    const trainLines: { line: string[]; run: StudiedRun; settings: readonly RemedySetting[]; init: unknown; biasInit: unknown }[] = [];
    for (const run of runs) {
      const args = parseArgs(studyModelCommand, run.argv);
      const given = readTrainingFlags(args);
      const terms = remedyTerms(studyModelRun(studyModelCommand, args, run.trace, run.model, undefined), undefined);
      for (const remedy of remedies) {
        const lists = [remedy.settings, ...(remedy.alternative ? [remedy.alternative] : [])];
        remedyLines(remedy, terms).forEach((text, i) => {
          const settings = lists[i];
          const label = `${run.name}: ${text}`;
          // A setting that leaves its option out (a switch to Hessian-free: no rate) drops its flag.
          const leftOut = new Set<string>(settings.filter((s) => s.value === LEFT_OUT).map((s) => s.option));
          const flagSettings = settings.flatMap(asFlagSettings);
          const set = new Map<string, string | undefined>(flagSettings.filter((s) => !leftOut.has(s.option)).map((s) => [s.option, s.flagValue]));
          const flagged = flagSettings.every((s) => (s.flagValue !== undefined || leftOut.has(s.option)) && flagOf[s.option] !== undefined);
          const network = settings.some((s) => REMEDY_OPTION_OWNER[s.option] === 'createNetwork' || s.option === 'lsuv');
          const sayable = flagged && (!network || (run.trainable && (run.unsaid === undefined || set.has(run.unsaid))));
          if (!sayable) {
            // The API's options, each by its key, with why no line makes it.
            expect(text, label).toMatch(/^\w+: /);
            // The rows themselves ('inputs': standardised) are no function's option: said as the rows.
            if (settings.some((s) => REMEDY_OPTION_OWNER[s.option] === 'data')) expect(text, label).toMatch(/\(the rows you give train\(\), evaluate\(\) and predict\(\): no command-line flag takes its value\)$/);
            else expect(text, label).toMatch(/\((createNetwork|train\(\))( and train\(\))? options?: (no command-line flag takes|gradscope train cannot make this (network|run))/);
            return;
          }
          const words = shellWords(text);
          const optimizerChanged = set.has('optimizer');
          // What the new optimiser would not apply goes, said in the line's note: 'halve' beside one that chooses its own steps, clipping beside one that evaluates its own gradients.
          const switchedTo = OPTIMIZERS.find((d) => d.name === optimizerChoices().find((c) => c.name === set.get('optimizer'))?.optimizer);
          const halveDropped = switchedTo !== undefined && switchedTo.learningRate === undefined && given.onNonFinite === 'halve';
          const clipDropped = switchedTo?.recomputesGradient === true && given.clipNorm !== undefined;
          // A run at its initial weights (--epochs 0): a change of the training alone trains, at the default epochs.
          const epochsDropped = !network && given.epochs === 0 && !set.has('epochs');
          const notes = [...(halveDropped ? ['--on-non-finite halve left out'] : []), ...(clipDropped ? ['--clip-norm'] : []), ...(epochsDropped ? ['--epochs 0 left out'] : [])];
          if (notes.length === 0) expect(noteOf(text), label).toBeUndefined();
          for (const note of notes) expect(noteOf(text), label).toContain(note);
          // Each training setting: the remedy's, else the run's (the old optimiser's rate and momentum go with it).
          const expectTraining = (parsed: ParsedArgs) => {
            const read = readTrainingFlags(parsed);
            expect(read.choice.name, label).toBe(set.get('optimizer') ?? given.choice.name);
            expect(read.learningRate, label).toBe(set.has('learningRate') ? Number(set.get('learningRate')) : optimizerChanged || leftOut.has('learningRate') ? undefined : given.learningRate);
            expect(read.momentum, label).toBe(set.has('momentum') ? Number(set.get('momentum')) : optimizerChanged ? undefined : given.momentum);
            expect(read.epochs, label).toBe(set.has('epochs') ? Number(set.get('epochs')) : epochsDropped ? studyModelCommand.flags.find((f) => f.name === 'epochs')!.default : given.epochs);
            expect(read.batchSize, label).toBe(set.has('batchSize') ? Number(set.get('batchSize')) : given.batchSize);
            expect(read.clipNorm, label).toBe(set.has('clipNorm') ? Number(set.get('clipNorm')) : clipDropped ? undefined : given.clipNorm);
            expect([read.dropLast, read.shuffle, read.onNonFinite], label).toEqual([given.dropLast, given.shuffle, halveDropped ? 'throw' : given.onNonFinite]);
            for (const flag of ['data', 'seed']) expect(parsed.flags.get(flag), label).toBe(args.flags.get(flag));
          };
          if (words[1] === 'study') {
            // A change of the training alone: the same model file, rerun.
            expect(network, label).toBe(false);
            const parsed = parseArgs(studyModelCommand, words.slice(2));
            expect(parsed.flags.get('model'), label).toBe(run.model);
            expectTraining(parsed);
            return;
          }
          expect(words.slice(0, 2), label).toEqual(['gradscope', 'train']);
          const parsed = parseArgs(trainCommand, words.slice(2));
          const trace = run.trace;
          expect(parsed.flags.get('layers'), label).toBe(trace.sizes.join(','));
          expect(parsed.flags.get('activation'), label).toBe(set.get('activation') ?? trace.activations[0]);
          expect([parsed.flags.get('output'), parsed.flags.get('loss')], label).toEqual([trace.activations.at(-1), trace.loss]);
          expect(weightInitFlag(parsed), label).toEqual(set.get('init') ?? set.get('lsuv') ?? trace.run.init);
          expect(biasInitFlag(parsed), label).toEqual(set.has('biasInit') ? set.get('biasInit') : trace.run.biasInit);
          expect([parsed.flags.get('norm'), parsed.flags.get('residual-gate')], label).toEqual([set.get('norm'), set.get('residualGate')]);
          expectTraining(parsed);
          // A new file, named after the model's.
          const out = parsed.flags.get('out') as string;
          expect(out, label).not.toBe(run.model);
          expect(out.startsWith(run.model.replace(/\.json$/, '-')), label).toBe(true);
          trainLines.push({ line: words.slice(2), run, settings, init: weightInitFlag(parsed), biasInit: biasInitFlag(parsed) });
        });
      }
    }
    // Every shape train makes got lines; the block networks none.
    expect(new Set(trainLines.map((t) => t.run.name))).toEqual(new Set(runs.filter((r) => r.trainable).map((r) => r.name)));
    // Run: each line (once: two remedies may share an alternative) trains and saves the run's network with the change.
    const distinct = [...new Map(trainLines.map((t) => [t.line.join(' '), t])).values()];
    for (const { line, run, settings, init, biasInit } of distinct) {
      const label = `${run.name}: gradscope train ${line.join(' ')}`;
      const out = line[line.indexOf('--out') + 1];
      expect(existsSync(out), label).toBe(false);
      const { code, stderr } = await runCliInProcess(['train', ...line, '--backend', 'ref']);
      expect(stderr, label).toBe('');
      expect(code, label).toBe(0);
      const saved = (await readCheckpoint(out)).model as { sizes?: number[]; activations?: string[]; inputs?: number; layers?: unknown; loss?: string; initialisation?: { init?: unknown; biasInit?: unknown; lsuv?: true } };
      // --init lsuv: orthonormal weights LSUV rescaled.
      expect(saved.initialisation, label).toEqual(init === 'lsuv' ? { init: 'orthogonal', biasInit, lsuv: true } : { init, biasInit });
      const activation = settings.find((s) => s.option === 'activation')?.flagValue;
      const activations = activation ? run.trace.activations.map((a, i) => (i < run.trace.activations.length - 1 ? activation : a)) : run.trace.activations;
      const change = settings.find((s) => s.option === 'layers')?.setting;
      if (isLayersChange(change)) {
        // --norm, --residual-gate: the run's network with the change applyLayersChange makes, in layer specs.
        const dense: NetworkOptions = { sizes: run.trace.sizes, activation: activations[0] as never, output: activations.at(-1) as never, loss: run.trace.loss };
        const expected = applyLayersChange(dense, change) as { inputs: number; layers: LayerSpec[] };
        expect([saved.inputs, saved.layers], label).toEqual([expected.inputs, checkLayerSpecs(expected.layers, expected.inputs)]);
      } else {
        expect(saved.sizes, label).toEqual(run.trace.sizes);
        expect(saved.activations, label).toEqual(activations);
      }
      expect(saved.loss, label).toBe(run.trace.loss);
    }
  }, 900_000);

  it("a study's run: the train line of its recipe, or the API's options where train has no flag for it (weight decay)", async () => {
    const net = await createNetwork({ sizes: [16, 12, 12, 4], activation: 'sigmoid', output: 'softmax', loss: 'cross-entropy', init: 'glorot-uniform', seed: 3, backend: 'ref' });
    net.train(small.x, small.y, { epochs: 2, batchSize: 8, learningRate: 0.05, optimizer: { name: 'sgd', momentum: 0.5 }, trace: { every: 1 } });
    const plain = net.trace!;
    net.train(small.x, small.y, { epochs: 1, batchSize: 64, learningRate: 0.1, optimizer: { name: 'sgd', weightDecay: 0.005, decayBiases: false }, trace: { every: 1 } });
    const decayed = net.trace!;
    net.dispose();
    const known = { epochs: 2, seed: 3, rows: { train: '500', test: '100' }, name: 'activations-sigmoid.json' };
    const init = { settings: [{ option: 'init' as const, value: "'he-normal'", flagValue: 'he-normal' }] };
    const [line] = remedyLines(init, remedyTerms(studyRun(plain, known, undefined), undefined));
    const parsed = parseArgs(trainCommand, shellWords(line).slice(2));
    const read = readTrainingFlags(parsed);
    expect([read.choice.name, read.learningRate, read.momentum, read.batchSize, read.epochs]).toEqual(['sgd', 0.05, 0.5, 8, 2]);
    expect(weightInitFlag(parsed)).toBe('he-normal');
    expect(Object.fromEntries(['layers', 'activation', 'seed', 'train', 'test', 'out'].map((f) => [f, parsed.flags.get(f)]))).toEqual({ layers: '16,12,12,4', activation: 'sigmoid', seed: '3', train: '500', test: '100', out: 'activations-sigmoid-he-normal.json' });
    // The depth study's (Nielsen's training, unshuffled): its line trains unshuffled too, so that it reruns the run exactly (here with λ = 0, which train can make).
    const depth = { epochs: 2, rows: 64, lambda: 0 } as DepthStudyResult;
    const [depthLine] = remedyLines(init, depthRunTerms(depth, plain, undefined));
    const depthArgs = parseArgs(trainCommand, shellWords(depthLine).slice(2));
    expect(nielsenTraining(64, 0).shuffle).toBe(false);
    expect([readTrainingFlags(depthArgs).shuffle, depthArgs.flags.get('train'), depthArgs.flags.get('seed')]).toEqual([false, '64', String(DEPTH_TRAINING_SEED)]);
    expect(readTrainingFlags(parsed).shuffle).toBe(true);
    // A run no command line makes: its remedies are the API's options, and why is said once, above them.
    const unmade = remedyTerms(studyRun(decayed, known, undefined), undefined);
    const why = 'gradscope train cannot make this run: it trained with weight decay 0.005 on the weights only, which train has no flag for';
    expect([remedyLines(init, unmade), unmade.unmadeRun]).toEqual([["init: 'he-normal'"], why]);
    // A diagnosis of the run's own evidence (the heading reads it), its summary and remedies made here.
    const twoRemedies = { ...diagnose(decayed), summary: 'Vanishing.', remedies: [{ ...init, why: 'Why.' }, { ...init, settings: [{ option: 'activation', value: "'relu'" }], why: 'Why.' }] } as Diagnosis;
    const printed = diagnosisText(twoRemedies, unmade);
    expect([printed.split('weight decay 0.005').length - 1, printed.includes("• init: 'he-normal'"), printed.includes("• activation: 'relu'")]).toEqual([1, true, true]);
    // As docs/gradient-flow.md quotes it for a study's run with Nielsen's λ/n = 5/1,000.
    expect(printed).toMatch(quotePattern(codeQuoteOn('docs/gradient-flow.md', "What to try, as the library's options")));
    // The report says it so too: the reason once, above the remedies, each its options alone.
    const page = await renderReport({ runs: [{ label: 'decayed', trace: decayed, diagnosis: { ...diagnose(decayed), remedies: twoRemedies.remedies }, id: 'd', remedyTerms: unmade }] });
    const shown = /<div class="diagnosis[^>]*>.*?<\/div>/s.exec(page)![0];
    expect(shown.split('weight decay 0.005').length - 1).toBe(1);
    expect(shown).toContain(`<p>What to try, as the library's options (${why}):</p><ul><li>${codeHtml("init: 'he-normal'")}: Why.</li><li>${codeHtml("activation: 'relu'")}: Why.</li></ul>`);
  });
});
