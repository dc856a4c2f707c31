/**
 * Measures what a time budget's clock (src/budget-clock.ts) buys under load: the remedies study's
 * network, rows and contenders (src/studies/remedies.ts), each trained for the same budget on the CPU
 * clock and on the wall clock, the two alternated, for a few rounds. Each line: the steps taken, the CPU
 * and the wall seconds the budget took; the summary gives each optimiser's median steps per clock and
 * its steps as a share of the first optimiser's. Run it once as quiet as the machine gets and once
 * beside a load you add (e.g. two `node -e "for(;;){}"` at nice 0), and compare the two summaries.
 *
 *   npx tsx scripts/budget-clock-load.ts [seconds] [optimizers] [rounds]
 *   e.g. 3 sgd,adamw,lbfgs 3  (about 1 minute quiet on a 2-core AMD EPYC; 2026-12-03)
 */
import { loadavg } from 'node:os';
import { createDataset, createNetwork } from '../src/node.js';
import { chosenContenders, REMEDIES_CLOCK, REMEDIES_LOSS, REMEDIES_SIZES } from '../src/studies/remedies.js';
import { loadStudyDigits } from '../src/studies/study-digits.js';
import { STUDY_SEED } from '../src/studies/study-defaults.js';
import { BUDGET_CLOCKS, clockSeconds, type BudgetClock } from '../src/budget-clock.js';
import { createOptimizer } from '../src/optim/index.js';
import { median } from '../src/median.js';

const [secondsArg = '3', optimizersArg = 'sgd,adamw,lbfgs', roundsArg = '3'] = process.argv.slice(2);
const SECONDS = Number(secondsArg);
const ROUNDS = Number(roundsArg);
const contenders = chosenContenders(optimizersArg.split(','));
const cpuNow = clockSeconds('cpu');
const wallNow = clockSeconds('wall');

const digits = await loadStudyDigits();
const probeRows = 1000;
const probe = {
  x: { ...digits.train.x, data: digits.train.x.data.subarray(0, probeRows * 784), rows: probeRows },
  y: { ...digits.train.y, data: digits.train.y.data.subarray(0, probeRows * 10), rows: probeRows },
};
const train = await createDataset(digits.train.x, digits.train.y);

/** One budget of `clock`: the steps it bought and the CPU and wall seconds it took. */
async function budgetRun(contender: (typeof contenders)[number], clock: BudgetClock): Promise<{ steps: number; cpu: number; wall: number }> {
  const net = await createNetwork({ sizes: [...REMEDIES_SIZES], activation: 'sigmoid', loss: REMEDIES_LOSS, init: 'standard', seed: STUDY_SEED, backend: train.kernels });
  const optimizer = createOptimizer(net, contender.spec(net, probe));
  const [cpu0, wall0] = [cpuNow(), wallNow()];
  net.train(train, { optimizer, learningRate: contender.learningRate, batchSize: contender.batchSize, epochs: Number.MAX_SAFE_INTEGER, maxSeconds: SECONDS, clock });
  const result = { steps: net.step, cpu: cpuNow() - cpu0, wall: wallNow() - wall0 };
  optimizer.dispose();
  net.dispose();
  return result;
}

console.log(`${SECONDS} s budgets, ${ROUNDS} rounds, the study's clock '${REMEDIES_CLOCK}'; load average at start ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
const steps = new Map<string, number[]>();
for (let round = 0; round < ROUNDS; round++) {
  for (const contender of contenders) {
    // Alternate which clock goes first, so a load that drifts over a round favours neither.
    const clocks = round % 2 === 0 ? BUDGET_CLOCKS : [...BUDGET_CLOCKS].reverse();
    for (const clock of clocks) {
      const run = await budgetRun(contender, clock);
      const key = `${contender.label} ${clock}`;
      steps.set(key, [...(steps.get(key) ?? []), run.steps]);
      console.log(`round ${round + 1} ${key.padEnd(14)} ${String(run.steps).padStart(6)} steps  cpu ${run.cpu.toFixed(2)} s  wall ${run.wall.toFixed(2)} s  load ${loadavg()[0].toFixed(2)}`);
    }
  }
}
console.log(`load average at end ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
for (const clock of BUDGET_CLOCKS) {
  const first = median(steps.get(`${contenders[0].label} ${clock}`)!);
  const row = contenders.map((c) => {
    const m = median(steps.get(`${c.label} ${clock}`)!);
    return `${c.label} ${m} (${(m / first).toFixed(3)}× ${contenders[0].label}'s)`;
  });
  console.log(`median steps, ${clock} clock: ${row.join(', ')}`);
}
train.dispose();
