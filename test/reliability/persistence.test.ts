// Saving and loading: bit-exact round trips, checkpoints that resume training bit for bit, atomic
// writes, and hostile files refused with BAD_MODEL_FILE.
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/init/rng.js';
import { crc32 } from '../../src/io/crc32.js';
import { grouped } from '../../src/counted.js';
import { GradscopeError } from '../../src/errors.js';
import { decodeCheckpoint, encodeCheckpoint, networkFromCheckpoint, restoreOptimizer, checkpointOf } from '../../src/io/checkpoint.js';
import { loadCheckpoint, loadModel, readCheckpoint, saveModel } from '../../src/io/files.js';
import { readModelFile, UNRECOGNISED_MODEL } from '../../src/io/model-formats.js';
import { createNetwork, Network } from '../../src/api/network.js';
import { Sgd } from '../../src/optim/sgd.js';
import { Adam } from '../../src/optim/adam.js';
import { createOptimizer, optimizerNames } from '../../src/optim/index.js';
import { createWasmKernels } from '../../src/wasm/wasm-kernels.js';
import { expectError } from '../util/expect-error.js';
import { stateHash } from '../util/state-hash.js';
import type { ModelData } from '../../src/network/model-file.js';

const folder = mkdtempSync(join(tmpdir(), 'gradscope-files-'));
const kernels = await createWasmKernels();
const rng = new Rng(21);
const X = Array.from({ length: 40 }, () => Array.from({ length: 5 }, () => rng.normal()));
const Y = X.map((row) => (row[0] + row[1] > 0 ? [1, 0, 0] : row[2] > 0 ? [0, 1, 0] : [0, 0, 1]));
const config = { sizes: [5, 7, 6, 3], activation: 'tanh', loss: 'cross-entropy', seed: 17, backend: kernels } as const;

function bits(net: Network): number[] {
  return [...net.weights, ...net.biases].flatMap((t) => Array.from(new Uint32Array(Float32Array.from(net.kernels.view(t)).buffer)));
}

describe('persistence (wasm)', () => {
  it.each(['json', 'binary'] as const)('%s: round trips are bit-exact (parameters, step, RNG state)', async (format) => {
    const net = await createNetwork(config);
    net.train(X, Y, { epochs: 2, batchSize: 8 });
    const path = join(folder, `round.${format}`);
    await saveModel(net, path, { format });
    const loaded = await loadModel(path, { backend: kernels });
    expect(bits(loaded)).toEqual(bits(net));
    expect(loaded.step).toBe(net.step);
    expect(loaded.rng.getState()).toEqual(net.rng.getState());
    expect(stateHash(loaded)).toBe(stateHash(net));
    net.dispose();
    loaded.dispose();
  });

  it('binary keeps −0 and denormals bit for bit', async () => {
    const net = await createNetwork(config);
    net.kernels.write(net.biases[0], [-0, 1e-45, -1e-40, 1.7e16, -1.7e16, 0.1, -0]);
    const back = decodeCheckpoint(encodeCheckpoint(checkpointOf(net)));
    expect(Array.from(new Uint32Array((back.model as ModelData).biases[0].buffer))).toEqual(Array.from(new Uint32Array(Float32Array.from(net.kernels.view(net.biases[0])).buffer)));
    net.dispose();
  });

  it.each(['json', 'binary'] as const)('%s: train 10 epochs == train 5, save, load, train 5, bit for bit', async (format) => {
    const options = { epochs: 5, batchSize: 6, learningRate: 0.05 } as const; // shuffled by the network's RNG
    const straight = await createNetwork(config);
    const sgd = new Sgd(straight, { momentum: 0.9, weightDecay: 1e-3 });
    straight.train(X, Y, { ...options, epochs: 10, optimizer: sgd });

    const first = await createNetwork(config);
    const firstSgd = new Sgd(first, { momentum: 0.9, weightDecay: 1e-3 });
    first.train(X, Y, { ...options, optimizer: firstSgd });
    const path = join(folder, `checkpoint.${format}`);
    await saveModel(first, path, { format, optimizer: firstSgd });
    first.dispose();

    const { network: resumed, checkpoint } = await loadCheckpoint(path, { backend: kernels });
    const resumedSgd = new Sgd(resumed, { momentum: 0.9, weightDecay: 1e-3 });
    restoreOptimizer(resumedSgd, checkpoint.optimizer);
    resumed.train(X, Y, { ...options, optimizer: resumedSgd });

    expect(bits(resumed)).toEqual(bits(straight));
    expect(stateHash(resumed, resumedSgd)).toBe(stateHash(straight, sgd));
    expect(resumed.step).toBe(straight.step);
    straight.dispose();
    resumed.dispose();
  });

  it('saves atomically: a failed save leaves the previous file and no temporary behind', async () => {
    const net = await createNetwork(config);
    const path = join(folder, 'atomic.bin');
    await saveModel(net, path);
    const before = readFileSync(path);
    net.train(X, Y, { epochs: 1 });
    const dead = await createNetwork(config);
    dead.dispose();
    await expectError(() => saveModel(dead, path), 'DISPOSED', /disposed/);
    await expectError(() => saveModel(net, path, { format: 'yaml' as never }), 'INVALID_OPTION', /format/);
    await expectError(() => saveModel(net, join(folder, 'missing', 'x.bin')), 'IO_ERROR', /x\.bin: cannot write \(the folder .*missing does not exist\)/);
    expect(readFileSync(path).equals(before)).toBe(true);
    expect(readdirSync(folder).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    await saveModel(net, path);
    expect(readFileSync(path).equals(before)).toBe(false);
    net.dispose();
  });
});

describe('hostile model files → BAD_MODEL_FILE', async () => {
  const net = await createNetwork({ ...config, sizes: [3, 4, 2] });
  const sgd = new Sgd(net, { momentum: 0.5 });
  net.train(X.map((r) => r.slice(0, 3)), Y.map((r) => [r[0], r[1] + r[2]]), { epochs: 1, optimizer: sgd });
  const good = encodeCheckpoint(checkpointOf(net, sgd));
  const file = (name: string, bytes: Uint8Array | string) => {
    const path = join(folder, name);
    writeFileSync(path, bytes);
    return path;
  };
  /** The file with its header replaced and the checksum redone, so only the header's content is wrong. */
  const withHeader = (header: object, payloadBytes = 0) => {
    const text = new TextEncoder().encode(JSON.stringify(header));
    const start = (16 + text.length + 3) & ~3;
    const bytes = new Uint8Array(start + payloadBytes + 4);
    bytes.set(good.subarray(0, 8));
    const view = new DataView(bytes.buffer);
    view.setUint32(8, 1, true);
    view.setUint32(12, text.length, true);
    bytes.set(text, 16);
    view.setUint32(bytes.length - 4, crc32(bytes, 0, bytes.length - 4), true);
    return bytes;
  };
  const header = { loss: 'cross-entropy', sizes: [3, 4, 2], activations: ['tanh', 'softmax'], step: 1, rng: [1, 2, 3, 4], optimizer: null };

  it('every truncation and every single-byte corruption', () => {
    // Each cut said exactly: shorter than the fixed header and checksum, shorter than its header says, else a checksum over what is left.
    const needs = ((16 + new DataView(good.buffer, good.byteOffset).getUint32(12, true) + 3) & ~3) + 4;
    const hex = (n: number) => `0x${n.toString(16).padStart(8, '0')}`;
    for (let n = 0; n < good.length; n++) {
      const cut = good.subarray(0, n);
      const said =
        n < 20
          ? `truncated: ${n} bytes is shorter than any model`
          : n < needs
            ? `truncated: the header alone needs ${grouped(needs)} bytes, the file has ${grouped(n)}`
            : `checksum mismatch (stored ${hex(new DataView(cut.buffer, cut.byteOffset).getUint32(n - 4, true))}, computed ${hex(crc32(cut, 0, n - 4))}): the file is corrupted or truncated`;
      expect(() => decodeCheckpoint(cut), `truncated to ${n}`).toThrow(new GradscopeError('BAD_MODEL_FILE', `decodeCheckpoint: ${said}`));
    }
    for (let i = 0; i < good.length; i++) {
      const bad = good.slice();
      bad[i] ^= 1 << (i % 8);
      expect(() => decodeCheckpoint(bad), `byte ${i} flipped`).toThrow(expect.objectContaining({ code: 'BAD_MODEL_FILE' }));
    }
  });

  it('wrong version, huge header, huge dimensions, short payload, NaN weights, bad RNG', async () => {
    const version = good.slice();
    new DataView(version.buffer).setUint32(8, 3, true);
    await expectError(() => loadModel(file('v3.bin', version)), 'BAD_MODEL_FILE', /v3\.bin: version: this gradscope reads binary versions 1 and 2, got 3/);
    const hugeHeader = good.slice();
    new DataView(hugeHeader.buffer).setUint32(12, 0xffffffff, true);
    await expectError(() => loadModel(file('hh.bin', hugeHeader)), 'BAD_MODEL_FILE', /header: 4,294,967,295 bytes exceeds/);
    await expectError(() => loadModel(file('wide.bin', withHeader({ ...header, sizes: [1 << 20, 1 << 20, 2] }))), 'BAD_MODEL_FILE', /wide\.bin: header: 1,099,514,773,506 parameters exceeds the limit of 268,435,456/);
    // Within the parameter limit but far beyond the file: refused before allocating 2^26 floats.
    await expectError(() => loadModel(file('big.bin', withHeader({ ...header, sizes: [1 << 13, 1 << 13, 2] }))), 'BAD_MODEL_FILE', /payload: 0 bytes, but the header describes/);
    const nanPayload = withHeader(header, 4 * (3 * 4 + 4 + 4 * 2 + 2));
    const view = new DataView(nanPayload.buffer);
    const payloadStart = nanPayload.length - 4 - 4 * 26;
    view.setFloat32(payloadStart + 4 * 5, NaN, true);
    view.setUint32(nanPayload.length - 4, crc32(nanPayload, 0, nanPayload.length - 4), true);
    await expectError(() => loadModel(file('nan.bin', nanPayload)), 'BAD_MODEL_FILE', /layers\[0\]\.weights\[1, 2\]: NaN is not a finite number/);
    await expectError(() => loadModel(file('rng.bin', withHeader({ ...header, rng: [0, 0, 0, 0] }, 104))), 'BAD_MODEL_FILE', /header\.rng/);
    await expectError(() => loadModel(file('lengths.bin', withHeader({ ...header, optimizer: { name: 'sgd', scalars: {}, lengths: [-1] } }, 104))), 'BAD_MODEL_FILE', /lengths\[0\]/);
    await expectError(() => loadModel(file('text.bin', withHeader({ ...header, sizes: 'many' }))), 'BAD_MODEL_FILE', /sizes/);
  });

  it("saveModel and checkpointOf refuse another network's optimiser (as train does) before any file is touched; restore names the misfit", async () => {
    const net = await createNetwork(config);
    const other = await createNetwork({ ...config, sizes: [5, 8, 6, 3] });
    const twin = await createNetwork(config); // the same shapes: its moments would fit and be wrong
    for (const owner of [other, twin]) {
      const adam = new Adam(owner);
      owner.train(X, Y, { epochs: 1, optimizer: adam });
      const path = join(folder, 'foreign-optimizer.gsc');
      await expectError(() => saveModel(net, path, { optimizer: adam }), 'INVALID_OPTION', /^optimizer: this 'adam' optimiser was created for another network$/);
      expect(readdirSync(folder)).not.toContain('foreign-optimizer.gsc');
      await expectError(() => checkpointOf(net, adam), 'INVALID_OPTION', /created for another network/);
      if (owner === other) {
        const state = adam.state();
        await expectError(() => restoreOptimizer(new Adam(net), state), 'INVALID_OPTION', /^adam: restore: tensors\[0\] holds 40 values, but this network's 0\.weight has 35: the state was saved from a network of another shape$/);
      }
      adam.dispose();
    }
    [net, other, twin].forEach((n) => n.dispose());
  });

  it("a field gradscope's model files do not have is refused, not dropped (a layer's dropout would load as no dropout)", async () => {
    const net = await createNetwork(config);
    const dense = net.toJSON() as unknown as { layers: Record<string, unknown>[] };
    const layers = [{ ...dense.layers[0], dropout: 0.5 }, ...dense.layers.slice(1)];
    await expectError(() => Network.fromJSON({ ...dense, layers }), 'BAD_MODEL_FILE', /^layers\[0\]: unknown field 'dropout' \(known: inputs, units, activation, weights, biases\); gradscope reads no such setting/);
    await expectError(() => Network.fromJSON({ ...dense, optimiser: 'adam' }), 'BAD_MODEL_FILE', /^model: unknown field 'optimiser'/);
    await expectError(() => loadModel(file('extra.json', JSON.stringify({ ...dense, trainig: {} }))), 'BAD_MODEL_FILE', /extra\.json: model: unknown field 'trainig'; did you mean 'training'\?/);
    const blocks = await createNetwork({ inputs: 5, layers: [{ type: 'dense', units: 4 }, { type: 'layer-norm' }, { type: 'dense', units: 3, activation: 'softmax' }], seed: 3, backend: kernels });
    const file2 = blocks.toJSON() as unknown as { tensors: Record<string, Record<string, unknown>> };
    await expectError(() => Network.fromJSON({ ...file2, dropout: 0.1 }), 'BAD_MODEL_FILE', /^model: unknown field 'dropout'/);
    const tensors = { ...file2.tensors, '0.bias': { ...file2.tensors['0.bias'], dtype: 'F16' } };
    await expectError(() => Network.fromJSON({ ...file2, tensors }), 'BAD_MODEL_FILE', /^model\.tensors\["0\.bias"\]: unknown field 'dtype' \(known: shape, values\)/);
    // A checkpoint's training section is the one field beyond the model's.
    const path = join(folder, 'with-training.json');
    await saveModel(net, path);
    (await loadModel(path, { backend: kernels })).dispose();
    [net, blocks].forEach((n) => n.dispose());
  });

  it('hostile JSON: deep nesting, empty rows of a huge layer, not JSON, not a file', async () => {
    const deep = `{"format":"gradscope.model","version":1,"loss":"mse","layers":${'['.repeat(100000)}${']'.repeat(100000)}}`;
    await expectError(() => loadModel(file('deep.json', deep)), 'BAD_MODEL_FILE', /layers\[0\]/);
    const rows = `[${Array((1 << 14) - 1).fill('[]').join(',')}]`;
    const wide = `{"format":"gradscope.model","version":1,"loss":"mse","layers":[{"inputs":16384,"units":16383,"activation":"linear","weights":${rows},"biases":[]}]}`;
    await expectError(() => loadModel(file('wide.json', wide)), 'BAD_MODEL_FILE', /weights\[0\]: expected 16,384 numbers/);
    await expectError(() => loadModel(file('junk.json', '\u0000\u00ff garbage')), 'BAD_MODEL_FILE', /junk\.json/);
    await expectError(() => loadModel(folder), 'IO_ERROR', /cannot read \(it is a folder, not a file; it holds .*\): pass the file itself, e\.g\. /);
    await expectError(() => loadModel(join(folder, 'nope.bin')), 'IO_ERROR', /nope\.bin: cannot read \(ENOENT: no such file or directory\)/);
  });
});

describe('a checkpoint is what saveModel writes', () => {
  it("loadCheckpoint and readCheckpoint refuse a model file (toJSON's), naming the file and what it is; loadModel reads it", async () => {
    const net = await createNetwork(config);
    const path = join(folder, 'plain-model.json');
    writeFileSync(path, JSON.stringify(net.toJSON()));
    const inUse = kernels.bytesInUse;
    const modelFile = /\/plain-model\.json: a model file, not a checkpoint: it has no "training" section \(the step, RNG state and optimiser state a run resumes from\); loadModel reads it, and saveModel\(net, path, \{ optimizer \}\) writes a checkpoint$/;
    await expectError(() => loadCheckpoint(path, { backend: kernels }), 'BAD_MODEL_FILE', modelFile);
    expect(kernels.bytesInUse).toBe(inUse); // no network was built
    // readCheckpoint gave it back as a step-0 checkpoint with an RNG state the file never held.
    await expectError(() => readCheckpoint(path), 'BAD_MODEL_FILE', modelFile);
    // Its { seed } (only a model file needed one) is refused, not dropped, from a JavaScript caller.
    await expectError(() => (readCheckpoint as (...args: unknown[]) => Promise<unknown>)(path, { seed: 3 }), 'INVALID_OPTION', /^readCheckpoint: takes the path alone, got 2 arguments/);
    const loaded = await loadModel(path, { backend: kernels });
    expect(bits(loaded)).toEqual(bits(net));
    // A checkpoint saved without an optimiser is still one (its step and RNG state resume the run): it loads, holding no optimiser state.
    for (const format of ['json', 'binary'] as const) {
      const saved = join(folder, `no-optimizer.${format}`);
      await saveModel(net, saved, { format });
      const { network, checkpoint } = await loadCheckpoint(saved, { backend: kernels });
      expect(checkpoint.optimizer).toBeUndefined();
      expect(await readCheckpoint(saved)).toEqual(checkpoint);
      network.dispose();
    }
    [net, loaded].forEach((n) => n.dispose());
  });

  it('loadCheckpoint and networkFromCheckpoint refuse a seed (INVALID_OPTION saying why), which the checkpoint\'s RNG state would override; loadModel takes it', async () => {
    const net = await createNetwork(config);
    net.train(X, Y, { epochs: 1, batchSize: 8 });
    const saved = join(folder, 'seeded.bin');
    await saveModel(net, saved);
    const inUse = kernels.bytesInUse;
    const why = /: seed: a checkpoint holds its own RNG state, which the network resumes from, so a seed would have no effect \(loadModel's seed seeds the network of a model file, which holds none\)$/;
    await expectError(() => loadCheckpoint(saved, { backend: kernels, seed: 3 } as never), 'INVALID_OPTION', new RegExp(`^loadCheckpoint${why.source}`));
    const checkpoint = checkpointOf(net);
    await expectError(() => networkFromCheckpoint(checkpoint, { backend: kernels, seed: 3 } as never), 'INVALID_OPTION', new RegExp(`^networkFromCheckpoint${why.source}`));
    expect(kernels.bytesInUse).toBe(inUse); // no network was built
    // The seed had no effect: the network resumed from the checkpoint's RNG state whatever it was.
    const { network } = await loadCheckpoint(saved, { backend: kernels });
    expect(network.rng.getState()).toEqual(net.rng.getState());
    // loadModel reads a checkpoint too, and its seed (for a model file's RNG) is still taken there, the file's state winning.
    const loaded = await loadModel(saved, { backend: kernels, seed: 3 });
    expect(loaded.rng.getState()).toEqual(net.rng.getState());
    [net, network, loaded].forEach((n) => n.dispose());
  });

  it('restoreOptimizer refuses another kind of state and a checkpoint without one (INVALID_OPTION naming both kinds), changing nothing', async () => {
    const net = await createNetwork(config);
    const sgd = new Sgd(net, { momentum: 0.5 });
    net.train(X, Y, { epochs: 1, batchSize: 8, optimizer: sgd });
    const adam = new Adam(net);
    net.train(X, Y, { epochs: 1, batchSize: 8, optimizer: adam });
    const before = JSON.stringify(adam.state(), (_key, value: unknown) => (value instanceof Float32Array ? Array.from(value) : value));
    // restoreOptimizer sees the registry and names the call; restore() cannot (src/optim/ is below it) and says only what is true of any name.
    await expectError(() => restoreOptimizer(adam, sgd.state()), 'INVALID_OPTION', /^adam: restore: the state is 'sgd' state, not 'adam' state: createOptimizer\(network, 'sgd'\) makes the optimiser that restores it$/);
    await expectError(() => adam.restore(sgd.state()), 'INVALID_OPTION', /^adam: restore: the state is 'sgd' state, not 'adam' state: only an optimiser named 'sgd' restores it$/);
    // What it says is so: that call makes an optimiser that takes the state.
    const made = createOptimizer(net, 'sgd');
    expect(() => made.restore(new Sgd(net).state())).not.toThrow();
    // A name no optimiser is registered under (a plugin's before registerOptimizer, or a corrupt state): no call is offered that would fail.
    const plugin = { ...sgd.state(), name: 'my-plugin' };
    await expectError(() => createOptimizer(net, 'my-plugin'), 'INVALID_OPTION', /unknown optimiser "my-plugin"/);
    await expectError(
      () => restoreOptimizer(adam, plugin),
      'INVALID_OPTION',
      new RegExp(`^adam: restore: the state is 'my-plugin' state, not 'adam' state: no optimiser named 'my-plugin' is registered \\(registered: ${optimizerNames().join(', ')}\\); only one registered under that name \\(registerOptimizer\\) restores it$`),
    );
    await expectError(() => restoreOptimizer(adam, undefined), 'INVALID_OPTION', /^adam: restore: the checkpoint holds no optimiser state \(saveModel saves one only when given \{ optimizer \}\)/);
    await expectError(() => adam.restore({ name: 5 } as never), 'INVALID_OPTION', /^adam: restore: the state's name is 5; expected 'adam'/);
    await expectError(() => adam.restore([] as never), 'INVALID_OPTION', /^adam: restore: expected an optimiser's state .*, got \[\]$/);
    expect(JSON.stringify(adam.state(), (_key, value: unknown) => (value instanceof Float32Array ? Array.from(value) : value))).toBe(before);
    [sgd, adam, made, net].forEach((o) => o.dispose());
  });
});

describe('loadModel of a file that is no model', () => {
  it("says what readModelFile (the CLI's --model) says of it, not 'not valid JSON'", async () => {
    const folder = mkdtempSync(join(tmpdir(), 'gradscope-not-a-model-'));
    const path = join(folder, 'README.md');
    writeFileSync(path, '# gradscope\n\nSee, explain and fix vanishing gradients.\n');
    const library = await loadModel(path).catch((error: Error) => error);
    const cli = await readModelFile(path).catch((error: Error) => error);
    expect(library).toBeInstanceOf(Error);
    expect((library as Error).message).toBe((cli as Error).message);
    expect((library as Error).message).toBe(`${path}: ${UNRECOGNISED_MODEL}`);
  });
});
