/** The trainable-depth study's budget sweep as tables (terminal, report, README) and an HTML report section: plain data for src/flow/report-html.ts. */
import { counted, countedList, grouped } from '../counted.js';
import type { ReportSection, ReportTable } from '../flow/report-html.js';
import { epochsText } from './paper-experiment.js';
import { ACCURACY_GOAL } from './trainable-depth.js';
import type { BudgetSweepResult, BudgetSweepRow } from './trainable-depth-budget.js';
import { ratioCell, shortReason, shortStop, WALL_SECONDS } from './trainable-depth-report.js';
import { percentText } from '../percent-text.js';
import { lossText } from '../loss-text.js';

const goal = () => `${100 * ACCURACY_GOAL} %`;
const rate = (learningRate: number | null) => (learningRate === null ? 'default' : String(learningRate));

/** The steps of each budget, as its rows took them (null: no row ran at it). */
function stepsOf(result: BudgetSweepResult, budget: number): number | null {
  return result.rows.find((r) => r.budget === budget && r.steps !== null && r.stopped === undefined)?.steps ?? null;
}

/** A budget as a column header: "4× (11,280 steps)". */
function budgetHeader(result: BudgetSweepResult, budget: number): string {
  const steps = stepsOf(result, budget);
  return `${budget}×${steps === null ? '' : ` (${grouped(steps)} steps)`}`;
}

/**
 * Per remedy (its own learning rate) a column per budget: the deepest depth reaching the goal and the
 * next depth, where it fell short, with its accuracy ("5, not 10 (10.5 %)"; "none (5: 10.5 %)": not
 * even the shallowest depth of the sweep).
 */
export function boundaryTable(result: BudgetSweepResult): ReportTable {
  const header = [`remedy: deepest ≥ ${goal()}`, ...result.budgets.map((b) => budgetHeader(result, b))];
  const rows = result.remedies.map(({ key }) => [
    key,
    ...result.budgets.map((budget) => {
      const boundary = result.boundaries.find((b) => b.remedy === key && b.budget === budget)!;
      const at = (depth: number | null) => result.rows.find((r) => r.remedy === key && r.ownLearningRate && r.budget === budget && r.depth === depth);
      if (boundary.deepest === null) {
        const shallowest = at(boundary.firstShort);
        return shallowest ? `none (${shallowest.depth}: ${percentText(shallowest.testAccuracy)})` : 'not run';
      }
      const short = at(boundary.firstShort);
      return short ? `${boundary.deepest}, not ${short.depth} (${percentText(short.testAccuracy)})` : `${boundary.deepest} (every depth)`;
    }),
  ]);
  return { header, rows };
}

/**
 * Per network at its own learning rate: held-out accuracy at each budget, the first step at which it
 * reached the goal, and first ÷ last ‖∂C/∂b‖ at initialisation and after each budget.
 */
export function budgetMatrix(result: BudgetSweepResult): ReportTable {
  const header = [
    'remedy',
    'depth',
    ...result.budgets.map((b) => `accuracy ${budgetHeader(result, b)}`),
    `first step ≥ ${goal()}`,
    `first ÷ last ‖∂C/∂b‖, init → ${result.budgets.map((b) => `${b}×`).join(' → ')}`,
  ];
  const rows = result.remedies.flatMap(({ key }) =>
    result.depths.map((depth) => {
      const at = result.rows.filter((r) => r.remedy === key && r.depth === depth && r.ownLearningRate);
      const ran = at.filter((r) => r.notRun === undefined);
      const reached = ran.find((r) => r.firstStepAtGoal !== null);
      return [
        key,
        String(depth),
        ...at.map((r) => (r.notRun === undefined ? percentText(r.testAccuracy) : shortReason(r.notRun))),
        ran.length === 0 ? '—' : reached ? grouped(reached.firstStepAtGoal!) : 'never',
        ran.length === 0 ? '—' : [ratioCell(ran[0], 'firstToLastAtInit'), ...ran.map((r) => ratioCell(r, 'firstToLastAtEnd'))].join(' → '),
      ];
    }),
  );
  return { header, rows };
}

/** The rows table's header. */
export const BUDGET_ROWS_HEADER = ['remedy', 'depth', 'lr', 'budget', 'steps', 'held-out accuracy', 'train loss', `first step ≥ ${100 * ACCURACY_GOAL} %`, 'first ÷ last ‖∂C/∂b‖, init → end', WALL_SECONDS, 'note'];

/** One row of the rows table: the numbers, or why there are none. */
export function budgetRowCells(row: BudgetSweepRow): string[] {
  const head = [row.remedy, String(row.depth), rate(row.learningRate), `${row.budget}×`];
  if (row.notRun !== undefined) return [...head, '—', '—', '—', '—', '—', '—', shortReason(row.notRun)];
  return [
    ...head,
    row.steps === null ? '—' : grouped(row.steps),
    percentText(row.testAccuracy),
    row.trainLoss === null ? '—' : lossText(row.trainLoss),
    row.firstStepAtGoal === null ? 'never' : grouped(row.firstStepAtGoal),
    `${ratioCell(row, 'firstToLastAtInit')} → ${ratioCell(row, 'firstToLastAtEnd')}`,
    row.seconds === null ? '—' : row.seconds.toFixed(1),
    row.stopped === undefined ? '' : shortStop(row.stopped),
  ];
}

/** The learning-rate grid: the first remedy at the shallowest depth at 1×, one row per rate of the grid and its own (when 1× is among the budgets). */
export function learningRateTable(result: BudgetSweepResult): ReportTable {
  const { remedy, depth } = result.learningRateGrid;
  const rows = result.rows
    .filter((r) => r.remedy === remedy && r.depth === depth && r.budget === 1)
    .sort((a, b) => (a.learningRate ?? 0) - (b.learningRate ?? 0));
  return { header: BUDGET_ROWS_HEADER, rows: rows.map(budgetRowCells) };
}

/** The sweep's set-up in one sentence. */
export function budgetSweepSetup(result: BudgetSweepResult): string {
  const { remedy, depth, learningRates } = result.learningRateGrid;
  const contrast = result.budgets.filter((b) => b > result.contrastMaxBudget).length * (result.remedies.length - 1);
  return (
    `${result.remedies.map((r) => `${r.key} (lr ${rate(r.learningRate)})`).join(' and ')} at ${countedList(result.depths, 'hidden layer')} of ${result.width}, ` +
    `each network trained once to its longest budget and measured at ${result.budgets.map((b) => `${b}×`).join(', ')} the study's budget of ${epochsText(result.epochs)}` +
    `${contrast > 0 ? `, the remedies after ${result.remedies[0].key} only up to ${result.contrastMaxBudget}×` : ''}; ` +
    `seed ${result.seed}, ${counted(result.trainRows, 'training digit')}, held-out accuracy on the next ${grouped(result.testRows)} after every epoch` +
    (learningRates.length ? `; ${remedy} at ${depth} hidden layers also with lr ${learningRates.join(', ')} at 1× (reported, not used to choose one).` : '.')
  );
}

/** The sweep as an HTML report section: held-out accuracy over steps per network, accuracy per budget, the boundary per budget, the learning-rate grid and every row. */
export function budgetSweepReportSection(result: BudgetSweepResult): ReportSection {
  return {
    id: 'trainable-depth-budget',
    heading: 'Trainable depth: a longer step budget, or a shallower network?',
    text: budgetSweepSetup(result),
    charts: [
      {
        id: 'trainable-depth-budget-accuracy',
        title: 'Held-out accuracy over training steps, per network',
        xLabel: 'training steps',
        yLabel: 'held-out accuracy',
        series: result.curves.map((c) => ({ name: `${c.remedy}, ${counted(c.depth, 'layer')}${c.learningRate === result.remedies.find((r) => r.key === c.remedy)?.learningRate ? '' : `, lr ${rate(c.learningRate)}`}`, xs: c.steps, ys: c.testAccuracy })),
      },
    ],
    // Read across, budget by budget, its rows named by a remedy and a depth (the ratios' cell a series across budgets too).
    tables: [{ ...budgetMatrix(result), readAcross: true, keyColumns: 2 }, boundaryTable(result), learningRateTable(result), { header: BUDGET_ROWS_HEADER, rows: result.rows.map(budgetRowCells) }],
  };
}
