// docs/reliability.md's error table quotes an example message for each code, and its prose a few
// more: each quote is read from the page and the call that prints it is made here, so the page
// cannot quote a message the code no longer prints (its OUT_OF_MEMORY example, a network of 2³¹
// weights, had become an INVALID_OPTION when the model limits came). A "…" in a quote stands for
// what the page leaves out.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createNetwork, type Network } from '../../src/api/network.js';
import { loadMnist } from '../../src/data/mnist.js';
import { GradscopeError } from '../../src/errors.js';
import { checkpointBytes, checkpointOf } from '../../src/io/checkpoint.js';
import { loadModel, saveModel } from '../../src/io/files.js';
import { OptimizerStateRefused } from '../../src/io/optimizer-state-refused.js';
import { readModelFile, writeModelFile } from '../../src/io/model-formats.js';
import { createOptimizer } from '../../src/optim/index.js';
import { createWasmKernels } from '../../src/wasm/wasm-kernels.js';
import { networksDisposedAfterAll } from '../util/disposed-networks.js';
import { tableStarting } from '../util/markdown-tables.js';
import { codeQuoteOn, quoteOn, quotePattern } from '../util/page-quotes.js';
import { spreadLogits } from '../util/spread-logits.js';

const PAGE = 'docs/reliability.md';
const DOC = { file: PAGE, text: readFileSync(new URL(`../../${PAGE}`, import.meta.url), 'utf8') };

/** The quoted messages of a table cell: its `…` spans, in order, but those naming a callback or an option (`onBatch`). */
const quotesIn = (cell: string) => [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1]).filter((quote) => !/^\w+$/.test(quote));

/** A quote as a pattern of the whole message: "…" stands for any text. */
const patternOf = (quote: string) => new RegExp(`^${quote.split('…').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('[\\s\\S]*?')}$`);

/** The error `call` throws (a GradscopeError, or the test fails). */
async function thrown(call: () => unknown): Promise<GradscopeError> {
  try {
    await call();
  } catch (error) {
    expect(error).toBeInstanceOf(GradscopeError);
    return error as GradscopeError;
  }
  throw new Error('no error was thrown');
}

/** The networks the calls make, each disposed when the file's tests end. */
const made = networksDisposedAfterAll();

const folder = mkdtempSync(join(tmpdir(), 'gradscope-reliability-messages-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

/** The page's paths are relative (m.bin, out/m.json), as a caller in `folder` would give them: the error with the folder's own path taken out. */
const relative = (error: GradscopeError) => new GradscopeError(error.code, error.message.replaceAll(`${folder}/`, ''));

/** Each code's calls, in the order of its row's quotes. */
const CALLS: Record<string, (() => Promise<GradscopeError>)[]> = {
  SHAPE_MISMATCH: [async () => thrown(async () => (await made({ sizes: [3, 2] })).predict([[1, 2, 3], [1, 2]]))],
  INVALID_TARGET: [
    async () => thrown(async () => (await made({ sizes: [3, 2] })).evaluate([[1, 2, 3]], [[-1, 2]])),
    async () => thrown(async () => (await made({ sizes: [3, 2] })).evaluate([[1, 2, 3], [1, 2, 3]], [[1, 0], [0, 0]])),
  ],
  NON_FINITE_INPUT: [
    async () => thrown(async () => (await made({ sizes: [3, 2] })).predict([[1, 2, 3], [1, 2, NaN]])),
    async () => thrown(async () => (await spreadLogits(made)).train([[1, 0]], [[1, 0]], { epochs: 1, learningRate: 1e-30, validation: { x: [[1, 0], [1, 0], [2e22, 0]], y: [[1, 0], [1, 0], [0, 1]] } })),
  ],
  INVALID_OPTION: [async () => thrown(async () => (await made({ sizes: [3, 2] })).train([[1, 2, 3]], [[1, 0]], { onNonFinite: 'retry' as never }))],
  BAD_MODEL_FILE: [
    async () => {
      const file = join(folder, 'm.bin');
      await saveModel(await made({ sizes: [3, 2] }), file);
      const bytes = readFileSync(file);
      bytes[bytes.length - 10] ^= 1;
      writeFileSync(file, bytes);
      return relative(await thrown(() => loadModel(file)));
    },
    async () => {
      // A checkpoint whose Adam state records beta1 1.5, its network intact: the refusal a caller tells apart by class.
      const net = await made({ sizes: [3, 2], backend: 'ref' });
      const adam = createOptimizer(net, 'adam');
      net.train([[1, 2, 3]], [[1, 0]], { epochs: 1, optimizer: adam });
      const checkpoint = checkpointOf(net, adam);
      const file = join(folder, 'm.bin');
      writeFileSync(file, checkpointBytes({ ...checkpoint, optimizer: { ...checkpoint.optimizer!, scalars: { ...checkpoint.optimizer!.scalars, beta1: 1.5 } } }));
      const error = await thrown(() => loadModel(file));
      expect(error).toBeInstanceOf(OptimizerStateRefused);
      return relative(error);
    },
  ],
  IO_ERROR: [
    async () => {
      return relative(await thrown(async () => saveModel(await made({ sizes: [3, 2] }), join(folder, 'out/m.json'))));
    },
  ],
  DIVERGED: [async () => thrown(async () => (await spreadLogits(made)).train([[1, 0], [1, 0], [2e22, 0], [1, 0]], [[1, 0], [1, 0], [0, 1], [1, 0]], { epochs: 1, batchSize: 2, shuffle: false, learningRate: 1e-30 }))],
  DISPOSED: [],
  OUT_OF_MEMORY: [
    async () => {
      // The wasm backend with its room set to 48,000 bytes, so that a batch's buffers are refused without gigabytes of rows.
      const kernels = await createWasmKernels();
      const small = Object.create(kernels, { bytesAvailable: { value: () => 48_000 } }) as typeof kernels;
      const net = await made({ sizes: [16, 24, 3], backend: small });
      const x = Array.from({ length: 200 }, () => new Array(16).fill(0.5));
      const y = Array.from({ length: 200 }, () => [1, 0, 0]);
      return thrown(() => net.train(x, y, { batchSize: 200 }));
    },
  ],
};

describe("docs/reliability.md's quoted messages are what the code prints", () => {
  it("the error table's example message of every code", async () => {
    const table = tableStarting(DOC, '| code | when | example message |');
    expect(table.rows.map(([code]) => code.replaceAll('`', ''))).toEqual(Object.keys(CALLS));
    for (const [cell, quotedCell] of table.rows.map((row) => [row[0].replaceAll('`', ''), row[2]])) {
      const quotes = quotesIn(quotedCell);
      expect(quotes.length, `${cell}'s quotes`).toBe(CALLS[cell].length);
      for (const [i, call] of CALLS[cell].entries()) {
        const error = await call();
        expect(error.code, quotes[i]).toBe(cell);
        expect(error.message, `${PAGE}: ${cell}`).toMatch(patternOf(quotes[i]));
      }
    }
  });

  it("Lifecycle's: the network that no longer fits below 4 GiB, refused before it allocates (scripts/wasm-memory-top.ts measured it)", async () => {
    // The SIMD backend with the room that run had left (455.7 MiB), so that the refusal needs no gigabytes.
    const kernels = await createWasmKernels({ variant: 'simd' });
    const left = Object.create(kernels, { bytesAvailable: { value: () => Math.round(455.7 * 2 ** 20) } }) as typeof kernels;
    const before = kernels.bytesInUse;
    const refused = await thrown(() => createNetwork({ sizes: [12000, 12000, 2], backend: left }));
    expect([refused.code, refused.message]).toEqual(['OUT_OF_MEMORY', quoteOn('docs/reliability.md', 'a network of sizes [12000,12000,2]')]);
    expect(kernels.bytesInUse).toBe(before);
  });

  it("the prose's: a misspelt option, options that are no object, a wrong argument", async () => {
    const net = await made({ sizes: [3, 2] });
    expect((await thrown(() => net.train([[1, 2, 3]], [[1, 0]], { learningrate: 1 } as never))).message).toMatch(patternOf(codeQuoteOn('docs/reliability.md', "train: unknown option 'learningrate'")));
    expect((await thrown(() => loadMnist('x' as never))).message).toMatch(patternOf(codeQuoteOn('docs/reliability.md', 'loadMnist: expected an options object')));
    expect((await thrown(() => saveModel(null as never, join(folder, 'never.json')))).message).toMatch(patternOf(codeQuoteOn('docs/reliability.md', 'saveModel: expected a network')));
  });

  it("the prose's from files, whatever saves loads, and strict input (test/docs/page-quotes walks them; the command line's are test/cli's)", async () => {
    const missing = relative(await thrown(() => loadModel(join(folder, 'nope.bin'))));
    expect([missing.code, missing.message]).toEqual(['IO_ERROR', codeQuoteOn('docs/reliability.md', 'nope.bin: cannot read')]);
    const deep = await thrown(() => createNetwork({ sizes: Array.from({ length: 1026 }, () => 2) }));
    expect([deep.code, deep.message]).toEqual(['INVALID_OPTION', codeQuoteOn('docs/reliability.md', 'sizes: 1,025 layers')]);
    const bias = await thrown(() => createNetwork({ sizes: [2, 2], biasInit: { name: 'constant', value: 1e39 } }));
    expect(bias.code).toBe('INVALID_OPTION');
    expect(bias.message).toMatch(quotePattern(codeQuoteOn('docs/reliability.md', 'biasInit: value 1e+39')));
    const net = await made({ sizes: [2, 3, 1], output: 'linear', loss: 'mse' });
    net.kernels.write(net.biases[0], [0, Infinity, 0]); // what an overflowing update leaves behind
    const infinite = await thrown(() => saveModel(net, join(folder, 'inf.json')));
    expect(infinite.message).toContain(codeQuoteOn('docs/reliability.md', 'net.biases[0][1]: Infinity'));
    const strict = await made({ sizes: [2, 2] });
    expect((await thrown(() => strict.predict([[1, '2' as never]]))).message).toBe(codeQuoteOn('docs/reliability.md', 'inputs: row 0, column 1 is the string'));
    // A typed row of 4 values whose own length says 3.
    const row = Object.defineProperty(new Float32Array(4), 'length', { value: 3 });
    expect((await thrown(() => (made({ sizes: [3, 2] }) as Promise<Network>).then((n) => n.predict([row])))).message).toBe(codeQuoteOn('docs/reliability.md', 'inputs: row 0 has 4 values'));
  });

  it("Numeric faults' from what a model file brings in: a parameter beyond RUNAWAY_PARAMETER, named as each format holds it", async () => {
    // A [3, 4, 2] network's first weight matrix marked at unit 1, input 2 (a float32 no initialiser draws), so each file's bytes can be found.
    const mark = Math.fround(0.123456789);
    const net = await made({ sizes: [3, 4, 2], seed: 4 });
    const state = net.state();
    state[0].values[1 * 3 + 2] = mark;
    net.loadState(state);
    /** `path`'s bytes with the marked float32 replaced by `value`. */
    const plant = (path: string, value: number) => {
      const bytes = readFileSync(path);
      const at = Array.from({ length: bytes.length - 3 }, (_, i) => i).find((i) => bytes.readFloatLE(i) === mark) ?? -1;
      expect(at, `${path} holds the mark`).toBeGreaterThanOrEqual(0);
      bytes.writeFloatLE(value, at);
      writeFileSync(path, bytes);
    };
    // JSON's nested rows: the output layer's first weight, 3e38 (finite in float32, its products not).
    const json = join(folder, 'm.json');
    await saveModel(net, json);
    const model = JSON.parse(readFileSync(json, 'utf8'));
    model.layers[1].weights[0][0] = 3e38;
    writeFileSync(json, JSON.stringify(model));
    expect(relative(await thrown(() => loadModel(json))).message).toMatch(quotePattern(codeQuoteOn('docs/reliability.md', 'm.json: layers[1].weights[0][0]')));
    // A flat tensor: [units, inputs].
    const safetensors = join(folder, 'm.safetensors');
    await writeModelFile(net, safetensors);
    plant(safetensors, 1e20);
    expect(relative(await thrown(() => readModelFile(safetensors))).message).toMatch(quotePattern(codeQuoteOn('docs/reliability.md', 'm.safetensors: 0.weight[1, 2]')));
    // A tfjs kernel: [inputs, units].
    const [, shard] = await writeModelFile(net, join(folder, 'm-tfjs/'));
    plant(shard, 1e20);
    expect((await thrown(() => readModelFile(join(folder, 'm-tfjs')))).message).toMatch(quotePattern(codeQuoteOn('docs/reliability.md', 'weights dense_1/kernel[2, 1]')));
  });
});
