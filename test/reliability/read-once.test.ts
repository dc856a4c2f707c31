// What a caller hands in is read once: the model readers, exporters, networkFrom* and loadState
// check a copy and use that copy. Before, they checked the caller's object and read it again to
// build or write, so a write to it while networkFromModel awaited its backend (no Proxy needed)
// gave a network of other sizes holding NaN, and a getter or Proxy answering a second read
// otherwise put NaN or Infinity into parameters or threw a TypeError from inside an exporter.
import { describe, expect, it } from 'vitest';
import { createNetwork, Network } from '../../src/api/network.js';
import { blockModelOf, modelOf, networkFromBlockModel, networkFromModel } from '../../src/io/model-data.js';
import { checkpointOf, checkpointToJSON, encodeCheckpoint, networkFromCheckpoint } from '../../src/io/checkpoint.js';
import { modelFromJSON, readModelJSON } from '../../src/network/model-file.js';
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

/** A copy of `object` whose `key` reads as the object's own on the first read and as `later` on every read after. */
function secondReadGives<T extends object>(object: T, key: keyof T & string, later: unknown): T {
  const first = object[key];
  let reads = 0;
  return Object.defineProperty({ ...object }, key, { enumerable: true, get: () => (reads++ === 0 ? first : later) });
}

/** What `call` threw: 'none', the GradscopeError's message, or the other error's constructor and message. */
function thrown(call: () => unknown): string {
  try {
    call();
    return 'none';
  } catch (error) {
    return error instanceof GradscopeError ? error.message : `${(error as Error).constructor.name}: ${(error as Error).message}`;
  }
}

describe('object-valued getters and Proxies of typed arrays, read once too', () => {
  it('checkpointToJSON, encodeCheckpoint and networkFromCheckpoint read checkpoint.model once (a getter giving the model, then null)', async () => {
    for (const make of [dense, blocks]) {
      const net = await make();
      const checkpoint = () => secondReadGives(checkpointOf(net), 'model', null);
      expect(thrown(() => checkpointToJSON(checkpoint()))).toBe('none');
      expect(thrown(() => encodeCheckpoint(checkpoint()))).toBe('none');
      expect(await finiteOrRefused(() => networkFromCheckpoint(checkpoint(), { backend: 'ref' }))).toBe('ok');
      net.dispose();
    }
  });

  it('loadState reads each tensor\'s values once (a getter giving the values, then null)', async () => {
    const d = await dense();
    const target = await dense();
    const tensors = d.state().map((t) => secondReadGives({ name: t.name, values: Array.from(t.values) }, 'values', null));
    expect(thrown(() => target.loadState(tensors))).toBe('none');
    expect(parameters(target)).toEqual(parameters(d));
    d.dispose(); target.dispose();
  });

  it.each([
    ['a length of 1e10', { length: 1e10 }, 'a length of 10000000000'],
    ['a length of -1', { length: -1 }, 'a length of -1'],
    ['a length of NaN', { length: NaN }, 'a length of NaN'],
    ['a length of 3e7, beyond the model\'s largest state tensor', { length: 3e7 }, 'a length of 30000000'],
    ['null', null, 'null'],
  ])('an optimiser tensor of %s is refused naming the tensor before anything is allocated', async (_name, tensor, got) => {
    const net = await dense();
    const checkpoint = { ...checkpointOf(net), optimizer: { name: 'sgd', scalars: {}, tensors: [tensor as unknown as Float32Array] } };
    for (const [who, write] of [['checkpointToJSON', checkpointToJSON], ['encodeCheckpoint', encodeCheckpoint]] as const) {
      expect(thrown(() => write(checkpoint))).toBe(`${who}: checkpoint.optimizer.tensors[0]: expected an array of at most 17 numbers (a Float32Array, as an optimiser's state() gives: the model's largest), got ${got}`);
    }
    net.dispose();
  });

  it('a K-FAC-sized optimiser tensor (a layer\'s inputs + 1, squared) is within the bound', async () => {
    const net = await createNetwork({ sizes: [20, 1, 2], seed: 1, backend: 'ref' }); // 25 parameters; A of the first layer is 21² = 441 values
    const checkpoint = { ...checkpointOf(net), optimizer: { name: 'sgd', scalars: {}, tensors: [new Float32Array(441)] } };
    expect(thrown(() => checkpointToJSON(checkpoint))).toBe('none');
    expect(thrown(() => encodeCheckpoint({ ...checkpoint, optimizer: { ...checkpoint.optimizer, tensors: [new Float32Array(442)] } }))).toMatch(/optimizer\.tensors\[0\]: expected an array of at most 441 numbers/);
    net.dispose();
  });

  it('a Proxy of a Float32Array in a block model is refused as no Float32Array (a typed error), not copied by its own slice', async () => {
    const b = await blocks();
    const model = () => {
      const m = blockModelOf(b);
      const [first, ...rest] = m.tensors;
      return { ...m, tensors: [{ ...first, values: new Proxy(first.values, {}) }, ...rest] };
    };
    expect(await finiteOrRefused(() => networkFromBlockModel(model(), { backend: 'ref' }))).toBe('refused');
    expect(thrown(() => toSafetensors(model()))).toMatch(/expected a Float32Array of 6 values/);
    b.dispose();
  });

  it('a model file\'s version is read once (a getter giving 1, then 2)', async () => {
    const d = await dense();
    const file = () => secondReadGives(d.toJSON() as unknown as Record<string, unknown>, 'version', 2);
    expect(thrown(() => modelFromJSON(file()))).toBe('none');
    expect(thrown(() => readModelJSON(file()))).toBe('none');
    expect(await finiteOrRefused(() => Network.fromJSON(file(), { backend: 'ref' }))).toBe('ok');
    d.dispose();
  });
});
