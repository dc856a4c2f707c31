// bench/scaling.bench.ts caseRounds: a case of CPU_CLOCK_MIN_FLOPS or more (the step goal's batch 64
// among them) is timed by the process's CPU time, a smaller one by wall time. The tasks here work
// 0.5 ms and then sleep 2 ms: by CPU time a call reads ~0.5 ms, by wall time ~2.5.
import { describe, expect, it } from 'vitest';
import { caseRounds, CPU_CLOCK_MIN_FLOPS, DEPTH_BATCH, depthSizes, SCALING_BATCHES } from '../../bench/scaling.bench.js';
import { STEP_SIZES, stepFlops } from '../../bench/step.bench.js';

const asleep = new Int32Array(new SharedArrayBuffer(4));
function workThenSleep(): void {
  const until = performance.now() + 0.5;
  while (performance.now() < until);
  Atomics.wait(asleep, 0, 0, 2);
}

describe("the scaling bench's clock", () => {
  it('times a case of CPU_CLOCK_MIN_FLOPS by CPU time: the sleep is not counted', async () => {
    const times = await caseRounds(workThenSleep, workThenSleep, CPU_CLOCK_MIN_FLOPS, 1);
    for (const ms of [...times.peak, ...times.step]) expect(ms).toBeLessThan(1.5);
  }, 60_000);

  it('times a smaller case by wall time: the sleep is counted', async () => {
    const times = await caseRounds(workThenSleep, workThenSleep, CPU_CLOCK_MIN_FLOPS - 1, 1);
    for (const ms of [...times.peak, ...times.step]) expect(ms).toBeGreaterThanOrEqual(2.4);
  }, 60_000);

  it('takes CPU time from batch 16 up and for every depth case, so for the step goal (batch 64)', () => {
    const byCpu = SCALING_BATCHES.filter((batch) => stepFlops(STEP_SIZES, batch) >= CPU_CLOCK_MIN_FLOPS);
    expect(byCpu).toEqual(SCALING_BATCHES.filter((batch) => batch >= 16));
    expect(stepFlops(depthSizes(1), DEPTH_BATCH)).toBeGreaterThanOrEqual(CPU_CLOCK_MIN_FLOPS);
  });
});
