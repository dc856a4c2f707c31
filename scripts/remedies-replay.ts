/**
 * README's remedies table, measured by steps so it replays: each optimiser trains the remedies study's
 * network for the steps its 6 CPU seconds bought in the run of 2026-11-29 (commit 9c8ff03, the table's
 * first run, on a quiet machine; K-FAC's 153, a replay of 2026-11-30), through runRemediesStudy's `steps`
 * budget (the same seed and steps give the same run bit for bit, whatever the machine's load). The steps are
 * the comparison's fairness as that run measured it; the cells are the code's of the commit the file names.
 *
 *   npx tsx scripts/remedies-replay.ts > docs/data/remedies-replay.json   # measure (~2 min of CPU, quiet)
 *   npx tsx scripts/remedies-replay.ts --table docs/data/remedies-replay.json  # README's table from it
 *
 * test/docs/remedies-replay holds README's table to the file and replays two of its rows.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { grouped } from '../src/counted.js';
import { runRemediesStudy, type RemediesRun } from '../src/studies/remedies.js';

/** Each row of README's table: the study's contender, its name in the table, and the steps of its 2026-11-29 budget. */
export const REPLAYED_ROWS = [
  { optimizer: 'sgd', name: 'sgd (η 0.5)', steps: 41_194 },
  { optimizer: 'sgd-momentum', name: 'sgd + momentum 0.9', steps: 43_012 },
  { optimizer: 'nesterov', name: 'nesterov', steps: 42_307 },
  { optimizer: 'layer-rates', name: 'per-layer rates (fixed at init)', steps: 36_961 },
  { optimizer: 'lars', name: 'lars', steps: 40_944 },
  { optimizer: 'adagrad', name: 'adagrad', steps: 41_231 },
  { optimizer: 'rmsprop', name: 'rmsprop', steps: 40_518 },
  { optimizer: 'adam', name: 'adam', steps: 32_810 },
  { optimizer: 'adamw', name: 'adamw', steps: 32_730 },
  { optimizer: 'lbfgs', name: 'lbfgs (batch 1,000)', steps: 676 },
  { optimizer: 'hessian-free', name: 'hessian-free (batch 1,000)', steps: 181 },
  { optimizer: 'kfac', name: 'kfac (batch 1,000)', steps: 153 },
] as const;

/** What the file holds: where and when it was measured, and each row's run as runRemediesStudy returns it. */
export interface RemediesReplay {
  commit: string;
  date: string;
  rows: { name: string; run: RemediesRun }[];
}

/** One row's run: its contender alone for its steps, the study's defaults otherwise. */
export async function replayRow(row: (typeof REPLAYED_ROWS)[number]): Promise<RemediesRun> {
  const { runs } = await runRemediesStudy({ optimizers: [row.optimizer], steps: row.steps });
  return runs[0];
}

/** last ÷ first as the table gives it: 3 significant digits from 1,000 (grouped), else 2. */
export const ratioCell = (ratio: number): string => `${ratio >= 1000 ? grouped(Number(ratio.toPrecision(3))) : String(Number(ratio.toPrecision(2)))}×`;

/** README's table from the file, the lowest loss and the best accuracy in bold. */
export function replayTable(replay: RemediesReplay): string[][] {
  const runs = replay.rows.map((row) => row.run);
  const lowest = Math.min(...runs.map((run) => run.trainLoss!));
  const best = Math.max(...runs.map((run) => run.testAccuracy!));
  const bold = (text: string, is: boolean) => (is ? `**${text}**` : text);
  return replay.rows.map(({ name, run }) => [
    name,
    grouped(run.steps!),
    ratioCell(run.movementRatio!),
    bold(run.trainLoss!.toFixed(3), run.trainLoss === lowest),
    bold(`${(run.testAccuracy! * 100).toFixed(1)} %`, run.testAccuracy === best),
  ]);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  if (process.argv[2] === '--table') {
    for (const cells of replayTable(JSON.parse(readFileSync(process.argv[3], 'utf8')) as RemediesReplay)) console.log(`| ${cells.join(' | ')} |`);
  } else {
    const commit = execFileSync('git', ['rev-parse', '--short=8', 'HEAD'], { encoding: 'utf8' }).trim();
    const rows: RemediesReplay['rows'] = [];
    for (const row of REPLAYED_ROWS) {
      rows.push({ name: row.name, run: await replayRow(row) });
      console.error(`${row.optimizer}: ${row.steps} steps done`);
    }
    console.log(JSON.stringify({ commit, date: new Date().toISOString().slice(0, 10), rows } satisfies RemediesReplay, null, 1));
  }
}
