/**
 * A PyTorch model's way in and back out keeps what the user wrote (newuser45 #16): a state_dict whose dense layers are not
 * named as nn.Sequential's 0, 2, 4 (a module's attributes `hidden.0 … hidden.10, out`, saved in text order; Dropout-shifted
 * indices `0, 3, 6`; a module prefix `net.0`) comes back out of toSafetensors under its own names, byte for byte the same
 * tensors, through every holder of a dense chain (ModelData, the Network, the JSON model file, JSON and binary checkpoints,
 * training), with a module expression whose tensors are those names; a module read as ending in logits is written back so.
 * The names are data from a file: refused, typed and named, before anything is built.
 */
import { describe, expect, it } from 'vitest';
import { expectSameTensors, readSpec } from '../util/safetensors-spec.js';
import { GradscopeError } from '../../src/errors.js';
import { checkpointFromJSON, checkpointOf, checkpointToJSON, decodeCheckpoint, encodeCheckpoint, networkFromCheckpoint } from '../../src/io/checkpoint.js';
import { modelOf, networkFromModel } from '../../src/io/model-data.js';
import { pytorchDenseExpression } from '../../src/io/pytorch-module.js';
import { fromSafetensors, readSafetensors, safetensorsExportNotes, toSafetensors } from '../../src/io/safetensors.js';
import { encodeSafetensors, type TensorToWrite } from '../../src/io/safetensors-format.js';
import { Network } from '../../src/api/network.js';
import { modelFromJSON, type ModelData } from '../../src/network/model-file.js';
import { expectError } from '../util/expect-error.js';

/** A state_dict's tensors for dense layers named `names` of widths `sizes`, keys in `order` (default: text order, as save_file writes them). */
function stateDict(names: readonly string[], sizes: readonly number[], metadata: Record<string, string> = { format: 'pt' }): Uint8Array {
  const tensors: TensorToWrite[] = names.flatMap((name, l) => [
    { name: `${name}.weight`, dtype: 'F32' as const, shape: [sizes[l + 1], sizes[l]], values: Float32Array.from({ length: sizes[l] * sizes[l + 1] }, (_, i) => Math.fround(0.3 * Math.sin(11 * l + i) + 1e-9 * i)) },
    { name: `${name}.bias`, dtype: 'F32' as const, shape: [sizes[l + 1]], values: Float32Array.from({ length: sizes[l + 1] }, (_, i) => Math.fround(0.1 * Math.cos(5 * l + i))) },
  ]);
  tensors.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return encodeSafetensors(metadata, tensors);
}

const SIGMOID = { activation: 'sigmoid', output: 'softmax', loss: 'cross-entropy' } as const;
const CUSTOM = [...[0, 2, 4, 6, 8, 10].map((i) => `hidden.${i}`), 'out'];
const WIDTHS = [8, 32, 32, 32, 32, 32, 32, 3];

describe('tensor names kept through the way back out', () => {
  it.each([
    ["a module's attributes, hidden.0 … hidden.10 and out, saved in text order", CUSTOM, WIDTHS],
    ['Dropout-shifted indices 0, 3, 6', ['0', '3', '6'], [4, 5, 6, 3]],
    ['a module prefix, net.0 and net.2', ['net.0', 'net.2'], [4, 6, 3]],
    ['attributes fc1, fc2 (no expression needed a number)', ['fc1', 'fc2'], [4, 6, 3]],
  ])('%s: import → export gives the same names and bytes, through every holder of the chain', async (_, names, sizes) => {
    const file = stateDict(names, sizes);
    const model = fromSafetensors(file, { ...SIGMOID, ...(names === CUSTOM && { layers: CUSTOM }) });
    expect(model.pytorchModule).toEqual({ layerNames: names });
    expectSameTensors(toSafetensors(model), file);
    for (const backend of ['ref', 'wasm'] as const) {
      const net = await networkFromModel(model, { backend });
      expect(net.pytorchModule).toEqual({ layerNames: names });
      expectSameTensors(toSafetensors(net), file);
      // The JSON model file, and each checkpoint, keep them.
      const json = net.toJSON();
      expect('pytorchModule' in json && json.pytorchModule).toEqual({ layerNames: names });
      const fromJson = await Network.fromJSON(JSON.parse(JSON.stringify(json)), { backend });
      expectSameTensors(toSafetensors(fromJson), file);
      const binary = await networkFromCheckpoint(decodeCheckpoint(encodeCheckpoint(checkpointOf(net))), { backend });
      expectSameTensors(toSafetensors(binary), file);
      const jsonCheckpoint = await networkFromCheckpoint(checkpointFromJSON(JSON.parse(JSON.stringify(checkpointToJSON(checkpointOf(net))))), { backend });
      expect(modelOf(jsonCheckpoint).pytorchModule).toEqual({ layerNames: names });
      // Written back and read again by gradscope, the same names in the same order, whatever the shapes would say.
      expect(fromSafetensors(toSafetensors(net))).toMatchObject({ sizes, pytorchModule: { layerNames: names } });
      // Training moves the weights, not the module's names.
      net.train([Array.from({ length: sizes[0] }, (_, i) => i / 10)], [Array.from({ length: sizes.at(-1)! }, (_, i) => (i === 0 ? 1 : 0))], { epochs: 1, learningRate: 0.1 });
      expect([...readSpec(toSafetensors(net)).tensors.keys()].sort()).toEqual([...readSpec(file).tensors.keys()].sort());
      for (const other of [net, fromJson, binary, jsonCheckpoint]) other.dispose();
    }
  });

  it("nn.Sequential's own names keep nothing, and write what they always did", async () => {
    const file = stateDict(['0', '2'], [4, 6, 3]);
    const model = fromSafetensors(file, SIGMOID);
    expect(model.pytorchModule).toBeUndefined();
    const metadata = expectSameTensors(toSafetensors(model), file);
    expect(metadata.pytorch).toBe('nn.Sequential(nn.Linear(4, 6), nn.Sigmoid(), nn.Linear(6, 3), nn.Softmax(dim=-1))');
    expect(metadata.pytorchModule).toBeUndefined();
  });

  it('writes the module expression those names make: OrderedDict for named modules, nn.Identity() where the module held one of no tensors', () => {
    const chain = (names: string[], logits = false) => pytorchDenseExpression([4, 5, 6, 3], ['sigmoid', 'relu', 'softmax'], { layerNames: names, ...(logits && { logits: true as const }) });
    expect(chain(['0', '3', '6'])).toEqual({ expression: 'nn.Sequential(nn.Linear(4, 5), nn.Sigmoid(), nn.Identity(), nn.Linear(5, 6), nn.ReLU(), nn.Identity(), nn.Linear(6, 3), nn.Softmax(dim=-1))' });
    expect(chain(['hidden.0', 'hidden.2', 'out'], true)).toEqual({
      expression: 'nn.Sequential(OrderedDict(hidden=nn.Sequential(nn.Linear(4, 5), nn.Sigmoid(), nn.Linear(5, 6), nn.ReLU()), out=nn.Linear(6, 3)))',
    });
    expect(chain(['fc1', 'fc2', 'head'])).toEqual({ expression: 'nn.Sequential(OrderedDict(fc1=nn.Linear(4, 5), fc1_sigmoid=nn.Sigmoid(), fc2=nn.Linear(5, 6), fc2_relu=nn.ReLU(), head=nn.Linear(6, 3), head_softmax=nn.Softmax(dim=-1)))' });
    // What no nn.Sequential builds: said why.
    expect(chain(['layers.0', 'layers.1', 'layers.2'])).toEqual({ why: "no place is left for layers.0's nn.Sigmoid() between layers.0 and layers.1" });
    expect(chain(['a.0', 'b', 'a.2'])).toEqual({ why: "the dense layers' names (a.0, b, a.2) put them in another order in their modules (a.0, a.2, b)" });
    expect(chain(['net.0', 'net.head', 'x'])).toEqual({ why: 'the module net holds both numbered and named modules (0, head), which no nn.Sequential does' });
    expect(chain(['fc', 'in', 'out'])).toEqual({ why: 'the module name in is a Python keyword, which OrderedDict(…) cannot take by name' });
  });

  it('a module expression gradscope cannot write is left out, said why; the tensors keep their names', () => {
    const file = stateDict(['layers.0', 'layers.1', 'layers.2'], [4, 5, 6, 3]);
    const model = fromSafetensors(file, SIGMOID);
    const metadata = expectSameTensors(toSafetensors(model), file);
    expect(metadata.pytorch).toBeUndefined();
    expect(safetensorsExportNotes(model)).toEqual([
      `__metadata__ has no "pytorch" module expression: no place is left for layers.0's nn.Sigmoid() between layers.0 and layers.1; the tensors keep the names of the module that saved them (layers.0, layers.1, layers.2), which loads them`,
    ]);
  });
});

describe('a module ending in logits stays so on the way out', () => {
  const LOGITS = 'nn.Sequential(nn.Linear(4, 6), nn.Tanh(), nn.Dropout(p=0.2), nn.Linear(6, 3))';
  it('read by its module expression (Dropout skipped, noted): written back without the softmax module, under the module\'s names', async () => {
    const file = stateDict(['0', '3'], [4, 6, 3]);
    const model = readSafetensors(file, { pytorch: LOGITS, loss: 'cross-entropy' }) as ModelData;
    expect(model).toMatchObject({ sizes: [4, 6, 3], activations: ['tanh', 'softmax'], pytorchModule: { layerNames: ['0', '3'], logits: true } });
    expect(model.imported!.notes[0]).toBe('skipped nn.Dropout(p=0.2) module 2: the identity at inference (model.eval()), so gradients are those of the network without it');
    const metadata = expectSameTensors(toSafetensors(await networkFromModel(model, { backend: 'ref' })), file);
    expect(metadata.pytorch).toBe('nn.Sequential(nn.Linear(4, 6), nn.Tanh(), nn.Identity(), nn.Linear(6, 3))');
    expect(safetensorsExportNotes(model)).toEqual([]);
    // Read by --output softmax, nothing says the module ended in logits: the export says what it adds (logitsExportNote).
    const plain = fromSafetensors(file, { activation: 'tanh', output: 'softmax', loss: 'cross-entropy' });
    expect(safetensorsExportNotes(plain)).toEqual([expect.stringMatching(/^__metadata__\.pytorch ends in nn\.Softmax\(dim=-1\)/)]);
  });

  it('nn.AlphaDropout too; a Dropout between an nn.Linear and its activation keeps the layer dense', () => {
    const file = stateDict(['0', '3'], [4, 6, 3]);
    const model = readSafetensors(file, { pytorch: 'nn.Sequential(nn.Linear(4, 6), nn.AlphaDropout(0.1), nn.SELU(), nn.Linear(6, 3), nn.Softmax(dim=-1))', loss: 'cross-entropy' }) as ModelData;
    expect(model).toMatchObject({ activations: ['selu', 'softmax'], pytorchModule: { layerNames: ['0', '3'] } });
    expect(model.pytorchModule!.logits).toBeUndefined();
  });
});

describe('a record of the module is data from a file: checked before anything is built', () => {
  const base = (pytorchModule: unknown) => ({ loss: 'cross-entropy' as const, sizes: [2, 3, 2], activations: ['tanh' as const, 'softmax' as const], weights: [new Float32Array(6), new Float32Array(6)], biases: [new Float32Array(3), new Float32Array(2)], pytorchModule }) as ModelData;
  it.each([
    [{ layerNames: ['a'] }, /^model\.pytorchModule\.layerNames: lists 1 names for 2 dense layers: one per layer, input first$/],
    [{ layerNames: ['a', 'a'] }, /^model\.pytorchModule\.layerNames\[1\]: "a" is model\.pytorchModule\.layerNames\[0\] too: each dense layer's module has a name of its own$/],
    [{ layerNames: ['a', 'a.0'] }, /^model\.pytorchModule\.layerNames\[1\]: "a\.0" would be a module inside "a", another dense layer's nn\.Linear, which holds none$/],
    [{ layerNames: ['a', 'b c\n'] }, /^model\.pytorchModule\.layerNames\[1\]: "b c\\n" is not a PyTorch module name/],
    [{ layerNames: ['a', '01'] }, /"01" is not a PyTorch module name/],
    [{ layerNames: ['a', 'x'.repeat(300)] }, /^model\.pytorchModule\.layerNames\[1\]: "x+… is 300 characters long: at most 256$/],
    [{ layerNames: ['a', 7] }, /layerNames\[1\]: expected a module name, got 7/],
    [{ logits: false }, /^model\.pytorchModule\.logits: expected true or no field, got false$/],
    [{ layers: [] }, /^model\.pytorchModule: .*layers/],
    [[], /^model\.pytorchModule: expected an object \{ layerNames, logits \}/],
  ])('%j is refused: INVALID_OPTION by an exporter, BAD_MODEL_FILE by networkFromModel and in a file', async (record, message) => {
    await expectError(() => toSafetensors(base(record)), 'INVALID_OPTION', message);
    await expectError(() => networkFromModel(base(record)), 'BAD_MODEL_FILE', message);
    const file = { format: 'gradscope.model', version: 1, loss: 'cross-entropy', pytorchModule: record, layers: [{ inputs: 2, units: 3, activation: 'tanh', weights: [[0, 0], [0, 0], [0, 0]], biases: [0, 0, 0] }, { inputs: 3, units: 2, activation: 'softmax', weights: [[0, 0, 0], [0, 0, 0]], biases: [0, 0] }] };
    await expectError(() => modelFromJSON(file), 'BAD_MODEL_FILE', new RegExp(message.source.replaceAll('model\\.pytorchModule', 'pytorchModule')));
  });

  it('logits only beside the output a PyTorch logits loss applies itself', async () => {
    await expectError(() => toSafetensors({ ...base({ logits: true }), activations: ['tanh', 'sigmoid'], loss: 'mse' }), 'INVALID_OPTION', /^model\.pytorchModule\.logits: a module ending in logits is read with the output its PyTorch loss applies itself .*not sigmoid with mse$/);
  });

  it("a safetensors file's record: names that are not its layers, and a layers option beside it, refused", async () => {
    const file = stateDict(['fc1', 'fc2'], [4, 6, 3], { format: 'gradscope.model', version: '1', loss: 'cross-entropy', activations: 'tanh,softmax', pytorchModule: JSON.stringify({ layerNames: ['fc2', 'fc9'] }) });
    await expectError(() => fromSafetensors(file), 'BAD_MODEL_FILE', /^__metadata__\.pytorchModule\.layerNames\[1\]: "fc9" is no dense layer of the file \(it has fc1, fc2\)$/);
    const kept = stateDict(['fc1', 'fc2'], [4, 6, 3], { format: 'gradscope.model', version: '1', loss: 'cross-entropy', activations: 'tanh,softmax', pytorchModule: JSON.stringify({ layerNames: ['fc1', 'fc2'] }) });
    await expectError(() => fromSafetensors(kept, { layers: ['fc1', 'fc2'] }), 'INVALID_OPTION', /^the layers option does not apply: __metadata__\.pytorchModule\.layerNames records the dense layers' order$/);
    const broken = stateDict(['fc1', 'fc2'], [4, 6, 3], { format: 'gradscope.model', version: '1', loss: 'cross-entropy', activations: 'tanh,softmax', pytorchModule: '{"layerNames": ' });
    expect(() => fromSafetensors(broken)).toThrow(GradscopeError);
  });

  it("a foreign file's names no PyTorch module has are not kept: noted, and written back as nn.Sequential's", () => {
    const model = fromSafetensors(stateDict(['layer one', 'layer two'], [4, 6, 3]), SIGMOID);
    expect(model.pytorchModule).toBeUndefined();
    expect(model.imported!.notes).toContain(`tensor names are not kept ("layer one" is not a PyTorch module name: Python identifiers and indices joined by dots ('hidden.0', 'out'), each tensor then <name>.weight and <name>.bias): written back to safetensors, the dense layers are named as an nn.Sequential's ("layer one" → 0, "layer two" → 2, each .weight and .bias)`);
  });
});
