/**
 * control.ts' writeCall: the one store of a thread's call list (a worker's job in its control block,
 * ThreadPool.setCall; the main thread's half of a dense step, threaded-kernels.ts' LocalCalls), and
 * its one refusal. A typed array drops a write past its end, so a call past MAX_CALLS would be lost
 * and its slot's stale export run instead (review40 finding 10: a raw TypeError), or, in a control
 * block, written over the calls before it: it is refused typed, before anything is written.
 */
import { describe, expect, it } from 'vitest';
import { ARGS_AT, ARGS_PER_CALL, CONTROL, CONTROL_BYTES, MAX_CALLS, writeCall } from '../../src/wasm/threads/control.js';
import { expectError } from '../util/expect-error.js';

const ARGS = Array.from({ length: ARGS_PER_CALL }, (_, i) => i + 0.5) as [number, number, number, number, number, number, number, number, number, number, number, number];

describe('writeCall', () => {
  it('writes call c\'s export and its arguments where the worker reads them, for every c below MAX_CALLS', () => {
    const block = new SharedArrayBuffer(CONTROL_BYTES);
    const [fns, args] = [new Int32Array(block), new Float64Array(block)];
    for (let c = 0; c < MAX_CALLS; c++) writeCall(fns, CONTROL.fn, args, ARGS_AT, c, 100 + c, ...ARGS.map((a) => a + c) as typeof ARGS);
    for (let c = 0; c < MAX_CALLS; c++) {
      expect(fns[CONTROL.fn + c]).toBe(100 + c);
      expect(Array.from(args.subarray(ARGS_AT + ARGS_PER_CALL * c, ARGS_AT + ARGS_PER_CALL * (c + 1)))).toEqual(ARGS.map((a) => a + c));
    }
    // The Int32 slots before the calls are untouched.
    expect(Array.from(fns.subarray(0, CONTROL.fn))).toEqual(Array(CONTROL.fn).fill(0));
  });

  it.each([MAX_CALLS, MAX_CALLS + 1])('refuses call %i typed, naming the bound, and writes nothing', async (c) => {
    // The main thread's list: exactly MAX_CALLS calls long, as LocalCalls holds them.
    const fns = new Int32Array(MAX_CALLS);
    const args = new Float64Array(MAX_CALLS * ARGS_PER_CALL);
    await expectError(() => writeCall(fns, 0, args, 0, c, 7, ...ARGS), 'WASM_UNAVAILABLE', new RegExp(`^threads: call ${c} of a job, past the ${MAX_CALLS} a job holds$`));
    expect(fns.every((v) => v === 0)).toBe(true);
    expect(args.every((v) => v === 0)).toBe(true);
    // A control block: the calls before the bound keep their arguments.
    const block = new SharedArrayBuffer(CONTROL_BYTES);
    const [ctrl, blockArgs] = [new Int32Array(block), new Float64Array(block)];
    writeCall(ctrl, CONTROL.fn, blockArgs, ARGS_AT, MAX_CALLS - 1, 3, ...ARGS);
    const before = Float64Array.from(blockArgs);
    await expectError(() => writeCall(ctrl, CONTROL.fn, blockArgs, ARGS_AT, c, 7, ...ARGS), 'WASM_UNAVAILABLE', /past the/);
    expect(blockArgs).toEqual(before);
  });
});
