// runTrainableDepthStudy's `measured`: rows an earlier run of the same set-up measured (a stopped run's --json-file) are
// taken as they are, their networks not trained again, and the verdicts read them as any row; a row that is not one of
// this run's networks, or is listed twice, or is no row, is refused before any work (INVALID_OPTION naming the entry).
import { describe, expect, it } from 'vitest';
import { runTrainableDepthStudy, UNMEASURED, type TrainableDepthRow } from '../../src/studies/trainable-depth.js';
import { expectError } from '../util/expect-error.js';

const SMALL = { depths: [1, 2], width: 4, epochs: 1, trainRows: 64, testRows: 100, remedies: ['relu-he'] };
/** A row no network of this set-up would give: 100 % held-out accuracy after an hour. */
const TAKEN: TrainableDepthRow = { remedy: 'relu-he', depth: 2, ...UNMEASURED, testAccuracy: 1, trainLoss: 0.01, steps: 2, seconds: 3600 };

describe('runTrainableDepthStudy({ measured })', () => {
  it('takes the rows given as they are and measures only the rest; onRow sees both, in order', async () => {
    const seen: TrainableDepthRow[] = [];
    const result = await runTrainableDepthStudy({ ...SMALL, measured: [TAKEN], onRow: (row) => void seen.push(row) });
    expect(result.rows[1]).toBe(TAKEN);
    expect(result.rows[0].seconds).toBeLessThan(3600);
    expect(seen).toEqual(result.rows);
    expect(result.deepest).toEqual([{ remedy: 'relu-he', depth: 2, onTheLine: [] }]);
  });

  it.each<[string, unknown, RegExp]>([
    ['another remedy', [{ ...TAKEN, remedy: 'adam' }], /^measured\[0\]: adam at 2 hidden layers is not a network of this run \(remedies relu-he; depths 1, 2\)$/],
    ['another depth', [{ ...TAKEN, depth: 5 }], /^measured\[0\]: relu-he at 5 hidden layers is not a network of this run/],
    ['a network twice', [TAKEN, TAKEN], /^measured\[1\]: relu-he at 2 hidden layers is listed twice$/],
    ['no row', [3], /^measured\[0\]: expected a row of the study \(\{ remedy, depth, … \}\), got 3$/],
    ['no list', 'rows', /^measured: expected the rows of an earlier run of this set-up, got "rows"$/],
  ])('%s: INVALID_OPTION before any work', async (_name, measured, message) => {
    let rows = 0;
    await expectError(() => runTrainableDepthStudy({ ...SMALL, measured: measured as TrainableDepthRow[], onRow: () => void rows++ }), 'INVALID_OPTION', message);
    expect(rows).toBe(0);
  });
});
