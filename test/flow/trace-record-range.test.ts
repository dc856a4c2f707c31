/**
 * Trace.at and Trace.row read a record the trace holds, or refuse with INVALID_OPTION saying how many
 * it holds. Before session 18 at() past the records returned undefined typed as a number (the arrays
 * behind a trace hold spare capacity, so an index past the records read stale zeros or nothing), which
 * arithmetic turned into a silent NaN.
 */
import { describe, expect, it } from 'vitest';
import { Trace } from '../../src/flow/trace.js';
import { Rng } from '../../src/init/rng.js';
import { tracedRun } from '../util/traced-run.js';
import { expectError } from '../util/expect-error.js';

const rng = new Rng(5);
const x = Array.from({ length: 24 }, () => Array.from({ length: 6 }, () => rng.normal()));
const y = x.map((row) => (row[0] > 0 ? [1, 0] : [0, 1]));

describe('a record past, before or between the records a trace holds', () => {
  it('is refused by at() and row() with INVALID_OPTION naming the record and the records held; each held one reads as a number', async () => {
    // 3 epochs of 3 batches, a record every 2 steps: records at steps 1, 3, 5, 7, 9 (5 of them; the arrays hold more).
    const { trace } = await tracedRun({ sizes: [6, 5, 4, 2], activation: 'tanh', seed: 3 }, { x, y }, { epochs: 3, batchSize: 8, trace: { every: 2 } });
    expect(trace.length).toBe(5);
    for (let r = 0; r < trace.length; r++) {
      expect(typeof trace.at('deltaRms', r, 1), `record ${r}`).toBe('number');
      expect(trace.at('deltaRms', r, 1)).toBeGreaterThan(0);
      expect(trace.row('deltaRms', r)).toHaveLength(trace.layers);
    }
    for (const record of [5, 6, 1000, -1, 1.5, NaN]) {
      await expectError(() => trace.at('deltaRms', record, 1), 'INVALID_OPTION', new RegExp(`^trace: record ${String(record).replace('.', '\\.')} out of range \\(the trace holds 5: 0\\.\\.4\\)$`));
      await expectError(() => trace.row('deltaRms', record), 'INVALID_OPTION', /out of range \(the trace holds 5: 0\.\.4\)$/);
    }
  });

  it('an empty trace holds none: at() says so rather than return undefined', async () => {
    const empty = new Trace({ sizes: [6, 5, 4, 2], activations: ['tanh', 'tanh', 'softmax'], loss: 'cross-entropy', every: 1 });
    await expectError(() => empty.at('deltaRms', 0, 0), 'INVALID_OPTION', /^trace: record 0 out of range \(the trace holds no records\)$/);
    expect(empty.lastRefreshed()).toBeUndefined();
  });
});
