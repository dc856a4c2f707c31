// Whatever saves, loads: createNetwork, saveModel and the exporters refuse what a reader would
// refuse (one set of rules, src/model-limits.ts), and a save that succeeds loads back bit
// for bit, in every format that can be read (property test over random configurations).
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GradscopeError } from '../../src/errors.js';
import { loadCheckpoint, saveModel } from '../../src/io/files.js';
import { checkpointOf, checkpointToJSON } from '../../src/io/checkpoint.js';
import { FILE_LIMITS, RUNAWAY_PARAMETER } from '../../src/model-limits.js';
import { MAX_INIT_STD } from '../../src/init/initializers.js';
import { blockModelOf, modelOf } from '../../src/io/model-data.js';
import { readModelFile, writeModelFile } from '../../src/io/model-formats.js';
import { toSafetensors } from '../../src/io/safetensors.js';
import { ACTIVATIONS, type Loss, type OutputActivation, type Tensor } from '../../src/kernels.js';
import { checkModelJsonSize, MODEL_LIMITS, modelJsonText, type ModelData, type ModelFile } from '../../src/network/model-file.js';
import { createNetwork, type Network } from '../../src/api/network.js';
import { Sgd } from '../../src/optim/sgd.js';
import { createWasmKernels } from '../../src/wasm/wasm-kernels.js';
import { expectError } from '../util/expect-error.js';
import { grouped } from '../../src/counted.js';

const folder = mkdtempSync(join(tmpdir(), 'gradscope-save-load-'));
const kernels = await createWasmKernels();

/** The float32 bits of every value, so −0 and 0 differ. */
function bits(tensors: ArrayLike<number>[]): number[] {
  return tensors.flatMap((t) => Array.from(new Uint32Array(Float32Array.from(t).buffer)));
}

function parameterBits(net: Network): number[] {
  return bits([...net.weights, ...net.biases].map((t) => net.kernels.view(t)));
}

describe('whatever saves, loads', () => {
  it('a network deeper than the model formats store is refused at creation; the deepest allowed saves and loads', async () => {
    const deepest = MODEL_LIMITS.maxLayers;
    await expectError(() => createNetwork({ sizes: new Array(deepest + 2).fill(1), backend: kernels }), 'INVALID_OPTION', /sizes: 1,025 layers exceeds the limit of 1,024/);
    await expectError(
      () => createNetwork({ inputs: 1, layers: new Array(deepest + 1).fill({ units: 1, activation: 'tanh' }), loss: 'mse', backend: kernels }),
      'INVALID_OPTION',
      /layers: 1,025 layers exceeds the limit/,
    );
    const net = await createNetwork({ sizes: new Array(deepest + 1).fill(1), output: 'linear', loss: 'mse', backend: kernels });
    const path = join(folder, 'deep.gsc');
    await saveModel(net, path);
    const { network } = await loadCheckpoint(path, { backend: kernels });
    expect(network.depth).toBe(deepest);
    expect(parameterBits(network)).toEqual(parameterBits(net));
    net.dispose();
    network.dispose();
  });

  it('initialisations whose values could pass RUNAWAY_PARAMETER are refused at creation; the largest allowed save and load', async () => {
    const beyond = /beyond ±1\.80e\+16, the largest parameter training keeps and model files hold/;
    await expectError(() => createNetwork({ sizes: [2, 3], biasInit: { name: 'constant', value: 1e39 }, backend: kernels }), 'INVALID_OPTION', /biasInit: value 1e\+39 is beyond ±1\.80e\+16/);
    // Echoed as givenFloat32Text writes a number the core holds as float32: 1e20, not its 21 digits.
    await expectError(() => createNetwork({ sizes: [2, 3], biasInit: { name: 'constant', value: 1e20 }, backend: kernels }), 'INVALID_OPTION', /^biasInit: value 1e\+20 is beyond ±1\.80e\+16/);
    await expectError(() => createNetwork({ sizes: [2, 3], biasInit: { name: 'constant', value: -123456789e11 }, backend: kernels }), 'INVALID_OPTION', /^biasInit: value -1\.2345679e\+19 is beyond ±1\.80e\+16/);
    await expectError(() => createNetwork({ sizes: [2, 3], biasInit: { name: 'constant', value: -3.4e38 }, backend: kernels }), 'INVALID_OPTION', beyond);
    await expectError(() => createNetwork({ sizes: [2, 3], biasInit: { name: 'constant', value: 2 * RUNAWAY_PARAMETER }, backend: kernels }), 'INVALID_OPTION', beyond);
    await expectError(() => createNetwork({ sizes: [2, 3], biasInit: { name: 'normal', std: 1e16 }, backend: kernels }), 'INVALID_OPTION', /biasInit: \{ name: 'normal' \} needs a std ≤ 2\.09e\+15 \(its draws, up to 8\.58·std, must stay within ±1\.80e\+16/);
    await expectError(() => createNetwork({ sizes: [2, 3], init: { name: 'normal', std: 1e16 }, backend: kernels }), 'INVALID_OPTION', /init: \{ name: 'normal' \} needs a std > 0 and ≤ 2\.09e\+15 \(its draws, up to 8\.58·std, must stay within ±1\.80e\+16/);
    // The bound as printed is taken (MAX_INIT_STD is 2.0996e15: to 2 digits, 2.1e+15, it was refused).
    await expectError(() => createNetwork({ sizes: [2, 3], init: { name: 'normal', std: 2.1e15 }, backend: kernels }), 'INVALID_OPTION', /needs a std > 0 and ≤ 2\.09e\+15/);
    (await createNetwork({ sizes: [2, 3], init: { name: 'normal', std: 2.09e15 }, biasInit: { name: 'normal', std: 2.09e15 }, backend: kernels })).dispose();
    // The largest of each is saved and loaded back: whatever createNetwork makes, save() takes.
    const largest = [
      { init: { name: 'normal', std: MAX_INIT_STD }, biasInit: { name: 'normal', std: MAX_INIT_STD } },
      { init: 'standard', biasInit: { name: 'constant', value: -0.999 * RUNAWAY_PARAMETER } },
    ] as const;
    for (const [i, options] of largest.entries()) {
      const net = await createNetwork({ sizes: [64, 64, 2], output: 'linear', loss: 'mse', ...options, seed: 3, backend: kernels });
      const path = join(folder, `largest-init-${i}.gsc`);
      await saveModel(net, path);
      const { network } = await loadCheckpoint(path, { backend: kernels });
      expect(parameterBits(network)).toEqual(parameterBits(net));
      net.dispose();
      network.dispose();
    }
  });

  it('a network holding a non-finite value is refused by saveModel and every exporter, and no file is written', async () => {
    const net = await createNetwork({ sizes: [2, 3, 1], output: 'linear', loss: 'mse', backend: kernels });
    net.kernels.write(net.biases[0], [0, Infinity, 0]); // what an overflowing update leaves behind
    for (const format of ['json', 'binary'] as const) {
      const path = join(folder, `inf.${format}`);
      await expectError(() => saveModel(net, path, { format }), 'INVALID_OPTION', /net\.biases\[0\]\[1\]: Infinity is not a finite number/);
      expect(existsSync(path)).toBe(false);
    }
    await expectError(() => toSafetensors(net), 'INVALID_OPTION', /net\.biases\[0\]\[1\]: Infinity/);
    await expectError(() => writeModelFile(modelOf(net), join(folder, 'inf-model.json')), 'INVALID_OPTION', /model\.biases\[0\]\[1\]: Infinity/);
    expect(existsSync(join(folder, 'inf-model.json'))).toBe(false);
    // toJSON too, in the same words: it wrote the Infinity as null, silently, and Network.fromJSON then blamed the tensor's length (edges47 #4).
    expect(() => net.toJSON()).toThrow(/^net\.biases\[0\]\[1\]: Infinity is not a finite number$/);
    net.kernels.write(net.biases[0], [0, 0, 0]);
    net.kernels.view(net.weights[1])[2] = NaN;
    expect(() => net.toJSON()).toThrow(/^net\.weights\[1\]\[2\]: NaN is not a finite number$/);
    await expectError(() => saveModel(net, join(folder, 'nan.json')), 'INVALID_OPTION', /^net\.weights\[1\]\[2\]: NaN is not a finite number$/);
    net.dispose();
  });

  it("an optimiser state holding a non-finite value is refused with the optimiser's tensor named", async () => {
    const net = await createNetwork({ sizes: [2, 3, 1], output: 'linear', loss: 'mse', backend: kernels });
    const sgd = new Sgd(net, { momentum: 0.9 });
    net.train([[1, 2]], [[3]], { optimizer: sgd });
    // restore() refuses it (see test/optim), so it is planted in the buffer itself, as a custom optimiser could hold it.
    const state = sgd.state();
    state.tensors[1][0] = NaN;
    await expectError(() => sgd.restore(state), 'INVALID_OPTION', /^sgd: restore: tensors\[1\]\[0\] is NaN \(0\.bias\); expected a finite number$/);
    net.kernels.view((sgd as unknown as { buffers: Tensor[][] }).buffers[1][0])[0] = NaN;
    await expectError(() => saveModel(net, join(folder, 'nan-momentum.gsc'), { optimizer: sgd }), 'INVALID_OPTION', /optimizer\.tensors\[1\]\[0\]: NaN is not a finite number/);
    sgd.dispose();
    net.dispose();
  });

  it('a file larger than loadModel reads is refused on save, and nothing is written', async () => {
    const net = await createNetwork({ sizes: [20, 20, 2], backend: kernels });
    const path = join(folder, 'too-big.json');
    // The real limit is 256 MiB of JSON; lowered here so the test needs kilobytes, not a 30M-weight network.
    const limits = FILE_LIMITS as { maxJsonBytes: number };
    const real = limits.maxJsonBytes;
    limits.maxJsonBytes = 1000;
    try {
      await expectError(() => saveModel(net, path), 'INVALID_OPTION', /too-big\.json: its JSON text passes 1,000 bytes, the most a JSON model file may hold; save it in the binary format \(format: 'binary', or a path ending in \.bin\); nothing was written/);
      expect(existsSync(path)).toBe(false);
      await saveModel(net, join(folder, 'not-too-big.gsc'));
      // convert's writer (gradscope convert IN OUT.json) had no limit at all.
      const converted = join(folder, 'too-big-converted.json');
      await expectError(() => writeModelFile(modelOf(net), converted), 'INVALID_OPTION', /too-big-converted\.json: its JSON text passes 999 bytes, .*write it as \.safetensors/);
      expect(existsSync(converted)).toBe(false);
    } finally {
      limits.maxJsonBytes = real;
    }
    net.dispose();
  });

  it('a JSON file too large is refused before its arrays are built: no tensor is copied into a plain array first (saveModel, toJSON, writeModelFile)', async () => {
    // At 20.8M weights (below) the arrays took ~1 s of CPU and the text up to the limit more, before the refusal.
    const dense = await createNetwork({ sizes: [20, 20, 2], backend: kernels });
    const blocks = await createNetwork({ inputs: 6, layers: [{ type: 'dense', units: 8, activation: 'relu' }, { type: 'batch-norm' }, { type: 'dense', units: 2, activation: 'softmax' }], backend: kernels });
    const limits = FILE_LIMITS as { maxJsonBytes: number };
    const real = limits.maxJsonBytes;
    // A tensor is copied into an array made at its length (copiedNumbers: new Array(n), then each value): those are counted
    // (Array.from, which the files' row lists are made by, goes to the real Array: it would construct through the proxy).
    const realArray = Array;
    let tensorsCopied = 0;
    globalThis.Array = new Proxy(realArray, {
      get: (target, key) => (key === 'from' ? target.from.bind(target) : Reflect.get(target, key)),
      construct(target, args: unknown[]) {
        if (args.length === 1 && typeof args[0] === 'number' && args[0] > 0) tensorsCopied++;
        return Reflect.construct(target, args) as object;
      },
    });
    limits.maxJsonBytes = 1000;
    try {
      for (const net of [dense, blocks]) {
        const path = join(folder, `too-big-${net.kind}.json`);
        await expectError(() => saveModel(net, path), 'INVALID_OPTION', /its JSON text passes 1,000 bytes/);
        await expectError(() => net.toJSON(), 'INVALID_OPTION', /^toJSON: its JSON text passes 1,000 bytes/);
        const converted = join(folder, `too-big-${net.kind}-converted.json`);
        await expectError(() => writeModelFile(net.kind === 'blocks' ? blockModelOf(net) : modelOf(net), converted), 'INVALID_OPTION', /its JSON text passes 999 bytes/);
        expect(tensorsCopied, net.kind).toBe(0);
        expect(existsSync(path)).toBe(false);
        expect(existsSync(converted)).toBe(false);
      }
      limits.maxJsonBytes = real;
      expect((dense.toJSON() as ModelFile).layers[0].weights[0]).toHaveLength(20); // what fits is built as before
      expect(tensorsCopied).toBeGreaterThan(0);
    } finally {
      globalThis.Array = realArray;
      limits.maxJsonBytes = real;
    }
    dense.dispose();
    blocks.dispose();
  });

  describe('a network whose JSON text would outgrow the longest string V8 builds', () => {
    // 20.8M weights, each written as JSON's longest number (25 characters: see LONGEST_NUMBER's test below) and a comma or
    // bracket: more than 26 characters a weight, past V8's longest string (2²⁹ − 24 characters), and well within MODEL_LIMITS.
    // Each refusal formatted numbers up to FILE_LIMITS.maxJsonBytes (10.3M of them) whatever the network's size beyond; now
    // it counts each number's fewest characters (json-number-bounds) up to the limit and formats none, but the network stays
    // as small as the premise allows and each refusal has a test of its own: with 28M random weights, both refusals in one
    // test cost ~10 s of CPU when they formatted, which under load passed its 120 s.
    const sizes = [4000, 4000, 1200, 10];
    const weightCount = sizes.slice(1).reduce((sum, units, l) => sum + units * sizes[l], 0);
    const longest = Math.fround(-5.9065810091851745e-6);
    let net: Network;
    beforeAll(async () => {
      net = await createNetwork({ sizes, backend: kernels });
      for (const [l, w] of net.weights.entries()) net.kernels.write(w, new Float32Array(sizes[l] * sizes[l + 1]).fill(longest));
    });
    afterAll(() => net?.dispose());

    it('is past V8 (a string of 26 characters a weight is refused with a RangeError)', () => {
      expect(JSON.stringify(longest)).toHaveLength(25);
      expect(() => 'x'.repeat(26 * weightCount)).toThrow(RangeError);
    });

    it('is refused on save as JSON (not a RangeError), and nothing is written', async () => {
      const path = join(folder, 'large.json');
      await expectError(() => saveModel(net, path, { format: 'json' }), 'INVALID_OPTION', /large\.json: its JSON text passes 268,435,456 bytes, .*binary format/);
      expect(existsSync(path)).toBe(false);
    });

    it('is refused by toJSON, where JSON.stringify(net) threw V8\'s RangeError (\'Invalid string length\') in the caller\'s code', async () => {
      await expectError(() => JSON.stringify(net), 'INVALID_OPTION', /^toJSON: its JSON text passes 268,435,456 bytes, the most a JSON model file may hold; save it in a binary format instead/);
    });
  });

  it('toJSON refuses a model whose JSON text would pass FILE_LIMITS.maxJsonBytes, counted as saveModel counts it, and nothing else', async () => {
    const dense = await createNetwork({ sizes: [20, 20, 2], backend: kernels });
    const blocks = await createNetwork({ inputs: 6, layers: [{ type: 'dense', units: 8, activation: 'relu' }, { type: 'batch-norm' }, { type: 'dense', units: 2, activation: 'softmax' }], backend: kernels });
    const limits = FILE_LIMITS as { maxJsonBytes: number };
    const real = limits.maxJsonBytes;
    try {
      for (const net of [dense, blocks]) {
        const text = modelJsonText(net.toJSON(), Infinity, 'toJSON', '');
        expect(JSON.stringify(net.toJSON()).length, net.kind).toBeLessThanOrEqual(text.length);
        // Exactly the text's bytes fit (numbers are shorter than the bound toJSON tries first, so this is the exact count); one less does not.
        limits.maxJsonBytes = text.length;
        expect(JSON.stringify(net), net.kind).toBe(JSON.stringify(JSON.parse(text)));
        limits.maxJsonBytes = text.length - 1;
        await expectError(
          () => net.toJSON(),
          'INVALID_OPTION',
          new RegExp(`^toJSON: its JSON text passes ${grouped(text.length - 1)} bytes, the most a JSON model file may hold; save it in a binary format instead: saveModel\\(net, path\\) with a path ending in \\.bin, or toSafetensors\\(net\\)$`),
        );
        limits.maxJsonBytes = real;
      }
    } finally {
      limits.maxJsonBytes = real;
    }
    dense.dispose();
    blocks.dispose();
  });

  it("toJSON's first bound holds numbers at their longest: 25 characters, as JSON writes a float32 weight near 6e-6", () => {
    const weight = Math.fround(-5.9065810091851745e-6);
    expect(JSON.stringify(weight)).toBe('-0.0000059065810091851745');
    const value = { weights: Array.from({ length: 1000 }, () => weight) };
    const bytes = modelJsonText(value, Infinity, 'toJSON', '').length;
    // One byte short of the text: the bound must not let it through (with 24-character numbers it fell 1,000 bytes short of the text).
    expect(() => checkModelJsonSize(value, bytes - 1, 'toJSON', 'advice')).toThrow(/^toJSON: its JSON text passes \d{1,3}(,\d{3})* bytes/);
    expect(() => checkModelJsonSize(value, bytes, 'toJSON', 'advice')).not.toThrow();
  });

  it('JSON keeps −0 (JSON.stringify would write 0)', async () => {
    const net = await createNetwork({ sizes: [2, 2], output: 'linear', loss: 'mse', biasInit: { name: 'constant', value: -0 }, backend: kernels });
    const path = join(folder, 'negative-zero.json');
    await saveModel(net, path);
    const { network } = await loadCheckpoint(path, { backend: kernels });
    expect(Object.is(network.kernels.view(network.biases[0])[0], -0)).toBe(true);
    expect(parameterBits(network)).toEqual(parameterBits(net));
    await writeModelFile(modelOf(net), path);
    expect(Object.is(((await readModelFile(path)) as ModelData).biases[0][1], -0)).toBe(true);
    net.dispose();
    network.dispose();
  });

  it('the JSON writers write, from the tensors in place, the text of the data checkpointToJSON and toJSON hand out', async () => {
    const dense = await createNetwork({ sizes: [3, 4, 2], backend: kernels });
    const blocks = await createNetwork({ inputs: 6, layers: [{ type: 'dense', units: 8, activation: 'relu' }, { type: 'batch-norm' }, { type: 'dense', units: 2, activation: 'softmax' }], backend: kernels });
    for (const net of [dense, blocks]) {
      const sgd = new Sgd(net, { learningRate: 0.1, momentum: 0.9 });
      const path = join(folder, `in-place-${net.kind}.json`);
      await saveModel(net, path, { optimizer: sgd });
      expect(readFileSync(path, 'utf8'), net.kind).toBe(modelJsonText(checkpointToJSON(checkpointOf(net, sgd)), Infinity, '', ''));
      await writeModelFile(net.kind === 'blocks' ? blockModelOf(net) : modelOf(net), path);
      expect(readFileSync(path, 'utf8'), net.kind).toBe(`${modelJsonText(net.toJSON(), Infinity, '', '')}\n`);
      sgd.dispose();
      net.dispose();
    }
    // A JavaScript caller's tensors of another typed array are written as the numbers they hold, as a copy of them was.
    const path = join(folder, 'int-weights.json');
    const model = { loss: 'mse', sizes: [2, 1], activations: ['linear'], weights: [Int32Array.from([1, -2])], biases: [Float64Array.from([0.5])] } as unknown as ModelData;
    await writeModelFile(model, path);
    expect(JSON.parse(readFileSync(path, 'utf8')).layers[0]).toMatchObject({ weights: [[1, -2]], biases: [0.5] });
  });

  it('property: for random configurations, creation or saving refuses, or the load is bit-exact (300 cases, 5 formats)', async () => {
    const huge = fc.constantFrom(-0, 3.4e38, -3.4028234663852886e38, 3.5e38, 1e39, 5e-324, 1e-45);
    const biasInit = fc.oneof(
      fc.constant('zero' as const),
      fc.record({ name: fc.constant('constant' as const), value: fc.oneof(fc.double({ min: -10, max: 10, noNaN: true }), huge) }),
      fc.record({ name: fc.constant('normal' as const), std: fc.oneof(fc.double({ min: 0, max: 3, noNaN: true }), fc.constantFrom(2e15, 1e16, 1e30, 3e37, 1e38)) }),
    );
    const init = fc.oneof(
      fc.constantFrom('standard', 'glorot-uniform', 'he-normal', 'orthogonal') as fc.Arbitrary<string>,
      fc.record({ name: fc.constant('normal'), std: fc.oneof(fc.double({ min: 1e-3, max: 3, noNaN: true }), fc.constantFrom(1e15, 2e15, 1e16, 1e37)) }),
      fc.record({ name: fc.constant('sparse'), connections: fc.integer({ min: 1, max: 3 }) }),
    );
    const widths = fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 2, maxLength: 5 });
    const head = fc.constantFrom<[OutputActivation, Loss]>(['softmax', 'cross-entropy'], ['sigmoid', 'binary-cross-entropy'], ['linear', 'mse'], ['tanh', 'mse']);
    const format = fc.constantFrom('json', 'binary', 'gradscope.json', 'model.safetensors', 'tfjs/');
    let saved = 0;
    await fc.assert(
      fc.asyncProperty(widths, fc.constantFrom(...ACTIVATIONS), head, init, biasInit, fc.boolean(), format, fc.nat(), async (sizes, hidden, [output, loss], w, b, train, where, seed) => {
        let net: Network;
        try {
          net = await createNetwork({ sizes, activation: hidden, output, loss, init: w as never, biasInit: b, seed, backend: kernels });
        } catch (error) {
          expect((error as GradscopeError).code, String(error)).toBe('INVALID_OPTION');
          return;
        }
        const sgd = new Sgd(net, { momentum: 0.5 });
        try {
          if (train) {
            const x = [new Array(sizes[0]).fill(0.5)];
            const y = [Array.from({ length: sizes[sizes.length - 1] }, (_, j) => (j === 0 ? 1 : 0))];
            try {
              net.train(x, y, { optimizer: sgd, learningRate: 0.01 });
            } catch (error) {
              expect((error as GradscopeError).code, String(error)).toMatch(/DIVERGED|NON_FINITE_INPUT/);
            }
          }
          const path = join(folder, `p${saved}-${where}`);
          if (where === 'json' || where === 'binary') {
            try {
              await saveModel(net, path, { format: where, optimizer: sgd });
            } catch (error) {
              expect((error as GradscopeError).code, String(error)).toBe('INVALID_OPTION');
              expect(train, `an untrained network createNetwork made must save: ${String(error)}`).toBe(true);
              return;
            }
            const { network, checkpoint } = await loadCheckpoint(path, { backend: kernels });
            expect(parameterBits(network)).toEqual(parameterBits(net));
            expect([network.step, network.rng.getState()]).toEqual([net.step, net.rng.getState()]);
            expect(bits(checkpoint.optimizer!.tensors)).toEqual(bits(sgd.state().tensors));
            network.dispose();
          } else {
            try {
              await writeModelFile(modelOf(net), path);
            } catch (error) {
              expect((error as GradscopeError).code, String(error)).toBe('INVALID_OPTION');
              expect(train, `an untrained network createNetwork made must save: ${String(error)}`).toBe(true);
              return;
            }
            const model = (await readModelFile(path)) as ModelData;
            expect(bits([...model.weights, ...model.biases])).toEqual(parameterBits(net));
            expect([model.sizes, model.activations, model.loss]).toEqual([net.sizes, net.activationFunctions, net.loss]);
          }
          saved++;
        } finally {
          sgd.dispose();
          net.dispose();
        }
      }),
      { numRuns: 300, seed: 20261130 },
    );
    expect(saved).toBeGreaterThan(150); // most random configurations are valid and round-trip
  });
});
