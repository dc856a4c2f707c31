// Every function and class the package exports ('gradscope/node', which re-exports 'gradscope'),
// called with a wrong argument (null, undefined, a number, a string, an array, an empty object) in
// its first place, and with a network first and the wrong argument second: each either works or
// throws a GradscopeError naming what it got; none throws a raw TypeError from inside. The studies
// (run*) are left to test/reliability/option-keys.test.ts: with undefined or {} they run whole.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as api from '../../src/node.js';
import { GradscopeError } from '../../src/errors.js';

/** The string is a path in a folder that does not exist: a saver taking it second (saveModel(net, s)) must write nothing anywhere. */
const MISSING = join(mkdtempSync(join(tmpdir(), 'gradscope-arguments-')), 'missing', 'x');
const WRONG: [string, unknown][] = [['null', null], ['undefined', undefined], ['5', 5], ['a string', MISSING], ['[]', []], ['{}', {}]];

/** What a call did: 'ok', or the GradscopeError's code, or 'RAW <name>: <message>' for anything else; `release`: dispose what it made (kernels with workers, networks). */
async function outcome(call: () => unknown, release: boolean): Promise<string> {
  try {
    const result = await call();
    if (release && typeof (result as { dispose?: unknown } | null)?.dispose === 'function') (result as { dispose(): void }).dispose();
    return 'ok';
  } catch (error) {
    return error instanceof GradscopeError ? error.code : `RAW ${(error as Error)?.name}: ${(error as Error)?.message}`;
  }
}

const isClass = (f: unknown) => typeof f === 'function' && /^class[\s{]/.test(Function.prototype.toString.call(f));
const invoke = (f: unknown, args: unknown[]) => (isClass(f) ? new (f as new (...a: unknown[]) => unknown)(...args) : (f as (...a: unknown[]) => unknown)(...args));
/** setWasmLocation('x') is a valid call that would point every later load at ./x/: tested on its own below. */
const exported = Object.entries(api).filter(([name, value]) => typeof value === 'function' && !name.startsWith('run') && name !== 'setWasmLocation');

describe('every export refuses a wrong argument with a GradscopeError', () => {
  it('covers the exports (a sanity check of the loop itself)', () => {
    expect(exported.length).toBeGreaterThan(50);
  });

  it('in the first place', async () => {
    const raw: string[] = [];
    for (const [name, f] of exported) {
      for (const [label, wrong] of WRONG) {
        const got = await outcome(() => invoke(f, [wrong]), true);
        if (got.startsWith('RAW')) raw.push(`${name}(${label}) → ${got}`);
      }
    }
    expect(raw).toEqual([]);
  }, 120_000);

  it('in the second place, after a network', async () => {
    const net = await api.createNetwork({ sizes: [2, 3, 2], seed: 1 });
    const raw: string[] = [];
    for (const [name, f] of exported) {
      for (const [label, wrong] of WRONG) {
        const got = await outcome(() => invoke(f, [net, wrong]), false); // what it returns may be the network's own (denseModelOf)
        if (got.startsWith('RAW')) raw.push(`${name}(net, ${label}) → ${got}`);
      }
    }
    expect(raw).toEqual([]);
    expect(net.isDisposed).toBe(false);
    net.dispose();
  }, 120_000);

  // Given nothing, each says what it wanted and where, not 'got undefined' (which named nothing the caller wrote):
  // 'got none', or what is missing. diagnose(net.trace) says 'trace is undefined': net.trace is, until a traced run, and the message says so.
  it('given nothing, in the first place or after a network, says what it wanted and where, not "undefined"', async () => {
    const net = await api.createNetwork({ sizes: [2, 3, 2], seed: 1 });
    const unsaid: string[] = [];
    for (const [name, f] of exported) {
      for (const args of [[], [net]]) {
        let message: string | undefined;
        try {
          const result = await invoke(f, args);
          if (args.length === 0 && typeof (result as { dispose?: unknown } | null)?.dispose === 'function') (result as { dispose(): void }).dispose();
        } catch (error) {
          message = error instanceof GradscopeError ? error.message : `RAW ${(error as Error)?.message}`;
        }
        const where = message?.split(':')[0] ?? '';
        if (message !== undefined && ((/\bundefined\b/.test(message) && name !== 'diagnose') || where.length === 0 || message.startsWith('RAW'))) unsaid.push(`${name}(${args.length ? 'net' : ''}) → ${message}`);
      }
    }
    expect(unsaid).toEqual([]);
    expect(net.isDisposed).toBe(false);
    net.dispose();
  }, 120_000);

  it('names the argument and what it got (the new user\'s calls)', async () => {
    const expectations: [() => unknown, RegExp][] = [
      [() => api.saveModel(null as never, 'q.gsc'), /^saveModel: expected a network \(from createNetwork or loadModel\), got null$/],
      [() => api.networkFromModel(null as never), /^networkFromModel: expected ModelData or BlockModelData .*got null$/],
      [() => api.toOnnx(null as never), /^toOnnx: expected a network, ModelData or BlockModelData, got null$/],
      [() => api.toSafetensors(null as never), /^toSafetensors: expected/],
      [() => api.toTfjsLayers(null as never), /^toTfjsLayers: expected/],
      [() => api.blockModelOf(null as never), /^blockModelOf: expected a network/],
      [() => api.createOptimizer(null as never, 'adam'), /^adam: expected a network \(from createNetwork\), got null$/],
      [() => api.measureCurvature(null as never, [[1, 2]], [[1, 0]]), /^measureCurvature: expected a network/],
      [() => api.checkpointOf(null as never), /^checkpointOf: expected a network/],
      [() => api.biasNormsPerRow(null as never, { layers: [], parameters: {} }), /^biasNormsPerRow\(trace\): expected a Trace .*got null$/],
      [() => new api.Adam(5 as never), /^adam: expected a network \(from createNetwork\), got 5$/],
      [() => api.loadModel(undefined as never), /^loadModel: path: expected a file path, got none$/],
      [() => api.loadCheckpoint(5 as never), /^loadCheckpoint: path: expected a file path, got 5$/],
      [() => api.setWasmLocation(5 as never), /^setWasmLocation: expected a folder URL \(a string or a URL\), got 5$/],
      // batchBelow(-1) returned 0, three arguments missing (edges47 #18): every argument is checked.
      [() => api.batchBelow(-1 as never, 10, 4, false), /^batchBelow\(minRows, …\): expected a whole number ≥ 1, got -1$/],
      [() => api.batchBelow(2, undefined as never, 4, false), /^batchBelow\(…, rows, …\): expected a whole number ≥ 1, got none$/],
      [() => api.batchBelow(2, 10, 2.5, false), /^batchBelow\(…, requestedBatch, …\): expected a whole number ≥ 1, got 2\.5$/],
      [() => api.batchBelow(2, 10, 4, undefined as never), /^batchBelow\(…, dropLast\): expected true or false, got none$/],
      // The page wrote train()'s cap as Math.min(batchSize, rows) twice (review48b #10): the library's, checked as batchBelow is.
      [() => api.batchRowsUsed(0, 10), /^batchRowsUsed\(requestedBatch, …\): expected a whole number ≥ 1, got 0$/],
      [() => api.batchRowsUsed(32, undefined as never), /^batchRowsUsed\(…, rows\): expected a whole number ≥ 1, got none$/],
      // wantedBatchSize(undefined) and (5) answered "none wanted" in silence (review49b #6).
      [() => api.wantedBatchSize(undefined as never), /^wantedBatchSize\(name\): expected an optimiser's name, a string, got none$/],
      [() => api.wantedBatchSize(5 as never), /^wantedBatchSize\(name\): expected an optimiser's name, a string, got 5$/],
      [() => api.registerOptimizer(undefined as never), /^registerOptimizer: expected an OptimizerDefinition \{ name, create, … \}, got none$/],
      [() => api.createOptimizer(api.MODEL as never, undefined as never), /^optimizer: expected a name, \{ name, \.\.\.options \} or an Optimizer; got none$/],
      [() => api.denseModelOf(undefined as never), /^denseModelOf: expected a network \(from createNetwork\), got none$/],
      [() => api.blockModelToSafetensors(undefined as never), /^blockModelToSafetensors: expected BlockModelData \(from blockModelOf or a reader\), got none$/],
      [() => api.createDataset(undefined as never, undefined as never), /^inputs: expected an array of rows or \{ data, rows, cols \}, got none$/],
      // A dense spec's bias is true (default) or false (nn.Linear(bias=False)); a truthy string or 0 is not taken for either.
      [() => api.createNetwork({ inputs: 2, layers: [{ type: 'dense', units: 3, bias: 'false' as never }, { type: 'batch-norm' }] }), /^layers\[0\]\.bias: expected true or false, got "false"$/],
      [() => api.createNetwork({ inputs: 2, layers: [{ type: 'residual', layers: [{ type: 'dense', units: 2, bias: 0 as never }] }] }), /^layers\[0\]\.layers\[0\]\.bias: expected true or false, got 0$/],
      [() => api.setWasmLocation('http://['), /^setWasmLocation: "http:\/\/\[" is not a URL, absolute or relative to file:\/\/.*; expected a folder URL such as '\/assets\/gradscope\/'$/],
    ];
    // What it answers where the arguments are right: the short last batch (10 rows in 4s leave 2), none with dropLast.
    expect([api.batchBelow(3, 10, 4, false), api.batchBelow(3, 10, 4, true), api.batchBelow(2, 10, 4, false), api.batchBelow(5, 10, 4, false)]).toEqual([2, 0, 0, 4]);
    // The batch train() uses: the one asked for, capped at the rows.
    expect([api.batchRowsUsed(32, 280), api.batchRowsUsed(1000, 280), api.batchRowsUsed(280, 280)]).toEqual([32, 280, 280]);
    // Any name may be asked: Hessian-free wants its batch, every other (a plugin's too) none.
    expect([api.wantedBatchSize('hessian-free'), api.wantedBatchSize('kfac'), api.wantedBatchSize('my-plugin')]).toEqual([1000, undefined, undefined]);
    for (const [call, message] of expectations) {
      let caught: unknown;
      try {
        await call();
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(GradscopeError);
      expect((caught as GradscopeError).message).toMatch(message);
    }
  });
});
