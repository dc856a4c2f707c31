/**
 * How well study (c)'s progress (rowProgress) predicts its time: runs npm start's study (c) (the --quick
 * subset) in this process, records the CPU time each network takes (training, probes and held-out
 * accuracy: all a row waits for), and prints each network's share of the CPU time beside its share of
 * the bar's work; then, at each row, the time left the bar says against the time that was left.
 *
 *   nice -n 19 npx tsx scripts/trainable-depth-progress-timing.ts [--remedies a,b] [--depths 2,10,50]
 *
 * About as long as study (c) itself (several minutes of CPU).
 */
import { loadavg } from 'node:os';
import { rowWork } from '../src/cli/commands/study-trainable-depth.js';
import { keptRates, timeLeftText, timeLeftWords, type Stretch } from '../src/cli/progress.js';
import { checkStudySetup, QUICK_STUDY, runTrainableDepthStudy } from '../src/studies/trainable-depth.js';

const flag = (name: string) => {
  const at = process.argv.indexOf(`--${name}`);
  return at < 0 ? undefined : process.argv[at + 1].split(',');
};
const options = { ...QUICK_STUDY, remedies: flag('remedies') ?? QUICK_STUDY.remedies, depths: flag('depths')?.map(Number) ?? QUICK_STUDY.depths, seed: 1 };
const setup = checkStudySetup(options, { depths: QUICK_STUDY.depths });

/** Seconds of CPU this process has used. */
const cpu = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
};
const started = new Date().toISOString();
const load = loadavg()[0];
const networks: { remedy: string; depth: number; seconds: number; work: number }[] = [];
let last = cpu();
await runTrainableDepthStudy({
  ...options,
  onRow: (row) => {
    const now = cpu();
    networks.push({ remedy: row.remedy, depth: row.depth, seconds: now - last, work: rowWork(setup.remedies.find((r) => r.key === row.remedy), row.depth, setup.width) });
    last = now;
  },
});
const seconds = networks.reduce((sum, n) => sum + n.seconds, 0);
const work = networks.reduce((sum, n) => sum + n.work, 0);
console.log(`study (c), ${networks.length} networks of width ${setup.width}, ${setup.epochs} epochs: ${seconds.toFixed(1)} s CPU; ${started} → ${new Date().toISOString()}, load ${load.toFixed(2)} → ${loadavg()[0].toFixed(2)}`);
console.log('network                      CPU s   CPU share   work share   bar says                   was left');
// The bar times from its first report (the first row's end), as ProgressBar does, each row after it a stretch of its own rate (keptRates).
let secondsDone = 0;
let workDone = 0;
const stretches: Stretch[] = [];
for (const [i, n] of networks.entries()) {
  secondsDone += n.seconds;
  workDone += n.work;
  if (i > 0) stretches.push({ work: n.work, ms: 1000 * n.seconds });
  const rates = keptRates(stretches);
  const says = i === networks.length - 1 || rates === undefined ? '' : timeLeftWords(rates, work - workDone);
  const left = i === networks.length - 1 ? '' : timeLeftText(1000 * (seconds - secondsDone));
  const name = `${n.remedy} at ${n.depth}`.padEnd(26);
  console.log(`${name} ${n.seconds.toFixed(2).padStart(7)}   ${((100 * n.seconds) / seconds).toFixed(1).padStart(6)} %   ${((100 * n.work) / work).toFixed(1).padStart(7)} %   ${says.padEnd(26)} ${left}`);
}
