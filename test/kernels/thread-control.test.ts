/**
 * The pool's control block (src/wasm/threads/control.ts): one layout for the pool and the worker's
 * source. Its Int32 slots must not overlap each other or the Float64 call arguments, and the call
 * the worker's source makes must pass every argument a job carries.
 */
import { describe, expect, it } from 'vitest';
import { ARGS_AT, ARGS_PER_CALL, CONTROL, CONTROL_BYTES, MAX_CALLS, STAMPS_AT, callSource } from '../../src/wasm/threads/control.js';
import { nodeWorkerSource } from '../../src/wasm/threads/worker-source.js';

describe('thread control block', () => {
  it('gives every Int32 slot and every call its own place, the arguments after them, the probe\'s stamps after those, all inside the block', () => {
    const single = Object.entries(CONTROL).filter(([name]) => name !== 'fn').map(([, slot]) => slot);
    const fnSlots = Array.from({ length: MAX_CALLS }, (_, c) => CONTROL.fn + c);
    const all = [...single, ...fnSlots];
    expect(new Set(all).size).toBe(all.length);
    // Float64 index ARGS_AT covers Int32 slots 2·ARGS_AT and 2·ARGS_AT + 1.
    expect(Math.max(...all)).toBeLessThan(2 * ARGS_AT);
    // The probe's two stamps after the last call's arguments, the last Float64s of the block.
    expect(STAMPS_AT).toBe(ARGS_AT + MAX_CALLS * ARGS_PER_CALL);
    expect((STAMPS_AT + 2) * 8).toBe(CONTROL_BYTES);
  });

  it('writes the worker\'s call with ARGS_PER_CALL arguments, the ones a call holds in order', () => {
    const call = callSource('f', 'args', 'a');
    const f = (...values: number[]) => values;
    const args = Float64Array.from({ length: ARGS_PER_CALL + 3 }, (_, i) => 10 + i);
    const made = new Function('f', 'args', 'a', `return ${call};`) as (f: unknown, args: Float64Array, a: number) => number[];
    expect(made(f, args, 2)).toEqual(Array.from(args.subarray(2, 2 + ARGS_PER_CALL)));
    expect(nodeWorkerSource('node:worker_threads')).toContain(callSource(`fns[ctrl[${CONTROL.fn} + c]]`, 'args', 'a'));
  });
});
