/**
 * bench/call-times.ts: the names its per-call times go under, the calls it times (outermost only)
 * and the sum of tenth percentile × calls that bench/train-calls.ts prints as a train() call's
 * kernel time; the calls in which the main thread ran a worker's job, timed apart; the JavaScript
 * between the calls (JsGaps, bench/goal-call-costs.ts).
 */
import { describe, expect, it } from 'vitest';
import { createRefKernels } from '../../src/ref/ref-kernels.js';
import { callName, contractMethods, JsGaps, leastDisturbedSum, timeCalls, type CallTimes } from '../../bench/call-times.js';

describe('call-times', () => {
  it('names a call by its kernel, its tensors\' lengths and its numbers, without copyRows\' first row (one name for every batch)', () => {
    expect(callName('denseForward', [{ ptr: 8, length: 6 }, { ptr: 64, length: 4 }, 2, 3])).toBe('denseForward(T6,T4,2,3)');
    expect(callName('activationForward', ['sigmoid', { length: 6 }, { length: 6 }, 2, 3])).toBe('activationForward(T6,T6,2,3)');
    const rows = Uint32Array.of(5, 1, 4, 0);
    expect(callName('copyRows', [{ length: 8 }, { length: 20 }, rows, 0, 2, 4])).toBe(callName('copyRows', [{ length: 8 }, { length: 20 }, rows, 2, 2, 4]));
    expect(callName('copyRows', [{ length: 8 }, { length: 20 }, rows, 2, 2, 4])).toBe('copyRows(T8,T20,T4,2,4)');
  });

  it('lists the kernel contract\'s methods', () => {
    const methods = contractMethods();
    for (const name of ['denseForward', 'denseBackwardWeights', 'activationForward', 'axpy', 'zero', 'maxAbs', 'copyRows']) expect(methods).toContain(name);
    expect(methods).not.toContain('constructor');
  });

  it('times each call made from outside the kernels once, a kernel that calls another included', () => {
    const k = createRefKernels();
    let times: CallTimes = new Map();
    timeCalls(k, () => times);
    const [dw, da, dz, a, w] = [k.alloc(6), k.alloc(4), k.alloc(6), k.alloc(4), k.alloc(6)];
    expect(times.get('alloc(6)'), 'alloc is a contract method too').toHaveLength(3);
    times = new Map();
    // The reference backend's pair runs its ∂W and ∂input through the kernels object itself.
    k.denseBackwardWeightsAndInput(dw, da, dz, a, w, 2, 2, 3);
    k.denseBackwardWeightsAndInput(dw, da, dz, a, w, 2, 2, 3);
    k.zero(dw);
    expect([...times.keys()]).toEqual(['denseBackwardWeightsAndInput(T6,T4,T6,T4,T6,2,2,3)', 'zero(T6)']);
    expect(times.get('denseBackwardWeightsAndInput(T6,T4,T6,T4,T6,2,2,3)')).toHaveLength(2);
    times = new Map();
    k.zero(dw);
    expect([...times.keys()], 'into a new map once into() gives one').toEqual(['zero(T6)']);
  });

  it('sums the tenth percentile of each call times its calls per run', () => {
    const times: CallTimes = new Map([
      ['a', [10, 10, 10, 10, 10, 10, 10, 10, 10, 10]], // 10 calls over 2 runs: 5 a run at 10 µs
      ['b', [3, 100]], // 1 call a run, tenth percentile 3 + 0.1 × 97 = 12.7
    ]);
    expect(leastDisturbedSum(times, 2)).toBeCloseTo(5 * 10 + 12.7, 10);
  });

  it('times a call in which the main thread ran a worker\'s job apart: counted as a call, its time left out of the tenth percentile', () => {
    const k = createRefKernels();
    // A stand-in for ThreadPool.jobsRunHere: zero of 6 values 'runs a worker's job here'.
    let jobsRunHere = 0;
    const zero = k.zero.bind(k);
    k.zero = (t, n) => {
      if ((n ?? t.length) === 6) jobsRunHere++;
      zero(t, n);
    };
    const times: CallTimes = new Map();
    const ranHere: CallTimes = new Map();
    timeCalls(k, () => times, { jobs: () => jobsRunHere, into: () => ranHere });
    const t = k.alloc(6);
    k.zero(t);
    k.zero(t, 4);
    expect([...times.keys()]).toEqual(['alloc(6)', 'zero(T6,4)']);
    expect([...ranHere.keys()]).toEqual(['zero(T6)']);

    const clean: CallTimes = new Map([['a', [10, 10, 10]], ['b', [3]]]);
    const spoiled: CallTimes = new Map([['a', [1, 1, 1]], ['c', [7]]]);
    // a: 6 calls over 2 runs at the clean 10 µs; b: 1 at 3 over 2 runs; c: only spoiled calls, so their own 7.
    expect(leastDisturbedSum(clean, 2, spoiled)).toBeCloseTo(3 * 10 + 0.5 * 3 + 0.5 * 7, 10);
  });

  it('times the JavaScript between outermost kernel calls and marks, by the pair\'s names, and nothing after pause()', () => {
    const k = createRefKernels();
    const times: CallTimes = new Map();
    const gaps = new JsGaps();
    timeCalls(k, () => times, undefined, gaps);
    const [dw, da, dz, a, w] = [k.alloc(6), k.alloc(4), k.alloc(6), k.alloc(4), k.alloc(6)];
    const busy = (ms: number) => {
      for (const until = performance.now() + ms; performance.now() < until; );
    };
    gaps.mark('call start');
    k.zero(dw);
    busy(5);
    // One outermost call: the reference pair's inner calls make no stretches of their own.
    k.denseBackwardWeightsAndInput(dw, da, dz, a, w, 2, 2, 3);
    gaps.mark('call end');
    gaps.pause();
    k.zero(dw);
    busy(1);
    k.zero(dw);
    expect([...gaps.times.keys()]).toEqual(['call start → zero', 'zero → denseBackwardWeightsAndInput', 'denseBackwardWeightsAndInput → call end']);
    for (const v of gaps.times.values()) expect(v).toHaveLength(1);
    expect(gaps.times.get('zero → denseBackwardWeightsAndInput')![0], 'the 5 ms of JavaScript between the calls, in µs').toBeGreaterThanOrEqual(5000);
    expect(gaps.times.get('call start → zero')![0]).toBeLessThan(5000);
    expect(times.get('zero(T6)'), 'the kernel calls are timed as before').toHaveLength(3);
  });
});
