/**
 * He et al.'s experiment (src/studies/paper-he-init.ts) run longer than its documented 10 epochs, to see
 * whether Xavier's 22-layer network catches He's (docs/trainable-depth.md, the paragraph after the
 * experiment's notes). Each budget scales the experiment's epochs as runPaperExperiments' budget does
 * (2: 20 epochs); prints every curve's held-out error after each epoch, in %, and the findings.
 *
 *   nice -n 19 npx tsx scripts/he-init-epochs.ts 2 4 8
 */
import { runHeInitPaper } from '../src/studies/paper-he-init.js';

const budgets = process.argv.slice(2).map(Number);
if (budgets.length === 0 || budgets.some((b) => !(b > 0))) {
  console.error('usage: npx tsx scripts/he-init-epochs.ts BUDGET… (each a number > 0; 2 runs 20 epochs)');
  process.exit(2);
}
for (const budget of budgets) {
  const started = process.cpuUsage();
  const experiment = await runHeInitPaper({ budget });
  const cpu = process.cpuUsage(started);
  console.log(`budget ${budget} (${((cpu.user + cpu.system) / 1e6).toFixed(0)} s of CPU time):`);
  for (const series of experiment.charts.flatMap((chart) => chart.series)) {
    console.log(`  ${series.name}: ${Array.from(series.ys, (error) => (100 * error).toFixed(1)).join(' ')}`);
  }
  for (const finding of experiment.findings) console.log(`  ${finding}`);
}
