// A section of several runs heads each run's diagnosis in short by its label; a label that ends a sentence (study (a)'s end
// '… steps 1–500 are the starts of epochs 0–499.') read '0–499.: the diagnosis, in short' (newuser49 #12).
import { describe, expect, it } from 'vitest';
import { createNetwork } from '../../src/api/network.js';
import { diagnose } from '../../src/flow/diagnose.js';
import { renderReport, type ReportRun } from '../../src/flow/report-html.js';

async function run(label: string): Promise<ReportRun> {
  const net = await createNetwork({ sizes: [4, 5, 5, 2], activation: 'sigmoid', output: 'softmax', backend: 'ref', seed: 3 });
  const x = Array.from({ length: 8 }, (_, i) => [i % 2, (i >> 1) % 2, (i >> 2) % 2, 1]);
  net.train(x, x.map((r) => (r[0] ? [1, 0] : [0, 1])), { epochs: 2, batchSize: 4, trace: { every: 1 } });
  const trace = net.trace!;
  net.dispose();
  return { label, trace, diagnosis: diagnose(trace) };
}

describe("a run's diagnosis heading", () => {
  it("joins its label to ': the diagnosis' without the label's full stop", async () => {
    // (A section's runs are headed above its figures: one table, so there are some.)
    const page = await renderReport({ sections: [{ id: 's', heading: 'S', tables: [{ header: ['a'], rows: [['1']] }], runs: [await run('[4,5,5,2] sigmoid; steps 1–2 are the starts of epochs 0–1.'), await run('no stop')] }] });
    const headings = [...page.matchAll(/<p class="headline"><strong>([^<]*)<\/strong>/g)].map((m) => m[1]);
    expect(headings).toEqual(['[4,5,5,2] sigmoid; steps 1–2 are the starts of epochs 0–1: the diagnosis, in short', 'no stop: the diagnosis, in short']);
  });
});
