/**
 * Every element id of the report is unique, whatever ids its runs and sections take: a run's charts
 * take ids made from the run's ('<run>-loss'), and runs 'a' and 'a-loss' made two elements 'a-loss'
 * (the contents bar's link to run 'a-loss' went to run a's loss chart). The ids the input names keep
 * theirs; the ones made for charts go around them. A section chart's id (given, not made) that another
 * element has is refused, naming the chart, its section and the id; one with a quote is written escaped.
 */
import { describe, expect, it } from 'vitest';
import { createNetwork } from '../../src/api/network.js';
import { diagnose } from '../../src/flow/diagnose.js';
import { renderReport, type ReportChart, type ReportRun, type ReportSection } from '../../src/flow/report-html.js';
import { expectError } from '../util/expect-error.js';

const net = await createNetwork({ sizes: [2, 3, 3, 1], activation: 'tanh', output: 'sigmoid', loss: 'binary-cross-entropy', seed: 1, backend: 'ref' });
net.train([[0, 1], [1, 0]], [[1], [0]], { epochs: 2, batchSize: 2, trace: { every: 1 } });
const run = (id: string): ReportRun => ({ id, label: `run ${id}`, trace: net.trace!, diagnosis: diagnose(net.trace!) });
const chart = (id: string): ReportChart => ({ id, title: `chart ${id}`, xLabel: 'x', yLabel: 'y', series: [{ name: 's', xs: [1, 2], ys: [1, 2] }] });

/** The page's markup without its scripts (the data block's text is not markup). */
const markup = (page: string) => page.replace(/<script\b[^>]*>[\s\S]*?<\/script>/g, '');
/** Every element id of the page, in order. */
const elementIds = (page: string) => [...markup(page).matchAll(/\sid="([^"]*)"/g)].map((m) => m[1]);
/** Ids that more than one element has. */
const repeated = (ids: string[]) => [...new Set(ids.filter((id, i) => ids.indexOf(id) !== i))];
/** The start tag of the element a link to `#id` goes to: the first with that id. */
const target = (page: string, id: string) => new RegExp(`<[^<>]*\\sid="${id}"[^<>]*>`).exec(markup(page))?.[0];
/** The markup of run `id`'s own section, up to the next run's. */
const runSection = (page: string, id: string) => new RegExp(`<section class="run" id="${id}">[\\s\\S]*?</section>`).exec(markup(page))![0];

describe('report element ids', () => {
  it("keeps runs 'a' and 'a-loss' apart: the link to run 'a-loss' goes to its section, run a's charts get ids of their own", async () => {
    const page = await renderReport({ runs: [run('a'), run('a-loss')] });
    expect(repeated(elementIds(page))).toEqual([]);
    expect(page).toContain('<a href="#a-loss">run a-loss</a>');
    expect(target(page, 'a-loss')).toBe('<section class="run" id="a-loss">');
    // Run a still has its loss chart, inside its own section, under an id no other element has.
    const ownLoss = /<figure class="chart" id="(a-loss-\d+)" data-kind="line"><figcaption>Loss of the batch/.exec(runSection(page, 'a'));
    expect(ownLoss).not.toBeNull();
    // Run 'a-loss' keeps the ids made from its own id.
    expect(runSection(page, 'a-loss')).toContain('<figure class="chart" id="a-loss-loss" ');
  });

  it('makes ids unique around every id the input names: sections, runs, section charts, and the numbered ids it makes itself', async () => {
    const runs = ['a', 'a-loss', 'a-loss-2', 'a-heatmap-scale', 'a-hist-1'].map(run);
    const sections: ReportSection[] = [{ id: 'a-accuracy', heading: 'S', charts: [chart('a-saturation')] }];
    const page = await renderReport({ sections, runs });
    const ids = elementIds(page);
    expect(repeated(ids)).toEqual([]);
    for (const id of ['a-loss', 'a-loss-2', 'a-heatmap-scale', 'a-hist-1']) expect(target(page, id)).toBe(`<section class="run" id="${id}">`);
    expect(target(page, 'a-accuracy')).toBe('<section class="study" id="a-accuracy">');
    expect(target(page, 'a-saturation')).toMatch(/^<figure class="chart" id="a-saturation" /);
    // Run a's heatmap fills its scale with the gradient in its own drawing, not an element of another run.
    const own = runSection(page, 'a');
    const gradient = /fill="url\(#([^)]+)\)"/.exec(own)![1];
    expect(own).toContain(`<linearGradient id="${gradient}" `);
  });

  it("refuses a section chart's id another element has, or one with whitespace", async () => {
    const where = (id: string) => `^renderReport: chart "chart ${id}" of section "S": id "${id}"`;
    const refused = async (sections: ReportSection[], runs: ReportRun[], said: string) => {
      await expectError(() => renderReport({ sections, runs }), 'INVALID_OPTION', new RegExp(said));
    };
    await refused([{ id: 's', heading: 'S', charts: [chart('s')] }], [], `${where('s')} is a section's element id too; expected another id$`);
    await refused([{ id: 's', heading: 'S', charts: [chart('x')] }, { id: 'x', heading: 'X' }], [], `${where('x')} is a section's element id too`);
    await refused([{ id: 's', heading: 'S', charts: [chart('a')] }], [run('a')], `${where('a')} is a run's element id too; expected another id$`);
    await refused([{ id: 's', heading: 'S', charts: [chart('report-data')] }], [], `${where('report-data')} is the element id of the page's data block too`);
    await refused([{ id: 's', heading: 'S', charts: [chart('c')], bars: [{ id: 'c', title: 'chart c', xLabel: 'x', ticks: [1, 10], bars: [] }] }], [], `${where('c')} is another chart's element id too`);
    await refused([{ id: 's', heading: 'S', charts: [chart('two words')] }], [], `${where('two words')}; expected a non-empty string with no whitespace$`);
  });

  it("writes a section chart's id escaped, as a section's is: a quote in it ended the attribute", async () => {
    const page = await renderReport({ sections: [{ id: 's', heading: 'S', charts: [chart('q"x')], bars: [{ id: "b'<y>", title: 'bars', xLabel: 'x', ticks: [1, 10], bars: [{ label: 'r', value: 5 }] }] }] });
    expect(page).toContain('<figure class="chart" id="q&quot;x" data-kind="line">');
    // An apostrophe needs no entity inside a double-quoted attribute.
    expect(page).toContain(`<figure class="chart" id="b'&lt;y&gt;" data-kind="bars">`);
  });
});
