// A saved model remembers how its parameters were first drawn (init, biasInit, and whether LSUV
// rescaled them) in every format gradscope writes that has a place for it: the JSON model and
// checkpoint files, the binary checkpoint's header, safetensors' __metadata__ (a string, as the spec
// requires of every value there), tfjs' userDefinedMetadata, ONNX's metadata_props. Loading reads it
// back; a file without it still loads, recording none; a record this gradscope cannot read is refused
// with BAD_MODEL_FILE naming the file and the field.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createNetwork, Network, networkOfData } from '../../src/api/network.js';
import type { NetworkOptions } from '../../src/network/config.js';
import type { Initialisation } from '../../src/init/initialisation.js';
import { blockModelOf, modelOf, networkFromModel } from '../../src/io/model-data.js';
import { decodeCheckpoint, encodeCheckpoint, checkpointOf, checkpointBytes } from '../../src/io/checkpoint.js';
import { loadModel, readCheckpoint, saveModel } from '../../src/io/files.js';
import { readModelFile, writeModelFile } from '../../src/io/model-formats.js';
import { readSafetensors, toSafetensors } from '../../src/io/safetensors.js';
import { toOnnx } from '../../src/io/onnx.js';
import { fromTfjsLayers, toTfjsLayers } from '../../src/io/tfjs-layers.js';
import { blockModelFromTfjsLayers } from '../../src/io/tfjs-block-reader.js';
import { expectError } from '../util/expect-error.js';
import { onnxMetadata, safetensorsHeader, withSafetensorsMetadata } from '../util/file-metadata.js';

const folder = mkdtempSync(join(tmpdir(), 'gradscope-initialisation-'));
const rows = [[0.5, -1, 2, 0.3], [1, 0.2, -0.7, 0], [-0.4, 0.9, 0.1, 1.5], [0.2, 0.2, -1.1, 0.8]];

const DENSE = { sizes: [4, 5, 3], activation: 'relu', output: 'softmax', backend: 'ref' } as const;
const BLOCKS = { inputs: 4, layers: [{ type: 'dense', units: 5, activation: 'relu' }, { type: 'batch-norm' }, { type: 'dense', units: 3, activation: 'softmax' }], backend: 'ref' } as const;

/** Each way of drawing a network gradscope offers, with what the network records of it. */
const DRAWN: { options: Pick<NetworkOptions, 'init' | 'biasInit'>; recorded: Initialisation }[] = [
  { options: {}, recorded: { init: 'standard', biasInit: 'zero' } },
  { options: { init: 'he-normal', biasInit: { name: 'constant', value: 0.1 } }, recorded: { init: 'he-normal', biasInit: { name: 'constant', value: 0.1 } } },
  { options: { init: { name: 'normal', std: 0.05 }, biasInit: { name: 'normal', std: 0.01 } }, recorded: { init: { name: 'normal', std: 0.05 }, biasInit: { name: 'normal', std: 0.01 } } },
  { options: { init: { name: 'sparse', connections: 3 } }, recorded: { init: { name: 'sparse', connections: 3 }, biasInit: 'zero' } },
  // createNetwork's 'lsuv' starts from orthonormal weights; LSUV rescales them (here before saving, as saving requires).
  { options: { init: 'lsuv' }, recorded: { init: 'orthogonal', biasInit: 'zero', lsuv: true } },
];

async function drawn(kind: 'dense' | 'blocks', options: Pick<NetworkOptions, 'init' | 'biasInit'>): Promise<Network> {
  const net = await createNetwork({ ...(kind === 'dense' ? DENSE : BLOCKS), ...options, seed: 4 } as NetworkOptions);
  if (net.awaitingLsuv) net.initLsuv(rows);
  return net;
}

describe('every format gradscope writes records the initialisation, and reads it back', () => {
  for (const kind of ['dense', 'blocks'] as const) {
    for (const { options, recorded } of DRAWN) {
      it(`${kind}, ${JSON.stringify(options)}`, async () => {
        const net = await drawn(kind, options);
        expect(net.initialisation).toEqual(recorded);
        const data = kind === 'dense' ? modelOf(net) : blockModelOf(net);
        expect(data.initialisation).toEqual(recorded);
        const back: { format: string; initialisation: Initialisation | undefined }[] = [];
        const add = (format: string, initialisation: Initialisation | undefined) => back.push({ format, initialisation });

        add('toJSON', (await Network.fromJSON(JSON.parse(JSON.stringify(net.toJSON())), { backend: 'ref' })).initialisation);
        for (const file of ['model.json', 'model.bin']) {
          const path = join(folder, `${kind}-${back.length}-${file}`);
          await saveModel(net, path);
          add(`saveModel ${file}`, (await loadModel(path, { backend: 'ref' })).initialisation);
        }
        add('binary checkpoint', decodeCheckpoint(encodeCheckpoint(checkpointOf(net))).model.initialisation);
        const safetensors = toSafetensors(net);
        const metadata = safetensorsHeader(safetensors).__metadata__;
        expect(Object.values(metadata).every((value) => typeof value === 'string')).toBe(true);
        expect(JSON.parse(metadata.initialisation)).toEqual(recorded);
        add('safetensors', readSafetensors(safetensors).initialisation);
        add('networkFromModel(safetensors)', (await networkFromModel(readSafetensors(safetensors), { backend: 'ref' })).initialisation);
        const { modelJson, weightData } = toTfjsLayers(net);
        expect(modelJson.userDefinedMetadata.gradscope.initialisation).toEqual(recorded);
        const parsed = JSON.parse(JSON.stringify(modelJson));
        add('tfjs', (kind === 'dense' ? fromTfjsLayers(parsed, weightData) : blockModelFromTfjsLayers(parsed, weightData)).initialisation);
        const tfjsFolder = join(folder, `${kind}-tfjs-${back.length}/`);
        await writeModelFile(data, tfjsFolder);
        add('tfjs folder', (await readModelFile(tfjsFolder)).initialisation);
        expect(JSON.parse(onnxMetadata(toOnnx(net))['gradscope.initialisation'])).toEqual(recorded);

        for (const { format, initialisation } of back) expect(initialisation, format).toEqual(recorded);
        net.dispose();
      });
    }
  }

  it('a network loaded from a file that records it traces the same init, bias init and LSUV as the one saved', async () => {
    const net = await drawn('dense', { init: 'lsuv', biasInit: { name: 'constant', value: -0.2 } });
    const loaded = await Network.fromJSON(net.toJSON(), { backend: 'ref' });
    const y = rows.map((_, i) => [0, 1, 2].map((c) => (c === i % 3 ? 1 : 0)));
    for (const n of [net, loaded]) n.train(rows, y, { epochs: 1, batchSize: 2, trace: { every: 1 } });
    const { init, biasInit, lsuv } = net.trace!.run;
    expect({ init, biasInit, lsuv }).toEqual({ init: 'orthogonal', biasInit: { name: 'constant', value: -0.2 }, lsuv: true });
    expect([loaded.trace!.run.init, loaded.trace!.run.biasInit, loaded.trace!.run.lsuv]).toEqual([init, biasInit, lsuv]);
  });
});

describe('a file that records no initialisation', () => {
  it('loads with none recorded, and is saved again without one: nothing is invented', async () => {
    const net = await drawn('dense', { init: 'he-normal' });
    const json = net.toJSON();
    delete json.initialisation; // a file written before the field
    const loaded = await Network.fromJSON(json, { backend: 'ref' });
    expect(loaded.initialisation).toBeUndefined();
    expect(modelOf(loaded)).not.toHaveProperty('initialisation');
    expect(loaded.toJSON()).not.toHaveProperty('initialisation');
    expect(safetensorsHeader(toSafetensors(loaded)).__metadata__).not.toHaveProperty('initialisation');
    expect(toTfjsLayers(loaded).modelJson.userDefinedMetadata.gradscope).not.toHaveProperty('initialisation');
    expect(onnxMetadata(toOnnx(loaded))).not.toHaveProperty(['gradscope.initialisation']);
    const path = join(folder, 'unrecorded.bin');
    await saveModel(loaded, path);
    expect((await readCheckpoint(path)).model).not.toHaveProperty('initialisation');
    // A trace of it records none either: TraceRun.init absent, as diagnose() reads it.
    loaded.train(rows, [[1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 0, 0]], { epochs: 1, batchSize: 4, trace: { every: 1 } });
    expect(loaded.trace!.run).not.toHaveProperty('init');
    expect(loaded.trace!.run).not.toHaveProperty('biasInit');
  });

  it('a block network from data without it has none', async () => {
    const { initialisation, ...data } = blockModelOf(await drawn('blocks', {}));
    expect(initialisation).toEqual({ init: 'standard', biasInit: 'zero' });
    expect((await networkOfData(data, { backend: 'ref' })).initialisation).toBeUndefined();
  });
});

describe('a record this gradscope cannot read is refused, naming the file and the field', () => {
  const recorded = async () => modelOf(await drawn('dense', { init: 'he-normal' }));

  it('in a JSON model file', async () => {
    const path = join(folder, 'unknown-init.json');
    const file = (await drawn('dense', {})).toJSON() as unknown as Record<string, unknown>;
    const cases: [unknown, RegExp][] = [
      [{ init: 'he-uniform', biasInit: 'zero' }, /^.*unknown-init\.json: initialisation\.init: expected one of standard, glorot-uniform, .*got "he-uniform"/],
      [{ init: 'he-normal', biasInit: { name: 'uniform', std: 1 } }, /unknown-init\.json: initialisation\.biasInit: expected 'zero', \{ name: 'constant', value \} or \{ name: 'normal', std \}/],
      [{ init: 'he-normal' }, /unknown-init\.json: initialisation\.biasInit: missing$/],
      [{ init: 'lsuv', biasInit: 'zero' }, /unknown-init\.json: initialisation\.init: expected one of .*got "lsuv"/],
      [{ init: 'he-normal', biasInit: 'zero', lsuv: false }, /unknown-init\.json: initialisation\.lsuv: expected true \(or no field\), got false/],
      [{ init: 'he-normal', biasInit: 'zero', seed: 3 }, /unknown-init\.json: initialisation: .*seed/],
      ['he-normal', /unknown-init\.json: initialisation: expected \{ init, biasInit, lsuv\? \}, got the string "he-normal"/],
    ];
    for (const [initialisation, message] of cases) {
      writeFileSync(path, JSON.stringify({ ...file, initialisation }));
      await expectError(() => readModelFile(path), 'BAD_MODEL_FILE', message);
      await expectError(() => loadModel(path, { backend: 'ref' }), 'BAD_MODEL_FILE', message);
    }
  });

  it('in a binary checkpoint header', async () => {
    const path = join(folder, 'unknown-init.bin');
    const model = { ...(await recorded()), initialisation: { init: 'he-uniform', biasInit: 'zero' } } as never;
    writeFileSync(path, checkpointBytes({ model, step: 0, rng: [1, 2, 3, 4] }));
    await expectError(() => readCheckpoint(path), 'BAD_MODEL_FILE', /unknown-init\.bin: header\.initialisation\.init: expected one of .*got "he-uniform"/);
  });

  it("in safetensors' __metadata__", async () => {
    const path = join(folder, 'unknown-init.safetensors');
    const good = toSafetensors(await recorded());
    const withMetadata = (initialisation: string) => withSafetensorsMetadata(good, 'initialisation', initialisation);
    writeFileSync(path, withMetadata('he-normal'));
    await expectError(() => readModelFile(path), 'BAD_MODEL_FILE', /unknown-init\.safetensors: __metadata__\.initialisation: not valid JSON/);
    writeFileSync(path, withMetadata('{"init":"he-uniform","biasInit":"zero"}'));
    await expectError(() => readModelFile(path), 'BAD_MODEL_FILE', /unknown-init\.safetensors: __metadata__\.initialisation\.init: expected one of .*got "he-uniform"/);
    // The block reader reads gradscope's metadata the same way.
    const blocks = toSafetensors(blockModelOf(await drawn('blocks', {})));
    const header = safetensorsHeader(blocks);
    expect(JSON.parse(header.__metadata__.initialisation)).toEqual({ init: 'standard', biasInit: 'zero' });
  });

  it("in tfjs' userDefinedMetadata", async () => {
    for (const kind of ['dense', 'blocks'] as const) {
      const dir = join(folder, `unknown-init-tfjs-${kind}/`);
      const net = await drawn(kind, {});
      await writeModelFile(kind === 'dense' ? modelOf(net) : blockModelOf(net), dir);
      const jsonPath = join(dir, 'model.json');
      const json = JSON.parse(readFileSync(jsonPath, 'utf8'));
      json.userDefinedMetadata.gradscope.initialisation.biasInit = 'ones';
      writeFileSync(jsonPath, JSON.stringify(json));
      await expectError(() => readModelFile(dir), 'BAD_MODEL_FILE', /model\.json: userDefinedMetadata\.gradscope\.initialisation\.biasInit: expected 'zero'.*got "ones"/);
    }
  });

  it('in data given in memory: refused before anything is built or written', async () => {
    const bad = { ...(await recorded()), initialisation: { init: 'glorot', biasInit: 'zero' } } as never;
    await expectError(() => networkFromModel(bad, { backend: 'ref' }), 'BAD_MODEL_FILE', /^model\.initialisation\.init: expected one of .*got "glorot"/);
    const path = join(folder, 'never-written.safetensors');
    await expectError(() => writeModelFile(bad, path), 'INVALID_OPTION', /^model\.initialisation\.init: expected one of/);
    await expectError(() => readModelFile(path), 'IO_ERROR', /never-written\.safetensors/);
    await expectError(() => toOnnx(bad), 'INVALID_OPTION', /^model\.initialisation\.init/);
    const blocks = { ...blockModelOf(await drawn('blocks', {})), initialisation: { init: 'he-normal', biasInit: 'zero', lsuv: 1 } } as never;
    await expectError(() => toSafetensors(blocks), 'INVALID_OPTION', /^model\.initialisation\.lsuv: expected true \(or no field\), got 1/);
  });
});

describe("safetensors' header, byte by byte", () => {
  it('holds the initialisation as one more string of __metadata__, the layout otherwise as before', async () => {
    const net = await createNetwork({ sizes: [2, 2], output: 'linear', loss: 'mse', init: 'he-normal', biasInit: { name: 'constant', value: 0.5 }, backend: 'ref' });
    const bytes = toSafetensors(net);
    // Written out from the spec: every __metadata__ value a string, the tensors' entries after it, spaces to an 8-byte boundary.
    const json = String.raw`{"__metadata__":{"format":"gradscope.model","version":"1","loss":"mse","activations":"linear","pytorch":"nn.Sequential(nn.Linear(2, 2), nn.Identity())","initialisation":"{\"init\":\"he-normal\",\"biasInit\":{\"name\":\"constant\",\"value\":0.5}}"},"0.weight":{"dtype":"F32","shape":[2,2],"data_offsets":[0,16]},"0.bias":{"dtype":"F32","shape":[2],"data_offsets":[16,24]}}`;
    expect(json.length).toBe(371);
    const header = json + ' '.repeat(5);
    const expected = new Uint8Array(8 + header.length + 24);
    expect(header.length).toBe(376);
    expected.set([376 % 256, 376 >> 8, 0, 0, 0, 0, 0, 0]); // u64 little-endian
    expected.set(new TextEncoder().encode(header), 8);
    const data = new DataView(expected.buffer, 8 + header.length);
    const [w, b] = [modelOf(net).weights[0], modelOf(net).biases[0]];
    [...w, ...b].forEach((v, i) => data.setFloat32(4 * i, v, true));
    expect(Array.from(b)).toEqual([0.5, 0.5]);
    expect(Array.from(bytes)).toEqual(Array.from(expected));
    net.dispose();
  });
});
