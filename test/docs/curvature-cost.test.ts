// docs/curvature.md gives the run `gradscope curvature --help` quotes under Cost with the numbers
// CURVATURE_COST_RUN holds (the help prints them from it: test/cli/curvature.test.ts), so a new
// measurement cannot reach one and not the other, as the 110 s / 69 s of 2026-12-01 outlived the
// Lanczos change that made them untrue.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CURVATURE_COST_RUN, measuredTimeText } from '../../src/cli/commands/curvature-cost.js';

const DOC = readFileSync(new URL('../../docs/curvature.md', import.meta.url), 'utf8');
/** The doc's text with its line breaks as spaces: a sentence may wrap anywhere. */
const flat = DOC.replace(/\s*\n\s*/g, ' ');

describe("docs/curvature.md's measured curvature run", () => {
  const run = CURVATURE_COST_RUN;

  it('gives the date, the machine, the commit and the setup CURVATURE_COST_RUN holds', () => {
    expect(flat).toContain(`Measured ${run.date} (${run.machine}), commit ${run.commit}, by scripts/curvature-cost.ts`);
    expect(flat).toContain(`[${run.sizes[0]}, ${run.sizes[1]} ×${run.sizes.length - 2}, ${run.sizes[run.sizes.length - 1]}] ${run.activation} (seed ${run.seed})`);
    expect(flat).toContain(`${run.rows} rows (normal inputs, one-hot targets), \`--k ${run.k} --json\``);
  });

  it('gives both runs\' times as --help does', () => {
    expect(flat).toContain(`at most 8,600 products, ${measuredTimeText(run.layers)}.`);
    expect(flat).toContain(`${measuredTimeText(run.noLayers)} with \`--no-layers\`, against ${Math.round(run.layers.cpuSeconds)} s without`);
  });
});
