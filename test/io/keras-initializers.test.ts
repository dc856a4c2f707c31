// A Keras or tfjs model.json's Dense kernel_initializer and bias_initializer, read as the network's initialisation where one
// of gradscope's draws the same distribution (Keras' scale/n by mode, its truncated normal's std divided by 0.8796; tfjs'
// not divided), else none with a note saying why; gradscope's own files keep their own record. The table it reads by,
// WEIGHT_INIT_KERAS, is held to the draws themselves (weightInitStd).
import { describe, expect, it } from 'vitest';
import { TRUNCATED_NORMAL_STD, WEIGHT_INIT_KERAS, weightInitStd, type WeightInitName } from '../../src/init/initializers.js';
import { fromTfjsLayers, toTfjsLayers } from '../../src/io/tfjs-layers.js';
import { createNetwork } from '../../src/api/network.js';
import { networkFromModel } from '../../src/io/model-data.js';

/** A Sequential 3 → 4 → 2 model.json as `generatedBy` writes it, each Dense with the given initialisers (undefined: none written). */
function model(generatedBy: string | undefined, kernels: unknown[], biases: unknown[] = [{ class_name: 'Zeros', config: {} }, { class_name: 'Zeros', config: {} }]) {
  const dense = (name: string, units: number, l: number, first?: number) => ({
    class_name: 'Dense',
    config: { name, units, activation: l === 0 ? 'relu' : 'softmax', use_bias: true, ...(first && { batch_input_shape: [null, first] }), kernel_initializer: kernels[l], bias_initializer: biases[l] },
  });
  return {
    format: 'layers-model',
    ...(generatedBy && { generatedBy }),
    modelTopology: { class_name: 'Sequential', config: { name: 's', layers: [dense('dense', 4, 0, 3), dense('dense_1', 2, 1)] } },
    weightsManifest: [{ paths: ['w.bin'], weights: [['dense/kernel', [3, 4]], ['dense/bias', [4]], ['dense_1/kernel', [4, 2]], ['dense_1/bias', [2]]].map(([name, shape]) => ({ name, shape, dtype: 'float32' })) }],
  };
}
const WEIGHTS = new Uint8Array(4 * (12 + 4 + 8 + 2));
const KERAS = 'keras v2.2.4-tf';
const TFJS = 'TensorFlow.js tfjs-layers v4.22.0';
const both = (kernel: unknown) => [kernel, kernel];
const vs = (scale: number, mode: string, distribution: string) => ({ class_name: 'VarianceScaling', config: { scale, mode, distribution, seed: null } });
const read = (json: object) => fromTfjsLayers(json, WEIGHTS);

describe("WEIGHT_INIT_KERAS, the Keras VarianceScaling of each named init", () => {
  it.each(Object.keys(WEIGHT_INIT_KERAS) as WeightInitName[])('%s: scale/n is the variance it draws (weightInitStd²), for 784 → 30 and 30 → 100 layers', (init) => {
    const { scale, mode } = WEIGHT_INIT_KERAS[init]!;
    for (const [nIn, nOut] of [[784, 30], [30, 100]]) {
      const n = mode === 'fan_in' ? nIn : mode === 'fan_out' ? nOut : (nIn + nOut) / 2;
      expect(weightInitStd(init, nIn, nOut) ** 2 / (scale / n)).toBeCloseTo(1, 12);
    }
  });
});

describe("a Keras or tfjs model's initialisers", () => {
  it("reads Keras' classes and VarianceScaling as the init that draws the same: GlorotUniform, HeNormal (truncated), 1/3 fan_in uniform", () => {
    expect(read(model(KERAS, both({ class_name: 'GlorotUniform', config: { seed: null } }))).initialisation).toEqual({ init: 'glorot-uniform', biasInit: 'zero' });
    expect(read(model(KERAS, both({ class_name: 'HeNormal', config: { seed: null } }))).initialisation).toEqual({ init: 'he-normal-truncated', biasInit: 'zero' });
    expect(read(model(KERAS, both({ module: 'keras.initializers', class_name: 'GlorotNormal', config: { seed: null }, registered_name: null }))).initialisation?.init).toBe('glorot-normal-truncated');
    expect(read(model(KERAS, both(vs(1, 'fan_in', 'truncated_normal')))).initialisation?.init).toBe('lecun-normal-truncated');
    expect(read(model(KERAS, both(vs(2, 'fan_out', 'untruncated_normal')))).initialisation?.init).toBe('he-normal-fan-out');
    expect(read(model(KERAS, both(vs(1 / 3, 'fan_in', 'uniform')))).initialisation?.init).toBe('standard');
    expect(read(model(KERAS, both({ class_name: 'Orthogonal', config: { gain: 1, seed: null } }))).initialisation?.init).toBe('orthogonal');
    const normal = read(model(KERAS, both({ class_name: 'RandomNormal', config: { mean: 0, stddev: 0.1 } }), both({ class_name: 'Constant', config: { value: 0.5 } })));
    expect(normal.initialisation).toEqual({ init: { name: 'normal', std: 0.1 }, biasInit: { name: 'constant', value: 0.5 } });
    expect(normal.imported?.notes).toContain(`initialisation read from the Dense layers' kernel_initializer and bias_initializer: init {"name":"normal","std":0.1}, biasInit {"name":"constant","value":0.5}`);
  });

  it("records none where tfjs drew the truncated normal (its std not divided by 0.8796), or the file does not say who drew it", () => {
    // tfjs' glorotNormal, its Dense default, serialised as VarianceScaling 'normal': variance 0.774·2/(n_in + n_out).
    expect(TRUNCATED_NORMAL_STD ** 2).toBeCloseTo(0.7737, 4);
    const tfjs = read(model(TFJS, both(vs(1, 'fan_avg', 'normal'))));
    expect(tfjs.initialisation).toBeUndefined();
    expect(tfjs.imported?.notes.join('\n')).toMatch(/^no initialisation recorded: Dense layer 'dense': VarianceScaling\(scale 1, mode fan_avg, distribution normal\): tfjs draws a normal cut at 2 std without dividing/m);
    // Uniform draws are the same by either: tfjs' glorotUniform is Glorot's.
    expect(read(model(TFJS, both(vs(1, 'fan_avg', 'uniform')))).initialisation?.init).toBe('glorot-uniform');
    const unsaid = read(model(undefined, both({ class_name: 'HeNormal', config: {} })));
    expect(unsaid.initialisation).toBeUndefined();
    expect(unsaid.imported?.notes.join('\n')).toMatch(/HeNormal: VarianceScaling\(scale 2, mode fan_in, distribution normal\): the file does not say whether Keras/);
  });

  it('records none, and says why, for an initialiser gradscope has not or layers drawn by different ones', () => {
    const uniform = read(model(KERAS, both({ class_name: 'HeUniform', config: {} })));
    expect(uniform.initialisation).toBeUndefined();
    expect(uniform.imported?.notes).toContain("no initialisation recorded: Dense layer 'dense': HeUniform: VarianceScaling(scale 2, mode fan_in, distribution uniform) is none of gradscope's initialisers");
    const mixed = read(model(KERAS, [{ class_name: 'HeNormal', config: {} }, { class_name: 'GlorotUniform', config: {} }]));
    expect(mixed.initialisation).toBeUndefined();
    expect(mixed.imported?.notes.join('\n')).toMatch(/Dense layers 'dense' and 'dense_1' were drawn by different initialisers \(\["he-normal-truncated","zero"\] and \["glorot-uniform","zero"\]\)/);
    expect(read(model(KERAS, both({ class_name: 'GlorotUniform', config: {} }), both({ class_name: 'RandomUniform', config: {} }))).initialisation).toBeUndefined();
    // No initialiser written: nothing recorded, nothing said.
    const none = read(model(KERAS, [undefined, undefined], [undefined, undefined]));
    expect(none.initialisation).toBeUndefined();
    expect(none.imported?.notes).toEqual([]);
  });

  it("keeps a file gradscope wrote to its own record, and a loaded network traced as drawn by the Keras one", async () => {
    const net = await createNetwork({ sizes: [3, 4, 2], activation: 'relu', init: 'lecun-normal', seed: 1, backend: 'ref' });
    const { modelJson, weightData } = toTfjsLayers(net);
    const layers = (modelJson.modelTopology as { config: { layers: { config: Record<string, unknown> }[] } }).config.layers;
    for (const layer of layers) layer.config.kernel_initializer = { class_name: 'HeNormal', config: {} };
    expect(fromTfjsLayers(JSON.parse(JSON.stringify(modelJson)), weightData).initialisation?.init).toBe('lecun-normal');
    net.dispose();
    const loaded = await networkFromModel(read(model(KERAS, both({ class_name: 'HeNormal', config: { seed: null } }))), { backend: 'ref' });
    expect(loaded.initialisation).toEqual({ init: 'he-normal-truncated', biasInit: 'zero' });
    loaded.dispose();
  });
});
