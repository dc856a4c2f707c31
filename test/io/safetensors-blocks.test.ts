// safetensors for block networks: the bytes follow the published layout (u64 LE header length,
// JSON header, data offsets that tile the buffer, every tensor aligned to its element size), the
// tensors are PyTorch's state_dict of the module in __metadata__["pytorch"] (checked by parsing the
// expression and walking it as PyTorch would, module by module), block models round-trip exactly,
// and every damaged or mismatched file is refused with BAD_MODEL_FILE naming the tensor or field.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GradscopeError } from '../../src/errors.js';
import { Rng } from '../../src/init/rng.js';
import { LEAKY_RELU_SLOPE, type OutputActivation } from '../../src/kernels.js';
import type { BlockModelData } from '../../src/layers/block-model.js';
import { moduleIndices } from '../../src/layers/block-layout.js';
import type { CheckedSpec } from '../../src/layers/spec.js';
import { PYTORCH_RESIDUAL_CLASS } from '../../src/io/pytorch-module.js';
import { fromSafetensors, toSafetensors } from '../../src/io/safetensors.js';
import { denseAsBlockModel } from '../../src/io/model-data.js';
import type { ModelData } from '../../src/network/model-file.js';
import { blockModelFromSafetensors } from '../../src/io/safetensors-blocks.js';
import { encodeSafetensors } from '../../src/io/safetensors-format.js';
import { blockModelOf, EXAMPLE_SPECS, randomBlockModel } from '../util/block-model.js';
import { expectError } from '../util/expect-error.js';
import { moduleTree, parseCall, type ActivationModule } from '../util/torch-module-tree.js';
import { withSpecHeader } from '../util/safetensors-spec.js';

const example = () => blockModelOf(EXAMPLE_SPECS, 4, 'cross-entropy', 7);

/** The file read by hand from the spec: header length, header, and each tensor's absolute byte range. */
function readByHand(bytes: Uint8Array) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let n = 0;
  for (let i = 7; i >= 0; i--) n = n * 256 + bytes[i];
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n)));
  return { view, n, start: 8 + n, header: header as Record<string, { dtype: string; shape: number[]; data_offsets: [number, number] }> & { __metadata__: Record<string, string> } };
}

/** PyTorch's module for each activation, from PyTorch's documentation (the oracle's table, not the writer's). */
const TORCH_CLASS: Record<OutputActivation, string> = {
  sigmoid: 'nn.Sigmoid', tanh: 'nn.Tanh', relu: 'nn.ReLU', 'leaky-relu': 'nn.LeakyReLU',
  softsign: 'nn.Softsign', selu: 'nn.SELU', linear: 'nn.Identity', softmax: 'nn.Softmax',
};

/** Where each activation of the specs sits in the module tree, and which it is. */
function expectedActivations(specs: readonly CheckedSpec[], prefix = ''): { path: string; activation: OutputActivation }[] {
  const index = moduleIndices(specs);
  return specs.flatMap((spec, i) => {
    if (spec.type === 'dense') return [{ path: `${prefix}${index[i] + 1}`, activation: spec.activation }];
    if (spec.type === 'activation') return [{ path: `${prefix}${index[i]}`, activation: spec.activation }];
    if (spec.type === 'residual') return expectedActivations(spec.layers, `${prefix}${index[i]}.branch.`);
    return [];
  });
}

function checkActivationModule(found: ActivationModule, activation: OutputActivation): void {
  expect(found.module, found.path).toBe(TORCH_CLASS[activation]);
  if (activation === 'leaky-relu') expect(found.args).toEqual([LEAKY_RELU_SLOPE]);
  else if (activation === 'softmax') expect([found.args, found.kwargs]).toEqual([[], { dim: -1 }]);
  else expect([found.args, found.kwargs]).toEqual([[], {}]);
}

/** The PyTorch module the file's metadata builds holds exactly the file's tensors, module by module, and computes what the specs say. */
function checkPytorchModule(bytes: Uint8Array, model: BlockModelData): void {
  const { header } = readByHand(bytes);
  const tree = moduleTree(parseCall(header.__metadata__.pytorch), model.inputs);
  const inFile = Object.entries(header).filter(([k]) => k !== '__metadata__').map(([name, e]) => ({ name, shape: e.shape, dtype: e.dtype }));
  expect(inFile).toEqual(tree.entries); // names, shapes, dtypes and state_dict order: a strict load_state_dict takes them
  const wanted = expectedActivations(model.layers);
  expect(tree.activations.map((a) => a.path)).toEqual(wanted.map((w) => w.path));
  tree.activations.forEach((found, i) => checkActivationModule(found, wanted[i].activation));
}

describe('safetensors of block networks: bytes', () => {
  it('follows the published layout: 8-byte LE length, aligned data, offsets that tile the buffer, I64 counters of shape []', () => {
    const model = example();
    const bytes = toSafetensors(model);
    const { view, n, start, header } = readByHand(bytes);
    expect(start % 8).toBe(0);
    expect(bytes.length - start).toBe(model.tensors.reduce((sum, t) => sum + (t.dtype === 'i64' ? 8 : 4) * t.values.length, 0));
    const ranges = model.tensors.map((t) => header[t.name].data_offsets).sort((a, b) => a[0] - b[0]);
    ranges.reduce((end, [begin, stop]) => (expect(begin).toBe(end), stop), 0);
    expect(Object.keys(header).filter((k) => k !== '__metadata__')).toEqual(model.tensors.map((t) => t.name));
    for (const t of model.tensors) {
      const entry = header[t.name];
      const [begin] = entry.data_offsets;
      expect(entry.shape, t.name).toEqual(t.shape);
      if (t.dtype === 'i64') {
        expect(t.name).toMatch(/num_batches_tracked$/);
        expect([entry.dtype, entry.shape]).toEqual(['I64', []]);
        expect((start + begin) % 8, `${t.name} aligned`).toBe(0);
        expect(view.getBigInt64(start + begin, true)).toBe(BigInt(t.values[0]));
      } else {
        expect(entry.dtype).toBe('F32');
        expect((start + begin) % 4, `${t.name} aligned`).toBe(0);
        const values = Array.from(t.values, (_, i) => view.getFloat32(start + begin + 4 * i, true));
        expect(values, t.name).toEqual(Array.from(t.values));
      }
    }
    expect(n).toBeGreaterThan(0);
  });

  it('records what gradscope and PyTorch need in __metadata__', () => {
    const model = example();
    const { header } = readByHand(toSafetensors(model));
    const meta = header.__metadata__;
    expect(meta).toMatchObject({ format: 'gradscope.model', version: '2', loss: 'cross-entropy', inputs: '4', pytorch_residual: PYTORCH_RESIDUAL_CLASS });
    expect(JSON.parse(meta.layers)).toEqual(model.layers);
    const plain = blockModelOf([{ type: 'dense', units: 3, activation: 'relu' }, { type: 'batch-norm' }], 2, 'mse');
    expect(readByHand(toSafetensors(plain)).header.__metadata__.pytorch_residual).toBeUndefined();
  });
});

describe('safetensors of block networks: the PyTorch module in __metadata__["pytorch"]', () => {
  it('builds, for the example network, a module whose state_dict is the file, module by module', () => {
    const model = example();
    const bytes = toSafetensors(model);
    checkPytorchModule(bytes, model);
    expect(readByHand(bytes).header.__metadata__.pytorch).toBe(
      'nn.Sequential(nn.Linear(4, 6), nn.ReLU(), nn.BatchNorm1d(6), Residual(nn.Sequential(nn.Linear(6, 6), nn.Tanh(), nn.LayerNorm(6)), gate="rezero"), ' +
        'nn.LayerNorm(6), nn.SELU(), Residual(nn.Sequential(nn.BatchNorm1d(6), Residual(nn.Sequential(nn.Linear(6, 6), nn.LeakyReLU(0.01)), gate="rezero"))), ' +
        'nn.Linear(6, 3), nn.Softmax(dim=-1))',
    );
  });

  it('does so for 100 random block networks', () => {
    const rng = new Rng(31);
    for (let i = 0; i < 100; i++) {
      const model = randomBlockModel(rng, { maxLayers: 6, maxWidth: 5, minBatch: 1, maxBatch: 1 });
      checkPytorchModule(toSafetensors(model), model);
    }
  });

  it('the oracle itself catches a wrong width, a misnamed tensor and a name outside nn, torch and Residual', () => {
    expect(() => moduleTree(parseCall('nn.Sequential(nn.Linear(4, 6), nn.LayerNorm(5))'), 4)).toThrow(/1: takes 5 features but gets 6/);
    expect(() => parseCall('os.system("x")')).toThrow(/os\.system is not a name over nn, torch, Residual/);
    expect(moduleTree(parseCall('Residual(nn.Sequential(nn.BatchNorm1d(2)), gate="rezero")'), 2).entries.map((e) => e.name)).toEqual([
      'alpha', 'branch.0.weight', 'branch.0.bias', 'branch.0.running_mean', 'branch.0.running_var', 'branch.0.num_batches_tracked',
    ]);
  });
});

describe('safetensors of block networks: reading back', () => {
  it('round-trips the example and 100 random block networks exactly', () => {
    expect(blockModelFromSafetensors(toSafetensors(example()))).toEqual(example());
    const rng = new Rng(32);
    for (let i = 0; i < 100; i++) {
      const model = randomBlockModel(rng, { maxLayers: 6, maxWidth: 5, minBatch: 1, maxBatch: 1 });
      expect(blockModelFromSafetensors(toSafetensors(model))).toEqual(model);
    }
  });

  it('gives a model or a BAD_MODEL_FILE, never another error, for any truncation or byte change', () => {
    const good = toSafetensors(example());
    fc.assert(
      fc.property(fc.nat(good.length), fc.array(fc.tuple(fc.nat(good.length - 1), fc.integer({ min: 0, max: 255 })), { maxLength: 4 }), (cut, changes) => {
        const bytes = good.slice(0, cut);
        for (const [at, value] of changes) if (at < bytes.length) bytes[at] = value;
        try {
          const model = blockModelFromSafetensors(bytes);
          expect(model.tensors.every((t) => t.values.every(Number.isFinite))).toBe(true);
        } catch (error) {
          expect(error).toBeInstanceOf(GradscopeError);
          expect((error as GradscopeError).code).toBe('BAD_MODEL_FILE');
        }
      }),
      { numRuns: 500, seed: 9 },
    );
  });

  /** The example file with its header edited (tensor bytes re-laid out by writing a model with the same edit where needed). */
  function edited(edit: (header: Record<string, any>) => void, model = example()): Uint8Array {
    const bytes = toSafetensors(model);
    const { header } = readByHand(bytes);
    edit(header);
    return withSpecHeader(bytes, header);
  }

  it('refuses mismatched files, naming the tensor or field', async () => {
    const bad = (bytes: Uint8Array, where: RegExp) => expectError(() => blockModelFromSafetensors(bytes), 'BAD_MODEL_FILE', where);
    await bad(edited((h) => ((h['2.running_var'].shape = [2, 3]))), /^2\.running_var: shape \[2, 3\] should be \[6\]/);
    await bad(edited((h) => ((h['3.alpha'].shape = [1]))), /^3\.alpha: shape \[1\] should be \[\]/);
    await bad(edited((h) => ((h['2.num_batches_tracked'].dtype = 'F64'))), /^2\.num_batches_tracked\.dtype: F64 where PyTorch's I64 belongs/);
    await bad(edited((h) => ((h['9.weight'] = h['7.weight']), delete h['7.weight'])), /^7\.weight: missing/);
    await bad(edited((h) => ((h.__metadata__.loss = 'mse'))), /^__metadata__\.loss: a softmax output goes with loss 'cross-entropy', not 'mse'/);
    await bad(edited((h) => ((h.__metadata__.layers = JSON.stringify([...JSON.parse(h.__metadata__.layers), { type: 'layer-norm' }])))), /^__metadata__\.layers\[6\]: softmax only as the output layer/);
    await bad(edited((h) => ((h.__metadata__.layers = h.__metadata__.layers.replace('"units":3', '"units":0')))), /^__metadata__\.layers\[6\]\.units/);
    await bad(edited((h) => ((h.__metadata__.layers = '[{'))), /^__metadata__\.layers: not valid JSON/);
    await bad(edited((h) => delete h.__metadata__.inputs), /^__metadata__\.inputs: missing/);
    await bad(edited((h) => ((h.__metadata__.inputs = '5'))), /^7\.weight|^0\.weight: shape \[6, 4\] should be \[6, 5\]/);
    await bad(edited((h) => ((h.__metadata__.version = '3'))), /^__metadata__\.version: this gradscope reads versions 1 and 2, got "3"/);
    // Tensors the specs do not have: the layer norm taken out of the metadata, its tensors kept.
    const normed = blockModelOf([{ type: 'dense', units: 3, activation: 'relu' }, { type: 'layer-norm' }], 2, 'mse');
    const withoutNorm = JSON.stringify([{ type: 'dense', units: 3, activation: 'relu' }]);
    await bad(edited((h) => ((h.__metadata__.layers = withoutNorm)), normed), /^2\.weight: is not a tensor of the layers$/);
  });

  it('refuses a negative counter, a non-finite value and a negative variance, by name', async () => {
    const model = example();
    const counter = model.tensors.find((t) => t.dtype === 'i64')!;
    const bytes = toSafetensors(model);
    const { view, start, header } = readByHand(bytes);
    view.setBigInt64(start + header[counter.name].data_offsets[0], -3n, true);
    await expectError(() => blockModelFromSafetensors(bytes), 'BAD_MODEL_FILE', new RegExp(`^${counter.name.replace(/\./g, '\\.')}\\[0\\]: -3 is not a count`));
    const again = toSafetensors(model);
    const file = readByHand(again);
    file.view.setFloat32(file.start + file.header['4.bias'].data_offsets[0] + 4, NaN, true);
    await expectError(() => blockModelFromSafetensors(again), 'BAD_MODEL_FILE', /^4\.bias\[1\]: NaN is not a finite number/);
    const negative = toSafetensors(model);
    const third = readByHand(negative);
    third.view.setFloat32(third.start + third.header['2.running_var'].data_offsets[0] + 8, -0.5, true);
    await expectError(() => blockModelFromSafetensors(negative), 'BAD_MODEL_FILE', /^2\.running_var\[2\]: -0\.5 is negative: a variance is ≥ 0/);
  });

  it('sends a block file away from the dense reader; the block reader takes a dense chain by its expression, and no file without one', async () => {
    await expectError(() => fromSafetensors(toSafetensors(example())), 'BAD_MODEL_FILE', /holds a block network .*blockModelFromSafetensors/);
    // A dense chain is a block network too: its file's pytorch expression reads it as one.
    const chain: ModelData = { loss: 'mse', sizes: [2, 3], activations: ['tanh'], weights: [Float32Array.of(1, 2, 3, 4, 5, 6)], biases: [Float32Array.of(-1, 0, 1)] };
    expect(blockModelFromSafetensors(toSafetensors(chain))).toEqual(denseAsBlockModel(chain));
    const { pytorch: _, ...bare } = readByHand(toSafetensors(chain)).header.__metadata__;
    await expectError(() => blockModelFromSafetensors(edited((h) => (h.__metadata__ = bare), example())), 'BAD_MODEL_FILE', /^__metadata__: not gradscope's for a block network.*no \{ pytorch \} module expression.*fromSafetensors/);
  });

  it("refuses a block network's state_dict that PyTorch saved itself (no layers in __metadata__), naming the first tensor a dense chain lacks", async () => {
    // nn.Sequential(nn.Linear(2, 3), nn.BatchNorm1d(3), nn.ReLU()).state_dict(), as save_file writes it.
    const tensors = [
      { name: '0.weight', dtype: 'F32' as const, shape: [3, 2], values: new Float32Array(6) },
      { name: '0.bias', dtype: 'F32' as const, shape: [3], values: new Float32Array(3) },
      ...['weight', 'bias', 'running_mean', 'running_var'].map((t) => ({ name: `1.${t}`, dtype: 'F32' as const, shape: [3], values: new Float32Array(3).fill(1) })),
      { name: '1.num_batches_tracked', dtype: 'I64' as const, shape: [], values: [7] },
    ];
    const bytes = encodeSafetensors({ format: 'pt' }, tensors);
    // The dense reader names the module's tensors and the expression that reads them (newuser43 #15), which does.
    const refusal = await expectError(() => fromSafetensors(bytes, { activation: 'relu', output: 'linear', loss: 'mse' }), 'BAD_MODEL_FILE', /^1\.running_mean: /);
    expect(refusal.message).toBe(
      "1.running_mean: a BatchNorm1d module's tensors (1.weight, 1.bias, 1.running_mean, 1.running_var, 1.num_batches_tracked), which a chain of dense layers does not hold (its reader takes nn.Linear's <layer>.weight and <layer>.bias only); gradscope reads batch norm by the expression of the PyTorch module that saved it, blockModelFromSafetensors's { pytorch } (--pytorch), such as nn.Sequential(nn.Linear(…), nn.BatchNorm1d(…), nn.ReLU(), …); or make such a network in gradscope: train --norm batch-norm, or createNetwork(applyLayersChange(options, { norm: 'batch-norm' }))",
    );
    expect(blockModelFromSafetensors(bytes, { pytorch: 'nn.Sequential(nn.Linear(2, 3), nn.BatchNorm1d(3), nn.ReLU())', loss: 'mse' }).layers.map((layer) => layer.type)).toEqual(['dense', 'batch-norm', 'activation']);
    await expectError(() => blockModelFromSafetensors(bytes), 'BAD_MODEL_FILE', /^__metadata__: not gradscope's for a block network/);
    // A PyTorch class model's (fc1, bn1): no expression names a class's attributes, so the refusal says to save it as an nn.Sequential.
    const byClass = encodeSafetensors({ format: 'pt' }, tensors.map((t) => ({ ...t, name: t.name.replace(/^0\./, 'fc1.').replace(/^1\./, 'bn1.') })));
    await expectError(
      () => fromSafetensors(byClass, { activation: 'relu', output: 'linear', loss: 'mse' }),
      'BAD_MODEL_FILE',
      /^bn1\.running_mean: a BatchNorm1d module's tensors \(bn1\.weight, .*, whose tensors are named by the modules' indexes in the nn\.Sequential \(1\.running_mean\), not by a class's attributes \(bn1\): save the network as an nn\.Sequential, or rename its keys so; or make such a network in gradscope: train --norm batch-norm/,
    );
  });

  it('refuses to write inconsistent data (INVALID_OPTION naming the tensor), before writing anything', async () => {
    const model = example();
    model.tensors[3].values = new Float32Array(2);
    await expectError(() => toSafetensors(model), 'INVALID_OPTION', /^2\.bias: expected a Float32Array of 6 values, got 2 values/);
    const swapped = example();
    [swapped.tensors[0], swapped.tensors[1]] = [swapped.tensors[1], swapped.tensors[0]];
    await expectError(() => toSafetensors(swapped), 'INVALID_OPTION', /^model\.tensors\[0\] \(0\.bias\): the layers need 0\.weight \(float \[6, 4\]\) here/);
    const counted = example();
    counted.tensors.find((t) => t.dtype === 'i64')!.values[0] = 1.5;
    await expectError(() => toSafetensors(counted), 'INVALID_OPTION', /num_batches_tracked\[0\]: 1\.5 is not a count/);
  });
});
