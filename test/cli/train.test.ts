// gradscope train: a network made from flags, trained on the digits or a data file, each epoch
// printed, saved in the model format every other command reads. Bad flags: one line, exit 2,
// nothing written. Small rows and epochs, so it runs in seconds under load.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadModel, readCheckpoint } from '../../src/io/files.js';
import { createNetwork } from '../../src/api/network.js';
import { Rng } from '../../src/init/rng.js';
import { equalisingLayerRates } from '../../src/optim/layer-rates.js';
import { LSUV_BUILD } from '../../src/layers/lsuv.js';
import { epochLegend, TRAIN_SHAPE } from '../../src/cli/commands/train.js';
import { runCliInProcess } from '../util/cli.js';
import { grouped } from '../../src/counted.js';
import { wantedBatchSize } from '../../src/optimizer-defaults.js';
import { flat } from '../util/printed-text.js';
import { codeQuoteOn, quotePattern } from '../util/page-quotes.js';

const folder = mkdtempSync(join(tmpdir(), 'gradscope-train-'));
const at = (name: string) => join(folder, name);

const rng = new Rng(7);
const inputs = Array.from({ length: 40 }, () => Array.from({ length: 4 }, () => rng.normal()));
const targets = inputs.map((row) => (row[0] - row[2] > 0 ? [1, 0, 0] : row[1] > 0 ? [0, 1, 0] : [0, 0, 1]));
const dataPath = at('data.json');
writeFileSync(dataPath, JSON.stringify({ inputs, targets }));

/**
 * train's output in its parts: the prose above the epoch lines and the prose after them, each read across its lines (it
 * wraps at READING_WIDTH, in a file too), and the epoch lines, one an epoch.
 */
function trainOutput(stdout: string): { before: string; epochs: string[]; after: string } {
  const lines = stdout.trimEnd().split('\n');
  const first = lines.findIndex((line) => line.startsWith('epoch '));
  const last = lines.length - 1 - [...lines].reverse().findIndex((line) => line.startsWith('epoch '));
  return { before: flat(lines.slice(0, first).join('\n')), epochs: lines.slice(first, last + 1), after: flat(lines.slice(last + 1).join('\n')) };
}

/**
 * train's closing words after its epochs (flat) and the study --model command on the last line, a line of its own indented by two:
 * pasted, a shell runs it as printed, with no '(' before it and no prose after it (newuser45 #13). The command without 'gradscope '.
 */
function closing(stdout: string): { said: string; command: string } {
  const lines = stdout.trimEnd().split('\n');
  expect(lines.at(-1), stdout).toMatch(/^  gradscope study --model /);
  return { said: trainOutput(lines.slice(0, -1).join('\n')).after, command: lines.at(-1)!.slice('  gradscope '.length) };
}

/** One line on stderr, nothing on stdout, the expected code. */
function expectOneLine(run: { code: number; stdout: string; stderr: string }, code: number, message: RegExp): void {
  expect(run.stderr.trimEnd().split('\n'), run.stderr).toHaveLength(1);
  expect(run.stderr.trimEnd()).toMatch(message);
  expect(run.stdout).toBe('');
  expect(run.code).toBe(code);
}

describe('gradscope train', () => {
  it("says 'the 1 row', not 'all 1 row', of a data file of one row (edges47 #14)", async () => {
    const one = at('one-row.json');
    writeFileSync(one, JSON.stringify({ inputs: [[0, 1, 0, 1]], targets: [[1, 0, 0]] }));
    const run = await runCliInProcess(['train', '--data', one, '--layers', '4,3,3', '--epochs', '1']);
    expect([run.stderr, run.code]).toEqual(['', 0]);
    expect(trainOutput(run.stdout).before).toMatch(/; training loss and accuracy, on the 1 row after it\.$/);
  });

  it('says when no weight moved: a learning rate whose every update rounded to nothing in float32 (edges47 #16)', async () => {
    const note = (steps: number, rate = '1e-20', gradient = 'its gradient', flags = '--learning-rate') =>
      `Note: no weight moved in the run's ${steps} steps: every update of a weight (learning rate ${rate} × ${gradient}, as the optimiser scales it) was below the resolution of the float32 number it was added to ` +
      "(a change under about 5.96e-8 to 1.19e-7 of a weight's size, half the spacing of the numbers there, is lost in its rounding), so each rounded to nothing, and the epochs above measured the network as it was made (the same loss after each). " +
      `A ${flags} at which the updates pass that share moves them.`;
    for (const optimizer of ['sgd', 'adam']) {
      const run = await runCliInProcess(['train', '--data', dataPath, '--layers', '4,8,3', '--optimizer', optimizer, '--learning-rate', '1e-20', '--epochs', '2', '--batch-size', '8']);
      expect([run.stderr, run.code]).toEqual(['', 0]);
      const { epochs, after } = trainOutput(run.stdout);
      // Every epoch line the one before the first (but its batch loss): the run printed as if it trained.
      expect(new Set(epochs.map((line) => line.replace(/^epoch \S+ {2}(batch loss \S+ {2})?/, ''))).size, optimizer).toBe(1);
      expect(after, optimizer).toBe(note(10));
    }
    // An ordinary rate whose steps a clip norm of 1e-30 rounded away (review51 #3: the note blamed the rate alone): the clip norm is named.
    const clipped = await runCliInProcess(['train', '--data', dataPath, '--layers', '4,8,3', '--learning-rate', '0.1', '--clip-norm', '1e-30', '--epochs', '2', '--batch-size', '8']);
    expect([clipped.stderr, clipped.code]).toEqual(['', 0]);
    expect(trainOutput(clipped.stdout).after).toBe(note(10, '0.1', 'its gradient clipped to a norm of 1e-30 by --clip-norm', '--learning-rate or --clip-norm'));
    // A rate that moves them: no note.
    const moved = await runCliInProcess(['train', '--data', dataPath, '--layers', '4,8,3', '--learning-rate', '1e-6', '--epochs', '1', '--batch-size', '8']);
    expect(moved.stdout).not.toContain('no weight moved');
    // A network over UNMOVED_CHECK_ANY_CALL_PARAMETERS (the default [2,64,64,1]: 4,417) on a file of 4 rows, a call under
    // UNMOVED_CHECK_MIN_ROWS where train() does not compare the weights (review52 MED-7): the command compares them itself.
    const xor = at('xor.json');
    writeFileSync(xor, JSON.stringify({ inputs: [[0, 0], [0, 1], [1, 0], [1, 1]], targets: [[0], [1], [1], [0]] }));
    const small = await runCliInProcess(['train', '--data', xor, '--learning-rate', '1e-20', '--output', 'sigmoid', '--loss', 'binary-cross-entropy']);
    expect([small.stderr, small.code]).toEqual(['', 0]);
    expect(trainOutput(small.stdout).after).toMatch(/^Note: no weight moved in the run's \d+ steps: /);
  });

  it('trains on a data file, prints each epoch, and saves a model that study --model, gradients and loadModel read', async () => {
    const out = at('toy.json');
    const run = await runCliInProcess(['train', '--data', dataPath, '--layers', '4,16,16,3', '--activation', 'tanh', '--init', 'glorot-normal', '--bias-init', 'constant:0.1', '--optimizer', 'adam', '--learning-rate', '0.01', '--epochs', '3', '--batch-size', '8', '--seed', '5', '--out', out]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const { before, epochs, after } = trainOutput(run.stdout);
    // The network and its rows, the optimiser, then what the epoch lines' numbers are, said once above them (newuser29 asked what 'batch loss' was).
    expect(before).toBe(
      `[4,16,16,3] tanh, tanh, softmax, loss cross-entropy, init glorot-normal, bias init constant:0.1; training on 40 rows of ${dataPath}, 3 epochs. ` +
        'adam, learning rate 0.01, batches of 8, seed 5. ' +
        "Each epoch: batch loss, the mean of its batches' losses, each taken before its step (over weights that moved as it was taken); training loss and accuracy, on all 40 rows after it.",
    );
    expect(epochs[0]).toMatch(/^epoch 0\/3  training loss \d\.\d+  training accuracy [\d.]+ %$/);
    expect(epochs.slice(1).map((line) => line.replace(/\d+(\.\d+)?/g, '#'))).toEqual(Array(3).fill('epoch #/#  batch loss #  training loss #  training accuracy # %'));
    expect(after).toBe(
      `Model: ${out} To train it on from these weights with the same settings and a fresh adam, not resuming the optimiser state saved with them, tracing and diagnosing it, on the same rows: ` +
        `gradscope study --model ${out} --data ${dataPath} --batch-size 8 --learning-rate 0.01 --optimizer adam`,
    );
    expect(closing(run.stdout).command).toBe(`study --model ${out} --data ${dataPath} --batch-size 8 --learning-rate 0.01 --optimizer adam`);

    // The file is the existing model format: loadModel reads it and its loss is the one printed last.
    const net = await loadModel(out);
    expect(net.sizes).toEqual([4, 16, 16, 3]);
    expect(net.activationFunctions).toEqual(['tanh', 'tanh', 'softmax']);
    const last = /training loss (\d\.\d+)  training accuracy/.exec(epochs[3]);
    expect(last, epochs[3]).not.toBeNull();
    expect(net.evaluate(inputs, targets).loss.toPrecision(4)).toBe(last![1]);
    net.dispose();

    // … and study --model and gradients take it.
    const study = await runCliInProcess(['study', '--model', out, '--data', dataPath, '--epochs', '1', '--batch-size', '40']);
    expect(study.code, study.stderr).toBe(0);
    expect(study.stdout).toMatch(/^\[4,16,16,3\] on 40 rows, 1 epoch, 1 traced step\.\n/);
    const gradients = await runCliInProcess(['gradients', '--model', out, '--data', dataPath]);
    expect(gradients.code, gradients.stderr).toBe(0);
  });

  it('trains on the digits (--train, checked on --test) with --depth and --width', async () => {
    const out = at('digits.bin');
    const run = await runCliInProcess(['train', '--train', '200', '--test', '50', '--depth', '1', '--width', '8', '--epochs', '1', '--out', out]);
    expect(run.code, run.stderr).toBe(0);
    const { before, epochs } = trainOutput(run.stdout);
    expect(before.startsWith('[784,8,10] sigmoid, softmax, loss cross-entropy; training on 200 digits (the mnist package), 1 epoch. '), before).toBe(true);
    expect(before.endsWith(" Each epoch: batch loss, the mean of its batches' losses, each taken before its step (over weights that moved as it was taken); test loss and accuracy, on the 50 test digits after it."), before).toBe(true);
    // docs/cli.md quotes it for the 1,000 test digits a command checks by default.
    expect(before).toMatch(quotePattern(codeQuoteOn('docs/cli.md', 'Each epoch: batch loss'), { anyNumbers: true }));
    expect(epochs[0]).toMatch(/^epoch 0\/1  test loss \d\.\d+  test accuracy [\d.]+ %$/);
    expect(epochs[1]).toMatch(/^epoch 1\/1  batch loss \d\.\d+  test loss \d\.\d+  test accuracy [\d.]+ %$/);
    const net = await loadModel(out);
    expect(net.sizes).toEqual([784, 8, 10]);
    net.dispose();
  });

  it("docs/cli.md quotes the epoch lines' legend as train prints it on the default 1,000 test digits", () => {
    const docs = flat(readFileSync(new URL('../../docs/cli.md', import.meta.url), 'utf8'));
    expect(docs).toContain(epochLegend('test', 'the 1,000 test digits'));
  });

  // One parser for --init and --bias-init: NAME:NUMBER as createNetwork takes it, so "tanh with a large init" can be made here.
  it.each([
    ['normal:1', { name: 'normal', std: 1 }],
    ['sparse:2', { name: 'sparse', connections: 2 }],
    ['sparse', { name: 'sparse' }],
  ] as const)('takes --init %s, createNetwork\'s %j: the weights it starts from are that init\'s', async (text, init) => {
    const run = await runCliInProcess(['train', '--data', dataPath, '--layers', '4,8,3', '--activation', 'tanh', '--init', text, '--bias-init', 'normal:0.5', '--epochs', '1', '--seed', '3']);
    expect(run.code, run.stderr).toBe(0);
    const { before, epochs } = trainOutput(run.stdout);
    expect(before.startsWith(`[4,8,3] tanh, softmax, loss cross-entropy, init ${text}, bias init normal:0.5; training on 40 rows of ${dataPath}, 1 epoch. `), before).toBe(true);
    const same = await createNetwork({ sizes: [4, 8, 3], activation: 'tanh', init, biasInit: { name: 'normal', std: 0.5 }, seed: 3 });
    const start = same.evaluate(inputs, targets);
    same.dispose();
    expect(epochs[0]).toBe(`epoch 0/1  training loss ${start.loss.toPrecision(4)}  training accuracy ${/training accuracy (.*)$/.exec(epochs[0])![1]}`);
  });

  // The closing hint is a command that works as printed: run it (one epoch, to be quick) and it studies the model on the rows train used.
  it.each([
    ['the digits', ['--train', '200', '--test', '50', '--depth', '1', '--width', '8'], '[784,8,10] on 200 digits, 1 epoch, 7 traced steps.', 'Loss and accuracy on the 50 test digits, from start to end:'],
    ['a data file', ['--data', dataPath, '--layers', '4,8,3'], '[4,8,3] on 40 rows, 1 epoch, 2 traced steps.', 'Loss and accuracy on all 40 rows, from start to end:'],
  ])('ends, trained on %s, with a study --model command that runs as printed', async (_, flags, header, curve) => {
    const out = at(`hinted-${flags[0].slice(2)}.json`);
    const run = await runCliInProcess(['train', ...flags, '--epochs', '1', '--out', out]);
    expect(run.code, run.stderr).toBe(0);
    const { said, command: hint } = closing(run.stdout);
    expect(said).toMatch(/^Model: .* To train it on from these weights with the same settings and a fresh sgd, not resuming the optimiser state saved with them, tracing and diagnosing it, on the same (?:rows|digits):$/);
    const study = await runCliInProcess([...hint.split(' '), '--epochs', '1']);
    expect(study.code, study.stderr).toBe(0);
    expect(flat(study.stdout).slice(0, header.length + 1)).toBe(`${header} `);
    expect(study.stdout).toContain(`\n${curve}\n`);
  });

  it("carries train's training flags (but --epochs) in that command, so that study --model trains the model on as train did (it retrained an Adam model with sgd at 0.1)", async () => {
    const out = at('adam.json');
    const run = await runCliInProcess(['train', '--data', dataPath, '--layers', '4,8,3', '--epochs', '1', '--optimizer', 'adam', '--learning-rate', '0.01', '--no-shuffle', '--out', out]);
    expect(run.code, run.stderr).toBe(0);
    const { said, command: hint } = closing(run.stdout);
    expect(said).toMatch(/^Model: .* To train it on from these weights with the same settings and a fresh adam, not resuming the optimiser state saved with them, tracing and diagnosing it, on the same rows:$/);
    expect(hint).toBe(`study --model ${out} --data ${dataPath} --no-shuffle --learning-rate 0.01 --optimizer adam`);
    const study = await runCliInProcess([...hint.split(' '), '--epochs', '1']);
    expect(study.code, study.stderr).toBe(0);
    expect(study.stdout).toMatch(/adam/);
    expect(study.stdout).not.toMatch(/sgd/);
  });

  it('names the fresh optimiser as the user chose it, in its hint and in the study --model the hint runs (train said "a fresh sgd" for sgd-momentum)', async () => {
    const out = at('momentum.json');
    const run = await runCliInProcess(['train', '--data', dataPath, '--layers', '4,8,3', '--epochs', '1', '--optimizer', 'sgd-momentum', '--out', out]);
    expect(run.code, run.stderr).toBe(0);
    const { said, command: hint } = closing(run.stdout);
    expect(said).toMatch(/^Model: .* To train it on from these weights with the same settings and a fresh sgd-momentum, not resuming the optimiser state saved with them, tracing and diagnosing it, on the same rows:$/);
    const study = await runCliInProcess([...hint.split(' '), '--epochs', '1']);
    expect(study.code, study.stderr).toBe(0);
    expect(flat(study.stdout)).toContain('which study --model does not resume: this run trains with a fresh sgd-momentum.');
  });

  it("quotes a path the shell would split or change in that command, which a shell then runs as printed (it printed 'my model.json' bare)", async () => {
    const odd = at("rows of Bob's.json");
    writeFileSync(odd, JSON.stringify({ inputs, targets }));
    const out = at('my model.json');
    const run = await runCliInProcess(['train', '--data', odd, '--layers', '4,8,3', '--epochs', '1', '--out', out]);
    expect(run.code, run.stderr).toBe(0);
    const { said, command: hint } = closing(run.stdout);
    expect(said).toMatch(/^Model: .* To train it on from these weights with the same settings and a fresh sgd, not resuming the optimiser state saved with them, tracing and diagnosing it, on the same rows:$/);
    expect(hint).toBe(`study --model '${out}' --data '${odd.replace("'", "'\\''")}'`);
    // The words a POSIX shell makes of it are the paths themselves.
    const words = execFileSync('sh', ['-c', `printf '%s\\n' ${hint}`], { encoding: 'utf8' }).trimEnd().split('\n');
    expect(words).toEqual(['study', '--model', out, '--data', odd]);
    const study = await runCliInProcess([...words, '--epochs', '1']);
    expect(study.code, study.stderr).toBe(0);
    expect(study.stdout.split('\n')[0]).toBe('[4,8,3] on 40 rows, 1 epoch, 2 traced steps.');
  });

  it('makes --depth hidden layers of --width units by default', async () => {
    const run = await runCliInProcess(['train', '--data', dataPath, '--epochs', '1']);
    expect(run.code, run.stderr).toBe(0);
    expect(trainOutput(run.stdout).before).toMatch(new RegExp(`^\\[4,${Array(TRAIN_SHAPE.depth).fill(TRAIN_SHAPE.width).join(',')},3\\] `));
  });

  it('rescales an lsuv network on its first batch before training, says so, measures it there (epoch 0), and saves what train() would', async () => {
    const out = at('lsuv.json');
    const run = await runCliInProcess(['train', '--data', dataPath, '--layers', '4,8,3', '--init', 'lsuv', '--epochs', '2', '--batch-size', '16', '--out', out]);
    expect(run.code, run.stderr).toBe(0);
    const { before, epochs } = trainOutput(run.stdout);
    expect(before).toMatch(/ LSUV rescaled the orthonormal weights on the first 16 training rows \(the first batch, as train's lsuv\): each dense layer's output variance [\d.]+(–[\d.]+)? before, [\d.]+(–[\d.]+)? after\. Each epoch: /);
    expect(epochs[0]).toMatch(/^epoch 0\/2  training loss \d\.\d+  training accuracy [\d.]+ %$/);
    expect(epochs[1]).toMatch(/^epoch 1\/2 /);
    // The model saved is the one train(x, y, { lsuv: true }) makes from the same network.
    const api = await createNetwork({ sizes: [4, 8, 3], init: 'lsuv' });
    api.train(inputs, targets, { epochs: 2, batchSize: 16, lsuv: true });
    const saved = await loadModel(out);
    // …and the record of the rows that trained it, which --out writes and the loaded network carries (net.trainedOn).
    expect(saved.toJSON()).toEqual({ ...api.toJSON(), trainedOn: { data: dataPath, rows: 40 } });
    saved.dispose();
    api.dispose();
  });

  it('--init lsuv --optimizer layer-rates measures its rates on the rescaled weights it trains (it measured the orthonormal ones LSUV replaced)', async () => {
    const out = at('lsuv-rates.json');
    const run = await runCliInProcess(['train', '--data', dataPath, '--layers', '4,8,8,8,3', '--activation', 'sigmoid', '--init', 'lsuv', '--optimizer', 'layer-rates', '--epochs', '2', '--batch-size', '16', '--out', out]);
    expect(run.code, run.stderr).toBe(0);
    // The same run through the API: LSUV on the first batch, then the rates measured on all 40 training rows, then training with them.
    const rows = { x: { data: Float32Array.from(inputs.flat()), rows: 40, cols: 4 }, y: { data: Float32Array.from(targets.flat()), rows: 40, cols: 3 } };
    const api = await createNetwork({ sizes: [4, 8, 8, 8, 3], activation: 'sigmoid', init: 'lsuv' });
    // The API refuses rates measured before LSUV (1292400); the orthonormal weights LSUV starts from are LSUV_BUILD's init.
    expect(() => equalisingLayerRates(api, rows)).toThrow(/waits for LSUV/);
    const unscaled = await createNetwork({ sizes: [4, 8, 8, 8, 3], activation: 'sigmoid', ...LSUV_BUILD });
    expect(unscaled.predict(rows.x, { flat: true })).toEqual(api.predict(rows.x, { flat: true }));
    const orthonormal = equalisingLayerRates(unscaled, rows);
    unscaled.dispose();
    api.initLsuv(inputs.slice(0, 16));
    const rates = equalisingLayerRates(api, rows);
    const shown = (measured: number[]) => `per-layer rates [${measured.map((rate) => Number(rate.toPrecision(3))).join(', ')}]`;
    // The test tells the two apart: LSUV changes the rates.
    expect(shown(rates)).not.toBe(shown(orthonormal));
    expect(trainOutput(run.stdout).before).toContain(`layer-rates, momentum 0.9, ${shown(rates)} (one per weight layer, hidden layer 1 first and the output layer last: the last hidden layer's ‖∂C/∂W‖ ÷ each hidden layer's, the output layer's 1; measured on the 40 training rows before training)`);
    api.train(inputs, targets, { epochs: 2, batchSize: 16, optimizer: { name: 'sgd', momentum: 0.9, layerRates: rates } });
    const saved = await loadModel(out);
    // With the record of the rows that trained it, which --out writes and the loaded network carries (net.trainedOn).
    expect(saved.toJSON()).toEqual({ ...api.toJSON(), trainedOn: { data: dataPath, rows: 40 } });
    saved.dispose();
    api.dispose();
  });

  it('--epochs 0 trains nothing: it measures the network as made and saves it (--out) without an optimiser state, the same weights createNetwork makes', async () => {
    const out = at('untrained.json');
    const run = await runCliInProcess(['train', '--data', dataPath, '--layers', '4,8,3', '--activation', 'tanh', '--seed', '3', '--optimizer', 'adam', '--epochs', '0', '--out', out]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const { before, epochs, after } = trainOutput(run.stdout);
    expect(before).toBe('[4,8,3] tanh, softmax, loss cross-entropy; 0 epochs: not trained, measured on its 40 rows as made.');
    expect(epochs).toHaveLength(1);
    expect(epochs[0]).toMatch(/^epoch 0\/0  training loss \d\.\d+  training accuracy [\d.]+ %$/);
    expect(after).toBe(`Model: ${out} To train it on from these weights with the same settings, tracing and diagnosing it, on the same rows: gradscope study --model ${out} --data ${dataPath} --optimizer adam`);
    expect(closing(run.stdout).command).toBe(`study --model ${out} --data ${dataPath} --optimizer adam`);
    const made = await createNetwork({ sizes: [4, 8, 3], activation: 'tanh', seed: 3 });
    const saved = await loadModel(out);
    expect(saved.toJSON()).toEqual(made.toJSON());
    expect(saved.evaluate(inputs, targets).loss.toPrecision(4)).toBe(/training loss (\d\.\d+)/.exec(epochs[0])![1]);
    expect((await readCheckpoint(out)).optimizer).toBeUndefined();
    saved.dispose();
    made.dispose();
  });

  it('checks the data against the network before it prints anything about a run: a bad target is one line, exit 1', async () => {
    const bad = at('bad-targets.json');
    writeFileSync(bad, JSON.stringify({ inputs: [[1, 2, 3, 4], [1, 2, 3, 4]], targets: [[1, 2, 3], [0, 0, 1]] }));
    const out = at('bad-targets-model.json');
    expectOneLine(await runCliInProcess(['train', '--data', bad, '--layers', '4,4,3', '--epochs', '1', '--out', out]), 1, /^gradscope: INVALID_TARGET: .*bad-targets\.json: targets: row 0, column 1 is 2, outside \[0, 1\]/);
    expect(existsSync(out)).toBe(false);
  });

  it('refuses one target with the default softmax output (always 1: it trained nothing and printed 100 % accuracy), naming --output and the flags to use', async () => {
    const one = at('one-target.json');
    writeFileSync(one, JSON.stringify({ inputs, targets: targets.map(() => [1]) }));
    // In flags, not createNetwork's words: its 'give the output 2 units' is no flag here (--layers ends at the targets).
    const refusal = (file: string) =>
      new RegExp(`^gradscope: --output: a softmax output of 1 unit is always 1 \\(loss 0, gradient 0: nothing trains\\), and the rows in ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} have 1 target: give --output sigmoid --loss binary-cross-entropy for two classes \\(targets 0 or 1\\), --output linear for values \\(its loss mse: a regression\\), or each row 2 one-hot targets$`);
    expectOneLine(await runCliInProcess(['train', '--data', one, '--epochs', '1']), 2, refusal(one));
    expectOneLine(await runCliInProcess(['train', '--data', one, '--epochs', '1', '--loss', 'cross-entropy']), 2, refusal(one));
    const binary = await runCliInProcess(['train', '--data', one, '--epochs', '1', '--output', 'sigmoid', '--loss', 'binary-cross-entropy']);
    expect(binary.code, binary.stderr).toBe(0);
    expect(trainOutput(binary.stdout).before).toMatch(/^\[4,64,64,1\] sigmoid, sigmoid, sigmoid, loss binary-cross-entropy; /);
    // A column of values (a regression), which binary cross-entropy refuses beyond [0, 1]: the refusal's linear way out trains it.
    const values = at('one-value.json');
    writeFileSync(values, JSON.stringify({ inputs, targets: targets.map((_, i) => [1 + i]) }));
    expectOneLine(await runCliInProcess(['train', '--data', values, '--epochs', '1']), 2, refusal(values));
    const linear = await runCliInProcess(['train', '--data', values, '--epochs', '1', '--output', 'linear']);
    expect(linear.code, linear.stderr).toBe(0);
    expect(trainOutput(linear.stdout).before).toMatch(/^\[4,64,64,1\] sigmoid, sigmoid, linear, loss mse; /);
  });

  // A file with one target column and a broken input was told to change --output first, and only then that its
  // rows were bad (newuser27): the file's every value is checked before any flag is read against its columns.
  it.each([
    ['a string', [[1, 2], [3, 'x']], [[1], [0]], /^gradscope: BAD_DATA_FILE: .*broken-0\.json: inputs: row 1, column 1 is the string "x", not a number \(at line 1, column 21\)$/],
    ['a short row', [[1, 2], [3]], [[1], [0]], /^gradscope: SHAPE_MISMATCH: .*broken-1\.json: inputs: row 1 has 1 value, expected 2$/],
    ['rows that do not pair up', [[1, 2], [3, 4]], [[1]], /^gradscope: SHAPE_MISMATCH: .*broken-2\.json: inputs \(2 rows\) and targets \(1 row\) do not pair up row for row$/],
  ])('says a data file with %s is bad before it refuses a flag for its columns', async (what, x, y, refusal) => {
    const file = at(`broken-${['a string', 'a short row', 'rows that do not pair up'].indexOf(what)}.json`);
    writeFileSync(file, JSON.stringify({ inputs: x, targets: y }));
    // study --model reads the same rows: a model of another shape was refused for the columns before the bad values.
    const model = at('four-inputs.json');
    const net = await createNetwork({ sizes: [4, 3, 2], seed: 1 });
    writeFileSync(model, JSON.stringify(net.toJSON()));
    net.dispose();
    for (const command of [['train'], ['study', '--model', model]]) {
      expectOneLine(await runCliInProcess([...command, '--data', file, '--epochs', '1']), 1, refusal);
    }
  });

  it('says the batch it trains in: --batch-size capped at the rows, and that it was', async () => {
    const capped = await runCliInProcess(['train', '--data', dataPath, '--layers', '4,8,3', '--epochs', '1', '--batch-size', '64']);
    expect(capped.code, capped.stderr).toBe(0);
    // The sentence after the run's, read across its lines (prose wraps at READING_WIDTH, in a file too).
    const settings = (stdout: string) => trainOutput(stdout).before.split(' epoch. ')[1].split(' Each epoch: ')[0];
    expect(settings(capped.stdout)).toBe("sgd, learning rate 0.1 (sgd's default), batches of 40 (--batch-size 64 capped at the 40 rows), seed 1.");
    const fits = await runCliInProcess(['train', '--data', dataPath, '--layers', '4,8,3', '--epochs', '1', '--batch-size', '40']);
    expect(settings(fits.stdout)).toBe("sgd, learning rate 0.1 (sgd's default), batches of 40, seed 1.");
    // One row is one row (it said 'capped at the 1 rows').
    const single = at('single-row.json');
    writeFileSync(single, JSON.stringify({ inputs: [inputs[0]], targets: [targets[0]] }));
    const one = await runCliInProcess(['train', '--data', single, '--layers', '4,8,3', '--epochs', '1']);
    expect(one.code, one.stderr).toBe(0);
    expect(settings(one.stdout)).toBe("sgd, learning rate 0.1 (sgd's default), batches of 1 (--batch-size 32 capped at the 1 row), seed 1.");
  });

  // newuser49 #6: `train --optimizer hessian-free` ran at batch 32 (its test loss rose 2.317 → 3.946): without --batch-size it takes
  // the batch the diagnosis's switch to it carries (wantedBatchSize), here every one of the 40 rows, and says whose it is.
  it("trains Hessian-free without --batch-size in its own batch, and in the one given with it", async () => {
    const settings = (stdout: string) => trainOutput(stdout).before.split(' epoch. ')[1].split(' Each epoch: ')[0];
    const own = await runCliInProcess(['train', '--data', dataPath, '--layers', '4,8,3', '--epochs', '1', '--optimizer', 'hessian-free']);
    expect(own.code, own.stderr).toBe(0);
    expect(settings(own.stdout)).toBe(`hessian-free, its own steps, batches of 40 (hessian-free's own ${grouped(wantedBatchSize('hessian-free')!)} capped at the 40 rows; no --batch-size given), seed 1.`);
    const given = await runCliInProcess(['train', '--data', dataPath, '--layers', '4,8,3', '--epochs', '1', '--optimizer', 'hessian-free', '--batch-size', '8']);
    expect(settings(given.stdout)).toBe('hessian-free, its own steps, batches of 8, seed 1.');
    // Any other optimiser keeps train()'s default batch.
    const kfac = await runCliInProcess(['train', '--data', dataPath, '--layers', '4,8,3', '--epochs', '1', '--optimizer', 'kfac']);
    expect(settings(kfac.stdout)).toBe("kfac, learning rate 1 (kfac's default), batches of 32, seed 1.");
  });

  it.each([
    // --width 100000 at the default depth was refused as '--depth 2' (edges47 #12).
    [['--width', '100000'], /^gradscope: --width 100000: the network: 10,000,\d{3},\d{3} parameters exceeds the limit of 268,435,456/],
    [['--depth', '2', '--width', '100000'], /^gradscope: --width 100000: the network: /],
    [['--depth', '2000'], /^gradscope: --depth 2000: the network: 2,001 layers exceeds the limit of 1,024/],
    [['--depth', '100', '--width', '20000'], /^gradscope: --width 20000: /],
    // Neither alone is past the limit: both are named.
    [['--depth', '1000', '--width', '1000'], /^gradscope: --depth 1000 --width 1000: the network: 1,000,\d{3},\d{3} parameters exceeds the limit/],
  ])('a network past the model limits is refused under the flag that put it there: %j', async (shape, refusal) => {
    const run = await runCliInProcess(['train', '--data', dataPath, ...shape, '--epochs', '1']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(refusal);
  });

  it("a DIVERGED where layer-rates' measured rate made the step names that rate, and offers the flag that lowers it (edges47 #3)", async () => {
    const run = await runCliInProcess(['train', '--data', dataPath, '--layers', '4,8,8,8,3', '--activation', 'sigmoid', '--optimizer', 'layer-rates', '--learning-rate', '1e25', '--epochs', '1']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/the step was not applied \(that layer's step size is --learning-rate 1e\+25 × its per-layer rate \d[\d.]*(e\+\d+)?: try a --learning-rate below 1e\+25, --clip-norm, or --on-non-finite halve;/);
  });

  it("--on-non-finite skip: each epoch line says how many batches it left out, and so does a DIVERGED ending, counting epochs as the lines do", async () => {
    // The new user's run (2026-12-01): a relu net at --learning-rate 1e4 runs away in its first epoch, leaves out 15 of its 16 batches, and every batch of the second.
    const args = ['train', '--depth', '3', '--width', '16', '--activation', 'relu', '--epochs', '2', '--train', '500', '--test', '100', '--learning-rate', '1e4', '--on-non-finite', 'skip'];
    const run = await runCliInProcess(args);
    expect(run.code).toBe(1);
    const { epochs, after } = trainOutput(run.stdout);
    expect(epochs[0]).toMatch(/^epoch 0\/2  test loss /);
    expect(epochs[1]).toMatch(/^epoch 1\/2  batch loss \S+ \(1 batch applied, 15 skipped\)  test loss \S+  test accuracy [\d.]+ %$/);
    expect([epochs.length, after]).toEqual([2, '']);
    expect(run.stderr).toMatch(
      /^gradscope: DIVERGED: epoch 2: every batch had a non-finite or runaway loss, gradient or step; nothing was applied in this epoch, and nothing is put back: the network is as epoch 1 left it; --on-non-finite skip left out 31 batches in this call, the 16 of this epoch and 15 before it \(the last: /,
    );
    // docs/reliability.md quotes this run, and its ending.
    expect(codeQuoteOn('docs/reliability.md', 'gradscope train --depth 3')).toBe(['gradscope', ...args].join(' '));
    expect(run.stderr).toMatch(new RegExp(`^gradscope: DIVERGED: ${quotePattern(codeQuoteOn('docs/reliability.md', 'epoch 2: every batch had')).source}`));
  });

  it('says plainly when the trained network ends worse than its initial weights, what halving did, and that --out saved it as asked', async () => {
    // relu [784,16,10] at --learning-rate 100 on 500 digits (2026-12-01): halved once, to 50; test loss 2.3 → 11.5.
    const out = at('worse.json');
    const run = await runCliInProcess(['train', '--layers', '784,16,10', '--activation', 'relu', '--train', '500', '--test', '100', '--epochs', '3', '--learning-rate', '100', '--on-non-finite', 'halve', '--out', out]);
    expect(run.code, run.stderr).toBe(0);
    const { epochs, after } = trainOutput(run.stdout);
    const [start, end] = [epochs[0], epochs[3]].map((line) => Number(/test loss (\S+)/.exec(line)![1]));
    expect(end).toBeGreaterThan(start);
    // After the epochs, each read across its lines: what halving did, the warning, the model saved.
    expect(after).toMatch(
      /^--on-non-finite halve halved the learning rate once, to 50\. Warning: the trained network is worse than the initial weights on the test digits \(test loss \S+ → \S+, test accuracy [\d.]+ % → [\d.]+ %\); halving kept the steps finite, not the network better than its start; --out saves it as asked; the likely cause is a learning rate too large: try a --learning-rate below 50\. Model: /,
    );
    expect(existsSync(out)).toBe(true);
    // A run that ends better says nothing of the kind.
    const better = await runCliInProcess(['train', '--data', dataPath, '--layers', '4,8,3', '--epochs', '3', '--learning-rate', '0.5']);
    expect(better.stdout).not.toMatch(/Warning/);
  });

  it('under mse, a --data file of one-hot targets has classes: a net that learnt nothing is told so, not to lower its rate', async () => {
    // Every row's inputs alike, the two classes in turn: nothing to learn. Sigmoid outputs at 0.5 (weights near 0) start at the
    // loss's floor, and steps of one row at rate 3 leave it a little above (0.2500 → 0.2501, at 50 % throughout, 2026-12-02).
    const flat = at('flat.json');
    writeFileSync(flat, JSON.stringify({ inputs: Array.from({ length: 8 }, () => [0, 0]), targets: Array.from({ length: 8 }, (_, i) => (i % 2 ? [0, 1] : [1, 0])) }));
    const run = await runCliInProcess(['train', '--data', flat, '--layers', '2,4,2', '--output', 'sigmoid', '--loss', 'mse', '--init', 'normal:0.001', '--batch-size', '1', '--epochs', '2', '--learning-rate', '3']);
    expect(run.code, run.stderr).toBe(0);
    // ∂C/∂W of the first layer is δ times inputs of 0: its weights stay as made, which the note says first, naming them (prose54),
    // with that one cause, not rounding beside it (prose55: TrainResult.zeroGradientWeights).
    const after = trainOutput(run.stdout).after;
    expect(after).toMatch(/^Note: the weights of hidden 1 \(0\.weight\) did not move in the run's 16 steps: their gradient was 0 at every step \(dead units pass none back; inputs of 0 give none\)\. The other weight matrices moved\. Warning: /);
    const warning = after.slice(after.indexOf('Warning: '));
    expect(warning).toMatch(/^Warning: the trained network learnt nothing on the training rows \(training loss \S+ → \S+, training accuracy 50\.0 % → 50\.0 %\); at chance before and after, no better than a guess among 2 classes \(50 % right\), within 5 points either way; /);
    expect(warning).not.toMatch(/learning rate too large/);
  });

  // The new user's xor file (2 inputs, 1 target a row) with --layers 3,4,1 was told 'the rows have 2 inputs and 1 targets'.
  it('counts one target a row in the singular', async () => {
    const xor = at('xor-one-target.json');
    writeFileSync(xor, JSON.stringify({ inputs: [[0, 0], [0, 1], [1, 0], [1, 1]], targets: [[0], [1], [1], [0]] }));
    const run = await runCliInProcess(['train', '--data', xor, '--layers', '3,4,1']);
    expect(run.code).toBe(2);
    expect(run.stderr.trim()).toBe('gradscope: --layers 3,4,1: the rows have 2 inputs and 1 target, so the first entry must be 2 and the last 1');
  });

  // Every refusal comes before any work: one line, exit 2, and no model file.
  it.each([
    [['--layers', '5,8,3'], /^gradscope: --layers 5,8,3: the rows have 4 inputs and 3 targets, so the first entry must be 4 and the last 3$/],
    [['--layers', '4,8,3', '--width', '9'], /^gradscope: --layers gives every layer's units: leave out --width$/],
    [['--layers', '4'], /^gradscope: --layers needs the inputs and at least one layer/],
    [['--layers', '4,0,3'], /^gradscope: --layers needs whole numbers ≥ 1 separated by commas, got '4,0,3'$/],
    [['--depth', '0'], /^gradscope: --depth must be ≥ 1, got '0'$/],
    [['--activation', 'rleu'], /^gradscope: --activation must be one of sigmoid, .*, got 'rleu'; did you mean 'relu'\?$/],
    [['--init', 'he'], /^gradscope: --init must be standard, .*, lsuv, normal:STD or sparse\[:N\] \(STD, N decimal numbers\), got 'he'; did you mean 'he-normal'\?$/],
    [['--init', 'normal'], /^gradscope: --init must be standard, .*normal:STD .*got 'normal'$/],
    [['--init', 'normal:-1'], /^gradscope: --init normal:STD needs STD > 0 and ≤ 2\.09e\+15 \(.*\), got 'normal:-1'$/],
    [['--init', 'sparse:1.5'], /^gradscope: --init: .*connections, a whole number/],
    [['--init', 'lsuv:2'], /^gradscope: --init must be .*got 'lsuv:2'$/],
    [['--bias-init', 'normal:x'], /^gradscope: --bias-init must be zero, constant:V or normal:STD \(V, STD decimal numbers\), got 'normal:x'$/],
    [['--bias-init', 'normal:-1'], /^gradscope: --bias-init normal:STD needs STD ≥ 0 and ≤ 2\.09e\+15 \(.*\), got 'normal:-1'$/],
    // Decimal notation only, as the other numeric flags: Number() read these as 1, 16 and 1.
    [['--init', 'normal:0x1'], /^gradscope: --init must be standard, .*\(STD, N decimal numbers\), got 'normal:0x1'$/],
    [['--init', 'sparse:0x10'], /^gradscope: --init must be .*got 'sparse:0x10'$/],
    [['--bias-init', 'constant:0b1'], /^gradscope: --bias-init must be zero, .*got 'constant:0b1'$/],
    [['--bias-init', 'normal:0o1'], /^gradscope: --bias-init must be zero, .*got 'normal:0o1'$/],
    [['--loss', 'mse', '--output', 'softmax'], /^gradscope: .*softmax.*cross-entropy/],
    [['--train', '10'], /^gradscope: --train counts the digits: leave it out with --data$/],
    [['--optimizer', 'lbfgs', '--clip-norm', '1'], /^gradscope: --clip-norm: /],
    [['--epochs', '-1'], /^gradscope: --epochs must be ≥ 0, got '-1'$/],
    [['--batch', '8'], /^gradscope: unknown flag --batch for 'gradscope train'; did you mean --batch-size\?$/],
  ])('gradscope train --data D %j: one line, exit 2, nothing written', async (flags, message) => {
    const out = at(`refused-${flags.join('_').replace(/[^\w.-]/g, '')}.json`);
    expectOneLine(await runCliInProcess(['train', '--data', dataPath, ...flags, '--out', out]), 2, message);
    expect(existsSync(out)).toBe(false);
  });

  it('refuses --train and --test beyond the digits, and an --out folder that does not exist, before any work', async () => {
    const out = at('too-many.json');
    expectOneLine(await runCliInProcess(['train', '--train', '9500', '--test', '600', '--out', out]), 2, /^gradscope: --train 9500 \+ --test 600 = 10,100 digits/);
    expect(existsSync(out)).toBe(false);
    expectOneLine(await runCliInProcess(['train', '--data', dataPath, '--out', at('missing/m.json')]), 1, /^gradscope: IO_ERROR: --out .*missing\/m\.json: cannot write/);
  });
});

describe('unknown commands', () => {
  it.each([
    [['trian'], /^gradscope: unknown command 'trian'; did you mean 'gradscope train'\? \(a command is one of train, gradients, curvature, convert, study; see gradscope --help\)$/],
    [['tarin', '--epochs', '1'], /^gradscope: unknown command 'tarin'; did you mean 'gradscope train'\? \(a command is one of train, gradients, curvature, convert, study; see gradscope --help\)$/],
    [['diagnose'], /^gradscope: unknown command 'diagnose'; 'gradscope study --model M' does that job: it trains your model .* prints the diagnosis/],
    [['trace'], /^gradscope: unknown command 'trace'; 'gradscope study --model M' does that job: .*--csv FILE/],
    // Given a file, as a researcher tried (it said only "unknown command 'trace out.json'").
    [['trace', 'out.json'], /^gradscope: unknown command 'trace out\.json'; 'gradscope study --model M' does that job: .*--csv FILE/],
    [['report'], /^gradscope: unknown command 'report'; 'gradscope study --model M' does that job: .*--html FILE/],
    [['fit'], /^gradscope: unknown command 'fit'; 'gradscope train' does that job/],
  ])('gradscope %j: one line naming the command to run, exit 2', async (args, message) => {
    expectOneLine(await runCliInProcess(args), 2, message);
  });

  it('--help lists train, with its own help', async () => {
    expect((await runCliInProcess(['--help'])).stdout).toMatch(/^ {2}gradscope train \[--layers A,B,…\] \[--depth 2\] \[--width 64\] /m);
    const own = await runCliInProcess(['train', '--help']);
    expect(own.code).toBe(0);
    expect(own.stdout).toMatch(/^gradscope train: make a network from flags/);
    expect(own.stdout).toMatch(/--out FILE +save a checkpoint to FILE \(the trained model/);
  });
});
