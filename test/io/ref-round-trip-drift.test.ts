// docs/interop.md's precision paragraph: every file format holds float32, so a ref network (float64)
// comes back with each weight rounded to the nearest float32 (Math.fround) and its predictions moved
// by at most 1e-7 on this network; a wasm network (float32) comes back bit for bit.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createNetwork, type Network } from '../../src/api/network.js';
import { Rng } from '../../src/init/rng.js';
import { networkFromModel } from '../../src/io/model-data.js';
import { readModelFile, writeModelFile } from '../../src/io/model-formats.js';

/** The most a prediction moves after a round trip, as docs/interop.md says it. */
const DOCUMENTED_DRIFT = 1e-7;

const folder = mkdtempSync(join(tmpdir(), 'gradscope-drift-'));
const rng = new Rng(3);
const X = Array.from({ length: 64 }, () => Array.from({ length: 8 }, () => rng.normal()));
const Y = X.map((row) => (row[0] > 0 ? [1, 0] : [0, 1]));

async function trained(backend: 'ref' | 'wasm'): Promise<Network> {
  const net = await createNetwork({ sizes: [8, 16, 16, 2], activation: 'tanh', loss: 'cross-entropy', seed: 2, backend });
  net.train(X, Y, { epochs: 20, batchSize: 8, learningRate: 0.1 });
  return net;
}

const largestChange = (a: ArrayLike<number>, b: ArrayLike<number>) => Array.from(a).reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);

describe.each(['model.json', 'model.safetensors', 'tfjs-folder/'])('a round trip through %s', (name) => {
  it('rounds a ref network to float32: each weight to Math.fround of itself, its predictions within the documented drift', async () => {
    const net = await trained('ref');
    const path = join(folder, `ref-${name}`) + (name.endsWith('/') ? '/' : '');
    await writeModelFile(net, path);
    const back = await networkFromModel(await readModelFile(path), { backend: 'ref' });
    for (const [i, t] of net.state().entries()) expect(Array.from(back.state()[i].values), t.name).toEqual(Array.from(t.values, Math.fround));
    const drift = largestChange(net.predict(X, { flat: true }).data, back.predict(X, { flat: true }).data);
    expect(drift).toBeGreaterThan(0); // rounded: not what it was
    expect(drift).toBeLessThanOrEqual(DOCUMENTED_DRIFT);
    net.dispose();
    back.dispose();
  });

  it('gives a wasm network back bit for bit', async () => {
    const net = await trained('wasm');
    const path = join(folder, `wasm-${name}`) + (name.endsWith('/') ? '/' : '');
    await writeModelFile(net, path);
    const back = await networkFromModel(await readModelFile(path), { backend: 'wasm' });
    expect(Array.from(back.predict(X, { flat: true }).data)).toEqual(Array.from(net.predict(X, { flat: true }).data));
    net.dispose();
    back.dispose();
  });
});
