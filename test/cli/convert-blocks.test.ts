// `gradscope convert` of block networks between every pair of formats that can express them: a
// network with residual blocks through gradscope JSON and safetensors (and out to ONNX), one a
// Sequential can hold through tfjs as well; every file read back holds the very tensors of the
// original, and every ONNX file computes its eval-mode forward. A residual block asked of tfjs is
// refused in one line, writing nothing.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/init/rng.js';
import { createNetwork } from '../../src/api/network.js';
import { saveModel } from '../../src/io/files.js';
import { blockModelOf } from '../../src/io/model-data.js';
import { readModelFile, writeModelFile } from '../../src/io/model-formats.js';
import { toOnnx } from '../../src/io/onnx.js';
import { toSafetensors } from '../../src/io/safetensors.js';
import type { BlockModelData } from '../../src/layers/block-model.js';
import type { LayerSpec } from '../../src/layers/spec.js';
import { encodeSafetensors } from '../../src/io/safetensors-format.js';
import { tensorsToWrite } from '../../src/io/safetensors-blocks.js';
import { blockModelOf as randomModelOf, EXAMPLE_SPECS, evalForward, SEQUENTIAL_SPECS } from '../util/block-model.js';
import { runCliInProcess } from '../util/cli.js';
import { flat } from '../util/printed-text.js';
import { expectClose } from '../util/close.js';

const folder = mkdtempSync(join(tmpdir(), 'gradscope-convert-blocks-'));
const at = (name: string) => join(folder, name);

/** Each readable format and the name a file of it gets. */
const READABLE = { json: 'model.json', safetensors: 'model.safetensors', tfjs: 'tfjs/' } as const;
type Readable = keyof typeof READABLE;

async function expectComputes(onnxPath: string, model: BlockModelData, label: string): Promise<void> {
  const session = await ort.InferenceSession.create(readFileSync(onnxPath));
  const rng = new Rng(3);
  const x = Float32Array.from({ length: 4 * model.inputs }, () => rng.normal());
  const { output } = await session.run({ input: new ort.Tensor('float32', x, [4, model.inputs]) });
  expectClose(output.data as Float32Array, evalForward(model, x, 4), { abs: 1e-5, rel: 1e-5 }, label);
  await session.release();
}

const CASES: { name: string; model: BlockModelData; formats: Readable[] }[] = [
  { name: 'residual blocks (nested, ReZero)', model: randomModelOf(EXAMPLE_SPECS, 4, 'cross-entropy', 21), formats: ['json', 'safetensors'] },
  { name: 'a Sequential of every other block', model: randomModelOf(SEQUENTIAL_SPECS, 4, 'cross-entropy', 22), formats: ['json', 'safetensors', 'tfjs'] },
];

describe('gradscope convert of block networks', () => {
  it.each(CASES)('converts $name between every pair of formats that express it, keeping every tensor', async ({ name, model, formats }) => {
    const dir = at(name.replace(/\W+/g, '-'));
    for (const source of formats) {
      mkdirSync(join(dir, `from-${source}`), { recursive: true });
      const input = join(dir, `from-${source}`, READABLE[source]);
      await writeModelFile(model, input);
      expect(await readModelFile(input), `${source} as written`).toEqual(model);
      for (const target of [...formats.filter((f) => f !== source), 'onnx' as const]) {
        const output = join(dir, `from-${source}`, target === 'onnx' ? 'model.onnx' : `to-${READABLE[target]}`);
        const { code, stdout, stderr } = await runCliInProcess(['convert', input, output]);
        expect(stderr, `${source} → ${target}`).toBe('');
        expect(code).toBe(0);
        expect(flat(stdout)).toContain(`loss ${model.loss}`);
        if (target === 'onnx') await expectComputes(output, model, `${name}: ${source} → onnx`);
        else expect(await readModelFile(output), `${source} → ${target}`).toEqual(model);
      }
    }
  }, 120_000);

  it('refuses to write a residual block as tfjs, in one line, writing nothing', async () => {
    const input = at('residual.safetensors');
    await writeModelFile(CASES[0].model, input);
    const { code, stdout, stderr } = await runCliInProcess(['convert', input, at('refused/')]);
    expect([code, stdout]).toEqual([2, '']);
    expect(stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/^gradscope: INVALID_OPTION: .*layers\[2\]: a residual block cannot be written as a tfjs Sequential/);
    expect(existsSync(at('refused'))).toBe(false);
  });
});

describe("gradscope convert's import flags beside a block network's safetensors file", () => {
  // Its hidden layers use relu only (a residual branch's included), its output is softmax.
  const RELU_SPECS: LayerSpec[] = [
    { type: 'dense', units: 6, activation: 'relu' },
    { type: 'batch-norm' },
    { type: 'residual', layers: [{ type: 'dense', units: 6, activation: 'relu' }] },
    { type: 'dense', units: 3, activation: 'softmax' },
  ];
  const model = randomModelOf(RELU_SPECS, 4, 'cross-entropy', 23);
  const input = at('relu-blocks.safetensors');

  it.each([
    // Each was ignored: exit 0, the file's own activations written, as if the flag had not been given.
    ['--activation', 'tanh', /^gradscope: --activation tanh contradicts .*relu-blocks\.safetensors: its __metadata__\.layers \(hidden layers\) is relu \(leave --activation out, or give --activation relu\)$/],
    ['--output', 'sigmoid', /^gradscope: --output sigmoid contradicts .*relu-blocks\.safetensors: its __metadata__\.layers \(output layer\) is softmax \(leave --output out, or give --output softmax\)$/],
    ['--layers', '0,3', /^gradscope: --layers does not apply to .*relu-blocks\.safetensors: a block network gradscope wrote records its layers, their activations and their tensors' names in __metadata__\.layers$/],
    ['--pytorch', 'nn.Linear(4, 3)', /^gradscope: --pytorch does not apply to .*relu-blocks\.safetensors: a block network gradscope wrote records its layers/],
  ])('refuses %s %s, naming the file and what it records: one line, exit 2, nothing written', async (flag, value, pattern) => {
    if (!existsSync(input)) await writeModelFile(model, input);
    const output = at(`refused-${flag.slice(2)}.json`);
    const { code, stdout, stderr } = await runCliInProcess(['convert', input, output, flag, value]);
    expect([code, stdout]).toEqual([2, '']);
    expect(stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(stderr.trimEnd()).toMatch(pattern);
    expect(existsSync(output)).toBe(false);
  });

  it('takes the flags that agree with it, and names every hidden activation of a network that uses several, offering none to give', async () => {
    if (!existsSync(input)) await writeModelFile(model, input);
    const agreed = await runCliInProcess(['convert', input, at('agreed.json'), '--activation', 'relu', '--output', 'softmax', '--loss', 'cross-entropy']);
    expect([agreed.code, agreed.stderr]).toEqual([0, '']);
    expect(await readModelFile(at('agreed.json'))).toEqual(model);
    // EXAMPLE_SPECS: relu, then tanh in a residual branch, a selu layer and leaky-relu in a nested branch.
    await writeModelFile(CASES[0].model, at('mixed.safetensors'));
    const mixed = await runCliInProcess(['convert', at('mixed.safetensors'), at('mixed.json'), '--activation', 'relu']);
    expect(mixed.code).toBe(2);
    expect(mixed.stderr).toMatch(/^gradscope: --activation relu contradicts .*mixed\.safetensors: its __metadata__\.layers \(hidden layers\) is relu,tanh,selu,leaky-relu \(leave --activation out\)\n$/);
  });

  it("refuses --activation and --output beside --pytorch, whose module gives every layer's activation", async () => {
    // The same tensors as PyTorch's own save_file writes them: no gradscope metadata.
    writeFileSync(at('torch-blocks.safetensors'), encodeSafetensors({ format: 'pt' }, tensorsToWrite(model.tensors)));
    const module = 'nn.Sequential(nn.Linear(4, 6), nn.ReLU(), nn.BatchNorm1d(6), Residual(nn.Sequential(nn.Linear(6, 6), nn.ReLU())), nn.Linear(6, 3), nn.Softmax(dim=-1))';
    const read = await runCliInProcess(['convert', at('torch-blocks.safetensors'), at('torch.json'), '--pytorch', module, '--loss', 'cross-entropy']);
    expect([read.code, read.stderr]).toEqual([0, '']);
    expect(read.stdout).toContain('→ batch-norm → residual');
    // A norm's ε and momentum, where not the defaults, are in the summary (it read as the defaults).
    const settings = await runCliInProcess(['convert', at('torch-blocks.safetensors'), at('torch-settings.json'), '--pytorch', module.replace('nn.BatchNorm1d(6)', 'nn.BatchNorm1d(6, eps=1e-3, momentum=0.5)'), '--loss', 'cross-entropy']);
    expect([settings.code, settings.stderr]).toEqual([0, '']);
    expect(settings.stdout).toContain('→ batch-norm ε 0.001 momentum 0.5 → residual');
    // torch.nn.X is the same module as nn.X.
    const spelled = await runCliInProcess(['convert', at('torch-blocks.safetensors'), at('torch-spelled.json'), '--pytorch', module.replace(/\bnn\./g, 'torch.nn.'), '--loss', 'cross-entropy']);
    expect([spelled.code, spelled.stderr]).toEqual([0, '']);
    expect(await readModelFile(at('torch-spelled.json'))).toEqual(await readModelFile(at('torch.json')));
    for (const [flag, value] of [['--activation', 'relu'], ['--output', 'softmax'], ['--layers', '0,2']]) {
      const refused = await runCliInProcess(['convert', at('torch-blocks.safetensors'), at('torch-refused.json'), '--pytorch', module, '--loss', 'cross-entropy', flag, value]);
      expect([refused.code, refused.stdout], flag).toEqual([2, '']);
      expect(refused.stderr).toMatch(new RegExp(`^gradscope: ${flag} does not apply to .*torch-blocks\\.safetensors: the (module expression \\(pytorch option\\) gives every layer's activation|pytorch option's module expression names the tensors)`));
      expect(existsSync(at('torch-refused.json'))).toBe(false);
    }
  });
});

describe('mistakes in --pytorch and --layers are usage errors (exit 2, naming the flag), not failed work', () => {
  // They exited 1 as BAD_MODEL_FILE: the file was fine, the flag was not.
  const module = 'nn.Sequential(nn.Linear(4, 6), nn.ReLU(), nn.BatchNorm1d(6), Residual(nn.Sequential(nn.Linear(6, 6), nn.ReLU())), nn.Linear(6, 3), nn.Softmax(dim=-1))';
  it.each([
    ['a module gradscope does not compute', module.replace('nn.ReLU(), nn.BatchNorm1d', 'nn.GELU(), nn.BatchNorm1d'), /^gradscope: --pytorch module 1: nn\.GELU is not a module gradscope has/],
    ['an expression that does not parse', 'nn.Sequential(nn.Linear(4, 6) nn.ReLU())', /^gradscope: --pytorch: expected , or \) at character 30/],
    ['a number float32 cannot hold, in the flag\'s words', module.replace('nn.BatchNorm1d(6)', 'nn.BatchNorm1d(6, eps=1e400)'), /^gradscope: --pytorch: 1e400 is Infinity in float32, which holds magnitudes up to 3\.4028235e\+38 \(float32's largest finite number\) at character \d+/],
    ['a tensor the file does not hold', module.replace('nn.Linear(4, 6), ', 'nn.Linear(4, 6), nn.Identity(), '), /^gradscope: --pytorch does not fit .*torch-mistakes\.safetensors: 3\.weight: missing: the layers need it/],
  ])('--pytorch: %s', async (_, expression, message) => {
    const specs: LayerSpec[] = [{ type: 'dense', units: 6, activation: 'relu' }, { type: 'batch-norm' }, { type: 'residual', layers: [{ type: 'dense', units: 6, activation: 'relu' }] }, { type: 'dense', units: 3, activation: 'softmax' }];
    const model = randomModelOf(specs, 4, 'cross-entropy', 3);
    writeFileSync(at('torch-mistakes.safetensors'), encodeSafetensors({ format: 'pt' }, tensorsToWrite(model.tensors)));
    const run = await runCliInProcess(['convert', at('torch-mistakes.safetensors'), at('torch-mistakes.json'), '--pytorch', expression, '--loss', 'cross-entropy']);
    expect([run.code, run.stdout], run.stderr).toEqual([2, '']);
    expect(run.stderr).toMatch(message);
    expect(existsSync(at('torch-mistakes.json'))).toBe(false);
  });

  it('--layers naming a layer the file does not have, or leaving one out', async () => {
    const tensors = [
      { name: 'fc1.weight', dtype: 'F32' as const, shape: [3, 2], values: new Float32Array(6).fill(0.1) },
      { name: 'fc1.bias', dtype: 'F32' as const, shape: [3], values: new Float32Array(3) },
      { name: 'fc2.weight', dtype: 'F32' as const, shape: [1, 3], values: new Float32Array(3).fill(0.2) },
      { name: 'fc2.bias', dtype: 'F32' as const, shape: [1], values: new Float32Array(1) },
    ];
    writeFileSync(at('dense-fc.safetensors'), encodeSafetensors({ format: 'pt' }, tensors));
    for (const [layers, message] of [
      ['fc1,fc9', /^gradscope: --layers: "fc9" is not a layer of the file \(it has fc1 \[3, 2\], fc2 \[1, 3\]\)$/],
      ['fc1', /^gradscope: --layers: does not list the file's layer "fc2"$/],
    ] as const) {
      const run = await runCliInProcess(['convert', at('dense-fc.safetensors'), at('dense-fc.json'), '--layers', layers, '--loss', 'mse']);
      expect([run.code, run.stdout], run.stderr).toEqual([2, '']);
      expect(run.stderr.trimEnd()).toMatch(message);
    }
    const read = await runCliInProcess(['convert', at('dense-fc.safetensors'), at('dense-fc.json'), '--layers', 'fc1,fc2', '--loss', 'mse', '--activation', 'relu', '--output', 'linear']);
    expect([read.code, read.stderr]).toEqual([0, '']);
  });
});

describe('block networks saved by saveModel and exported from a Network', () => {
  it("converts a trained block network's binary checkpoint, keeping its running statistics, and exports the Network itself alike", async () => {
    const net = await createNetwork({ inputs: 4, layers: EXAMPLE_SPECS, loss: 'cross-entropy', backend: 'ref', seed: 4 });
    const rng = new Rng(8);
    const x = Array.from({ length: 16 }, () => Array.from({ length: 4 }, () => rng.normal()));
    const y = x.map((_, i) => [0, 1, 2].map((c) => (c === i % 3 ? 1 : 0)));
    net.train(x, y, { epochs: 2, batchSize: 8, optimizer: 'adam', learningRate: 0.01 });
    const model = blockModelOf(net);
    expect(model.tensors.find((t) => t.name === '2.num_batches_tracked')!.values[0]).toBe(4);
    await saveModel(net, at('trained.bin'));
    for (const output of ['trained.safetensors', 'trained.json', 'trained.onnx']) {
      const { code, stdout, stderr } = await runCliInProcess(['convert', at('trained.bin'), at(output)]);
      expect([code, stderr], output).toEqual([0, '']);
      // (Its line wraps at READING_WIDTH: read across its lines.)
      expect(flat(stdout)).toContain(': 4 inputs → dense 6 relu → batch-norm → residual rezero [dense 6 tanh → layer-norm] → layer-norm → activation selu → residual none [batch-norm → residual rezero [dense 6 leaky-relu]] → dense 3 softmax, loss cross-entropy');
    }
    expect(await readModelFile(at('trained.safetensors'))).toEqual(model);
    expect(await readModelFile(at('trained.json'))).toEqual(model);
    expect(toSafetensors(net)).toEqual(toSafetensors(model));
    expect(toOnnx(net)).toEqual(toOnnx(model));
    const session = await ort.InferenceSession.create(readFileSync(at('trained.onnx')));
    const { output } = await session.run({ input: new ort.Tensor('float32', Float32Array.from(x.flat()), [16, 4]) });
    expectClose(output.data as Float32Array, net.predict(x).flatMap((row) => Array.from(row)), { abs: 1e-5, rel: 1e-5 }, 'onnx vs predict');
    await session.release();
    net.dispose();
  }, 60_000);
});
