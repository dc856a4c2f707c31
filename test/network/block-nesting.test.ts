// Residual blocks nested in one another (adv29): createNetwork and every reader of block models
// walk the specs once without recursion before checking them, so a nesting past MODEL_LIMITS is a
// typed refusal naming the block, never a raw RangeError from a recursive walk: 1,500 deep
// overflowed createNetwork's spec check, a list nested in itself never ended, and 1,023 deep (then
// within maxLayers) was built but overflowed saveModel's JSON writer. A network createNetwork
// builds saves and loads: more than maxLayers specs, nested ones included, are refused on create
// as files refuse them (they were built, then refused by the savers).
import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createNetwork } from '../../src/api/network.js';
import { loadModel, saveModel } from '../../src/io/files.js';
import type { LayerSpec } from '../../src/layers/spec.js';
import { MODEL_LIMITS } from '../../src/model-limits.js';
import { expectError } from '../util/expect-error.js';

/** A dense layer of 3 units inside `depth` residual blocks, each inside the next. */
function nestedBlocks(depth: number): LayerSpec[] {
  let layers: LayerSpec[] = [{ type: 'dense', units: 3, activation: 'tanh' }];
  for (let i = 0; i < depth; i++) layers = [{ type: 'residual', gate: i % 2 === 0 ? 'none' : 'rezero', layers }];
  return layers;
}

/** The path of the block `depth` deep in nestedBlocks: 'layers[0].layers[0]…[0]', `depth` indices. */
function blockPath(depth: number, list = 'layers'): string {
  return `${list}[0]${'.layers[0]'.repeat(depth - 1)}`;
}

const escaped = (text: string) => text.replace(/[.[\]]/g, '\\$&');
const x = [[1, 2, 3], [0, -1, 0.5], [2, 0, 1]];
const y = [[1, 0, 0], [0, 1, 1], [1, 1, 0]];

describe('residual blocks nested in one another', () => {
  it(`builds, trains, saves (JSON and binary) and loads blocks nested ${MODEL_LIMITS.maxNesting} deep`, async () => {
    const net = await createNetwork({ inputs: 3, layers: nestedBlocks(MODEL_LIMITS.maxNesting), backend: 'wasm', seed: 2 });
    net.train(x, y, { epochs: 1 });
    const dir = mkdtempSync(join(tmpdir(), 'gradscope-nesting-'));
    try {
      for (const name of ['deep.json', 'deep.bin']) {
        await saveModel(net, join(dir, name));
        const loaded = await loadModel(join(dir, name), { backend: 'wasm' });
        expect(loaded.state(), name).toEqual(net.state());
        loaded.dispose();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
      net.dispose();
    }
  });

  it('refuses a block nested deeper, naming it, where 1,500 deep threw a raw RangeError', async () => {
    const deeper = MODEL_LIMITS.maxNesting + 1;
    for (const depth of [deeper, 1500, 5000]) {
      await expectError(() => createNetwork({ inputs: 3, layers: nestedBlocks(depth), backend: 'ref' }), 'INVALID_OPTION', new RegExp(`^${escaped(blockPath(deeper))}: a residual block nested ${deeper} deep, past the ${MODEL_LIMITS.maxNesting} that gradscope's model files store$`));
    }
  });

  it('refuses a branch that holds itself, where the check never ended (a raw RangeError)', async () => {
    const block = { type: 'residual', layers: [] as unknown[] };
    block.layers.push(block);
    await expectError(() => createNetwork({ inputs: 3, layers: [block] as LayerSpec[], backend: 'ref' }), 'INVALID_OPTION', /^layers\[0\](\.layers\[0\])+: a residual block nested 65 deep/);
  });

  it('refuses more than maxLayers specs, nested ones included, on create as the savers do (they were built, then not saveable)', async () => {
    const branch = (units: number): LayerSpec[] => Array.from({ length: units }, () => ({ type: 'activation', activation: 'tanh' }) as const);
    const blocks = (units: number): LayerSpec[] => [1, 2, 3].map(() => ({ type: 'residual', layers: branch(units) }));
    // Counting stops as soon as it passes the limit, before the list that passed it is read: no exact count is claimed then.
    await expectError(() => createNetwork({ inputs: 3, layers: blocks(400), backend: 'ref' }), 'INVALID_OPTION', /^layers: more than 1,024 layers \(nested ones included\), the limit that gradscope's model files store$/);
    await expectError(() => createNetwork({ inputs: 3, layers: branch(1025), backend: 'ref' }), 'INVALID_OPTION', /^layers: 1,025 layers exceeds the limit of 1,024 that gradscope's model files store$/);
    await expectError(() => createNetwork({ inputs: 3, layers: blocks(600), backend: 'ref' }), 'INVALID_OPTION', /^layers: more than 1,024 layers \(nested ones included\), the limit that gradscope's model files store$/);
    const net = await createNetwork({ inputs: 3, layers: blocks(340), backend: 'ref' });
    expect(net.layers).toHaveLength(3);
    net.dispose();
  });

  it('refuses a sparse branch of length 10⁸ at once, where it was read whole first (7.4 s; 2³² − 1: minutes)', async () => {
    const started = performance.now();
    const sparse = [{ type: 'residual', layers: Object.assign([], { length: 1e8 }) }] as LayerSpec[];
    await expectError(() => createNetwork({ inputs: 3, layers: sparse, backend: 'ref' }), 'INVALID_OPTION', /^layers: more than 1,024 layers \(nested ones included\), the limit that gradscope's model files store$/);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('refuses a top-level list longer than the limit before walking it, where a length of 2³¹ threw a raw RangeError', async () => {
    for (const length of [2 ** 31, 2 ** 32 - 1]) {
      const layers = Object.assign([], { length }) as LayerSpec[];
      await expectError(() => createNetwork({ inputs: 3, layers, backend: 'ref' }), 'INVALID_OPTION', new RegExp(`^layers: ${length.toLocaleString('en-US')} layers exceeds the limit of 1,024 that gradscope's model files store$`));
    }
  });

  it('takes only a residual spec\'s layers as a nesting level: layers on a dense spec is an unknown key, not a block nested 65 deep', async () => {
    let layers: unknown[] = [{ type: 'dense', units: 3 }];
    for (let i = 0; i < 70; i++) layers = [{ type: 'dense', units: 3, layers }];
    await expectError(() => createNetwork({ inputs: 3, layers: layers as LayerSpec[], backend: 'ref' }), 'INVALID_OPTION', /^layers\[0\]: unknown option 'layers' \(known: type, units, activation, bias\)$/);
  });

  it('refuses a model file nesting blocks 3,000 deep as BAD_MODEL_FILE naming the block', async () => {
    let layers = '[{"type":"dense","units":3,"activation":"linear"}]';
    for (let i = 0; i < 3000; i++) layers = `[{"type":"residual","gate":"none","layers":${layers}}]`;
    const dir = mkdtempSync(join(tmpdir(), 'gradscope-nesting-'));
    const path = join(dir, 'deep.json');
    try {
      writeFileSync(path, `{"format":"gradscope.model","version":2,"inputs":3,"loss":"mse","layers":${layers},"tensors":[]}`);
      const deeper = MODEL_LIMITS.maxNesting + 1;
      await expectError(() => loadModel(path), 'BAD_MODEL_FILE', new RegExp(`${escaped(blockPath(deeper, 'model.layers'))}: a residual block nested ${deeper} deep`));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
