/**
 * Batch norm's `epsilon` and `momentum` and layer norm's `epsilon` (PyTorch's eps and momentum):
 * checked, computed with (against float64 formulas), saved and loaded by every model format, and
 * written into the exports (ONNX attributes run by onnxruntime, the tfjs config, the PyTorch module).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { createNetwork, Network } from '../../src/api/network.js';
import { Rng } from '../../src/init/rng.js';
import { loadModel, saveModel } from '../../src/io/files.js';
import { toOnnx } from '../../src/io/onnx.js';
import { blockModelFromSafetensors, blockModelToSafetensors, tensorsToWrite } from '../../src/io/safetensors-blocks.js';
import { encodeSafetensors } from '../../src/io/safetensors-format.js';
import { blockModelToTfjsLayers } from '../../src/io/tfjs-blocks.js';
import { blockModelFromTfjsLayers } from '../../src/io/tfjs-block-reader.js';
import { buildSequential } from '../../src/layers/sequential.js';
import { checkLayerSpecs, type LayerSpec } from '../../src/layers/spec.js';
import { stateDict } from '../../src/layers/state-dict.js';
import { createRefKernels } from '../../src/ref/ref-kernels.js';
import { blockModelOf, evalForward } from '../util/block-model.js';
import { expectClose } from '../util/close.js';
import { expectError } from '../util/expect-error.js';

const ref = createRefKernels();
const SPECS: LayerSpec[] = [
  { type: 'dense', units: 4, activation: 'tanh' },
  { type: 'batch-norm', epsilon: 0.5, momentum: 0.3 },
  { type: 'layer-norm', epsilon: 0.25 },
  { type: 'dense', units: 2, activation: 'softmax' },
];

describe('the norms take epsilon and momentum', () => {
  it('checked specs keep what was given and nothing else; bad values are refused naming the field', async () => {
    expect(checkLayerSpecs(SPECS, 3)).toEqual(SPECS);
    expect(checkLayerSpecs([{ type: 'batch-norm' }, { type: 'layer-norm' }], 3)).toEqual([{ type: 'batch-norm' }, { type: 'layer-norm' }]);
    expect(checkLayerSpecs([{ type: 'batch-norm', momentum: 0 }, { type: 'batch-norm', momentum: 1, epsilon: 1 }], 3)[1]).toEqual({ type: 'batch-norm', momentum: 1, epsilon: 1 });
    for (const epsilon of [0, -1e-5, 1e-40, 1.5, NaN, Infinity, '1e-5', null]) {
      await expectError(() => checkLayerSpecs([{ type: 'dense', units: 2 }, { type: 'layer-norm', epsilon }], 3), 'INVALID_OPTION', /^layers\[1\]\.epsilon: expected a number from 2⁻¹²⁶ ≈ 1\.2e-38 \(float32's smallest normal\) to 1 \(default 0\.00001\), got /);
    }
    for (const momentum of [-0.1, 1.01, NaN, '0.1', null]) {
      await expectError(() => checkLayerSpecs([{ type: 'batch-norm', momentum }], 3), 'INVALID_OPTION', /^layers\[0\]\.momentum: expected a number from 0 to 1 \(how far a training step moves the running statistics; default 0\.1\), got /);
    }
  });

  it("computes with them: 'eval' γ(x − μ_run)/√(σ²_run + ε) + β, 'train' moves the running statistics by momentum, layer norm's ε (float64 formulas)", () => {
    const specs = checkLayerSpecs([{ type: 'batch-norm', epsilon: 0.5, momentum: 0.3 }, { type: 'layer-norm', epsilon: 0.25 }], 3);
    const rows = 4;
    const values = [0.3, -1.2, 2.0, 1.1, 0.4, -0.7, -2.5, 0.9, 1.6, 0.2, -0.1, 0.8];
    const x = ref.alloc(rows * 3);
    ref.write(x, values);
    const batchNorm = buildSequential(ref, specs.slice(0, 1), 3, new Rng(1), { capacity: rows });
    batchNorm.forward(x, rows, 'eval'); // running mean 0, variance 1
    expectClose(ref.view(batchNorm.output).subarray(0, rows * 3), values.map((v) => v / Math.sqrt(1 + 0.5)), { abs: 1e-12 }, 'eval with ε = 0.5');
    batchNorm.forward(x, rows, 'train');
    const state = new Map(stateDict(batchNorm).map((e) => [e.name, Array.from(ref.view(e.value))]));
    for (let j = 0; j < 3; j++) {
      const column = [0, 1, 2, 3].map((r) => values[r * 3 + j]);
      const mean = column.reduce((a, b) => a + b) / rows;
      const unbiased = column.reduce((a, v) => a + (v - mean) ** 2, 0) / (rows - 1);
      expect(state.get('0.running_mean')![j]).toBeCloseTo(0.3 * mean, 12);
      expect(state.get('0.running_var')![j]).toBeCloseTo(0.7 * 1 + 0.3 * unbiased, 12);
    }
    const layerNorm = buildSequential(ref, specs.slice(1), 3, new Rng(1), { capacity: rows });
    layerNorm.forward(x, rows, 'eval');
    const expected = [0, 1, 2, 3].flatMap((r) => {
      const row = values.slice(r * 3, r * 3 + 3);
      const mean = row.reduce((a, b) => a + b) / 3;
      const variance = row.reduce((a, v) => a + (v - mean) ** 2, 0) / 3;
      return row.map((v) => (v - mean) / Math.sqrt(variance + 0.25));
    });
    expectClose(ref.view(layerNorm.output).subarray(0, rows * 3), expected, { abs: 1e-12 }, 'layer norm with ε = 0.25');
    batchNorm.dispose();
    layerNorm.dispose();
  });

  it('createNetwork takes them and they survive toJSON/fromJSON, saveModel/loadModel (binary and JSON) and safetensors, with the same outputs', async () => {
    const net = await createNetwork({ inputs: 3, layers: SPECS, loss: 'cross-entropy', seed: 3 }); // float32: files hold its values exactly
    expect(net.layers).toEqual(SPECS);
    const x = [[0.2, -1, 0.5], [1.5, 0.3, -0.2], [-0.4, 0.8, 1.1]];
    net.train(x, [[1, 0], [0, 1], [1, 0]], { epochs: 2, batchSize: 3 }); // running statistics away from 0 and 1
    const outputs = net.predict(x);
    const dir = mkdtempSync(join(tmpdir(), 'gradscope-norms-'));
    const copies = [await Network.fromJSON(JSON.parse(JSON.stringify(net.toJSON())), {})];
    for (const file of ['m.bin', 'm.json']) {
      await saveModel(net, join(dir, file));
      copies.push(await loadModel(join(dir, file)));
    }
    for (const copy of copies) {
      expect(copy.layers).toEqual(SPECS);
      expect(copy.predict(x)).toEqual(outputs);
      copy.dispose();
    }
    const model = blockModelOf(SPECS, 3, 'cross-entropy', 5);
    const bytes = blockModelToSafetensors(model);
    expect(blockModelFromSafetensors(bytes)).toEqual(model);
    const metadata = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true))))).__metadata__ as Record<string, string>;
    expect(metadata.pytorch).toContain('nn.BatchNorm1d(4, eps=0.5, momentum=0.3), nn.LayerNorm(4, eps=0.25)');
    // The PyTorch module expression reads back as the same specs: the same tensors as PyTorch's save_file writes them, read by it.
    const foreign = encodeSafetensors({ format: 'pt' }, tensorsToWrite(model.tensors));
    expect(blockModelFromSafetensors(foreign, { pytorch: metadata.pytorch, loss: 'cross-entropy' }).layers).toEqual(SPECS);
    net.dispose();
  });

  it("exports them: ONNX BatchNormalization's epsilon and momentum (1 − PyTorch's) and LayerNormalization's epsilon, run by onnxruntime; tfjs' config, read back", async () => {
    const model = blockModelOf(SPECS, 3, 'cross-entropy', 7);
    // Running statistics other than 0 and 1, so that ε is not the only thing that matters.
    for (const t of model.tensors) if (t.name === '1.running_var') t.values = Float32Array.from(t.values, (_, i) => 0.2 + 0.3 * i);
    const onnx = toOnnx(model);
    const session = await ort.InferenceSession.create(onnx);
    const x = Float32Array.from({ length: 5 * 3 }, (_, i) => Math.sin(i + 1));
    const { output } = await session.run({ input: new ort.Tensor('float32', x, [5, 3]) });
    expectClose(output.data as Float32Array, evalForward(model, x, 5), { abs: 1e-5, rel: 1e-5 }, 'onnxruntime against the float64 forward with these ε');
    await session.release();
    expect(floatAttribute(onnx, 'momentum')).toBeCloseTo(0.7, 7);
    const tfjs = blockModelToTfjsLayers(model);
    const configs = (tfjs.modelJson.modelTopology as { config: { layers: { class_name: string; config: Record<string, unknown> }[] } }).config.layers;
    expect(configs.find((l) => l.class_name === 'BatchNormalization')!.config).toMatchObject({ epsilon: 0.5, momentum: 0.7 });
    expect(configs.find((l) => l.class_name === 'LayerNormalization')!.config).toMatchObject({ epsilon: 0.25 });
    expect(blockModelFromTfjsLayers(tfjs.modelJson, tfjs.weightData).layers).toEqual(SPECS);
  });
});

/** The float of the first ONNX AttributeProto named `name`: its name (field 1) is followed by f (field 2, fixed32, key byte 0x15). */
function floatAttribute(bytes: Uint8Array, name: string): number {
  const at = new TextDecoder('latin1').decode(bytes).indexOf(String.fromCharCode(0x0a, name.length) + name);
  expect(at, `attribute ${name}`).toBeGreaterThan(0);
  const key = at + 2 + name.length;
  expect(bytes[key]).toBe(0x15);
  return new DataView(bytes.buffer, bytes.byteOffset + key + 1, 4).getFloat32(0, true);
}
