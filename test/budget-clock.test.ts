/**
 * The clocks a time budget reads (src/budget-clock.ts): 'cpu' is this process's CPU time where the
 * runtime measures it (Node) and says so; where process.cpuUsage is absent (a browser) it reads the
 * wall clock and says that instead.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { clockSeconds, clockWords } from '../src/budget-clock.js';

const cpuUsage = process.cpuUsage;
afterEach(() => {
  process.cpuUsage = cpuUsage;
});

describe('budget clocks', () => {
  it("'cpu' reads this process's CPU time, which waiting does not advance; 'wall' reads the wall clock, which it does", () => {
    const [cpu, wall] = [clockSeconds('cpu'), clockSeconds('wall')];
    const [cpu0, wall0] = [cpu(), wall()];
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
    expect(wall() - wall0).toBeGreaterThanOrEqual(0.19);
    expect(cpu() - cpu0).toBeLessThan(0.1);
    expect([clockWords('cpu'), clockWords('wall')]).toEqual(['CPU time of this process', 'wall-clock time']);
  });

  it("where process.cpuUsage is absent (a browser), 'cpu' reads the wall clock and says so", () => {
    (process as { cpuUsage?: unknown }).cpuUsage = undefined;
    expect(clockWords('cpu')).toBe('wall-clock time');
    const wall0 = performance.now() / 1000;
    expect(Math.abs(clockSeconds('cpu')() - wall0)).toBeLessThan(0.05);
  });
});
