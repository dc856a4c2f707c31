// The report's heatmap draws each column over the steps its record stands for: up to the next record's step, and the last one
// up to the run's last step where the run ended before the every-k grid would have recorded again (trace51: drawn as wide as the
// one before it, study (b)'s final record at step 900 after 856 spanned to step 944, 43 steps the run never took).
import { describe, expect, it } from 'vitest';
import { createNetwork } from '../../src/api/network.js';
import { diagnose } from '../../src/flow/diagnose.js';
import { renderReport } from '../../src/flow/report-html.js';
import { Rng } from '../../src/init/rng.js';
import type { Trace } from '../../src/flow/trace.js';
import { cellRuns, columnColors, heatmapRows, type CellRun } from '../util/heatmap-cells.js';
import { expectError } from '../util/expect-error.js';

const rng = new Rng(5);
const x = Array.from({ length: 40 }, () => Array.from({ length: 4 }, () => rng.uniform()));
const y = x.map((row) => (row[0] > 0.5 ? [1, 0] : [0, 1]));

/** A trace's report heatmap: each row's boxes [from, to) and their colours, and the plot's x range. */
async function heatmapOf(t: Trace): Promise<{ steps: number[]; rows: CellRun[][]; x0: number; x1: number }> {
  const html = await renderReport({ runs: [{ id: 'r', label: 'r', trace: t, diagnosis: diagnose(t) }] });
  const figure = /<figure class="chart" id="r-heatmap".*?<\/figure>/s.exec(html)![0];
  const [, x0, width] = /<svg class="plot"[^>]*viewBox="([^ ]+) [^ ]+ ([^ ]+) /.exec(figure)!.map(Number);
  return { steps: Array.from(t.steps), rows: heatmapRows(figure).map((r) => cellRuns(r.paths)), x0, x1: x0 + width };
}

/** A run of 16 steps (4 epochs of 4 batches) traced as `trace` says, and its report's heatmap (heatmapOf). */
async function drawn(trace: { every: number; extraSteps?: number[] }): Promise<Awaited<ReturnType<typeof heatmapOf>>> {
  const net = await createNetwork({ sizes: [4, 6, 6, 2], activation: 'sigmoid', output: 'softmax', backend: 'ref', seed: 2 });
  net.train(x, y, { epochs: 4, batchSize: 10, learningRate: 0.5, trace: { ...trace, histogramSteps: [] } });
  const t = net.trace!;
  net.dispose();
  expect(t.epochs.at(-1)!.step).toBe(16);
  return heatmapOf(t);
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

  it("ends the last column at the run's last step + 1 when every step is traced, the boxes tiling the 16 columns", async () => {
    const { steps, rows, x1 } = await drawn({ every: 1 });
    expect(steps.length).toBe(16);
    for (const row of rows) {
      expect(columnColors(row, steps)).toHaveLength(16);
      expect(row.at(-1)!.to).toBe(17);
    }
    expect(x1).toBe(17);
  });

  // review52: a run that diverged in an epoch it did not finish records no epoch for it, so its epochs do not say where it ended.
  it('draws the last record of a run that stopped in an unfinished epoch over its own step alone, not the every-k steps after it', async () => {
    // A target of 10¹² in the fourth batch (rows 30–39, not shuffled): DIVERGED at step 4, its step not applied, traced every 10th step.
    const rows = Array.from({ length: 40 }, (_, i) => [Math.sin(i), Math.cos(i), i / 40, 1]);
    const targets = rows.map((r, i) => (i === 37 ? [1e12, 0] : [r[0], r[1]]));
    const net = await createNetwork({ sizes: [4, 6, 2], activation: 'tanh', output: 'linear', loss: 'mse', backend: 'ref', seed: 2 });
    await expectError(() => net.train(rows, targets, { epochs: 3, batchSize: 10, shuffle: false, learningRate: 0.01, trace: { every: 10, histogramSteps: [] } }), 'DIVERGED', /step 4/);
    const t = net.trace!;
    net.dispose();
    expect([Array.from(t.steps), t.epochs.length]).toEqual([[1], 0]);
    // The plot spans step 1 alone (it spanned 1–11: steps 5–10 the run never took).
    const { x0, x1 } = await heatmapOf(t);
    expect([x0, x1]).toEqual([1, 2]);
  });
});
