/**
 * What moving one cache line between the main thread and a worker costs on this host right now:
 * the two threads hand an Int32 back and forth through Atomics (each spins until the other has
 * written), and a round trip is two line moves. The host control (bench/host-control.ts) shares
 * no data, so it cannot see this; a split training step moves lines every step (each thread reads
 * the weights the other half of the update wrote, ∂W's columns read every batch row, the paired
 * products read δ written on the other core), so its speed-up may depend on it. On one AMD EPYC
 * Zen 5 (family 26 model 2, 2 vCPUs, 2026-12-03) it read 114 ns once and 362–485 ns at other times
 * within the same hour (session 27, perf27a), while main's two-thread step read 1.49–1.63× one
 * thread in most minutes and 1.89–1.95× in a few; in the lead's `npm run bench` at 21:22–21:28 it
 * read 433–438 ns while the step read 1.70× at batch 256. Printed beside the two-thread rows,
 * before and after them, for reading only: no verdict uses it (that the two go together is not shown).
 *
 * Where the two threads share one CPU (a 1-vCPU host, or another process holding the second), a
 * spinning side would wait a scheduler's slice for every half-trip: each side spins a bounded
 * number of loads (the pool's SPIN), then sleeps briefly, and the whole measurement stops at
 * DEADLINE_MS with the batches it has (a trip so measured reads in µs, not ns, which says so).
 *
 *   npx tsx bench/line-round-trip.ts
 */
import { Worker } from 'node:worker_threads';
import { quantile } from '../src/median.js';
import { SPIN } from '../src/wasm/threads/pool.js';

/** Round trips timed together (one timing covers them, so the clock's resolution does not matter). */
const BATCH = 200;
/** Batches timed: ~20,000 round trips, ~10 ms at 500 ns. */
const BATCHES = 100;
/** The measurement ends by then (ms from the worker's start) with the batches timed so far. */
const DEADLINE_MS = 2_000;
/** A side that has spun SPIN loads sleeps this long (ms) before it looks again. */
const NAP_MS = 0.05;

export interface LineRoundTrip {
  /** Nanoseconds per round trip: tenth percentile and median of the batches. */
  p10Ns: number;
  medianNs: number;
  /** Batches timed (BATCHES unless the deadline came first). */
  batches: number;
}

/**
 * Waits until `word` holds `value`: SPIN loads, then naps; false once `until` (Date.now(), which both
 * threads share) has passed. One source for both sides: the worker takes it as text.
 */
const AWAIT_SOURCE = `
function awaitValue(word, value, until) {
  for (;;) {
    for (let i = 0; i < ${SPIN}; i++) if (Atomics.load(word, 0) === value) return true;
    if (Date.now() > until) return false;
    Atomics.wait(word, 0, Atomics.load(word, 0), ${NAP_MS});
  }
}`;

const WORKER_SOURCE = `
const { workerData: { shared, trips, until } } = require('node:worker_threads');
const word = new Int32Array(shared);
${AWAIT_SOURCE}
for (let i = 1; i <= trips && awaitValue(word, 2 * i - 1, until); i++) Atomics.store(word, 0, 2 * i);
`;

const awaitValue = new Function(`${AWAIT_SOURCE}; return awaitValue;`)() as (word: Int32Array, value: number, until: number) => boolean;

/**
 * Measures a line's round trip; undefined where not one batch could be timed before the deadline
 * (`deadlineMs`, DEADLINE_MS by default: the bench's, which keeps a run on a shared CPU short; a test
 * asks for longer, since on a loaded machine the worker's start alone can take most of 2 s).
 */
export async function measureLineRoundTrip(deadlineMs = DEADLINE_MS): Promise<LineRoundTrip | undefined> {
  const trips = BATCH * BATCHES;
  const word = new Int32Array(new SharedArrayBuffer(64));
  const until = Date.now() + deadlineMs;
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { shared: word.buffer, trips, until } });
  const exited = new Promise((resolve, reject) => worker.once('exit', resolve).once('error', reject));
  const perTrip: number[] = [];
  timing: for (let batch = 0; batch < BATCHES; batch++) {
    const start = performance.now();
    for (let i = batch * BATCH + 1; i <= (batch + 1) * BATCH; i++) {
      Atomics.store(word, 0, 2 * i - 1);
      if (!awaitValue(word, 2 * i, until)) break timing;
    }
    perTrip.push(((performance.now() - start) * 1e6) / BATCH);
  }
  await worker.terminate();
  await exited;
  // The first batch waited for the worker to start: drop it where there are others.
  const timed = perTrip.length > 1 ? perTrip.slice(1) : [];
  if (timed.length === 0) return undefined;
  return { p10Ns: quantile(timed, 0.1), medianNs: quantile(timed, 0.5), batches: timed.length };
}

/** A reading as the console and the report print it. */
export function lineRoundTripText(trip: LineRoundTrip | undefined): string {
  if (!trip) return `not measured (no batch of ${BATCH} round trips within ${DEADLINE_MS / 1000} s: the two threads share one CPU)`;
  const partial = trip.batches < BATCHES - 1 ? `, ${trip.batches} batch${trip.batches === 1 ? '' : 'es'} before the deadline` : '';
  return `${Math.round(trip.p10Ns)} ns (tenth percentile; median ${Math.round(trip.medianNs)}${partial})`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(`a cache line's round trip between two threads: ${lineRoundTripText(await measureLineRoundTrip())}`);
}
