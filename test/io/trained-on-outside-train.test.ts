// net.trainedOn describes the weights a network holds: changed outside train() (a write through
// net.kernels or one of its views, a kernel run on a parameter, an optimiser's step() called by hand,
// batch norm's γ or running statistics written through net.parameters() or net[MODEL]), the record
// is dropped, and no way of saving writes it. Before, only train(), initLsuv and loadState dropped
// it, so saveModel wrote a record that was false (fix28g, session 28).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createNetwork, type Network } from '../../src/api/network.js';
import { MODEL } from '../../src/model.js';
import { createOptimizer } from '../../src/optim/index.js';
import { blockModelOf, modelOf, networkFromModel } from '../../src/io/model-data.js';
import { readCheckpoint, saveModel } from '../../src/io/files.js';
import { readModelFile, writeModelFile } from '../../src/io/model-formats.js';
import { toOnnx } from '../../src/io/onnx.js';
import type { TrainedOn } from '../../src/trained-on.js';
import { onnxMetadata } from '../util/file-metadata.js';

const folder = mkdtempSync(join(tmpdir(), 'gradscope-trained-on-outside-train-'));
const RECORD: TrainedOn = { data: 'rows.json', rows: 4 };
const BACKENDS = ['ref', 'wasm'] as const;
type Backend = (typeof BACKENDS)[number];
type Kind = 'dense' | 'blocks';

const DENSE = { sizes: [4, 5, 3], activation: 'relu', output: 'softmax', seed: 4 } as const;
const BLOCKS = { inputs: 4, layers: [{ type: 'dense', units: 5, activation: 'relu' }, { type: 'batch-norm' }, { type: 'dense', units: 3, activation: 'softmax' }], seed: 4 } as const;
const X = [[0.1, 0.2, 0.3, 0.4], [0.5, -0.1, 0.2, 0.0], [-0.3, 0.4, 0.1, 0.2], [0.2, 0.2, -0.2, 0.6]];
const Y = [[1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 0, 0]];

const dataOf = (net: Network) => (net.kind === 'dense' ? modelOf(net) : blockModelOf(net));

/** A network loaded from model data recording RECORD. */
async function recordedNetwork(kind: Kind, backend: Backend): Promise<Network> {
  const made = await createNetwork({ ...(kind === 'dense' ? DENSE : BLOCKS), backend });
  const net = await networkFromModel({ ...dataOf(made), trainedOn: RECORD }, { backend });
  made.dispose();
  return net;
}

/** The parameter named `name`'s tensor. */
function parameter(net: Network, name: string) {
  return net.parameters().find((p) => p.name === name)!.value;
}

/** Every way a user changes a network's weights outside train(), each changing one value or more. */
const CHANGES: { name: string; kinds: readonly Kind[]; change: (net: Network) => void }[] = [
  {
    name: 'net.kernels.write of a weight',
    kinds: ['dense', 'blocks'],
    change: (net) => {
      const w = parameter(net, '0.weight');
      const values = Array.from(net.kernels.view(w));
      values[3] += 0.25;
      net.kernels.write(w, values);
    },
  },
  { name: 'a write into a view of a bias', kinds: ['dense', 'blocks'], change: (net) => void (net.kernels.view(parameter(net, '0.bias'))[1] += 0.25) },
  { name: 'a kernel run on a weight (net.kernels.scale)', kinds: ['dense', 'blocks'], change: (net) => net.kernels.scale(parameter(net, '0.weight'), 20, 0.5) },
  { name: 'net.weights[1] written (a dense network)', kinds: ['dense'], change: (net) => net.kernels.write(net.weights[1], [0.5], 7) },
  {
    name: "an optimiser's step() called by hand",
    kinds: ['dense', 'blocks'],
    change: (net) => {
      net.gradients(X, Y);
      const optimizer = createOptimizer(net, 'sgd');
      optimizer.step(net[MODEL], 0.1, X.length);
      optimizer.dispose();
    },
  },
  { name: "batch norm's γ written through net.parameters()", kinds: ['blocks'], change: (net) => net.kernels.write(parameter(net, '2.weight'), [2], 0) },
  { name: "batch norm's running variance written (net[MODEL].stateTensors())", kinds: ['blocks'], change: (net) => void (net.kernels.view(net[MODEL].stateTensors()[1])[0] += 0.5) },
];

/** Every way to read the record or write it to a file, each the first read after a change. */
const READS: { name: string; read: (net: Network, tag: string) => Promise<TrainedOn | undefined> }[] = [
  { name: 'net.trainedOn', read: async (net) => net.trainedOn },
  { name: 'net.toJSON()', read: async (net) => net.toJSON().trainedOn },
  { name: 'modelOf / blockModelOf', read: async (net) => dataOf(net).trainedOn },
  {
    name: 'toOnnx',
    read: async (net) => {
      const text = onnxMetadata(toOnnx(net))['gradscope.trainedOn'];
      return text === undefined ? undefined : JSON.parse(text);
    },
  },
  ...['ck.json', 'ck.bin'].map((name) => ({
    name: `saveModel to ${name}`,
    read: async (net: Network, tag: string) => {
      const path = join(folder, `${tag}-${name}`);
      await saveModel(net, path);
      return (await readCheckpoint(path)).trainedOn;
    },
  })),
  ...['model.json', 'model.safetensors', 'model-tfjs/'].map((name) => ({
    name: `writeModelFile to ${name}`,
    read: async (net: Network, tag: string) => {
      const path = join(folder, `${tag}-${name}`);
      await writeModelFile(net, path);
      return (await readModelFile(path)).trainedOn;
    },
  })),
];

describe('weights changed outside train() drop net.trainedOn', () => {
  for (const backend of BACKENDS) {
    for (const { name, kinds, change } of CHANGES) {
      for (const kind of kinds) {
        it(`${name} (${kind}, ${backend})`, async () => {
          const net = await recordedNetwork(kind, backend);
          expect(net.trainedOn).toEqual(RECORD);
          change(net);
          expect(net.trainedOn).toBeUndefined();
          // Dropped, not hidden: the same weights put back do not bring it back.
          net.loadState(net.state());
          expect(net.trainedOn).toBeUndefined();
          net.dispose();
        });
      }
    }
  }

  for (const { name, read } of READS) {
    for (const kind of ['dense', 'blocks'] as const) {
      it(`${name} writes no record after a write into a view (${kind}, wasm)`, async () => {
        const tag = `${kind}-${name.replace(/\W+/g, '-')}`;
        const kept = await recordedNetwork(kind, 'wasm');
        expect(await read(kept, `${tag}-kept`)).toEqual(RECORD);
        const changed = await recordedNetwork(kind, 'wasm');
        changed.kernels.view(parameter(changed, '2.weight'))[0] += 2 ** -20;
        expect(await read(changed, `${tag}-changed`)).toBeUndefined();
        expect(changed.trainedOn).toBeUndefined();
        kept.dispose();
        changed.dispose();
      });
    }
  }

  it('what leaves the weights as they are keeps it: the same values written, predicting, evaluating, gradients, the step count', async () => {
    for (const kind of ['dense', 'blocks'] as const) {
      const net = await recordedNetwork(kind, 'wasm');
      const w = parameter(net, '0.weight');
      net.kernels.write(w, Float32Array.from(net.kernels.view(w)));
      net.predict(X);
      net.evaluate(X, Y);
      net.gradients(X, Y);
      net.step = 12;
      expect(net.trainedOn, kind).toEqual(RECORD);
      net.dispose();
    }
  });
});
