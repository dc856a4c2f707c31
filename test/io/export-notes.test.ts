/**
 * exportNotes: what a file an exporter writes does not keep, said to an API caller as `gradscope convert` says it (interop47's
 * "left alone" 7: toOnnx and toTfjsLayers dropped a model's PyTorch module record unsaid). ONNX and tfjs keep no pytorchModule;
 * safetensors keeps it, and its notes are convert's.
 */
import { describe, expect, it } from 'vitest';
import { exportNotes } from '../../src/io/export-notes.js';
import { networkFromModel } from '../../src/io/model-data.js';
import { fromSafetensors, safetensorsExportNotes, toSafetensors } from '../../src/io/safetensors.js';
import { encodeSafetensors } from '../../src/io/safetensors-format.js';
import { fromTfjsLayers, toTfjsLayers } from '../../src/io/tfjs-layers.js';
import { createNetwork } from '../../src/api/network.js';
import { readSpec } from '../util/safetensors-spec.js';
import { expectError } from '../util/expect-error.js';

/** nn.Sequential(OrderedDict(net=nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 2)))).state_dict(), logits. */
const FILE = encodeSafetensors({ format: 'pt' }, [
  { name: 'net.0.weight', dtype: 'F32', shape: [4, 3], values: Float32Array.from({ length: 12 }, (_, i) => Math.sin(i)) },
  { name: 'net.0.bias', dtype: 'F32', shape: [4], values: Float32Array.of(0.3, 0, -0.1, 0.2) },
  { name: 'net.2.bias', dtype: 'F32', shape: [2], values: Float32Array.of(0.1, -0.2) },
  { name: 'net.2.weight', dtype: 'F32', shape: [2, 4], values: Float32Array.from({ length: 8 }, (_, i) => Math.cos(i)) },
]);

describe('exportNotes', () => {
  it("says that ONNX and tfjs do not keep the PyTorch module's record, and what convert says of safetensors", async () => {
    const model = fromSafetensors(FILE, { activation: 'tanh', output: 'softmax', loss: 'cross-entropy' });
    expect(model.pytorchModule).toEqual({ layerNames: ['net.0', 'net.2'] });
    const net = await networkFromModel(model);
    for (const [format, file] of [['onnx', 'an ONNX file'], ['tfjs', 'a tfjs model']] as const) {
      expect(exportNotes(net, format)).toEqual([
        `the PyTorch module's record (pytorchModule: its names (net.0, net.2)) is not kept in ${file}, which names its tensors its own way: convert to .safetensors or gradscope's .json to keep it`,
      ]);
      expect(exportNotes(model, format)).toEqual(exportNotes(net, format));
    }
    expect(exportNotes(net, 'safetensors')).toEqual(safetensorsExportNotes(model));
    expect(exportNotes(net, 'safetensors')).toHaveLength(1); // read with a softmax output: the expression ends in nn.Softmax, which nn.CrossEntropyLoss applies itself
    // A network that keeps no record: ONNX and tfjs lose nothing of it.
    const plain = await createNetwork({ sizes: [3, 4, 2] });
    expect(exportNotes(plain, 'onnx')).toEqual([]);
    expect(exportNotes(plain, 'tfjs')).toEqual([]);
  });

  it('is right that tfjs drops the record: read back, the network writes safetensors under nn.Sequential names, every bias', async () => {
    const net = await networkFromModel(fromSafetensors(FILE, { activation: 'tanh', output: 'softmax', loss: 'cross-entropy' }));
    const { modelJson, weightData } = toTfjsLayers(net);
    const back = fromTfjsLayers(modelJson, weightData);
    expect(back.pytorchModule).toBeUndefined();
    expect(readSpec(toSafetensors(back)).names).toEqual(['0.weight', '0.bias', '2.weight', '2.bias']);
  });

  it('refuses a source or a format amiss', async () => {
    const net = await createNetwork({ sizes: [3, 2] });
    await expectError(() => exportNotes(net, 'pt' as never), 'INVALID_OPTION', /^exportNotes: format: expected one of safetensors, onnx, tfjs, got "pt"$/);
    await expectError(() => exportNotes(null as never, 'onnx'), 'INVALID_OPTION', /^exportNotes: expected a network, ModelData or BlockModelData, got null$/);
  });
});
