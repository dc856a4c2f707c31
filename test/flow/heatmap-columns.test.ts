// The report's heatmap draws each column over the steps its record stands for: up to the next record's step, and the last one
// up to the run's last step where the run ended before the every-k grid would have recorded again (trace51: drawn as wide as the
// one before it, study (b)'s final record at step 900 after 856 spanned 44 steps past the run's end).
import { describe, expect, it } from 'vitest';
import { createNetwork } from '../../src/api/network.js';
import { diagnose } from '../../src/flow/diagnose.js';
import { renderReport } from '../../src/flow/report-html.js';
import { Rng } from '../../src/init/rng.js';
import { cellRuns, heatmapRows } from '../util/heatmap-cells.js';

const rng = new Rng(5);
const x = Array.from({ length: 40 }, () => Array.from({ length: 4 }, () => rng.uniform()));
const y = x.map((row) => (row[0] > 0.5 ? [1, 0] : [0, 1]));

/** A run of 16 steps (4 epochs of 4 batches) traced as `trace` says, and its report's heatmap: each row's boxes [from, to), and the plot's x range. */
async function drawn(trace: { every: number; extraSteps?: number[] }): Promise<{ steps: number[]; rows: { from: number; to: number }[][]; x0: number; x1: number }> {
  const net = await createNetwork({ sizes: [4, 6, 6, 2], activation: 'sigmoid', output: 'softmax', backend: 'ref', seed: 2 });
  net.train(x, y, { epochs: 4, batchSize: 10, learningRate: 0.5, trace: { ...trace, histogramSteps: [] } });
  const t = net.trace!;
  net.dispose();
  expect(t.epochs.at(-1)!.step).toBe(16);
  const html = await renderReport({ runs: [{ id: 'r', label: 'r', trace: t, diagnosis: diagnose(t) }] });
  const figure = /<figure class="chart" id="r-heatmap".*?<\/figure>/s.exec(html)![0];
  const [, x0, width] = /<svg class="plot"[^>]*viewBox="([^ ]+) [^ ]+ ([^ ]+) /.exec(figure)!.map(Number);
  return { steps: Array.from(t.steps), rows: heatmapRows(figure).map((r) => cellRuns(r.paths)), x0, x1: x0 + width };
}

describe("the report's heatmap columns", () => {
  it("draws a final record off the every-k grid (the run's last step) over that step alone", async () => {
    const { steps, rows, x1 } = await drawn({ every: 4, extraSteps: [16] });
    expect(steps).toEqual([1, 5, 9, 13, 16]);
    // Step 13's column up to the record at 16, which stands for step 16 alone: the plot ends at 17, not 19.
    for (const row of rows) {
      expect(row.at(-1)!.to).toBe(17);
      expect(row.some((box) => box.from <= 13 && box.to >= 16)).toBe(true);
    }
    expect(x1).toBe(17);
  });

  it('draws a last record on the grid up to the run\'s last step where the run ended before the next record', async () => {
    // Traced every 6th step: 1, 7, 13; the run ended at 16, before 19.
    const { steps, rows, x0, x1 } = await drawn({ every: 6 });
    expect(steps).toEqual([1, 7, 13]);
    for (const row of rows) expect([row[0].from, row.at(-1)!.to]).toEqual([1, 17]);
    expect([x0, x1]).toEqual([1, 17]);
  });

  it('draws every column one step wide when every step is traced', async () => {
    const { steps, rows, x1 } = await drawn({ every: 1 });
    expect(steps.length).toBe(16);
    for (const row of rows) expect(row.at(-1)!.to).toBe(17);
    expect(x1).toBe(17);
  });
});
