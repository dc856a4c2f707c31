/**
 * The autoencoder study's Hessian-free run (src/studies/autoencoder.ts: its network, Martens' sparse
 * init, seed, 1,000-row batches in turn and HF settings), step by step: each step's CPU seconds, the
 * training / held-out errors as the study measures them, and what the step did (CG iterations, the
 * iterate taken, λ, ρ). The errors at a given step do not depend on the clock; how many steps a
 * budget of CPU seconds buys does (the load moves it): docs/second-order.md's 2026-12-05 re-run.
 *
 * A copy of runAutoencoderStudy's Hessian-free loop, not a call to it (the study measures at its
 * points in time, this script after every step). What differs: it trains from each window's rows,
 * where the study uploads each window once as a Dataset and trains from that (the same rows, so the
 * same step); it passes no learningRate, which the study passes as contender.learningRate, absent for
 * Hessian-free; and it clocks only train(), as the study does. A change to the study's loop (its
 * window restart rule, batch or clock) must be made here too.
 *
 *   npx tsx scripts/autoencoder-steps.ts [steps]   (default 55: about a minute of CPU on a 2-core AMD EPYC, 2026-12-05)
 */
import { loadavg } from 'node:os';
import { createNetwork } from '../src/node.js';
import { AUTOENCODER_INIT, AUTOENCODER_OPTIMIZERS, AUTOENCODER_SIZES, reconstructionError } from '../src/studies/autoencoder.js';
import { AUTOENCODER_DEFAULTS, STUDY_SEED, TRAIN_ERROR_ROWS } from '../src/studies/study-defaults.js';
import { loadStudyDigits } from '../src/studies/study-digits.js';
import { matrixRows } from '../src/data/matrix.js';
import { clockSeconds } from '../src/budget-clock.js';
import type { HessianFree } from '../src/optim/hessian-free.js';

const steps = Number(process.argv[2] ?? 55);
const cpuNow = clockSeconds('cpu');
const digits = await loadStudyDigits(AUTOENCODER_DEFAULTS.trainRows, AUTOENCODER_DEFAULTS.testRows);
const train = digits.train.x;
const probe = matrixRows(train, 0, Math.min(TRAIN_ERROR_ROWS, train.rows));
const contender = AUTOENCODER_OPTIMIZERS['hessian-free'];
const net = await createNetwork({ sizes: [...AUTOENCODER_SIZES], activation: 'sigmoid', output: 'sigmoid', loss: 'binary-cross-entropy', init: AUTOENCODER_INIT, seed: STUDY_SEED });
const hf = contender.create(net) as HessianFree;
const batch = Math.min(contender.batchSize, train.rows);
const errors = () => `${reconstructionError(net, probe).toFixed(2)} / ${reconstructionError(net, digits.test.x).toFixed(2)}`;
console.log(`load ${loadavg()[0].toFixed(2)}; step, CPU s, train / test error, CG iterations, iterate taken, λ, ρ`);
console.log(`0 0.0 ${errors()}`);
let seconds = 0;
for (let step = 1, start = 0; step <= steps; step++, start += batch) {
  if (start + batch > train.rows) start = 0;
  const rows = matrixRows(train, start, batch);
  const began = cpuNow();
  net.train(rows, rows, { optimizer: hf, epochs: 1, batchSize: batch, shuffle: false });
  seconds += cpuNow() - began;
  const r = hf.lastReport!;
  console.log(`${step} ${seconds.toFixed(1)} ${errors()} ${r.iterations} ${r.chosenIteration} ${r.lambda.toPrecision(3)} ${r.rho.toFixed(3)}`);
}
console.log(`load ${loadavg()[0].toFixed(2)}`);
