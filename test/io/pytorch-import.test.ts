// A block network's state_dict that PyTorch saved itself reads into gradscope through the Python
// expression of its module: the specs come from the modules (an activation module right after an
// nn.Linear becomes its activation), the tensors from the module's own indices (which need no
// nn.Identity after a linear layer), renamed to gradscope's. gradscope's own files read back the
// same way through their `pytorch` metadata; modules gradscope would compute otherwise are refused,
// naming the module; and `gradscope convert --pytorch` does it on the command line.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/init/rng.js';
import { readModelFile } from '../../src/io/model-formats.js';
import { toSafetensors } from '../../src/io/safetensors.js';
import { blockModelFromSafetensors } from '../../src/io/safetensors-blocks.js';
import { encodeSafetensors, parseSafetensors, type TensorToWrite } from '../../src/io/safetensors-format.js';
import { checkLayerSpecs } from '../../src/layers/spec.js';
import { randomBlockModel } from '../util/block-model.js';
import { runCliInProcess } from '../util/cli.js';
import { expectError } from '../util/expect-error.js';
import { flat } from '../util/printed-text.js';

/** The module of a PyTorch user: BatchNorm1d right after a Linear (no Identity), ReLU in place, a ReZero block, Softmax over dim 1. */
const USER_MODULE =
  'nn.Sequential(nn.Linear(3, 4), nn.BatchNorm1d(4), nn.ReLU(inplace=True), ' +
  "Residual(nn.Sequential(nn.Linear(4, 4), nn.Tanh(), nn.LayerNorm(4)), gate='rezero'), nn.Linear(4, 2), nn.Softmax(dim=1))";

/** Its state_dict, as save_file writes it: each tensor filled with its own marker values. */
function userStateDict(): { bytes: Uint8Array; values: Map<string, Float32Array> } {
  const entries: [string, number[]][] = [
    ['0.weight', [4, 3]], ['0.bias', [4]],
    ['1.weight', [4]], ['1.bias', [4]], ['1.running_mean', [4]], ['1.running_var', [4]],
    ['3.alpha', []], ['3.branch.0.weight', [4, 4]], ['3.branch.0.bias', [4]], ['3.branch.2.weight', [4]], ['3.branch.2.bias', [4]],
    ['4.weight', [2, 4]], ['4.bias', [2]],
  ];
  const values = new Map<string, Float32Array>();
  const tensors: TensorToWrite[] = entries.map(([name, shape], t) => {
    const v = Float32Array.from({ length: shape.reduce((n, d) => n * d, 1) }, (_, i) => t + 1 + i / 100);
    values.set(name, v);
    return { name, dtype: 'F32', shape, values: v };
  });
  tensors.splice(6, 0, { name: '1.num_batches_tracked', dtype: 'I64', shape: [], values: [42] });
  values.set('1.num_batches_tracked', Float32Array.of(42));
  return { bytes: encodeSafetensors({ format: 'pt' }, tensors), values };
}

describe('reading a PyTorch state_dict of a block network by its module expression', () => {
  it('takes the specs from the modules and each tensor from its module index, renamed to gradscope names', () => {
    const { bytes, values } = userStateDict();
    const model = blockModelFromSafetensors(bytes, { pytorch: USER_MODULE, loss: 'cross-entropy' });
    expect(model.layers).toEqual(checkLayerSpecs([
      { type: 'dense', units: 4 },
      { type: 'batch-norm' },
      { type: 'activation', activation: 'relu' },
      { type: 'residual', gate: 'rezero', layers: [{ type: 'dense', units: 4, activation: 'tanh' }, { type: 'layer-norm' }] },
      { type: 'dense', units: 2, activation: 'softmax' },
    ], 3));
    const renamed: Record<string, string> = {
      '0.weight': '0.weight', '0.bias': '0.bias', // nn.Linear(3, 4), then gradscope's nn.Identity() at 1
      '2.weight': '1.weight', '2.bias': '1.bias', '2.running_mean': '1.running_mean', '2.running_var': '1.running_var', '2.num_batches_tracked': '1.num_batches_tracked',
      '4.alpha': '3.alpha', '4.branch.0.weight': '3.branch.0.weight', '4.branch.0.bias': '3.branch.0.bias', '4.branch.2.weight': '3.branch.2.weight', '4.branch.2.bias': '3.branch.2.bias',
      '5.weight': '4.weight', '5.bias': '4.bias',
    };
    expect(model.tensors.map((t) => t.name)).toEqual(Object.keys(renamed));
    for (const t of model.tensors) expect(t.values, t.name).toEqual(values.get(renamed[t.name]));
    expect([model.inputs, model.loss]).toEqual([3, 'cross-entropy']);
  });

  it('takes modules written torch.nn.X as nn.X, as a script that imports torch alone spells them', () => {
    const { bytes } = userStateDict();
    const spelled = USER_MODULE.replace(/\bnn\./g, 'torch.nn.');
    expect(spelled).not.toBe(USER_MODULE);
    expect(blockModelFromSafetensors(bytes, { pytorch: spelled, loss: 'cross-entropy' })).toEqual(blockModelFromSafetensors(bytes, { pytorch: USER_MODULE, loss: 'cross-entropy' }));
  });

  it("reads 100 random networks gradscope wrote through their pytorch metadata alone, to the same model", () => {
    const rng = new Rng(70);
    for (let i = 0; i < 100; i++) {
      const model = randomBlockModel(rng, { maxLayers: 6, maxWidth: 5, minBatch: 1, maxBatch: 1 });
      // A network of activation layers only has no module that says its width (and no tensor to read).
      if (model.tensors.length === 0) continue;
      const file = parseSafetensors(toSafetensors(model));
      const { pytorch, loss } = file.metadata;
      // Only what PyTorch's own save_file would keep: the tensors, and the expression and loss given as options.
      const tensors: TensorToWrite[] = file.entries.map((e) => {
        const t = model.tensors.find((x) => x.name === e.name)!;
        return { name: e.name, dtype: e.dtype as 'F32' | 'I64', shape: e.shape, values: t.values };
      });
      const foreign = encodeSafetensors({ format: 'pt' }, tensors);
      expect(blockModelFromSafetensors(foreign, { pytorch, loss: loss as typeof model.loss }), pytorch).toEqual(model);
    }
  });

  it('refuses what gradscope would compute otherwise, and malformed expressions, naming the module or the character', async () => {
    const { bytes } = userStateDict();
    const read = (pytorch: string) => () => blockModelFromSafetensors(bytes, { pytorch, loss: 'cross-entropy' });
    const swap = (from: string, to: string) => read(USER_MODULE.replace(from, to));
    await expectError(swap('nn.BatchNorm1d(4)', 'nn.BatchNorm1d(4, affine=False)'), 'INVALID_OPTION', /^pytorch option module 1: nn\.BatchNorm1d\(affine=False\): gradscope computes it with affine=True/);
    await expectError(swap('nn.BatchNorm1d(4)', 'nn.BatchNorm1d(4, momentum="x")'), 'INVALID_OPTION', /^pytorch option module 1: nn\.BatchNorm1d\(momentum="x"\): expected a number from 0 to 1 \(momentum=None, a cumulative average, is not offered\)/);
    await expectError(swap('nn.BatchNorm1d(4)', 'nn.BatchNorm1d(4, momentum=1.5)'), 'INVALID_OPTION', /momentum: expected a number from 0 to 1/);
    await expectError(swap('nn.BatchNorm1d(4)', 'nn.BatchNorm1d(4, eps=0)'), 'INVALID_OPTION', /epsilon: expected a number from 2⁻¹²⁶/);
    await expectError(swap('nn.BatchNorm1d(4)', 'nn.BatchNorm1d(4, 0.001)'), 'INVALID_OPTION', /^pytorch option module 1: nn\.BatchNorm1d with 2 positional arguments/);
    await expectError(swap('nn.ReLU(inplace=True)', 'nn.GELU()'), 'INVALID_OPTION', /^pytorch option module 2: nn\.GELU is not a module gradscope has \(.*; nn\.Dropout and nn\.AlphaDropout skipped\)$/);
    await expectError(swap('nn.ReLU(inplace=True)', 'nn.Dropout(1.5)'), 'INVALID_OPTION', /^pytorch option module 2: nn\.Dropout\(p=1\.5\): expected a probability from 0 to 1$/);
    await expectError(swap('nn.ReLU(inplace=True)', 'nn.Dropout(0.5, True, 3)'), 'INVALID_OPTION', /^pytorch option module 2: nn\.Dropout with 3 positional arguments/);
    await expectError(swap('nn.ReLU(inplace=True)', 'nn.AlphaDropout(p=0.5, seed=1)'), 'INVALID_OPTION', /^pytorch option module 2: nn\.AlphaDropout\(seed=…\) is not taken$/);
    await expectError(swap('nn.Tanh()', 'nn.LeakyReLU(0.2)'), 'INVALID_OPTION', /^pytorch option module 3\.branch\.1: nn\.LeakyReLU\(0\.2\): gradscope's leaky-relu has slope 0\.01/);
    // nn.Linear(bias=False) reads as a layer without a bias (test/io/pytorch-bias-free-blocks.test.ts): this state_dict holds its bias.
    await expectError(swap('nn.Linear(3, 4)', 'nn.Linear(3, 4, bias=False)'), 'INVALID_OPTION', /^0\.bias: is not a tensor of the layers/);
    await expectError(swap('nn.Linear(3, 4)', 'nn.Linear(3, 4, bias=1)'), 'INVALID_OPTION', /^pytorch option module 0: nn\.Linear\(bias=1\): expected True or False$/);
    await expectError(swap('nn.Linear(4, 2)', 'nn.Linear(5, 2)'), 'INVALID_OPTION', /^pytorch option module 4: takes 5 features but gets 4/);
    await expectError(swap('nn.Softmax(dim=1)', 'nn.Softmax(dim=0)'), 'INVALID_OPTION', /^pytorch option module 5: nn\.Softmax\(dim=0\)/);
    await expectError(swap("gate='rezero'", "gate='sigmoid'"), 'INVALID_OPTION', /^pytorch option module 3: gate: expected "none" or "rezero"/);
    await expectError(read('nn.Sequential(nn.Linear(3, 4) nn.ReLU())'), 'INVALID_OPTION', /^pytorch option: expected , or \) at character 30/);
    // Numbers float32 cannot hold, refused where they are written, not echoed back as Infinity or 0 by the option's check.
    await expectError(swap('nn.BatchNorm1d(4)', 'nn.BatchNorm1d(4, eps=1e400)'), 'INVALID_OPTION', /^pytorch option: 1e400 is Infinity in float32, which holds magnitudes up to 3\.4028235e\+38 \(float32's largest finite number\) at character \d+ \("1e400\)/);
    await expectError(swap('nn.Tanh()', 'nn.LeakyReLU(-1e400)'), 'INVALID_OPTION', /^pytorch option: -1e400 is -Infinity in float32, which holds magnitudes up to 3\.4028235e\+38 /);
    await expectError(swap('nn.BatchNorm1d(4)', 'nn.BatchNorm1d(4, eps=1e39)'), 'INVALID_OPTION', /^pytorch option: 1e39 is Infinity in float32/);
    await expectError(swap('nn.BatchNorm1d(4)', 'nn.BatchNorm1d(4, eps=1e-400)'), 'INVALID_OPTION', /^pytorch option: 1e-400 is 0 in float32, though not written as 0 at character/);
    // Keywords are the call's own: none found on Object.prototype (constructor), none dropped (__proto__), none given twice.
    await expectError(swap('nn.BatchNorm1d(4)', 'nn.BatchNorm1d(4, constructor=1)'), 'INVALID_OPTION', /^pytorch option module 1: nn\.BatchNorm1d\(constructor=…\) is not taken$/);
    await expectError(swap('nn.BatchNorm1d(4)', 'nn.BatchNorm1d(4, __proto__=nn.ReLU())'), 'INVALID_OPTION', /^pytorch option module 1: nn\.BatchNorm1d\(__proto__=…\) is not taken$/);
    await expectError(swap('nn.BatchNorm1d(4)', 'nn.BatchNorm1d(4, eps=0.001, eps=0.1)'), 'INVALID_OPTION', /^pytorch option: keyword argument eps repeated at character \d+/);
    await expectError(read('__import__("os")'), 'INVALID_OPTION', /^pytorch option: __import__ is not a name over nn, torch, Residual/);
    await expectError(read(`${'Residual('.repeat(300)}nn.Sequential()${')'.repeat(300)}`), 'INVALID_OPTION', /^pytorch option: calls nested deeper than 200/);
    await expectError(() => blockModelFromSafetensors(bytes, { pytorch: USER_MODULE }), 'BAD_MODEL_FILE', /^__metadata__: has no "loss"; pass \{ loss \}/);
    // Indices the expression does not give: gradscope's own layout (an nn.Identity after the Linear) for this user's file.
    await expectError(swap('nn.Linear(3, 4), ', 'nn.Linear(3, 4), nn.Identity(), '), 'INVALID_OPTION', /^2\.weight: missing: the layers need it \(shape \[4\]\)/);
  });

  it('gradscope convert --pytorch reads such a file', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'gradscope-pytorch-'));
    writeFileSync(join(folder, 'torch.safetensors'), userStateDict().bytes);
    const { code, stdout, stderr } = await runCliInProcess(['convert', join(folder, 'torch.safetensors'), join(folder, 'model.json'), '--pytorch', USER_MODULE, '--loss', 'cross-entropy']);
    expect([code, stderr]).toEqual([0, '']);
    expect(flat(stdout)).toContain('3 inputs → dense 4 linear → batch-norm → activation relu → residual rezero [dense 4 tanh → layer-norm] → dense 2 softmax, loss cross-entropy');
    expect(await readModelFile(join(folder, 'model.json'))).toEqual(blockModelFromSafetensors(userStateDict().bytes, { pytorch: USER_MODULE, loss: 'cross-entropy' }));
  });
});
