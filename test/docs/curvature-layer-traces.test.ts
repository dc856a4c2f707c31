// docs/curvature.md's "Traces per layer" measures, on Nielsen's [784,30,30,30,30,10] sigmoid network at
// initialisation and 200 synthetic rows, H's per-layer traces by joint probes and by each layer's own,
// G's likewise, and the products each way takes with `--k 2`. Every number is read from the page and
// measured again here (about 5 s of CPU time), each to the digits the page writes, so the page cannot
// drift from what traceOf and measureCurvature give: its 2,195 products of 2026-12-01 stood after
// Lanczos' changes had made them 1,367.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createNetwork } from '../../src/api/network.js';
import { measureCurvature } from '../../src/curvature/curvature.js';
import { traceOf, type TraceEstimate } from '../../src/curvature/matrix-trace.js';
import { LANCZOS_MAX_STEPS } from '../../src/curvature/lanczos.js';
import { MASS_PROBE_STEPS, MASS_PROBES } from '../../src/curvature/negative-mass.js';
import { CurvatureOperators } from '../../src/curvature/operators.js';
import { Rng } from '../../src/init/rng.js';
import { tableStarting } from '../util/markdown-tables.js';
import { asWritten, pageProse, quotedOn } from '../util/page-numbers.js';

const DOC = { file: 'docs/curvature.md', text: readFileSync(new URL('../../docs/curvature.md', import.meta.url), 'utf8') };
const said = (pattern: RegExp) => quotedOn(DOC.file, pattern);

/** A cell `trace ± error`, the measured estimate written to the cell's digits. */
function estimateAs(cell: string, estimate: TraceEstimate): string {
  const [trace, error] = cell.split(' ± ');
  return `${asWritten(trace, estimate.trace)} ± ${asWritten(error, estimate.standardError)}`;
}

const count = (n: number) => n.toLocaleString('en-US');
const ROWS = 200;
const CLASSES = 10;

describe("docs/curvature.md's traces per layer, measured again", () => {
  it('states the set-up this test measures', () => {
    expect(pageProse(DOC.file)).toContain("On a [784,30,30,30,30,10] sigmoid network at initialisation (seed 1, createNetwork's softmax output and cross-entropy; 200 synthetic rows from gradscope's `Rng(1)`: the rows' inputs, uniform in [0, 1), then their labels, uniform over the classes, one-hot; wasm;");
  });

  it("gives H's joint and per-layer traces, G's, and the products each takes, as measured", { timeout: 300_000 }, async () => {
    const rng = new Rng(1);
    const x = Array.from({ length: ROWS }, () => Array.from({ length: 784 }, () => rng.uniform()));
    const y = Array.from({ length: ROWS }, () => {
      const label = rng.below(CLASSES);
      return Array.from({ length: CLASSES }, (_, j) => (j === label ? 1 : 0));
    });
    const net = await createNetwork({ sizes: [784, 30, 30, 30, 30, 10], activation: 'sigmoid', seed: 1, backend: 'wasm' });
    const ops = new CurvatureOperators(net, x, y);
    try {
      expect([net.activationFunctions.at(-1), net.loss]).toEqual(['softmax', 'cross-entropy']);
      const joint = { hessian: traceOf(ops.hessian, ops.size, ops.blocks), gaussNewton: traceOf(ops.gaussNewton, ops.size, ops.blocks) };
      // measureCurvature probes each layer alone (its `layers`, the default): the page's "each layer alone".
      const products: Record<string, number> = {};
      let done = 0;
      const report = measureCurvature(net, x, y, {
        k: 2,
        onProgress: (p) => {
          const stage = `${p.matrix} ${p.measuring}`;
          products[stage] = (products[stage] ?? 0) + p.done - done;
          done = p.done;
        },
      });
      const alone = (matrix: 'hessian' | 'gaussNewton', l: number) => {
        const summary = report.layers[l][matrix];
        return { trace: summary.trace, standardError: summary.traceStdError };
      };

      const table = tableStarting(DOC, '| layer | joint probes | each layer alone | ± smaller by |');
      expect(table.rows.map((row) => row[0])).toEqual(report.layers.map((layer) => layer.label));
      table.rows.forEach(([label, jointCell, aloneCell, smaller], l) => {
        expect(jointCell, `${label}: joint`).toBe(estimateAs(jointCell, joint.hessian.blocks[l]));
        expect(aloneCell, `${label}: alone`).toBe(estimateAs(aloneCell, alone('hessian', l)));
        expect(smaller, `${label}: ± smaller by`).toBe(`${asWritten(smaller.replace('×', ''), joint.hessian.blocks[l].standardError / alone('hessian', l).standardError)}×`);
      });
      // "Joint probes put hidden 2 at about 9× its trace and hidden 3 below zero."
      const [times] = said(/Joint probes put hidden 2 at about (\d+)× its trace and hidden 3 below zero/);
      expect(Math.round(joint.hessian.blocks[1].trace / alone('hessian', 1).trace)).toBe(Number(times));
      expect(joint.hessian.blocks[2].trace).toBeLessThan(0);

      // The products: H's trace per layer against joint, Lanczos' with --k 2, G's trace, the whole.
      const jointProducts = joint.hessian.products;
      const [perLayer, jointly] = said(/The H trace takes ([\d,]+) products instead of ([\d,]+);/);
      expect([perLayer, jointly]).toEqual([count(products['hessian trace']), count(jointProducts)]);
      const [hessianLanczos, gaussNewtonLanczos, gaussNewtonTrace, all, allJointly] = said(/with `--k 2`, measureCurvature's Lanczos runs take ([\d,]+) H·v and ([\d,]+) G·v products and G's trace ([\d,]+), so the whole measurement takes ([\d,]+) products instead of ([\d,]+) \(/);
      expect([hessianLanczos, gaussNewtonLanczos, gaussNewtonTrace]).toEqual([products['hessian eigenvalues'], products['gaussNewton eigenvalues'], products['gaussNewton trace']].map(count));
      expect([all, allJointly]).toEqual([count(done), count(done - products['hessian trace'] + jointProducts)]);
      // Of H's, the negative mass' start vectors: every Hessian run here, the whole network's and each layer's, is on more than maxSteps parameters.
      const [massProducts, perRun, runs] = said(/\(the H·v count holds ([\d,]+) for the negative mass' start vectors, (\d+·\d+) in each of the (\w+) Hessian runs/);
      expect(report.layers.every((layer) => layer.parameters > LANCZOS_MAX_STEPS)).toBe(true);
      expect([massProducts, perRun, runs]).toEqual([count((report.layers.length + 1) * MASS_PROBES * MASS_PROBE_STEPS), `${MASS_PROBES}·${MASS_PROBE_STEPS}`, 'six']);
      expect(report.layers).toHaveLength(5);

      // G on the same rows, hidden 1 … 3: joint, then per layer.
      const [jointG, aloneG] = said(/For G on the same rows, joint probes give hidden 1 … 3 traces of (.+?); probes per layer give (.+?)\. \(/);
      const cells = (text: string) => text.split(/,? and |, /);
      cells(jointG).forEach((cell, l) => expect(cell, `G hidden ${l + 1}: joint`).toBe(estimateAs(cell, joint.gaussNewton.blocks[l])));
      cells(aloneG).forEach((cell, l) => expect(cell, `G hidden ${l + 1}: alone`).toBe(estimateAs(cell, alone('gaussNewton', l))));
      expect(cells(jointG).length + cells(aloneG).length).toBe(6);
    } finally {
      ops.dispose();
      net.dispose();
    }
  });
});
