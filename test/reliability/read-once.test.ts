// What a caller hands in is read once: the model readers, exporters, networkFrom* and loadState
// check a copy and use that copy. Before, they checked the caller's object and read it again to
// build or write, so a write to it while networkFromModel awaited its backend (no Proxy needed)
// gave a network of other sizes holding NaN, and a getter or Proxy answering a second read
// otherwise put NaN or Infinity into parameters or threw a TypeError from inside an exporter.
import { describe, expect, it } from 'vitest';
import { createNetwork, Network } from '../../src/api/network.js';
import { blockModelOf, modelOf, networkFromBlockModel, networkFromModel } from '../../src/io/model-data.js';
import { checkpointOf, networkFromCheckpoint } from '../../src/io/checkpoint.js';
import { toSafetensors, fromSafetensors } from '../../src/io/safetensors.js';
import { blockModelFromSafetensors } from '../../src/io/safetensors-blocks.js';
import { toOnnx } from '../../src/io/onnx.js';
import { GradscopeError } from '../../src/errors.js';
import { MODEL } from '../../src/model.js';

const dense = () => createNetwork({ sizes: [2, 3, 2], seed: 1, backend: 'ref' });
const blocks = () => createNetwork({ inputs: 2, seed: 1, backend: 'ref', layers: [{ type: 'dense', units: 3 }, { type: 'batch-norm' }, { type: 'activation', activation: 'tanh' }, { type: 'residual', layers: [{ type: 'dense', units: 3 }] }, { type: 'dense', units: 2, activation: 'softmax' }] });

/** Every parameter of `net`, as numbers. */
const parameters = (net: Network): number[] => net[MODEL].parameters().flatMap((p) => Array.from(net.kernels.view(p.value)));

/** A deep Proxy of `value` giving each primitive at a path `flip` picks as given on its first read and `hostile(it)` on every later read. */
function flipAfterFirst<T>(value: T, flip: (path: string, v: unknown) => boolean, hostile: (v: unknown) => unknown, seen = new Map<string, number>(), path = '$'): T {
  if (value === null || typeof value !== 'object' || ArrayBuffer.isView(value)) return value;
  const children = new Map<PropertyKey, unknown>();
  return new Proxy(value as object, {
    get(target, key, receiver) {
      const v: unknown = Reflect.get(target, key, receiver);
      if (typeof key === 'symbol' || typeof v === 'function') return v;
      const at = `${path}.${key}`;
      if (v !== null && typeof v === 'object') {
        if (!children.has(key)) children.set(key, flipAfterFirst(v, flip, hostile, seen, at));
        return children.get(key);
      }
      const reads = (seen.get(at) ?? 0) + 1;
      seen.set(at, reads);
      return reads > 1 && flip(at, v) ? hostile(v) : v;
    },
  }) as T;
}

/** Runs `call`, which must give a network of finite parameters within bounds or a GradscopeError. */
async function finiteOrRefused(call: () => unknown): Promise<string> {
  try {
    const result = await call();
    if (result instanceof Network) {
      const bad = parameters(result).find((v) => !Number.isFinite(v) || Math.abs(v) > 1.8e16);
      result.dispose();
      return bad === undefined ? 'ok' : `parameter ${bad}`;
    }
    return 'ok';
  } catch (error) {
    if (error instanceof GradscopeError) return 'refused';
    return `${(error as Error).constructor.name}: ${(error as Error).message}`;
  }
}

describe('a model written to while a load awaits its backend', () => {
  it('networkFromModel builds what it checked, not the sizes and NaN written after the call', async () => {
    const net = await dense();
    const model = modelOf(net);
    const pending = networkFromModel(model, { backend: 'wasm' });
    model.weights[0][0] = NaN;
    model.sizes[1] = 7;
    const loaded = await pending;
    expect(loaded.sizes).toEqual([2, 3, 2]);
    expect(parameters(loaded)).toEqual(parameters(net));
    loaded.dispose(); net.dispose();
  });

  it('networkFromBlockModel and networkFromCheckpoint likewise (tensors, specs, weights, RNG state and step)', async () => {
    const net = await blocks();
    const model = blockModelOf(net);
    const pending = networkFromBlockModel(model, { backend: 'wasm' });
    model.tensors[0].values[0] = NaN;
    (model.layers[0] as { units: number }).units = 9;
    const loaded = await pending;
    expect(loaded.layers).toEqual(net.layers);
    expect(parameters(loaded)).toEqual(parameters(net));
    loaded.dispose();

    const d = await dense();
    const checkpoint = checkpointOf(d);
    const resumed = networkFromCheckpoint(checkpoint, { backend: 'wasm' });
    const rng = [...checkpoint.rng];
    (checkpoint.model as { weights: Float32Array[] }).weights[0][0] = 1e30;
    checkpoint.rng.fill(0);
    checkpoint.step = -1;
    const back = await resumed;
    expect(parameters(back)).toEqual(parameters(d));
    expect(back.rng.getState()).toEqual(rng);
    expect(back.step).toBe(d.step);
    back.dispose(); d.dispose(); net.dispose();
  });
});

describe('getters and Proxies that answer a second read otherwise', () => {
  const values = (_path: string, v: unknown) => typeof v === 'number' && !Number.isInteger(v);
  const lengths = (path: string) => path.endsWith('.length');
  it.each([
    ['a value, then NaN', values, () => NaN],
    ['a value, then the string "x"', values, () => 'x'],
    ['a value, then 1e39', values, () => 1e39],
    ['an array length, then 5 more', lengths, (v: unknown) => (v as number) + 5],
  ] as const)('%s: a network of finite parameters or a GradscopeError, never a bad parameter or a TypeError', async (_name, flip, hostile) => {
    const d = await dense();
    const b = await blocks();
    const calls: [string, () => unknown][] = [
      ['Network.fromJSON', () => Network.fromJSON(flipAfterFirst(d.toJSON(), flip, hostile), { backend: 'ref' })],
      ['Network.fromJSON (blocks)', () => Network.fromJSON(flipAfterFirst(b.toJSON(), flip, hostile), { backend: 'ref' })],
      ['networkFromModel', () => networkFromModel(flipAfterFirst(modelOf(d), flip, hostile), { backend: 'ref' })],
      ['networkFromBlockModel', () => networkFromBlockModel(flipAfterFirst(blockModelOf(b), flip, hostile), { backend: 'ref' })],
      ['toSafetensors', async () => networkFromModel(fromSafetensors(toSafetensors(flipAfterFirst(modelOf(d), flip, hostile))), { backend: 'ref' })],
      ['toSafetensors (blocks)', async () => networkFromBlockModel(blockModelFromSafetensors(toSafetensors(flipAfterFirst(blockModelOf(b), flip, hostile))), { backend: 'ref' })],
      ['toOnnx (blocks)', () => toOnnx(flipAfterFirst(blockModelOf(b), flip, hostile))],
      ['loadState', async () => {
        const target = await dense();
        target.loadState(flipAfterFirst(d.state().map((t) => ({ name: t.name, values: Array.from(t.values) })), flip, hostile));
        return target;
      }],
    ];
    const outcomes = Object.fromEntries(await Promise.all(calls.map(async ([name, call]) => [name, await finiteOrRefused(call)])));
    expect(Object.values(outcomes).every((o) => o === 'ok' || o === 'refused'), JSON.stringify(outcomes)).toBe(true);
    d.dispose(); b.dispose();
  });
});
