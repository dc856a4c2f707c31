/**
 * The pool's control block (src/wasm/threads/control.ts): one layout for the pool and the worker's
 * source. Its Int32 slots must not overlap each other or the Float64 call arguments, and the call
 * the worker's source makes must pass every argument a job carries.
 */
import { describe, expect, it } from 'vitest';
import { ARGS_AT, ARGS_PER_CALL, CONTROL, CONTROL_BYTES, MAX_CALLS, STEPS_AT, callSource, takeChunk } from '../../src/wasm/threads/control.js';
import { nodeWorkerSource } from '../../src/wasm/threads/worker-source.js';

describe('thread control block', () => {
  it('gives every Int32 slot and every call its own place, the arguments after them and inside the block', () => {
    const single = Object.entries(CONTROL).filter(([name]) => name !== 'fn').map(([, slot]) => slot);
    const fnSlots = Array.from({ length: MAX_CALLS }, (_, c) => CONTROL.fn + c);
    const all = [...single, ...fnSlots];
    expect(new Set(all).size).toBe(all.length);
    // Float64 index ARGS_AT covers Int32 slots 2·ARGS_AT and 2·ARGS_AT + 1.
    expect(Math.max(...all)).toBeLessThan(2 * ARGS_AT);
    // Then a shared job's steps, one per argument, after the calls' arguments.
    expect(STEPS_AT).toBe(ARGS_AT + MAX_CALLS * ARGS_PER_CALL);
    expect((STEPS_AT + ARGS_PER_CALL) * 8).toBe(CONTROL_BYTES);
  });

  it('hands out a shared job\'s chunks once each, the first ones to the main thread and the last to the worker, and none once they meet', () => {
    for (const chunks of [1, 2, 7, 8, 0xffff]) {
      const ctrl = new Int32Array(CONTROL.fn + 1);
      ctrl[CONTROL.range] = chunks << 16;
      const taken: number[] = [];
      // The main thread takes two for the worker's one, as a faster thread would.
      for (let turn = 0; ; turn++) {
        const c = takeChunk(ctrl, CONTROL.range, turn % 3 === 2);
        if (c < 0) break;
        taken.push(c);
      }
      expect(taken.slice().sort((x, y) => x - y), `${chunks} chunks`).toEqual(Array.from({ length: chunks }, (_, i) => i));
      if (chunks >= 3) expect(taken.slice(0, 3), `${chunks} chunks: front, front, back`).toEqual([0, 1, chunks - 1]);
      expect([takeChunk(ctrl, CONTROL.range, false), takeChunk(ctrl, CONTROL.range, true)], `${chunks} chunks: none left`).toEqual([-1, -1]);
    }
  });

  it('gives the worker the chunk taking the main thread runs, from its own source', () => {
    expect(nodeWorkerSource('node:worker_threads')).toContain(String(takeChunk));
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
