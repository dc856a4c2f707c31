/**
 * The autoencoder study's Hessian-free run, step by step: runAutoencoderStudy itself (its network, Martens' sparse init,
 * seed, 1,000-row batches in turn, HF settings and CPU clock) with an onStep hook that prints, after every step, the CPU
 * seconds so far, the training / held-out errors as the study measures them, and what the step did (CG iterations, the
 * iterate taken, λ, ρ). The errors at a given step do not depend on the clock; how many steps a budget of CPU seconds
 * buys does (the load moves it): docs/second-order.md's 2026-12-05 re-run.
 *
 *   npx tsx scripts/autoencoder-steps.ts [seconds]   (the study's budget in CPU seconds; default 60: 55–75 steps on a
 *                                                    2-core AMD EPYC Zen 5, 2026-12-05, as the load allows)
 */
import { loadavg } from 'node:os';
import { runAutoencoderStudy } from '../src/node.js';

const seconds = Number(process.argv[2] ?? 60);
console.log(`load ${loadavg()[0].toFixed(2)}; step, CPU s, train / test error, CG iterations, iterate taken, λ, ρ`);
await runAutoencoderStudy({
  optimizers: ['hessian-free'],
  seconds,
  // The fewest points: the start, printed as step 0, and the end.
  points: 1,
  onPoint: (_, point) => {
    if (point.steps === 0) console.log(`0 0.0 ${point.trainError.toFixed(2)} / ${point.testError.toFixed(2)}`);
  },
  onStep: (_, step) => {
    const { trainError, testError } = step.errors();
    const r = step.hessianFree!;
    console.log(`${step.steps} ${step.seconds.toFixed(1)} ${trainError.toFixed(2)} / ${testError.toFixed(2)} ${r.iterations} ${r.chosenIteration} ${r.lambda.toPrecision(3)} ${r.rho.toFixed(3)}`);
  },
});
console.log(`load ${loadavg()[0].toFixed(2)}`);
