// `gradscope gradients` equals net.gradients for a saved model (JSON or binary): a table of norms,
// everything with --json; bad input gets a one-line error.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createNetwork, Network } from '../../src/api/network.js';
import { runCli, runCliInProcess } from '../util/cli.js';
import { flat } from '../util/printed-text.js';
import { measuredRowsCases } from './measured-rows-cases.js';
import { namedGradientTable } from '../../src/cli/commands/gradients.js';
import { saveModel } from '../../src/io/files.js';
import type { ModelFile } from '../../src/network/model-file.js';
import { loadMnist } from '../../src/data/mnist.js';
import { STUDY_DIGITS } from '../../src/studies/study-defaults.js';
import { grouped } from '../../src/counted.js';

const folder = mkdtempSync(join(tmpdir(), 'gradscope-cli-'));
const file = (name: string, content: unknown) => {
  const path = join(folder, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
};

describe('gradscope gradients', async () => {
  const net = await createNetwork({ sizes: [3, 4, 2], activation: 'tanh', loss: 'cross-entropy', seed: 5 });
  const model = net.toJSON() as ModelFile;
  const data = { inputs: [[0.1, -0.2, 0.3], [1, 0.5, -1]], targets: [[1, 0], [0, 1]] };
  const modelPath = file('model.json', model);
  const dataPath = file('data.json', data);

  it.each(['wasm', 'ref'] as const)('prints the gradients of the mean loss (--backend %s)', async (backend) => {
    const { code, stdout, stderr } = runCli(['gradients', '--model', modelPath, '--data', dataPath, '--backend', backend, '--json']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const printed = JSON.parse(stdout);
    const expected = (await Network.fromJSON(model, { backend })).gradients(data.inputs, data.targets);
    expect(printed.loss).toBe(expected.loss);
    expect(printed.layers).toHaveLength(2);
    printed.layers.forEach((layer: { weights: number[][]; biases: number[] }, l: number) => {
      expect(layer.weights).toHaveLength(expected.layers[l].units);
      expect(layer.weights.flat()).toEqual(Array.from(expected.layers[l].weights));
      expect(layer.biases).toEqual(Array.from(expected.layers[l].biases));
    });
  });

  it.each([
    ['a missing model file', () => ['--model', join(folder, 'nope.json'), '--data', dataPath], /IO_ERROR: .*nope\.json: cannot read \(ENOENT/],
    ['a model that is not JSON', () => ['--model', file('broken.json', '{"format":'), '--data', dataPath], /BAD_MODEL_FILE: .*not valid JSON/],
    ['a model of the wrong format', () => ['--model', file('other.json', { format: 'keras' }), '--data', dataPath], /BAD_MODEL_FILE: .*other\.json: format: expected "gradscope.model"/],
    ['weights of the wrong shape', () => ['--model', file('shape.json', { ...model, layers: [{ ...model.layers[0], weights: model.layers[0].weights.slice(1) }, model.layers[1]] }), '--data', dataPath], /BAD_MODEL_FILE: .*shape\.json: layers\[0\]\.weights: expected 4 rows/],
    ['inputs of the wrong width', () => ['--model', modelPath, '--data', file('wide.json', { inputs: [[1, 2]], targets: [[1, 0]] })], /SHAPE_MISMATCH: \S*model\.json takes 3 inputs and gives 2 outputs, but \S*wide\.json's rows have 2 inputs and 2 targets: give a --data file whose rows fit it$/m],
    ['a null input (JSON.stringify writes NaN so)', () => ['--model', modelPath, '--data', file('nan.json', { inputs: [[1, 2, NaN]], targets: [[1, 0]] })], /BAD_DATA_FILE: .*nan\.json: inputs: row 0, column 2 is null, not a number \(JSON\.stringify writes NaN and ±Infinity as null; at line 1, column 17\)$/m],
    // A CSV said only 'not valid JSON at line 1, column 1: expected a value …, got 'x'': the refusal says what --data takes.
    ['a CSV data file', () => ['--model', modelPath, '--data', file('d.csv', 'x1,x2,x3,label\n1,2,3,0\n')], /BAD_DATA_FILE: \S*d\.csv: not valid JSON at line 1, column 1: .*; --data takes a JSON file, \{ "inputs": \[\[…\]\], "targets": \[\[…\]\] \} \(one list of numbers per row in each\), and reads no CSV$/m],
    ['a data file without targets', () => ['--model', modelPath, '--data', file('half.json', { inputs: [[1, 2, 3]] })], /BAD_DATA_FILE: .*"targets" must be a non-empty array/],
  ])('rejects %s with one line and exit 1', async (_what, args, message) => {
    const { code, stdout, stderr } = await runCliInProcess(['gradients', ...args()]);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toMatch(message);
    expect(stderr.trim().split('\n')).toHaveLength(1);
  });


  it('prints a table of the norms per layer, for a JSON or a binary checkpoint alike', async () => {
    const binaryPath = join(folder, 'model.gsc');
    await saveModel(net, binaryPath);
    const expected = net.gradients(data.inputs, data.targets);
    const runs = [await runCliInProcess(['gradients', '--model', modelPath, '--data', dataPath]), await runCliInProcess(['gradients', '--model', binaryPath, '--data', dataPath])];
    for (const { code, stdout, stderr } of runs) {
      expect(stderr).toBe('');
      expect(code).toBe(0);
      const lines = stdout.trimEnd().split('\n');
      // (The sentence wraps at READING_WIDTH, in a file too: read across its lines, up to the table.)
      const said = flat(stdout.split('\n\n')[0]);
      expect(said).toBe(`[3,4,2], loss cross-entropy: mean loss ${expected.loss.toPrecision(4)} on 2 rows of ${said.split(' rows of ')[1]}`);
      const row = (name: string) => lines.find((line) => line.startsWith(name))!.split(/\s{2,}/);
      expect(row('hidden 1 (tanh)').slice(1, 4)).toEqual(['4 × 3', expected.layers[0].weightNorm.toExponential(2), expected.layers[0].biasNorm.toExponential(2)]);
      expect(row('output (softmax)').slice(1, 4)).toEqual(['2 × 4', expected.layers[1].weightNorm.toExponential(2), expected.layers[1].biasNorm.toExponential(2)]);
    }
    expect(runs[1].stdout.split('\n\n').slice(1)).toEqual(runs[0].stdout.split('\n\n').slice(1));
  });

  // newuser40 (F11): the ratio column had no word on what it is, where `study --model` reads the same gap in words.
  it('says under the table what its ratio column is: each layer over the last hidden one, the gap the diagnosis reads', async () => {
    const deep = await createNetwork({ sizes: [3, 4, 5, 2], activation: 'tanh', loss: 'cross-entropy', seed: 5 });
    const deepPath = file('deep.json', deep.toJSON());
    const expected = deep.gradients(data.inputs, data.targets);
    deep.dispose();
    const { code, stdout } = await runCliInProcess(['gradients', '--model', deepPath, '--data', dataPath]);
    expect(code).toBe(0);
    const row = (name: string) => stdout.split('\n').find((line) => line.startsWith(name))!.trim().split(/\s{2,}/);
    expect(row('hidden 1 (tanh)')[4]).toBe(`${(expected.layers[0].biasNorm / expected.layers[1].biasNorm).toPrecision(3)}×`);
    expect(row('hidden 2 (tanh)')[4]).toBe('1.00×');
    expect(flat(stdout)).toContain(
      " ‖∂C/∂b‖ ÷ last hidden: each layer's ‖∂C/∂b‖ divided by hidden 2's, the last hidden layer's (plain SGD moves a bias by η·∂C/∂b, so it is how far a step moves the layer's biases beside that layer's); " +
        "the first hidden layer's is the gap over depth that `gradscope study --model`'s diagnosis reads, there over a training run's records, here at the model's weights.",
    );
    // No hidden layer, no ratio: no key.
    const flatNet = await createNetwork({ sizes: [3, 2], seed: 5 });
    const flatPath = file('no-hidden.json', flatNet.toJSON());
    flatNet.dispose();
    expect((await runCliInProcess(['gradients', '--model', flatPath, '--data', dataPath])).stdout).not.toContain('÷ last hidden:');
  });

  it('refuses a model whose weights are beyond RUNAWAY_PARAMETER, naming the file, the layer and the value (its gradients read 0)', async () => {
    const json = net.toJSON() as { layers: { weights: number[][] }[] };
    json.layers[1].weights = json.layers[1].weights.map((row) => row.map(() => 3e38));
    const overflowPath = file('overflow.json', json);
    const { code, stdout, stderr } = await runCliInProcess(['gradients', '--model', overflowPath, '--data', dataPath]);
    expect([code, stdout]).toEqual([1, '']);
    expect(stderr).toMatch(/^gradscope: BAD_MODEL_FILE: .*overflow\.json: layers\[1\]\.weights\[0\]\[0\]: 3e\+38 is beyond ±1\.80e\+16, the largest parameter training allows/);
  });

  it('says what is wrong with a model given as data, a folder given as the model, and a layer that is an array', async () => {
    const asData = await runCliInProcess(['gradients', '--model', modelPath, '--data', modelPath]);
    expect(asData.code).toBe(1);
    expect(asData.stderr).toMatch(/^gradscope: BAD_DATA_FILE: .*\.json: this is a model file, not data \(\{ "inputs": \[\[…\]\], "targets": \[\[…\]\] \}\)\n$/);
    const folder = join(dirname(modelPath), 'empty-folder');
    mkdirSync(folder);
    const asModel = await runCliInProcess(['gradients', '--model', folder, '--data', dataPath]);
    expect(asModel.code).toBe(1);
    expect(asModel.stderr).toContain(`${folder} is a folder, read as a tfjs model folder (its model.json and weight files): ${join(folder, 'model.json')}: cannot read`);
    const json = net.toJSON() as { layers: unknown[] };
    const arrayPath = file('array-layer.json', { ...json, layers: [[json.layers[0]], json.layers[1]] });
    const array = await runCliInProcess(['gradients', '--model', arrayPath, '--data', dataPath]);
    expect(array.stderr).toMatch(/array-layer\.json: layers\[0\]: expected an object, got an array\n$/);
  });

  it('counts one row in the singular', async () => {
    const onePath = file('one-row.json', { inputs: [data.inputs[0]], targets: [data.targets[0]] });
    const { code, stdout } = await runCliInProcess(['gradients', '--model', modelPath, '--data', onePath]);
    expect(code).toBe(0);
    expect(flat(stdout.split('\n\n')[0])).toMatch(/ on 1 row of .*one-row\.json\.$/);
  });
});

describe('gradscope gradients on the digits, without --data (as train, study --model and curvature)', async () => {
  // 784 inputs and 10 outputs: the digits' shape.
  const net = await createNetwork({ sizes: [784, 4, 10], activation: 'sigmoid', loss: 'cross-entropy', seed: 2 });
  const modelPath = file('digits-model.json', net.toJSON());

  it('measures on the first --train digits, the rows train trains on with the same --train', async () => {
    const { code, stdout, stderr } = await runCliInProcess(['gradients', '--model', modelPath, '--train', '30', '--json']);
    expect(code, stderr).toBe(0);
    const digits = await loadMnist({ train: 30, test: 0 });
    const expected = net.gradients(digits.train.x, digits.train.y);
    const printed = JSON.parse(stdout) as { loss: number; layers: { biases: number[] }[] };
    expect(printed.loss).toBe(expected.loss);
    expect(printed.layers.map((layer) => layer.biases)).toEqual(expected.layers.map((layer) => Array.from(layer.biases)));
  });

  it(`without --train, on the first ${grouped(STUDY_DIGITS.trainRows)} digits, and says so (grouped, as every count)`, async () => {
    const { code, stdout, stderr } = await runCliInProcess(['gradients', '--model', modelPath]);
    expect(code, stderr).toBe(0);
    const digits = await loadMnist({ train: STUDY_DIGITS.trainRows, test: 0 });
    const expected = net.gradients(digits.train.x, digits.train.y);
    expect(stdout.split('\n')[0]).toBe(`[784,4,10], loss cross-entropy: mean loss ${expected.loss.toPrecision(4)} on ${grouped(STUDY_DIGITS.trainRows)} digits (the mnist package).`);
  });

  measuredRowsCases('gradients', modelPath, file);
});

describe('gradscope gradients on a block network', async () => {
  const net = await createNetwork({ inputs: 3, seed: 5, layers: [{ type: 'dense', units: 4, activation: 'tanh' }, { type: 'batch-norm' }, { type: 'residual', gate: 'rezero', layers: [{ type: 'dense', units: 4, activation: 'relu' }] }, { type: 'dense', units: 2, activation: 'softmax' }] });
  const data = { inputs: [[0.1, -0.2, 0.3], [1, 0.5, -1], [0, 2, 1]], targets: [[1, 0], [0, 1], [1, 0]] };
  const modelPath = file('blocks.json', net.toJSON());
  const dataPath = file('blocks-data.json', data);
  const expected = net.gradients(data.inputs, data.targets);

  it('prints one row per tensor by its PyTorch name: shape and norm', async () => {
    const { code, stdout, stderr } = await runCliInProcess(['gradients', '--model', modelPath, '--data', dataPath]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const [sentence, table] = stdout.trimEnd().split('\n\n');
    expect(flat(sentence)).toBe(`3 inputs → dense 4 tanh → batch-norm → residual rezero [dense 4 relu] → dense 2 softmax, loss cross-entropy: mean loss ${expected.loss.toPrecision(4)} on 3 rows of ${dataPath}.`);
    const rows = table.split('\n').slice(2).map((line) => line.trim().split(/\s{2,}/));
    expect(rows.map((row) => row[0])).toEqual(Object.keys(expected.parameters));
    const shapes = Object.fromEntries(net.parameters().map((p) => [p.name, `[${p.shape.join(', ')}]`]));
    // An exact zero (a ReZero branch's weights while its α is 0) prints '0', not '0.00e+0' (edges47 #11).
    const normText = (g: ArrayLike<number>) => (Math.hypot(...Array.from(g)) === 0 ? '0' : Math.hypot(...Array.from(g)).toExponential(2));
    for (const [name, shape, norm] of rows) expect([shape, norm], name).toEqual([shapes[name], normText(expected.parameters[name])]);
    expect(rows.some(([, , norm]) => norm === '0')).toBe(true);
  });

  it('takes the norm of a tensor of any size (a spread into Math.hypot overflowed the call stack from ~125,000 entries)', () => {
    const g = new Float32Array(300_000).fill(1e-3);
    const table = namedGradientTable({ loss: 0, layers: [], parameters: { '0.weight': g } } as never, new Map([['0.weight', [300, 1000]]]));
    expect(table.split('\n').at(-1)!.trim().split(/\s{2,}/)).toEqual(['0.weight', '[300, 1000]', Math.sqrt(300_000 * Math.fround(1e-3) ** 2).toExponential(2)]);
  });

  it('prints every gradient by name with --json', async () => {
    const { code, stdout } = await runCliInProcess(['gradients', '--model', modelPath, '--data', dataPath, '--json']);
    expect(code).toBe(0);
    const printed = JSON.parse(stdout) as { loss: number; parameters: Record<string, number[]> };
    expect(printed.loss).toBe(expected.loss);
    expect(Object.keys(printed.parameters)).toEqual(Object.keys(expected.parameters));
    for (const [name, g] of Object.entries(expected.parameters)) expect(printed.parameters[name], name).toEqual(Array.from(g));
  });
});

describe('gradscope --help', () => {
  it('lists the commands, exactly as the README shows them', () => {
    const { code, stdout } = runCli(['--help']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/gradscope gradients --model M \[--data D\.json\] \[--train 9000\]/);
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    expect(readme).toContain(stdout.split('Usage:\n')[1]);
  });
});
