// docs/curvature.md gives the run `gradscope curvature --help` quotes under Cost with the numbers
// CURVATURE_COST_RUN holds (the help prints them from it: test/cli/curvature.test.ts), so a new
// measurement cannot reach one and not the other, as the 110 s / 69 s of 2026-12-01 outlived the
// Lanczos change that made them untrue. The products it says each run took are that run's counters:
// the run is taken again here (about 25 s of CPU) and its counters compared.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CURVATURE_COST_RUN, CURVATURE_DIGITS_RUN, curvatureCostRows, measuredTimeText } from '../../scripts/curvature-cost-runs.js';
import { plannedProducts } from '../../src/curvature/curvature-work.js';
import { MASS_PROBE_STEPS, MASS_PROBES } from '../../src/curvature/negative-mass.js';
import { sizesText } from '../../src/layer-runs.js';
import { createNetwork } from '../../src/api/network.js';
import { measureCurvature, type CurvatureReport } from '../../src/curvature/curvature.js';

const DOC = readFileSync(new URL('../../docs/curvature.md', import.meta.url), 'utf8');
/** The doc's text with its line breaks as spaces: a sentence may wrap anywhere. */
const flat = DOC.replace(/\s*\n\s*/g, ' ');
const count = (n: number) => n.toLocaleString('en-US');

describe("docs/curvature.md's measured curvature run", () => {
  const run = CURVATURE_COST_RUN;
  const blocks = run.sizes.slice(1).map((units, l) => units * (run.sizes[l] + 1));
  const parameters = blocks.reduce((sum, block) => sum + block, 0);

  it('gives the date, the machine, the commit and the setup CURVATURE_COST_RUN holds', () => {
    expect(flat).toContain(`Measured ${run.date} (${run.machine}), commit ${run.commit}, by scripts/curvature-cost.ts`);
    expect(flat).toContain(`${sizesText(run.sizes)} ${run.activation} (seed ${run.seed}), ${count(parameters)} parameters`);
    expect(flat).toContain(`${run.rows} rows (normal inputs, one-hot targets), \`--k ${run.k}\``);
  });

  it("gives the digits default's measured run as --help does (CURVATURE_DIGITS_RUN)", () => {
    const digits = CURVATURE_DIGITS_RUN;
    // [784, 64, 64, 10]: its blocks, and the whole network's parameters
    const plan = plannedProducts(55_050, [50_240, 4_160, 650]);
    expect(flat).toContain(
      `On the digits default, timed as the whole command (under /usr/bin/time, nice -n 19): the model \`gradscope train --epochs 0\` makes ([784, 64, 64, 10] sigmoid, 55,050 parameters, as initialised), 9,000 rows, every flag at its default: at most ${count(plan.total)} products, ${count(plan.mass)} of them the negative mass' start vectors (${MASS_PROBES} of ${MASS_PROBE_STEPS} steps in each of the four Hessian runs), which the run below predates: it took at most ${count(plan.total - plan.mass)}. Measured ${digits.date} (${digits.machine}), commit ${digits.commit}: ${measuredTimeText(digits)}`,
    );
  });

  it("gives both runs' products and times as --help does", () => {
    const planned = plannedProducts(parameters, blocks).total;
    expect(flat).toContain(`at most ${count(planned)} products, ${count(run.layers.products)} taken, ${measuredTimeText(run.layers)}.`);
    expect(flat).toContain(`On the network above that is ${count(plannedProducts(parameters, blocks, { layers: false }).total)} products instead of ${count(planned)}`);
    expect(flat).toContain(`${count(run.noLayers.products)} products taken and ${run.noLayers.cpuSeconds} s of CPU with \`--no-layers\`, against ${count(run.layers.products)} and ${Math.round(run.layers.cpuSeconds)} s without`);
  });

  it("the products each run took are the run's own counters, and its whole-network Gauss-Newton run stops on G's null space as the doc says", async () => {
    const { x, y } = curvatureCostRows(run);
    const net = await createNetwork({ sizes: [...run.sizes], activation: run.activation, loss: 'cross-entropy', seed: run.seed });
    const taken = (layers: boolean) => {
      let products = 0;
      let wholeGaussNewton = 0;
      const report: CurvatureReport = measureCurvature(net, x, y, {
        k: run.k,
        layers,
        onProgress: (p) => {
          if (p.done > products && p.matrix === 'gaussNewton' && p.measuring === 'eigenvalues' && p.layer === undefined) wholeGaussNewton++;
          products = p.done;
        },
      });
      return { products, wholeGaussNewton, report };
    };
    const whole = taken(false);
    expect(whole.products).toBe(run.noLayers.products);
    const all = taken(true);
    net.dispose();
    expect(all.products).toBe(run.layers.products);
    // 14 Lanczos steps and the product that measures the rounding
    expect(all.wholeGaussNewton).toBe(15);
    expect(flat).toContain(`it takes ${all.wholeGaussNewton} now`);
    expect(flat).toContain(`it now stops after ${all.wholeGaussNewton - 1} steps (${all.wholeGaussNewton} products, one measuring the products' rounding`);
    const remainder = all.report.gaussNewton.remainder!;
    expect(remainder.value).toBe(0);
    // Its Krylov space closed after 12 vectors; float32 rounding left two of their Ritz values at
    // ±5.2e-7, within the remainder's bound (the measured rounding at the operator's scale): nine
    // eigenvalues, as float64 products give, every other counted as 0.
    expect(parameters - remainder.multiplicity).toBe(9);
    expect(remainder.within).toBeGreaterThan(5.2e-7);
    expect(remainder.within).toBeLessThan(1e-5 * all.report.gaussNewton.largest[0]);
    expect(flat).toContain(`every other eigenvalue, on ${count(remainder.multiplicity)} of the ${count(parameters)} dimensions, is 0 to within the products' rounding (\`remainder\``);
  }, 600_000);
});
