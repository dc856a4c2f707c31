/**
 * What moving one cache line between the main thread and a worker costs on this host right now:
 * the two threads hand an Int32 back and forth through Atomics (each spins until the other has
 * written), and a round trip is two line moves. The host control (bench/host-control.ts) shares
 * no data, so it cannot see this; a split training step moves lines every step (each thread reads
 * the weights the other half of the update wrote, ∂W's columns read every batch row, the paired
 * products read δ written on the other core), so its speed-up depends on it. On one AMD EPYC Zen 5
 * (family 26 model 2, 2 vCPUs, 2026-12-03) it read 114 ns once and 362–485 ns at other times within
 * the same hour (session 27, perf27a), while main's two-thread step read 1.49–1.63× one thread in
 * most minutes and 1.89–1.95× in a few: printed beside the two-thread rows, before and after them,
 * so that a reader can tell what the host's lines cost during a run (not used by any verdict: that
 * the two go together is likely, not shown).
 *
 *   npx tsx bench/line-round-trip.ts
 */
import { Worker } from 'node:worker_threads';
import { quantile } from '../src/median.js';

/** Round trips timed together (one timing covers them, so the clock's resolution does not matter). */
const BATCH = 200;
/** Batches timed: ~20,000 round trips, ~10 ms at 500 ns. */
const BATCHES = 100;

export interface LineRoundTrip {
  /** Nanoseconds per round trip: tenth percentile and median of the batches. */
  p10Ns: number;
  medianNs: number;
}

const WORKER_SOURCE = `
const { workerData: { shared, trips } } = require('node:worker_threads');
const word = new Int32Array(shared);
for (let i = 1; i <= trips; i++) {
  while (Atomics.load(word, 0) !== 2 * i - 1);
  Atomics.store(word, 0, 2 * i);
}
`;

export async function measureLineRoundTrip(): Promise<LineRoundTrip> {
  const trips = BATCH * BATCHES;
  const word = new Int32Array(new SharedArrayBuffer(64));
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { shared: word.buffer, trips } });
  const exited = new Promise((resolve, reject) => worker.once('exit', resolve).once('error', reject));
  const perTrip: number[] = [];
  for (let batch = 0; batch < BATCHES; batch++) {
    const start = performance.now();
    for (let i = batch * BATCH + 1; i <= (batch + 1) * BATCH; i++) {
      Atomics.store(word, 0, 2 * i - 1);
      while (Atomics.load(word, 0) !== 2 * i);
    }
    perTrip.push(((performance.now() - start) * 1e6) / BATCH);
  }
  await exited;
  return { p10Ns: quantile(perTrip, 0.1), medianNs: quantile(perTrip, 0.5) };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { p10Ns, medianNs } = await measureLineRoundTrip();
  console.log(`a cache line's round trip between two threads: ${p10Ns.toFixed(0)} ns (tenth percentile), median ${medianNs.toFixed(0)} ns`);
}
