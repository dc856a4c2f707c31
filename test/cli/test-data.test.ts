// --test-data: held-out rows for a --data file (newuser43 #2). Without it every figure of train and study --model on
// user data was on the training rows, and the overfitting verdict could never fire from the command line. The rows are
// measured exactly as the digits' --test rows are: the epoch lines, the loss table, the run's validation, the rerun lines.
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createNetwork } from '../../src/api/network.js';
import { loadModel } from '../../src/io/files.js';
import { Rng } from '../../src/init/rng.js';
import { runCliInProcess } from '../util/cli.js';
import { flat } from '../util/printed-text.js';
import { codeQuoteOn } from '../util/page-quotes.js';

const folder = mkdtempSync(join(tmpdir(), 'gradscope-test-data-'));
const at = (name: string) => join(folder, name);

/** `count` rows of 4 inputs with random one-hot labels of 3 classes: nothing to learn, so a net that fits the training rows overfits. */
function noise(count: number, seed: number, inputs = 4, classes = 3): { inputs: number[][]; targets: number[][] } {
  const rng = new Rng(seed);
  const x = Array.from({ length: count }, () => Array.from({ length: inputs }, () => rng.normal()));
  const y = x.map(() => {
    const c = Math.floor(rng.uniform() * classes);
    return Array.from({ length: classes }, (_, k) => (k === c ? 1 : 0));
  });
  return { inputs: x, targets: y };
}

const trainPath = at('train.json');
const testPath = at('test.json');
writeFileSync(trainPath, JSON.stringify(noise(24, 3)));
writeFileSync(testPath, JSON.stringify(noise(60, 4)));

describe('--test-data', () => {
  it('train measures each epoch on the held-out rows, the loss its own network gives them, and passes the flag on to study --model', async () => {
    const out = at('m.json');
    const run = await runCliInProcess(['train', '--data', trainPath, '--test-data', testPath, '--layers', '4,8,3', '--epochs', '2', '--seed', '5', '--out', out]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const text = flat(run.stdout);
    expect(text).toContain(`training on 24 rows of ${trainPath}, 2 epochs.`);
    expect(text).toContain(`test loss and accuracy, on the 60 rows of ${testPath} after it.`);
    // docs/cli.md's quote of the legend, its file named T.json there.
    expect(text.replace(testPath, 'T.json')).toContain(codeQuoteOn('docs/cli.md', 'test loss and accuracy, on the 60 rows'));
    expect(text).toContain(`study --model ${out} --data ${trainPath} --test-data ${testPath}`);
    // Epoch 0's figures are the made network's on the test file's rows, not on the training rows.
    const made = await createNetwork({ sizes: [4, 8, 3], seed: 5 });
    const test = noise(60, 4);
    const expected = made.evaluate(test.inputs, test.targets);
    const first = run.stdout.split('\n').find((line) => line.startsWith('epoch 0/2'))!;
    expect(first).toMatch(new RegExp(`test loss ${expected.loss.toFixed(3).replace('.', '\\.')}\\d*  test accuracy ${(expected.accuracy * 100).toFixed(1)} %`));
    made.dispose();
    // The model records the rows that trained it: --data's, not the held-out ones.
    expect((await loadModel(out)).trainedOn).toEqual({ data: trainPath, rows: 24 });
  });

  it('study --model measures on the held-out rows, and the overfitting verdict fires on user data', async () => {
    const made = at('made.json');
    expect((await runCliInProcess(['train', '--data', trainPath, '--layers', '4,32,32,3', '--activation', 'relu', '--init', 'he-normal', '--epochs', '0', '--out', made])).code).toBe(0);
    const flags = ['study', '--model', made, '--data', trainPath, '--test-data', testPath, '--optimizer', 'adam', '--learning-rate', '0.01', '--epochs', '60', '--batch-size', '24'];
    const run = await runCliInProcess(flags);
    expect(run.code).toBe(0);
    expect(flat(run.stdout)).toContain(`Loss and accuracy on the 60 rows of ${testPath}, from start to end:`);
    expect(flat(run.stdout)).toContain("the likely cause is overfitting, not the learning rate: the training rows' loss did not rise while the test rows' did");
    const json = JSON.parse((await runCliInProcess([...flags, '--json'])).stdout);
    expect(json.trace.run.validation).toBe('other rows');
    expect(json.diagnosis.verdict).toBe('overfitting');
  });

  it('refuses held-out rows whose columns are not the training rows\', naming both files, before anything is written', async () => {
    const narrow = at('narrow.json');
    writeFileSync(narrow, JSON.stringify(noise(10, 5, 3)));
    const wide = at('wide.json');
    writeFileSync(wide, JSON.stringify(noise(10, 5, 4, 4)));
    for (const [file, columns] of [[narrow, '3 inputs and 3 targets'], [wide, '4 inputs and 4 targets']]) {
      const out = at('never.json');
      const run = await runCliInProcess(['train', '--data', trainPath, '--test-data', file, '--layers', '4,8,3', '--epochs', '1', '--out', out]);
      expect(run.stderr.trimEnd()).toBe(`gradscope: SHAPE_MISMATCH: --test-data ${file}: its rows have ${columns}, but --data ${trainPath}'s have 4 inputs and 3 targets: held-out rows take the training rows' columns`);
      expect(run.code).toBe(1);
      expect(run.stdout).toBe('');
      expect(existsSync(out)).toBe(false);
    }
  });

  it('is refused without --data and when it names the --data file (exit 2), and a bad value in it names the file', async () => {
    const alone = await runCliInProcess(['train', '--test-data', testPath, '--epochs', '1']);
    expect(alone.stderr).toMatch(/^gradscope: --test-data \S+ holds held-out rows for a --data file: give the training rows with --data FILE/);
    expect(alone.code).toBe(2);
    const same = await runCliInProcess(['study', '--model', at('made.json'), '--data', trainPath, '--test-data', trainPath]);
    expect(same.stderr).toMatch(/^gradscope: --test-data \S+ names the --data file: held-out rows are rows the network does not train on/);
    expect(same.code).toBe(2);
    const bad = at('bad.json');
    writeFileSync(bad, JSON.stringify({ inputs: [[1, 2, 3, null]], targets: [[1, 0, 0]] }));
    const run = await runCliInProcess(['train', '--data', trainPath, '--test-data', bad, '--epochs', '1']);
    expect(run.stderr).toContain(bad);
    expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(run.code).toBe(1);
  });
});
