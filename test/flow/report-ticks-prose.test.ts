// The report's one tick function gives round ticks (1, 2, 2.5 or 5 × 10^k apart) inside the axis'
// range, whole steps on a step axis; the charts use it for step axes and linear y axes; report prose
// sets a `backticked` span as code, escaped, and never shows its backticks.
import { describe, expect, it } from 'vitest';
import { lineChart, niceTicks } from '../../src/flow/svg.js';
import { proseHtml, renderReport } from '../../src/flow/report-html.js';

const xTicksOf = (svg: string) => [.../<g class="xticks"[^>]*>(.*?)<\/g>/.exec(svg)![1].matchAll(/>([^<]+)</g)].map((m) => m[1]);
const yTicksOf = (svg: string) => [...svg.matchAll(/class="tick y">([^<]+)</g)].map((m) => m[1]);

describe('niceTicks', () => {
  it('is round multiples of one step, inside the range', () => {
    expect(niceTicks(1, 500, 6, 1)).toEqual([100, 200, 300, 400, 500]);
    expect(niceTicks(0.593, 0.904, 5)).toEqual([0.6, 0.7, 0.8, 0.9]);
    expect(niceTicks(0, 1, 5)).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(niceTicks(-3, 7, 5)).toEqual([-2.5, 0, 2.5, 5]);
    expect(niceTicks(0.3, 0.9, 7)).toEqual([0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]);
  });

  it('keeps whole steps with minStep 1, and a lone tick for an empty range', () => {
    expect(niceTicks(3, 5, 6, 1)).toEqual([3, 4, 5]);
    expect(niceTicks(3, 5, 6)).toEqual([3, 3.5, 4, 4.5, 5]);
    expect(niceTicks(1, 13, 6, 1)).toEqual([5, 10]);
    expect(niceTicks(1, 13, 6)).toEqual([2.5, 5, 7.5, 10, 12.5]);
    expect(niceTicks(2, 2, 5)).toEqual([2]);
    expect(niceTicks(NaN, NaN, 5)).toEqual([]);
  });
});

describe('chart axes', () => {
  it('a 500-step chart ticks its steps at hundreds and its accuracy at tenths', () => {
    const steps = Array.from({ length: 500 }, (_, i) => i + 1);
    const svg = lineChart({ id: 'a', title: 't', xLabel: 'step', yLabel: 'accuracy', time: true, series: [{ name: 'accuracy', xs: steps, ys: steps.map((s) => 0.593 + (0.311 * (s - 1)) / 499) }] });
    expect(xTicksOf(svg)).toEqual(['100', '200', '300', '400', '500']);
    expect(yTicksOf(svg)).toEqual(['0.6', '0.7', '0.8', '0.9']);
  });
});

describe('report prose', () => {
  it('sets backticked spans as code, escaped', () => {
    expect(proseHtml('run `gradscope study x --html FILE` to <draw> them')).toBe('run <code>gradscope study x --html FILE</code> to &lt;draw&gt; them');
    expect(proseHtml('a lone ` stays')).toBe('a lone ` stays');
    expect(proseHtml('`a<b`')).toBe('<code>a&lt;b</code>');
  });

  it('shows no backtick in a section text or note', async () => {
    const html = await renderReport({ sections: [{ id: 's', heading: 'h', text: 'its charts: `gradscope study trainable-depth --quick --html FILE` writes them.', notes: ['set `lr`'] }] });
    const body = html.slice(html.indexOf('<main>'), html.indexOf('<script'));
    expect(body).toContain('<code>gradscope study trainable-depth --quick --html FILE</code>');
    expect(body).toContain('<li>set <code>lr</code></li>');
    expect(body).not.toContain('`');
  });
});
