// What each engine throws when an ArrayBuffer's storage cannot be had (read from their sources:
// src/network/memory-budget.ts) becomes OUT_OF_MEMORY, whichever engine runs gradscope; anything
// else (a bug's RangeError, another error) is passed on as it is.
import { describe, expect, it } from 'vitest';
import { createNetwork } from '../../src/api/network.js';
import { asOutOfMemory, isAllocationFailure } from '../../src/network/memory-budget.js';
import { createRefKernels } from '../../src/ref/ref-kernels.js';
import { createWasmKernels } from '../../src/wasm/wasm-kernels.js';
import type { Kernels } from '../../src/kernels.js';
import { expectError } from '../util/expect-error.js';

/** Each engine's failed allocation, as it throws it. */
const ENGINES: [string, unknown, string][] = [
  ['V8 (Node, Chrome)', new RangeError('Array buffer allocation failed'), 'Array buffer allocation failed'],
  ['JavaScriptCore (Safari)', new RangeError('Out of memory'), 'Out of memory'],
  ['JavaScriptCore, with a detail', new RangeError('Out of memory: ArrayBuffer'), 'Out of memory: ArrayBuffer'],
  ['JavaScriptCore before its RangeError', new Error('Out of memory'), 'Out of memory'],
  ['SpiderMonkey (Firefox): a string, no Error', 'out of memory', 'out of memory'],
];

describe("an engine's failed allocation", () => {
  it.each(ENGINES)('%s is OUT_OF_MEMORY, naming what was being made and the engine\'s words', (_engine, thrown, words) => {
    expect(isAllocationFailure(thrown)).toBe(true);
    const error = asOutOfMemory(thrown, 'a network of sizes [3,2]') as Error & { code: string };
    expect([error.code, error.message]).toEqual(['OUT_OF_MEMORY', `a network of sizes [3,2]: the engine could not allocate (${words})`]);
  });

  it('anything else is passed on as it is: a bug is reported, not read as memory', () => {
    const others = [
      new RangeError('Invalid typed array length: -4'),
      new RangeError('Maximum call stack size exceeded'),
      new TypeError('Out of memory'),
      new Error('Out of memory soon'),
      new RangeError('out of memory'),
      'Out of memory',
      undefined,
    ];
    for (const other of others) {
      expect(isAllocationFailure(other), String(other)).toBe(false);
      expect(asOutOfMemory(other, 'x')).toBe(other);
    }
  });

  it.each(['ref', 'wasm'])('a network whose third tensor fails so, on each engine, is refused with OUT_OF_MEMORY (%s)', async (backend) => {
    const kernels: Kernels = backend === 'wasm' ? await createWasmKernels() : createRefKernels();
    for (const [, thrown] of ENGINES) {
      let calls = 0;
      const failing = Object.create(kernels, {
        alloc: {
          value: (length: number) => {
            if (++calls === 3) throw thrown;
            return kernels.alloc(length);
          },
        },
      }) as Kernels;
      await expectError(() => createNetwork({ sizes: [3, 4, 2], backend: failing }), 'OUT_OF_MEMORY', /^a network of sizes \[3,4,2\]: the engine could not allocate/);
      calls = 0;
      await expectError(() => createNetwork({ inputs: 3, layers: [{ type: 'dense', units: 4 }, { type: 'layer-norm' }, { type: 'dense', units: 2 }], backend: failing }), 'OUT_OF_MEMORY', /^a network of layers \[dense, layer-norm, dense\]: the engine could not allocate/);
    }
  });
});
