// Files shaped as real tools write them, built here from the published formats (tfjs model.json
// as TensorFlow.js' Keras converter and Keras 3 serialise it; safetensors headers as transformers,
// ComfyUI, tinygrad and dfdx write them): each loads with the right architecture and loss, saying
// where the loss came from and what was skipped, or is refused for the right reason.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GradscopeError } from '../../src/errors.js';
import { readModelFile } from '../../src/io/model-formats.js';
import { fromSafetensors } from '../../src/io/safetensors.js';
import { fromTfjsLayers } from '../../src/io/tfjs-layers.js';
import { runCli } from '../util/cli.js';
import { safetensorsHeader } from '../util/file-metadata.js';
import { withSpecHeader } from '../util/safetensors-spec.js';

const folder = mkdtempSync(join(tmpdir(), 'gradscope-real-world-'));

function refusal(call: () => unknown): GradscopeError {
  try {
    call();
  } catch (error) {
    expect(error).toBeInstanceOf(GradscopeError);
    expect((error as GradscopeError).code).toBe('BAD_MODEL_FILE');
    return error as GradscopeError;
  }
  throw new Error('expected BAD_MODEL_FILE');
}

/** What `call` throws (undefined if nothing). */
function thrown(call: () => unknown): unknown {
  try {
    call();
  } catch (error) {
    return error;
  }
  return undefined;
}

/** float32 little-endian bytes of the values 0.01·i, i = 1, 2, … */
function floats(count: number): Uint8Array {
  return new Uint8Array(Float32Array.from({ length: count }, (_, i) => 0.01 * (i + 1)).buffer);
}

// ---- TensorFlow.js layers models ----

/** A Keras 2 Dense layer as the converter (TensorFlow.js Converter v1.x, keras 2.2.4-tf) writes it. */
function keras2Dense(name: string, units: number, activation: string, first?: number): object {
  return {
    class_name: 'Dense',
    config: {
      name,
      trainable: true,
      ...(first === undefined ? {} : { batch_input_shape: [null, first] }),
      dtype: 'float32',
      units,
      activation,
      use_bias: true,
      kernel_initializer: { class_name: 'GlorotUniform', config: { seed: null } },
      bias_initializer: { class_name: 'Zeros', config: {} },
      kernel_regularizer: null,
      bias_regularizer: null,
      activity_regularizer: null,
      kernel_constraint: null,
      bias_constraint: null,
    },
  };
}

/** model.json of tensorflowjs_converter --input_format keras: the loss sits in modelTopology.training_config. */
function kerasConverted(layers: object[], loss: unknown, weights: [string, number[]][]): Record<string, unknown> {
  return {
    format: 'layers-model',
    generatedBy: 'keras v2.2.4-tf',
    convertedBy: 'TensorFlow.js Converter v1.4.0',
    modelTopology: {
      keras_version: '2.2.4-tf',
      backend: 'tensorflow',
      model_config: { class_name: 'Sequential', config: { name: 'sequential', layers } },
      training_config: {
        loss,
        metrics: ['accuracy'],
        weighted_metrics: null,
        sample_weight_mode: null,
        loss_weights: null,
        optimizer_config: { class_name: 'Adam', config: { name: 'Adam', learning_rate: 0.001, decay: 0, beta_1: 0.9, beta_2: 0.999, epsilon: 1e-7, amsgrad: false } },
      },
    },
    weightsManifest: [{ paths: ['group1-shard1of1.bin'], weights: weights.map(([name, shape]) => ({ name, shape, dtype: 'float32' })) }],
  };
}

const binaryClassifier = () =>
  kerasConverted([keras2Dense('dense', 4, 'relu', 3), keras2Dense('dense_1', 1, 'sigmoid')], 'binary_crossentropy', [
    ['dense/kernel', [3, 4]],
    ['dense/bias', [4]],
    ['dense_1/kernel', [4, 1]],
    ['dense_1/bias', [1]],
  ]);

/** A Keras 3 layer: module, class_name, config, registered_name and build_config. */
function keras3(className: string, config: object, inputShape?: number[]): object {
  return { module: 'keras.layers', class_name: className, config: { trainable: true, dtype: 'float32', ...config }, registered_name: null, ...(inputShape ? { build_config: { input_shape: inputShape } } : {}) };
}

describe('real-world tfjs model.json', () => {
  it("Keras converter: the loss is read from modelTopology.training_config (binary_crossentropy, not the default 'mse')", () => {
    const model = fromTfjsLayers(binaryClassifier(), floats(12 + 4 + 4 + 1));
    expect(model).toMatchObject({ sizes: [3, 4, 1], activations: ['relu', 'sigmoid'], loss: 'binary-cross-entropy' });
    // The converter's Dense layers name Keras' GlorotUniform and Zeros, which are gradscope's 'glorot-uniform' and 'zero'.
    const initNote = `initialisation read from the Dense layers' kernel_initializer and bias_initializer: init "glorot-uniform", biasInit "zero"`;
    expect(model.imported).toEqual({ lossFrom: "modelTopology.training_config.loss 'binary_crossentropy'", notes: [initNote] });
    expect(model.initialisation).toEqual({ init: 'glorot-uniform', biasInit: 'zero' });
  });

  it('Keras names map (mean_squared_error, categorical_crossentropy, sparse_categorical_crossentropy); an unknown loss is refused, not replaced', () => {
    const classifier = (loss: unknown, output = 'softmax') =>
      kerasConverted([keras2Dense('dense', 3, 'tanh', 2), keras2Dense('dense_1', 3, output)], loss, [
        ['dense/kernel', [2, 3]],
        ['dense/bias', [3]],
        ['dense_1/kernel', [3, 3]],
        ['dense_1/bias', [3]],
      ]);
    const bytes = floats(6 + 3 + 9 + 3);
    expect(fromTfjsLayers(classifier('categorical_crossentropy'), bytes).loss).toBe('cross-entropy');
    expect(fromTfjsLayers(classifier('mean_squared_error', 'linear'), bytes).loss).toBe('mse');
    const sparse = fromTfjsLayers(classifier('sparse_categorical_crossentropy'), bytes);
    expect(sparse.loss).toBe('cross-entropy');
    expect(sparse.imported!.notes[0]).toBe('sparse_categorical_crossentropy is cross-entropy on class indices: give gradscope one-hot targets');
    // A Keras 3 serialised loss computed from logits: the softmax moves into the model.
    const logits = fromTfjsLayers(
      classifier({ module: 'keras.losses', class_name: 'CategoricalCrossentropy', config: { name: 'categorical_crossentropy', from_logits: true, label_smoothing: 0 }, registered_name: null }, 'linear'),
      bytes,
    );
    expect(logits).toMatchObject({ activations: ['tanh', 'softmax'], loss: 'cross-entropy' });
    expect(logits.imported!.notes[0]).toMatch(/from_logits: the output layer's softmax moved into the model/);
    expect(refusal(() => fromTfjsLayers(classifier('hinge', 'linear'), bytes)).message).toMatch(
      /modelTopology\.training_config\.loss: "hinge" has no gradscope equivalent \(mse, mean_squared_error, binary_crossentropy, categorical_crossentropy, sparse_categorical_crossentropy\); pass \{ loss \}/,
    );
    // The caller's loss wins over the file's training config, and the note says so.
    const chosen = fromTfjsLayers(classifier('hinge', 'linear'), bytes, { loss: 'mse' });
    expect(chosen.imported).toMatchObject({ lossFrom: 'the loss option', notes: ['the loss option overrides modelTopology.training_config.loss', expect.stringMatching(/^initialisation read from/)] });
  });

  it('no loss anywhere: the default is said, not silent', () => {
    const json = binaryClassifier();
    delete (json.modelTopology as Record<string, unknown>).training_config;
    const model = fromTfjsLayers(json, floats(21));
    expect(model.loss).toBe('mse');
    expect(model.imported!.lossFrom).toBe("no loss in the file: 'mse', the default for a 'sigmoid' output (pass { loss } if the model was trained with another)");
  });

  it('Keras 3: Dropout is skipped (said), LeakyReLU reads negative_slope, the input width comes from build_config', () => {
    const json = kerasConverted(
      [
        keras3('Dense', { name: 'hidden', units: 4, activation: 'linear', use_bias: true }, [null as unknown as number, 2]),
        keras3('LeakyReLU', { name: 'leaky_re_lu', negative_slope: 0.01 }),
        keras3('Dropout', { name: 'dropout', rate: 0.5, seed: null, noise_shape: null }),
        keras3('Dense', { name: 'out', units: 2, activation: 'softmax', use_bias: true }),
      ],
      'categorical_crossentropy',
      [
        ['hidden/kernel', [2, 4]],
        ['hidden/bias', [4]],
        ['out/kernel', [4, 2]],
        ['out/bias', [2]],
      ],
    );
    (json.modelTopology as Record<string, unknown>).keras_version = '3.3.3';
    const model = fromTfjsLayers(json, floats(8 + 4 + 8 + 2));
    expect(model).toMatchObject({ sizes: [2, 4, 2], activations: ['leaky-relu', 'softmax'], loss: 'cross-entropy' });
    expect(model.imported!.notes).toEqual(["skipped Dropout layer 'dropout': the identity at inference, so gradients are those of the network without it"]);
    // Keras' default slope (0.3, when neither alpha nor negative_slope is written) is not gradscope's.
    const layers = ((json.modelTopology as any).model_config.config.layers as any[]).map((l) => structuredClone(l));
    delete layers[1].config.negative_slope;
    (json.modelTopology as any).model_config.config.layers = layers;
    expect(refusal(() => fromTfjsLayers(json, floats(22))).message).toMatch(/\(leaky_re_lu\)\.config\.alpha: gradscope's leaky-relu has slope 0\.01, got 0\.3/);
  });

  it('a tfjs graph model is refused as a graph model; errors name the file once; byte counts print as integers', async () => {
    const graph = {
      format: 'graph-model',
      generatedBy: '2.15.0',
      convertedBy: 'TensorFlow.js Converter v4.17.0',
      signature: {},
      modelTopology: { node: [{ name: 'x', op: 'Placeholder', attr: {} }], library: {}, versions: { producer: 1395 } },
      weightsManifest: [{ paths: ['group1-shard1of1.bin'], weights: [] }],
    };
    mkdirSync(join(folder, 'graph'));
    writeFileSync(join(folder, 'graph', 'model.json'), JSON.stringify(graph));
    writeFileSync(join(folder, 'graph', 'group1-shard1of1.bin'), new Uint8Array());
    const error = (await readModelFile(join(folder, "graph")).catch((e: unknown) => e)) as GradscopeError;
    expect(error.message).toBe(`${join(folder, 'graph', 'model.json')}: format: this is a tfjs graph model (a converted TensorFlow graph); gradscope reads tfjs layers models (tensorflowjs_converter --output_format tfjs_layers_model)`);

    mkdirSync(join(folder, 'broken'));
    writeFileSync(join(folder, 'broken', 'model.json'), '{"modelTopology": ');
    const broken = (await readModelFile(join(folder, "broken")).catch((e: unknown) => e)) as GradscopeError;
    expect(broken.message.split('model.json').length - 1, broken.message).toBe(1);
    expect(broken.message).toMatch(/broken\/model\.json: not valid JSON/);

    const huge = binaryClassifier();
    (huge.weightsManifest as any)[0].weights[0].shape = [1e12, 1e12];
    expect(refusal(() => fromTfjsLayers(huge, floats(21))).message).toMatch(/the manifest describes 4,000,000,000,000,000,000,000,036 bytes but 84 were given/);
  });

  it('gradscope convert prints which loss it used and where it came from, and what it skipped', () => {
    mkdirSync(join(folder, 'keras'));
    writeFileSync(join(folder, 'keras', 'model.json'), JSON.stringify(binaryClassifier()));
    writeFileSync(join(folder, 'keras', 'group1-shard1of1.bin'), floats(21));
    const { code, stdout, stderr } = runCli(['convert', join(folder, 'keras'), join(folder, 'keras.json')]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toContain("  loss binary-cross-entropy from modelTopology.training_config.loss 'binary_crossentropy'\n");
  });
});

// ---- safetensors state dicts ----

/** A safetensors file: [u64 header length][header JSON][F32 data], tensors in the order given. */
function safetensors(metadata: Record<string, string> | undefined, tensors: [string, number[]][]): Uint8Array {
  const header: Record<string, unknown> = metadata ? { __metadata__: metadata } : {};
  let offset = 0;
  for (const [name, shape] of tensors) {
    const bytes = 4 * shape.reduce((n, d) => n * d, 1);
    header[name] = { dtype: 'F32', shape, data_offsets: [offset, offset + bytes] };
    offset += bytes;
  }
  const json = new TextEncoder().encode(JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  out.set(floats(offset / 4), 8 + json.length);
  return out;
}

const dense = (name: string, out: number, inputs: number): [string, number[]][] => [
  [`${name}.weight`, [out, inputs]],
  [`${name}.bias`, [out]],
];
const options = { activation: 'relu', output: 'softmax', loss: 'cross-entropy' } as const;

describe('real-world safetensors', () => {
  it('transformers / ComfyUI metadata ({ format: "pt" }) and { version: "1.0" } never block the options', () => {
    const pt = fromSafetensors(safetensors({ format: 'pt', 'modelspec.architecture': 'mlp' }, [...dense('fc1', 8, 4), ...dense('fc2', 3, 8)]), options);
    expect(pt).toMatchObject({ sizes: [4, 8, 3], activations: ['relu', 'softmax'], loss: 'cross-entropy' });
    expect(pt.imported).toEqual({ lossFrom: 'the loss option', notes: ['ignored __metadata__ of format "pt" (not gradscope\'s)'] });
    expect(pt.pytorchModule).toEqual({ layerNames: ['fc1', 'fc2'] }); // kept for the way back out (test/io/pytorch-names.test.ts)
    const versioned = fromSafetensors(safetensors({ version: '1.0' }, [...dense('l1', 8, 4), ...dense('l2', 3, 8)]), options);
    expect(versioned.sizes).toEqual([4, 8, 3]);
    // gradscope's own metadata is the model's: options that contradict it are refused, naming both values; options that agree are taken.
    const file = safetensors({ format: 'gradscope.model', version: '1', activations: 'tanh,sigmoid', loss: 'mse' }, [...dense('0', 8, 4), ...dense('2', 3, 8)]);
    expect(() => fromSafetensors(file, options)).toThrow(/^activation option 'relu' contradicts __metadata__\.activations \(hidden layers\) 'tanh', which the file records/);
    expect(() => fromSafetensors(file, { loss: 'cross-entropy' })).toThrow(/^loss option 'cross-entropy' contradicts __metadata__\.loss 'mse'/);
    const ours = fromSafetensors(file, { activation: 'tanh', output: 'sigmoid', loss: 'mse' });
    expect(ours).toMatchObject({ activations: ['tanh', 'sigmoid'], loss: 'mse', imported: { lossFrom: '__metadata__.loss' } });
  });

  it.each([
    ['fc1/fc2 (written fc2 first)', [...dense('fc2', 3, 8), ...dense('fc1', 8, 4)]],
    ['l1/l2', [...dense('l1', 8, 4), ...dense('l2', 3, 8)]],
    ['layers.0/2 (tinygrad)', [...dense('layers.2', 3, 8), ...dense('layers.0', 8, 4)]],
    ['0.0/0.2 (dfdx)', [...dense('0.0', 8, 4), ...dense('0.2', 3, 8)]],
  ])('%s: ordered by the numbers in the names', (_name, tensors) => {
    expect(fromSafetensors(safetensors({ format: 'pt' }, tensors as [string, number[]][]), options).sizes).toEqual([4, 8, 3]);
  });

  it('layer1..layer10 order by number, not by text (layer10 after layer2)', () => {
    const tensors = [...dense('layer1', 5, 4), ...dense('layer10', 3, 6), ...dense('layer2', 6, 5)];
    expect(fromSafetensors(safetensors(undefined, tensors), options).sizes).toEqual([4, 5, 6, 3]);
  });

  it('names without an order: the one order in which the shapes chain, said in a note; ambiguous files are refused, or ordered by the layers option', () => {
    const chained = fromSafetensors(safetensors(undefined, [...dense('head', 3, 6), ...dense('encoder', 8, 4), ...dense('hidden', 6, 8)]), options);
    expect(chained.sizes).toEqual([4, 8, 6, 3]);
    expect(chained.imported!.notes).toEqual([
      'ordered the dense layers by their shapes: encoder → hidden → head',
    ]);
    expect(chained.pytorchModule).toEqual({ layerNames: ['encoder', 'hidden', 'head'] });

    const square = safetensors(undefined, [...dense('encoder', 4, 4), ...dense('decoder', 4, 4)]);
    expect(refusal(() => fromSafetensors(square, options)).message).toMatch(
      /safetensors: the dense layers \(encoder \[4, 4\], decoder \[4, 4\]\) chain in more than one order \(encoder → decoder; decoder → encoder\): ambiguous; pass \{ layers \} \(--layers\) to give their order \(the layers' names, input first\)$/,
    );
    // Three square layers chain in six orders; the search stops at two, so the message says there may be more.
    const three = safetensors(undefined, [...dense('encoder', 4, 4), ...dense('hidden', 4, 4), ...dense('head', 4, 4)]);
    expect(refusal(() => fromSafetensors(three, options)).message).toMatch(/chain in more than one order \(encoder → hidden → head; encoder → head → hidden; there may be more\): ambiguous; /);
    const ordered = fromSafetensors(square, { ...options, layers: ['decoder', 'encoder'] });
    // decoder.weight follows encoder.weight (16 values) and encoder.bias (4) in the file.
    expect(Array.from(ordered.weights[0])).toEqual(Array.from({ length: 16 }, (_, i) => Math.fround(0.01 * (21 + i))));
    // The layers option is the caller's: its mistake is an INVALID_OPTION (the CLI's exit 2), the file is fine.
    expect(thrown(() => fromSafetensors(square, { ...options, layers: ['decoder'] }))).toMatchObject({ code: 'INVALID_OPTION', message: expect.stringMatching(/^layers option: does not list the file's layer "encoder"$/) });
    // No order chains: nothing offered (a layers order it printed could never run).
    const apart = refusal(() => fromSafetensors(safetensors(undefined, [...dense('a', 4, 3), ...dense('b', 5, 2)]), options));
    expect(apart.message).toMatch(/^safetensors: cannot read the dense layers \(a \[4, 3\], b \[5, 2\]\) as one network: their names carry no order and their shapes chain in none/);
    expect(apart.message).not.toMatch(/pass/);
  });

  it("a module's numbered attribute beside a head (hidden.0 … hidden.10, out): each group in its numbers' order, the shapes placing the groups, noted", () => {
    // save_file writes the keys sorted as text: hidden.0, hidden.10, hidden.2, … It was refused as ambiguous, offering
    // hidden.0 → hidden.10 → hidden.2 → …, which read another network without a word (newuser45 #1).
    const indices = [0, 2, 4, 6, 8, 10];
    const layers = indices.map((i, k) => [`hidden.${i}`, k === 0 ? 8 : 32] as const);
    const sorted = [...layers, ['out', 32] as const].sort(([a], [b]) => (a < b ? -1 : 1));
    const file = safetensors({ format: 'pt' }, sorted.flatMap(([name, inputs]) => dense(name, name === 'out' ? 3 : 32, inputs)));
    const read = fromSafetensors(file, options);
    expect(read.sizes).toEqual([8, 32, 32, 32, 32, 32, 32, 3]);
    const named = [...indices.map((i) => `hidden.${i}`), 'out'];
    expect(read.imported!.notes).toContain(`ordered the dense layers by the numbers in their names and by their shapes: ${named.join(' → ')}`);
    // The weights are the layers' as named: as the layers option reads them.
    expect(read.weights).toEqual(fromSafetensors(file, { ...options, layers: named }).weights);

    // Orders that keep the numbers still several (extra [4, 4] fits anywhere): refused, those offered keep the numbers and say so.
    const several = safetensors(undefined, [...dense('block.10', 4, 4), ...dense('block.2', 4, 4), ...dense('extra', 4, 4)]);
    expect(refusal(() => fromSafetensors(several, options)).message).toMatch(
      /chain in more than one order \(block\.2 → block\.10 → extra; block\.2 → extra → block\.10; there may be more, each keeping the numbers in the names in order\): ambiguous; /,
    );
    // No order that keeps them chains: the one order the shapes give, with a note that says it breaks the numbers' order.
    const against = fromSafetensors(safetensors(undefined, [...dense('a.0', 3, 5), ...dense('a.1', 5, 4), ...dense('head', 2, 3)]), options);
    expect(against.sizes).toEqual([4, 5, 3, 2]);
    expect(against.imported!.notes[0]).toBe('ordered the dense layers by their shapes (no order that keeps the numbers in their names in order chains): a.1 → a.0 → head');
  });

  it('a byte count too large for a double prints as the integer it is', () => {
    const bytes = safetensors(undefined, dense('fc1', 2, 2));
    const header = safetensorsHeader(bytes) as Record<string, { shape: number[] }>;
    header['fc1.weight'].shape = [1e12, 1e12];
    const edited = withSpecHeader(bytes, header);
    expect(refusal(() => fromSafetensors(edited, options)).message).toMatch(/fc1\.weight: shape \[1000000000000, 1000000000000\] of F32 needs 4,000,000,000,000,000,000,000,000 bytes but data_offsets span 16/);
  });
});
