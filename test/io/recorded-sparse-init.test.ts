// A sparse init's record ({ name: 'sparse', connections: N }) is checked against the layers it would
// have drawn when a file is read: N above a dense layer's inputs (createNetwork refuses it: every input
// would be connected) or N not a whole number ≥ 1 is no init gradscope drew, and is refused with
// BAD_MODEL_FILE naming the file, the field and the layer, in every format that records it; N up to
// the narrowest layer's inputs is read back. Data in memory and net.loadState's record are checked the same way.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createNetwork, type Network } from '../../src/api/network.js';
import type { NetworkOptions } from '../../src/network/config.js';
import { blockModelOf, modelOf, networkFromModel } from '../../src/io/model-data.js';
import { checkpointOf, checkpointBytes } from '../../src/io/checkpoint.js';
import { readModelFile, writeModelFile } from '../../src/io/model-formats.js';
import { toSafetensors } from '../../src/io/safetensors.js';
import { expectError } from '../util/expect-error.js';
import { withSafetensorsMetadata } from '../util/file-metadata.js';

const folder = mkdtempSync(join(tmpdir(), 'gradscope-sparse-record-'));

// Dense layers of 4 and 5 inputs in both: connections 4 is possible, 5 is not (layer 0 has 4 inputs).
const DENSE = { sizes: [4, 5, 3], activation: 'relu', output: 'softmax', backend: 'ref' } as const;
const BLOCKS = { inputs: 4, layers: [{ type: 'dense', units: 5, activation: 'relu' }, { type: 'batch-norm' }, { type: 'dense', units: 3, activation: 'softmax' }], backend: 'ref' } as const;
// How the refusals name the first dense layer: a chain's as createNetwork does, a block network's by its spec's path in the file (…layers[0]).
const FIRST_LAYER = { dense: 'layer 0 \\(4 → 5\\)', blocks: 'layers\\[0\\]' };

const sparse = (connections: unknown) => ({ init: { name: 'sparse', connections }, biasInit: 'zero' });

async function drawn(kind: 'dense' | 'blocks'): Promise<Network> {
  return createNetwork({ ...(kind === 'dense' ? DENSE : BLOCKS), init: { name: 'sparse', connections: 3 }, seed: 2 } as NetworkOptions);
}

/** Each format's file of `net` with its record replaced by `record`, as the path readModelFile reads and the record's field as the file names it. */
const FORMATS: { name: string; write: (net: Network, kind: 'dense' | 'blocks', record: object, stem: string) => Promise<{ path: string; field: string }> }[] = [
  {
    name: 'JSON model',
    async write(net, kind, record, stem) {
      const path = join(folder, `${stem}.json`);
      writeFileSync(path, JSON.stringify({ ...net.toJSON(), initialisation: record }));
      return { path, field: kind === 'dense' ? 'initialisation' : 'model\\.initialisation' };
    },
  },
  {
    name: 'binary checkpoint',
    async write(net, _kind, record, stem) {
      const path = join(folder, `${stem}.bin`);
      const checkpoint = checkpointOf(net);
      writeFileSync(path, checkpointBytes({ ...checkpoint, model: { ...checkpoint.model, initialisation: record } as never }));
      return { path, field: 'header\\.initialisation' };
    },
  },
  {
    name: 'safetensors',
    async write(net, _kind, record, stem) {
      const path = join(folder, `${stem}.safetensors`);
      writeFileSync(path, withSafetensorsMetadata(toSafetensors(net), 'initialisation', JSON.stringify(record)));
      return { path, field: '__metadata__\\.initialisation' };
    },
  },
  {
    name: 'tfjs',
    async write(net, kind, record, stem) {
      const dir = join(folder, `${stem}-tfjs/`);
      mkdirSync(dir, { recursive: true });
      await writeModelFile(kind === 'dense' ? modelOf(net) : blockModelOf(net), dir);
      const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
      json.userDefinedMetadata.gradscope.initialisation = record;
      writeFileSync(join(dir, 'model.json'), JSON.stringify(json));
      return { path: dir, field: 'userDefinedMetadata\\.gradscope\\.initialisation' };
    },
  },
];

describe.each(['dense', 'blocks'] as const)('a sparse init recorded for a %s network', (kind) => {
  it.each(FORMATS.map((f) => [f.name, f] as const))('in a %s file: refused when no such network could be drawn by it, read when one could', async (_name, format) => {
    const net = await drawn(kind);
    const stem = `${kind}-${format.name.replace(/ /g, '-')}`;
    const wider = await format.write(net, kind, sparse(5), `${stem}-5`);
    const file = wider.path.replace(/\/$/, '').split('/').pop()!.replace(/\./g, '\\.');
    await expectError(
      () => readModelFile(wider.path),
      'BAD_MODEL_FILE',
      new RegExp(`${file}.*: ${wider.field}\\.init\\.connections: 5 connections per unit, but ${kind === 'dense' ? FIRST_LAYER.dense : `${wider.field.replace('initialisation', 'layers')}\\[0\\]`} has 4 inputs: a sparse init connects at most every input of each dense layer`),
    );
    for (const impossible of [0, -3, 2.5]) {
      const { path, field } = await format.write(net, kind, sparse(impossible), `${stem}-${impossible}`);
      await expectError(() => readModelFile(path), 'BAD_MODEL_FILE', new RegExp(`: ${field}\\.init: .*connections, a whole number ≥ 1, got ${impossible}`));
    }
    const { path } = await format.write(net, kind, sparse(4), `${stem}-4`);
    expect((await readModelFile(path)).initialisation).toEqual(sparse(4));
  });
});

describe('a sparse init recorded beyond a layer in memory', () => {
  it('is refused by networkFromModel and net.loadState, naming the layer, and nothing changes', async () => {
    for (const kind of ['dense', 'blocks'] as const) {
      const net = await drawn(kind);
      const data = kind === 'dense' ? modelOf(net) : blockModelOf(net);
      const layer = kind === 'dense' ? FIRST_LAYER.dense : 'model\\.layers\\[0\\]';
      await expectError(() => networkFromModel({ ...data, initialisation: sparse(5) } as never, { backend: 'ref' }), 'BAD_MODEL_FILE', new RegExp(`^model\\.initialisation\\.init\\.connections: 5 connections per unit, but ${layer} has 4 inputs`));
      const before = net.state();
      await expectError(() => net.loadState(before, { initialisation: sparse(5) as never }), 'BAD_MODEL_FILE', new RegExp(`^initialisation\\.init\\.connections: 5 connections per unit, but ${FIRST_LAYER[kind]} has 4 inputs`));
      expect(net.initialisation).toEqual(sparse(3));
      net.loadState(before, { initialisation: sparse(4) as never });
      expect(net.initialisation).toEqual(sparse(4));
    }
  });
});
