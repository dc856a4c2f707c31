// docs/gradient-flow.md's "What the trace records" lists every per-layer metric and the sizes behind
// them; each is read from the page and compared with src/flow/metrics.ts, so a metric added, renamed
// or resized cannot leave the page behind (truth38's audit of the page: no test read the table).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FLAT_SPREAD, GRADIENT_BINS, LAYER_METRIC_NAMES, PERCENTILE, PERCENTILE_BINS, REFRESH_STEPS, SATURATION_MARGIN } from '../../src/flow/metrics.js';
import { tableStarting } from '../util/markdown-tables.js';
import { quotedOn } from '../util/page-numbers.js';

const PAGE = 'docs/gradient-flow.md';
const DOC = { file: PAGE, text: readFileSync(new URL(`../../${PAGE}`, import.meta.url), 'utf8') };
const table = tableStarting(DOC, '| metric | meaning |');
/** The table's row naming `metric`, its meaning. */
const meaningOf = (metric: string) => table.rows.find(([names]) => names.includes(`\`${metric}\``))?.[1];

describe("docs/gradient-flow.md's table of what the trace records", () => {
  it('names every per-layer metric once, and no other', () => {
    const named = table.rows.flatMap(([names]) => [...names.matchAll(/`(\w+)`/g)].map((m) => m[1]));
    expect([...named].sort()).toEqual([...LAYER_METRIC_NAMES].sort());
  });

  it("gives the sizes the metrics are measured with: the percentile's and its histogram's bins, the saturation margin, a flat feature's spread, δ's bins, the refresh", () => {
    const [bins] = /the percentile from a (\d+)-bin histogram between min and max/.exec(meaningOf('activationP98')!)!.slice(1);
    expect(Number(bins)).toBe(PERCENTILE_BINS);
    expect(`activationP${PERCENTILE * 100}`).toBe('activationP98');
    expect(Number(/whose activation is within ([\d.]+) of one of its limits/.exec(meaningOf('saturatedFraction')!)![1])).toBe(SATURATION_MARGIN);
    expect(Number(/fraction of features whose normalised x̂ spreads less than ([\d.]+) over the batch/.exec(meaningOf('flatFraction')!)![1])).toBe(FLAT_SPREAD);
    expect(Number(quotedOn(PAGE, /at the steps in `histogramSteps` \(default `\[1\]`\) (\d+)-bin histograms of the back-propagated gradients δ/)[0])).toBe(GRADIENT_BINS);
    expect(Number(quotedOn(PAGE, /By default that is about every (\d+) steps: `max\(1, round\(10 \/ every\)\)` records/)[0])).toBe(REFRESH_STEPS);
  });
});
