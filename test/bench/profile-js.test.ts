// The profile's 'train() call: JavaScript' arithmetic (bench/profile.bench.ts) on a made-up clock: no timing.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { outsideKernelsMs, timedKernels } from '../../bench/profile.bench.js';
import type { Kernels } from '../../src/kernels.js';

describe("a call's time outside its kernel calls", () => {
  let clock = 0;
  afterEach(() => vi.restoreAllMocks());

  const backend = {
    scale: 3,
    /** 1 ms in the core, which calls another method of its own backend. */
    work(this: { helper: () => number }) {
      clock += 1;
      return this.helper();
    },
    helper() {
      clock += 0.5;
      return 7;
    },
  };

  it('is the call less its kernel calls (a kernel calling its own backend counts once), on the median call', () => {
    vi.spyOn(performance, 'now').mockImplementation(() => clock);
    const timed = timedKernels(backend as unknown as Kernels);
    const k = timed.kernels as unknown as typeof backend;
    expect(k.scale).toBe(3); // properties pass through
    let runs = 0;
    const run = () => {
      clock += 0.25; // JavaScript before
      expect(k.work()).toBe(7);
      clock += runs++ === 1 ? 50 : 0.05; // JavaScript after; the second run is preempted
    };
    expect(outsideKernelsMs(timed, run, 3, 0)).toBeCloseTo(0.3, 12);
    expect(timed.calls).toBe(3);
    expect(timed.inside).toBeCloseTo(4.5, 12);
  });

  it("subtracts the timing's own cost once per kernel call", () => {
    vi.spyOn(performance, 'now').mockImplementation(() => clock);
    const timed = timedKernels(backend as unknown as Kernels);
    const k = timed.kernels as unknown as typeof backend;
    const run = () => {
      clock += 0.25;
      k.work();
      k.helper();
      clock += 0.02; // what two timed calls cost outside the kernels, 0.01 each
    };
    expect(outsideKernelsMs(timed, run, 5, 0.01)).toBeCloseTo(0.25, 12);
  });

  it("runs `before` ahead of every run, outside the time (the control's long kernel)", () => {
    vi.spyOn(performance, 'now').mockImplementation(() => clock);
    const timed = timedKernels(backend as unknown as Kernels);
    const k = timed.kernels as unknown as typeof backend;
    const order: string[] = [];
    const before = () => {
      order.push('before');
      clock += 4; // a long kernel call, not through the timed backend
    };
    const run = () => {
      order.push('run');
      clock += 0.1;
      k.work();
    };
    expect(outsideKernelsMs(timed, run, 3, 0, before)).toBeCloseTo(0.1, 12);
    expect(order).toEqual(['before', 'run', 'before', 'run', 'before', 'run']);
  });
});
