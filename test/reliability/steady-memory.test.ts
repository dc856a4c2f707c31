/**
 * The training loop allocates nothing: over 10,000 steps the WASM memory does not grow and the JS
 * heap neither grows nor churns. Measured in a child process (steady-memory.run.ts) started with
 * --expose-gc and a 64 MiB young generation, so every byte the loop allocates is still counted
 * when it ends (no scavenge ran in between; the run checks that too).
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SCRIPT = fileURLToPath(new URL('./steady-memory.run.ts', import.meta.url));

/**
 * Heap bytes a step may allocate: the one double it returns (the loss), which V8 boxes in a
 * 16-byte HeapNumber when it comes back from a call it did not inline. A typed-array view per step
 * costs ~100 bytes more, a closure 32, an empty array 16: any of them fails this bound.
 */
const STEP_BYTES = 24;
/** Retained heap growth allowed over 10,000 train() steps: a byte per step would be 10,000. */
const TRAIN_HEAP_BYTES = 64 * 1024;

interface Measurements {
  steps: number;
  faults: number;
  stepBytesPerStep: number;
  stepCollections: number;
  stepPages: [number, number];
  trainSteps: number;
  finalLoss: number;
  trainPages: [number, number];
  trainHeapGrowth: number;
}

describe('steady memory over 10,000 training steps', () => {
  const run = spawnSync(
    process.execPath,
    ['--expose-gc', '--min-semi-space-size=64', '--max-semi-space-size=64', '--import', 'tsx', SCRIPT],
    { cwd: ROOT, encoding: 'utf8', timeout: 110_000 },
  );
  const measured = (): Measurements => {
    expect(run.status, `child failed: ${run.stderr}`).toBe(0);
    return JSON.parse(run.stdout.trim().split('\n').pop()!) as Measurements;
  };

  it('the step loop (copy, feedforward, backprop, check, SGD) allocates at most the returned loss', () => {
    const m = measured();
    expect(m.faults).toBe(0);
    // A scavenge during the loop would hide allocations: the measurement is only valid without one.
    expect(m.stepCollections, 'a garbage collection ran during the measured loop').toBe(0);
    expect(m.stepBytesPerStep, `JS heap bytes allocated per step`).toBeLessThan(STEP_BYTES);
    expect(m.stepPages[1], 'WASM pages after 10,000 steps').toBe(m.stepPages[0]);
  });

  it('train() for 10,000 steps keeps WASM pages and the collected JS heap flat', () => {
    const m = measured();
    expect(m.trainSteps).toBe(10_000);
    expect(Number.isFinite(m.finalLoss)).toBe(true);
    expect(m.trainPages[1], 'WASM pages after train()').toBe(m.trainPages[0]);
    expect(m.trainHeapGrowth, 'JS heap retained by train()').toBeLessThan(TRAIN_HEAP_BYTES);
  });
});
