// One rule for import options beside what a safetensors file (or a tfjs model gradscope wrote) records, dense or block: an option that
// agrees is taken, one that contradicts the file is refused naming both values, and one the file
// gives no room for (a hidden activation of a one-layer model, a module expression or a layer order
// beside gradscope's own block metadata) is refused saying why; none is ignored in silence. Before
// this rule a block file took --activation, --output, --layers and --pytorch and kept its own.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ContradictedImportOption, UnreadImportOption, blockActivations } from '../../src/io/import-options.js';
import { fromSafetensors, readSafetensors, toSafetensors } from '../../src/io/safetensors.js';
import { blockModelFromSafetensors } from '../../src/io/safetensors-blocks.js';
import { encodeSafetensors } from '../../src/io/safetensors-format.js';
import { fromTfjsLayers, toTfjsLayers } from '../../src/io/tfjs-layers.js';
import { blockModelToTfjsLayers } from '../../src/io/tfjs-blocks.js';
import { blockModelFromTfjsLayers } from '../../src/io/tfjs-block-reader.js';
import { readModelFile, writeModelFile } from '../../src/io/model-formats.js';
import { createNetwork } from '../../src/api/network.js';
import type { ModelData } from '../../src/network/model-file.js';
import type { LayerSpec } from '../../src/layers/spec.js';
import { blockModelOf, EXAMPLE_SPECS } from '../util/block-model.js';
import { expectError } from '../util/expect-error.js';

const RELU_SPECS: LayerSpec[] = [
  { type: 'dense', units: 5, activation: 'relu' },
  { type: 'layer-norm' },
  { type: 'residual', gate: 'rezero', layers: [{ type: 'dense', units: 5, activation: 'relu' }] },
  { type: 'dense', units: 2, activation: 'softmax' },
];

/** What `call` throws (it must throw). */
function thrown(call: () => unknown): unknown {
  try {
    call();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

describe("blockActivations: what a block network's specs record, as the activation and output options say it", () => {
  it.each<[string, LayerSpec[], { hidden: string[]; output: string }]>([
    ['one relu, in and out of a residual branch', RELU_SPECS, { hidden: ['relu'], output: 'softmax' }],
    ['every kind, nested branches included, in order', EXAMPLE_SPECS, { hidden: ['relu', 'tanh', 'selu', 'leaky-relu'], output: 'softmax' }],
    ['a linear dense layer followed by its activation layer, the output an activation layer', [
      { type: 'dense', units: 4 },
      { type: 'activation', activation: 'tanh' },
      { type: 'dense', units: 3 },
      { type: 'activation', activation: 'softmax' },
    ], { hidden: ['tanh'], output: 'softmax' }],
    ['linear hidden layers only', [{ type: 'dense', units: 4 }, { type: 'batch-norm' }, { type: 'dense', units: 1 }], { hidden: ['linear'], output: 'linear' }],
    ['no hidden layer with units, a norm last', [{ type: 'dense', units: 3, activation: 'sigmoid' }, { type: 'layer-norm' }], { hidden: ['sigmoid'], output: 'linear' }],
    ['a lone output layer', [{ type: 'batch-norm' }, { type: 'dense', units: 2, activation: 'sigmoid' }], { hidden: [], output: 'sigmoid' }],
  ])('%s', (_label, specs, expected) => {
    expect(blockActivations(specs)).toEqual(expected);
  });
});

describe("a block network's safetensors file gradscope wrote, beside import options", () => {
  const bytes = toSafetensors(blockModelOf(RELU_SPECS, 3, 'cross-entropy', 5));

  it('takes options that agree with __metadata__.layers and gives the same model', () => {
    expect(blockModelFromSafetensors(bytes, { activation: 'relu', output: 'softmax', loss: 'cross-entropy' })).toEqual(blockModelFromSafetensors(bytes));
    expect(readSafetensors(bytes, { activation: 'relu', output: 'softmax' })).toEqual(blockModelFromSafetensors(bytes));
  });

  it('refuses an activation or output that contradicts it, naming the field and both values', () => {
    const hidden = thrown(() => readSafetensors(bytes, { activation: 'tanh' }));
    expect(hidden).toBeInstanceOf(ContradictedImportOption);
    expect(hidden).toMatchObject({ code: 'INVALID_OPTION', option: 'activation', given: 'tanh', field: '__metadata__.layers (hidden layers)', recorded: 'relu', single: true });
    expect((hidden as Error).message).toBe("activation option 'tanh' contradicts __metadata__.layers (hidden layers) 'relu', which the file records; leave the option out, or give 'relu'");
    expect(thrown(() => blockModelFromSafetensors(bytes, { output: 'sigmoid' }))).toMatchObject({ option: 'output', field: '__metadata__.layers (output layer)', recorded: 'softmax' });
    // Several hidden activations: no one value agrees, so none is offered.
    const mixed = thrown(() => blockModelFromSafetensors(toSafetensors(blockModelOf(EXAMPLE_SPECS, 4, 'cross-entropy', 6)), { activation: 'relu' }));
    expect(mixed).toMatchObject({ recorded: 'relu,tanh,selu,leaky-relu', single: false });
    expect((mixed as Error).message).toMatch(/which the file records; leave the option out$/);
  });

  it('refuses a module expression and a layer order, which its metadata records', () => {
    const pytorch = thrown(() => blockModelFromSafetensors(bytes, { pytorch: 'nn.Linear(3, 2)' }));
    expect(pytorch).toBeInstanceOf(UnreadImportOption);
    expect((pytorch as Error).message).toBe("the pytorch option does not apply: a block network gradscope wrote records its layers, their activations and their tensors' names in __metadata__.layers");
    expect(thrown(() => readSafetensors(bytes, { layers: ['0', '3'] }))).toMatchObject({ code: 'INVALID_OPTION', option: 'layers' });
  });
});

describe('the same rule for a dense chain and a module expression', () => {
  const oneLayer: ModelData = { loss: 'mse', sizes: [2, 1], activations: ['linear'], weights: [Float32Array.of(1, 2)], biases: [Float32Array.of(0)] };

  it('refuses a hidden activation for a one-layer model, with gradscope metadata or without (it was ignored)', async () => {
    await expectError(() => fromSafetensors(toSafetensors(oneLayer), { activation: 'relu' }), 'INVALID_OPTION', /^the activation option does not apply: the model has no hidden layer/);
    const plain = encodeSafetensors({ format: 'pt' }, [
      { name: 'fc.weight', dtype: 'F32', shape: [1, 2], values: Float32Array.of(1, 2) },
      { name: 'fc.bias', dtype: 'F32', shape: [1], values: Float32Array.of(0) },
    ]);
    await expectError(() => fromSafetensors(plain, { activation: 'relu', output: 'linear', loss: 'mse' }), 'INVALID_OPTION', /^the activation option does not apply: the model has no hidden layer/);
    expect(fromSafetensors(plain, { output: 'linear', loss: 'mse' }).activations).toEqual(['linear']);
  });

  it("refuses a module expression beside a dense chain's gradscope metadata (it read the tensors by the expression's activations)", async () => {
    const chain: ModelData = { loss: 'mse', sizes: [2, 3, 1], activations: ['tanh', 'linear'], weights: [new Float32Array(6), new Float32Array(3)], biases: [new Float32Array(3), new Float32Array(1)] };
    const expression = 'nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1), nn.Identity())';
    await expectError(() => readSafetensors(toSafetensors(chain), { pytorch: expression }), 'INVALID_OPTION', /^the pytorch option does not apply: a dense chain gradscope wrote records its layers and activations in __metadata__$/);
  });

  it("refuses an activation or output beside a module expression, which gives every layer's own", async () => {
    const model = blockModelOf(RELU_SPECS, 3, 'cross-entropy', 7);
    const plain = encodeSafetensors({ format: 'pt' }, model.tensors.map((t) => ({ name: t.name, dtype: t.dtype === 'i64' ? 'I64' : 'F32', shape: t.shape, values: t.values })));
    const expression = 'nn.Sequential(nn.Linear(3, 5), nn.ReLU(), nn.LayerNorm(5), Residual(nn.Sequential(nn.Linear(5, 5), nn.ReLU()), gate="rezero"), nn.Linear(5, 2), nn.Softmax(dim=-1))';
    expect(blockModelFromSafetensors(plain, { pytorch: expression, loss: 'cross-entropy' }).layers).toEqual(model.layers);
    await expectError(() => blockModelFromSafetensors(plain, { pytorch: expression, loss: 'cross-entropy', output: 'softmax' }), 'INVALID_OPTION', /^the output option does not apply: the module expression \(pytorch option\) gives every layer's activation$/);
    await expectError(() => readSafetensors(plain, { pytorch: expression, loss: 'cross-entropy', layers: ['0'] }), 'INVALID_OPTION', /^the layers option does not apply: the pytorch option's module expression names the tensors/);
  });
});

// json54 #3: a tfjs model gradscope wrote records its loss in userDefinedMetadata.gradscope, which won over a `{ loss }`
// option in silence; now the option is taken where it agrees and refused where it contradicts, as beside safetensors.
describe('a tfjs layers model gradscope wrote, beside the loss option', () => {
  const chainModel = async () => {
    const net = await createNetwork({ sizes: [3, 4, 2], activation: 'tanh', output: 'sigmoid', loss: 'mse', seed: 2, backend: 'ref' });
    const chain = toTfjsLayers(net);
    net.dispose();
    return chain;
  };
  // No residual block: a tfjs Sequential cannot hold one.
  const specs: LayerSpec[] = [{ type: 'dense', units: 5, activation: 'relu' }, { type: 'layer-norm' }, { type: 'dense', units: 2, activation: 'softmax' }];
  const blocks = blockModelToTfjsLayers(blockModelOf(specs, 3, 'cross-entropy', 5));
  const refusal = (given: string, recorded: string) => `loss option '${given}' contradicts userDefinedMetadata.gradscope.loss '${recorded}', which the file records; leave the option out, or give '${recorded}'`;

  it('takes a loss that agrees, the same model as without it', async () => {
    const chain = await chainModel();
    expect(fromTfjsLayers(chain.modelJson, chain.weightData, { loss: 'mse' })).toEqual(fromTfjsLayers(chain.modelJson, chain.weightData));
    expect(blockModelFromTfjsLayers(blocks.modelJson, blocks.weightData, { loss: 'cross-entropy' })).toEqual(blockModelFromTfjsLayers(blocks.modelJson, blocks.weightData));
  });

  it('refuses one that contradicts it, naming both, by every route', async () => {
    const chain = await chainModel();
    const chainRefused = thrown(() => fromTfjsLayers(chain.modelJson, chain.weightData, { loss: 'cross-entropy' }));
    expect(chainRefused).toBeInstanceOf(ContradictedImportOption);
    expect((chainRefused as Error).message).toBe(refusal('cross-entropy', 'mse'));
    expect(() => blockModelFromTfjsLayers(chain.modelJson, chain.weightData, { loss: 'cross-entropy' })).toThrow(refusal('cross-entropy', 'mse'));
    const blockRefused = thrown(() => blockModelFromTfjsLayers(blocks.modelJson, blocks.weightData, { loss: 'mse' }));
    expect(blockRefused).toBeInstanceOf(ContradictedImportOption);
    expect((blockRefused as Error).message).toBe(refusal('mse', 'cross-entropy'));
    const folder = mkdtempSync(join(tmpdir(), 'gradscope-tfjs-loss-'));
    await writeModelFile(blockModelOf(specs, 3, 'cross-entropy', 5), join(folder, 'blocks-tfjs/'));
    await expectError(() => readModelFile(join(folder, 'blocks-tfjs/'), { loss: 'mse' }), 'INVALID_OPTION', new RegExp(`${refusal('mse', 'cross-entropy').replace(/[.()]/g, '\\$&')}$`));
    expect(await readModelFile(join(folder, 'blocks-tfjs/'), { loss: 'cross-entropy' })).toEqual(await readModelFile(join(folder, 'blocks-tfjs/')));
  });
});
