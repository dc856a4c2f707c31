// The papers' experiments as documented are what this code computes: each experiment's first epoch, run
// again with the study's own digits and seed, gives the first points of every curve in
// docs/data/trainable-depth.json, bit for bit. The docs quote those runs' last epochs (docs/studies.md,
// docs/trainable-depth.md); float32 sums taken in another order move a curve from its first epoch on
// (SELU's and ReZero's had moved by 2026-12-07 with nothing to say so), so when this fails, run the
// papers again (docs/trainable-depth.md says how) and update the file and the numbers quoted from it.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { runBatchNormPaper } from '../../src/studies/paper-batch-norm.js';
import type { PaperExperiment } from '../../src/studies/paper-experiment.js';
import { runHeInitPaper } from '../../src/studies/paper-he-init.js';
import { runRezeroPaper } from '../../src/studies/paper-rezero.js';
import { runSeluPaper } from '../../src/studies/paper-selu.js';
import { parseStudyJson } from '../../scripts/trainable-depth-tables.js';

// The file holds each experiment whole, as the study's --json writes it; the tables' renderer types only the parts it renders.
const documented = (parseStudyJson(readFileSync(new URL('../../docs/data/trainable-depth.json', import.meta.url), 'utf8')) as unknown as { papers: PaperExperiment[] }).papers;

/** Scales every paper's epochs to one (scaled() keeps at least one). */
const ONE_EPOCH = { budget: 1e-3 };

/** Each chart's series as name → its points, plain numbers. */
const curves = (experiment: PaperExperiment) =>
  experiment.charts.map((chart) => ({ id: chart.id, series: chart.series.map((s) => ({ name: s.name, ys: Array.from(s.ys) })) }));

describe('the documented papers’ experiments are what the code computes', () => {
  it.each([
    ['paper-batch-norm', runBatchNormPaper],
    ['paper-selu', runSeluPaper],
    ['paper-rezero', runRezeroPaper],
    ['paper-he-init', runHeInitPaper],
  ] as const)('%s: one epoch gives the first points of every documented curve', async (id, run) => {
    const doc = documented.find((p) => p.id === id);
    expect(doc, `${id} in docs/data/trainable-depth.json`).toBeDefined();
    const fresh = curves(await run(ONE_EPOCH));
    const kept = curves(doc!);
    expect(fresh.map((c) => c.id)).toEqual(kept.map((c) => c.id));
    fresh.forEach((chart, c) => {
      expect(chart.series.map((s) => s.name)).toEqual(kept[c].series.map((s) => s.name));
      chart.series.forEach((series, s) => {
        expect(series.ys.length, `${chart.id} ${series.name}: a one-epoch curve is shorter than the documented one`).toBeLessThan(kept[c].series[s].ys.length);
        expect(series.ys, `${chart.id} ${series.name}`).toEqual(kept[c].series[s].ys.slice(0, series.ys.length));
      });
    });
  }, 600_000);
});
