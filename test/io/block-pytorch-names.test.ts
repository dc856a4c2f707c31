/**
 * A PyTorch block network's way in and back out keeps what the user wrote (session 46's left-alone 5, as newuser45 #16 for dense
 * chains): a state_dict of normalisation and residual modules read by its module expression (nn.Sequential's own indices, which
 * gradscope's differ from where a dense layer is followed by a norm; OrderedDict names; Dropout-shifted indices; a module prefix)
 * comes back out of toSafetensors under its own names, byte for byte the same tensors (BatchNorm1d's running statistics and count,
 * LayerNorm's, a Residual's gate and branch), through every holder of a block network (BlockModelData, the Network, the JSON model
 * file, JSON and binary checkpoints, gradscope's own safetensors file, training), with a module expression whose state_dict names
 * are those names. The record is data: refused, typed and named, before anything is built.
 */
import { describe, expect, it } from 'vitest';
import { expectSameTensors, readSpec } from '../util/safetensors-spec.js';
import { checkpointFromJSON, checkpointOf, checkpointToJSON, decodeCheckpoint, encodeCheckpoint, networkFromCheckpoint } from '../../src/io/checkpoint.js';
import { blockModelOf, networkFromModel } from '../../src/io/model-data.js';
import { pytorchBlockExpression } from '../../src/io/pytorch-module.js';
import { readSafetensors, toSafetensors } from '../../src/io/safetensors.js';
import { blockExportNotes, blockModelFromSafetensors } from '../../src/io/safetensors-blocks.js';
import { encodeSafetensors, type TensorToWrite } from '../../src/io/safetensors-format.js';
import { Network } from '../../src/api/network.js';
import { readModelJSON } from '../../src/network/model-file.js';
import type { BlockModelData } from '../../src/layers/block-model.js';
import { expectError } from '../util/expect-error.js';

/** A state_dict of `tensors` ([name, shape], an I64 count where the name says num_batches_tracked), keys in text order as save_file writes them. */
function stateDict(tensors: readonly [string, number[]][], metadata: Record<string, string> = { format: 'pt' }): Uint8Array {
  const written: TensorToWrite[] = tensors.map(([name, shape], k) => {
    const n = shape.reduce((a, b) => a * b, 1);
    if (name.endsWith('num_batches_tracked')) return { name, dtype: 'I64', shape, values: [110 + k] };
    const values = Float32Array.from({ length: n }, (_, i) => Math.fround(name.endsWith('running_var') ? 1 + 0.1 * i : 0.3 * Math.sin(11 * k + i) + 1e-9 * i));
    return { name, dtype: 'F32', shape, values };
  });
  written.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return encodeSafetensors(metadata, written);
}

const CASES: { title: string; expression: string; tensors: [string, number[]][]; written: string }[] = [
  {
    title: "nn.Sequential's indices with a norm after a Linear (gradscope's own would be 0, 2, 4)",
    expression: 'nn.Sequential(nn.Linear(4, 5), nn.BatchNorm1d(5), nn.ReLU(), nn.Linear(5, 3))',
    tensors: [['0.weight', [5, 4]], ['0.bias', [5]], ['1.weight', [5]], ['1.bias', [5]], ['1.running_mean', [5]], ['1.running_var', [5]], ['1.num_batches_tracked', []], ['3.weight', [3, 5]], ['3.bias', [3]]],
    written: 'nn.Sequential(nn.Linear(4, 5), nn.BatchNorm1d(5), nn.ReLU(), nn.Linear(5, 3))',
  },
  {
    title: 'OrderedDict names, a LayerNorm and Dropout',
    expression: 'nn.Sequential(OrderedDict(fc1=nn.Linear(4, 6), ln1=nn.LayerNorm(6), act=nn.Tanh(), drop=nn.Dropout(0.1), head=nn.Linear(6, 3), soft=nn.Softmax(dim=-1)))',
    tensors: [['fc1.weight', [6, 4]], ['fc1.bias', [6]], ['ln1.weight', [6]], ['ln1.bias', [6]], ['head.weight', [3, 6]], ['head.bias', [3]]],
    written: 'nn.Sequential(OrderedDict(fc1=nn.Linear(4, 6), ln1=nn.LayerNorm(6), ln1_tanh=nn.Tanh(), head=nn.Linear(6, 3), head_softmax=nn.Softmax(dim=-1)))',
  },
  {
    title: 'a module prefix, a ReZero residual block with a BatchNorm1d in its branch, and Dropout-shifted indices',
    expression: 'nn.Sequential(nn.Linear(4, 5), nn.ReLU(), nn.Dropout(0.2), Residual(nn.Sequential(nn.Linear(5, 5), nn.BatchNorm1d(5), nn.ReLU()), gate="rezero"), nn.Linear(5, 3))',
    tensors: [
      ['net.0.weight', [5, 4]], ['net.0.bias', [5]], ['net.3.alpha', []], ['net.3.branch.0.weight', [5, 5]], ['net.3.branch.0.bias', [5]], ['net.3.branch.1.weight', [5]], ['net.3.branch.1.bias', [5]],
      ['net.3.branch.1.running_mean', [5]], ['net.3.branch.1.running_var', [5]], ['net.3.branch.1.num_batches_tracked', []], ['net.4.weight', [3, 5]], ['net.4.bias', [3]],
    ],
    written: 'nn.Sequential(OrderedDict(net=nn.Sequential(nn.Linear(4, 5), nn.ReLU(), nn.Identity(), Residual(nn.Sequential(nn.Linear(5, 5), nn.BatchNorm1d(5), nn.ReLU()), gate="rezero"), nn.Linear(5, 3))))',
  },
];

describe("a block network's tensor names kept through the way back out", () => {
  it.each(CASES)('$title: import → export gives the same names and bytes, through every holder', async ({ expression, tensors, written }) => {
    const file = stateDict(tensors);
    const model = readSafetensors(file, { pytorch: expression, loss: 'cross-entropy' }) as BlockModelData;
    expect(model.kind).toBe('blocks');
    const names = tensors.map(([name]) => name);
    expect(model.pytorchModule!.tensorNames).toEqual(names);
    const metadata = expectSameTensors(toSafetensors(model), file, { expression: true });
    expect(metadata.pytorch).toBe(written);
    expect(blockExportNotes(model).filter((note) => note.includes('no "pytorch"'))).toEqual([]);
    // gradscope's own file of it reads back with the record, and writes the same bytes again.
    const again = blockModelFromSafetensors(toSafetensors(model));
    expect(again.pytorchModule).toEqual(model.pytorchModule);
    expect(toSafetensors(again)).toEqual(toSafetensors(model));
    for (const backend of ['ref', 'wasm'] as const) {
      const net = await networkFromModel(model, { backend });
      expect(net.pytorchModule).toEqual(model.pytorchModule);
      expectSameTensors(toSafetensors(net), file, { expression: true });
      const fromJson = await Network.fromJSON(JSON.parse(JSON.stringify(net.toJSON())), { backend });
      expectSameTensors(toSafetensors(fromJson), file, { expression: true });
      expect((readModelJSON(JSON.parse(JSON.stringify(net.toJSON()))) as BlockModelData).pytorchModule).toEqual(model.pytorchModule);
      const binary = await networkFromCheckpoint(decodeCheckpoint(encodeCheckpoint(checkpointOf(net))), { backend });
      expectSameTensors(toSafetensors(binary), file, { expression: true });
      const jsonCheckpoint = await networkFromCheckpoint(checkpointFromJSON(JSON.parse(JSON.stringify(checkpointToJSON(checkpointOf(net))))), { backend });
      expect(blockModelOf(jsonCheckpoint).pytorchModule).toEqual(model.pytorchModule);
      // Training moves the values, not the module's names.
      net.train([Array.from({ length: 4 }, (_, i) => i / 10), Array.from({ length: 4 }, (_, i) => 1 - i / 10)], [[1, 0, 0], [0, 0, 1]], { epochs: 1, learningRate: 0.1, batchSize: 2 });
      const trained = readSpec(toSafetensors(net));
      expect(trained.names).toEqual(readSpec(toSafetensors(model)).names);
      expect(trained.tensors.get(names[0])!.bytes).not.toEqual(readSpec(file).tensors.get(names[0])!.bytes);
      for (const other of [net, fromJson, binary, jsonCheckpoint]) other.dispose();
    }
  });

  it("gradscope's own names keep nothing, and write what they always did", () => {
    const expression = 'nn.Sequential(nn.Linear(4, 5), nn.Identity(), nn.LayerNorm(5), nn.Tanh(), nn.Linear(5, 3), nn.Softmax(dim=-1))';
    const file = stateDict([['0.weight', [5, 4]], ['0.bias', [5]], ['2.weight', [5]], ['2.bias', [5]], ['4.weight', [3, 5]], ['4.bias', [3]]]);
    const model = readSafetensors(file, { pytorch: expression, loss: 'cross-entropy' }) as BlockModelData;
    expect(model.pytorchModule).toBeUndefined();
    const metadata = expectSameTensors(toSafetensors(model), file, { expression: true });
    expect(metadata.pytorch).toBe(expression);
    expect(metadata.pytorchModule).toBeUndefined();
  });

  it('a module ending in logits without renamed tensors keeps only that: the expression written back has no softmax', () => {
    const file = stateDict([['0.weight', [5, 4]], ['0.bias', [5]], ['2.weight', [5]], ['2.bias', [5]], ['4.weight', [3, 5]], ['4.bias', [3]]]);
    const model = readSafetensors(file, { pytorch: 'nn.Sequential(nn.Linear(4, 5), nn.Identity(), nn.LayerNorm(5), nn.Tanh(), nn.Linear(5, 3))', loss: 'cross-entropy' }) as BlockModelData;
    expect(model.pytorchModule).toEqual({ logits: true });
    expect(expectSameTensors(toSafetensors(model), file, { expression: true }).pytorch).toBe('nn.Sequential(nn.Linear(4, 5), nn.Identity(), nn.LayerNorm(5), nn.Tanh(), nn.Linear(5, 3))');
    expect(blockExportNotes(model)).toEqual([]);
  });

  it('what no nn.Sequential builds is left out of the file, said why; the tensors keep their names', () => {
    const model = readSafetensors(stateDict(CASES[0].tensors), { pytorch: CASES[0].expression, loss: 'cross-entropy' }) as BlockModelData;
    const tensorNames = ['a.0.weight', 'a.0.bias', 'b.weight', 'b.bias', 'b.running_mean', 'b.running_var', 'b.num_batches_tracked', 'a.1.weight', 'a.1.bias'];
    expect(pytorchBlockExpression(model.layers, model.inputs, { tensorNames })).toEqual({ why: "the module a would run in two places: the network's modules are not in the order its containers run them" });
    const moved = { ...model, pytorchModule: { tensorNames } };
    expect(readSpec(toSafetensors(moved)).metadata.pytorch).toBeUndefined();
    expect(blockExportNotes(moved)).toEqual([expect.stringMatching(/^__metadata__ has no "pytorch" module expression: the module a would run in two places.*; the tensors keep the names of the module that saved them \(a\.0\.weight, a\.0\.bias, /)]);
  });
});

describe("a block network's record is data: checked before anything is built", () => {
  const model = () => readSafetensors(stateDict(CASES[0].tensors), { pytorch: CASES[0].expression, loss: 'cross-entropy' }) as BlockModelData;
  const names = CASES[0].tensors.map(([name]) => name);
  it.each([
    [{ tensorNames: names.slice(1) }, /^model\.pytorchModule\.tensorNames: lists 8 names for 9 tensors: one per tensor, in state_dict order$/],
    [{ tensorNames: names.map((n, i) => (i === 4 ? '1.running_var' : n)) }, /^model\.pytorchModule\.tensorNames\[4\]: "1\.running_var" names the tensor running_mean of gradscope's 2\.running_mean: expected <module>\.running_mean$/],
    [{ tensorNames: names.map((n, i) => (i === 1 ? '9.bias' : n)) }, /^model\.pytorchModule\.tensorNames\[1\]: "9\.bias" puts the tensors of one module under two module paths, or of two modules under one \(0 is "0"\)$/],
    [{ tensorNames: names.map((n, i) => (i === 2 ? '0.weight' : n)) }, /^model\.pytorchModule\.tensorNames\[2\]: "0\.weight" is model\.pytorchModule\.tensorNames\[0\] too/],
    [{ tensorNames: names.map((n, i) => (i === 0 ? 'a b.weight' : n)) }, /^model\.pytorchModule\.tensorNames\[0\]: "a b\.weight" is not a PyTorch tensor name/],
    [{ layerNames: ['0', '3'] }, /^model\.pytorchModule: .*layerNames/],
  ])('%j is refused: INVALID_OPTION by an exporter, BAD_MODEL_FILE by networkFromModel and in a file', async (record, message) => {
    const given = { ...model(), pytorchModule: record } as BlockModelData;
    await expectError(() => toSafetensors(given), 'INVALID_OPTION', message);
    await expectError(() => networkFromModel(given), 'BAD_MODEL_FILE', message);
    const net = await networkFromModel(model(), { backend: 'ref' });
    const file = { ...JSON.parse(JSON.stringify(net.toJSON())), pytorchModule: record };
    net.dispose();
    await expectError(() => readModelJSON(file), 'BAD_MODEL_FILE', message);
  });

  it("logits only where the network ends in a dense layer with a PyTorch logits loss's output", async () => {
    await expectError(() => toSafetensors({ ...model(), loss: 'mse', layers: [...model().layers.slice(0, -1), { type: 'dense', units: 3, activation: 'sigmoid' }], pytorchModule: { logits: true } } as BlockModelData), 'INVALID_OPTION', /^model\.pytorchModule\.logits: a module ending in logits is read with the output its PyTorch loss applies itself .*not sigmoid with mse$/);
  });

  it("gradscope's safetensors file with a record that does not fit its layers is refused", async () => {
    const written = readSpec(toSafetensors(model()));
    const metadata = { ...written.metadata, pytorchModule: JSON.stringify({ tensorNames: names.slice(2) }) };
    const file = encodeSafetensors(metadata, names.map((name) => ({ name, dtype: name.endsWith('tracked') ? 'I64' : 'F32', shape: written.tensors.get(name)!.shape, values: name.endsWith('tracked') ? [1] : new Float32Array(written.tensors.get(name)!.bytes.length / 4).fill(1) })));
    await expectError(() => blockModelFromSafetensors(file), 'BAD_MODEL_FILE', /^__metadata__\.pytorchModule\.tensorNames: lists 7 names for 9 tensors/);
  });
});
