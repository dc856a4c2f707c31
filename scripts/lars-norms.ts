/**
 * Why LARS at its defaults leads the remedies study early and then falls back (docs/remedies.md): its
 * step moves each layer by a fixed fraction (lr·η, more with momentum) of its own ‖W‖, roughly at right
 * angles to W, so with a constant rate every layer's norm grows without bound until the sigmoids
 * saturate. You, Gitman & Ginsburg (2017, Algorithm 1) decay the global rate, γ_t = γ₀(1 − t/T)²: train()'s
 * schedule { name: 'polynomial' } (power 2, endFactor 0). This trains the study's network ([784, 8 × 32, 10]
 * sigmoid, standard init, seed 1, 9,000 digits, batches of 32, LARS at its defaults) in chunks of 10,000
 * steps, each chunk one train() call (a new epoch's shuffle at each), printing the training loss, the
 * held-out accuracy and every weight layer's ‖W‖ after each; then the same with the paper's decay, step
 * by step, T = the run's steps (each chunk continues the one schedule: steps T, from the steps taken).
 *
 *   nice -n 19 npx tsx scripts/lars-norms.ts [steps = 60000] [runs = both | constant | decay]
 */
import { createNetwork } from '../src/api/network.js';
import { createDataset } from '../src/api/dataset.js';
import { createOptimizer } from '../src/optim/index.js';
import { loadStudyDigits } from '../src/studies/study-digits.js';
import { REMEDIES_LOSS, REMEDIES_SIZES } from '../src/studies/remedies.js';
import { LARS_DEFAULTS } from '../src/optimizer-defaults.js';

const BATCH = 32;
const REPORT_EVERY = 10_000;

async function run(steps: number, decay: boolean): Promise<void> {
  const digits = await loadStudyDigits();
  const train = await createDataset(digits.train.x, digits.train.y);
  const test = await createDataset(digits.test.x, digits.test.y, { backend: train.kernels });
  const net = await createNetwork({ sizes: [...REMEDIES_SIZES], activation: 'sigmoid', loss: REMEDIES_LOSS, init: 'standard', seed: 1, backend: train.kernels });
  const optimizer = createOptimizer(net, 'lars');
  const norms = () => net.weights.map((w) => Math.hypot(...net.kernels.view(w)).toFixed(1)).join(' ');
  const report = () =>
    console.log(`  step ${net.step.toLocaleString('en')}: training loss ${net.evaluate(train).loss.toFixed(3)}, held-out ${(100 * net.evaluate(test).accuracy).toFixed(1)} %, ‖W‖ per weight layer ${norms()}`);
  console.log(decay ? `LARS with the paper's decay, lr ${LARS_DEFAULTS.learningRate} × (1 − t/${steps})² at step t (schedule polynomial)` : `LARS at its defaults (lr ${LARS_DEFAULTS.learningRate}, no schedule)`);
  report();
  for (let t = 0; t < steps; t += REPORT_EVERY) {
    // One schedule over the whole run: each call continues it from the steps taken (ScheduleSpan's steps and from).
    const schedule = decay ? { schedule: { name: 'polynomial', steps, from: net.step } as const } : {};
    net.train(train, { optimizer, learningRate: LARS_DEFAULTS.learningRate, batchSize: BATCH, epochs: Number.MAX_SAFE_INTEGER, maxSteps: Math.min(REPORT_EVERY, steps - t), ...schedule });
    report();
  }
  optimizer.dispose();
  net.dispose();
}

const steps = Number(process.argv[2] ?? 60_000);
const runs = process.argv[3] ?? 'both';
if (!['both', 'constant', 'decay'].includes(runs)) throw new Error(`runs: both, constant or decay, got ${runs}`);
if (runs !== 'decay') await run(steps, false);
if (runs !== 'constant') await run(steps, true);
