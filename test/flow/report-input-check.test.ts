/**
 * renderReport refuses what it cannot draw before making any of the page (INVALID_OPTION naming the
 * section or run by its place, a run by its label too, and what to pass): a run without its label,
 * trace or diagnosis, a saved trace (trace.toJSON()) for a Trace, a mistyped detail, and a lone object
 * or a string for a list.
 * Unchecked, a missing diagnosis threw a TypeError ('reading remedies'), a missing label an error
 * naming an internal helper, and a saved trace or `runs: {…}` drew a page without complaint. So are a
 * title or a section's heading, text, notes, charts, bar charts or tables not as their types say
 * (a TypeError, an internal helper's name, or a chart drawn from mismatched points), and a
 * remedyTerms that is not one (an error naming remedyText, or none when no run has remedies).
 */
import { describe, expect, it } from 'vitest';
import { createNetwork } from '../../src/api/network.js';
import { diagnose } from '../../src/flow/diagnose.js';
import { renderReport, type ReportInput, type ReportRun } from '../../src/flow/report-html.js';
import { expectError } from '../util/expect-error.js';

const net = await createNetwork({ sizes: [2, 3, 2], activation: 'tanh', output: 'softmax', seed: 1, backend: 'ref' });
net.train([[0, 1], [1, 0]], [[1, 0], [0, 1]], { epochs: 2, batchSize: 2, trace: { every: 1 } });
const run: ReportRun = { label: 'xor', trace: net.trace!, diagnosis: diagnose(net.trace!) };
net.dispose();
const section = { id: 's', heading: 'S' };
const chart = { id: 'c', title: 'C', xLabel: 'step', yLabel: 'loss', series: [{ name: 'loss', xs: [1, 2], ys: [0.5, 0.25] }] };
const without = (key: keyof ReportRun): ReportRun => Object.fromEntries(Object.entries(run).filter(([k]) => k !== key)) as unknown as ReportRun;

describe("renderReport's input", () => {
  it.each<[string, unknown, RegExp]>([
    ['no diagnosis', { runs: [without('diagnosis')] }, /^renderReport: runs\[0\] "xor": diagnosis is missing; expected diagnose\(trace\) of the run's trace$/],
    ['a Promise for the diagnosis', { runs: [{ ...run, diagnosis: Promise.resolve(run.diagnosis) }] }, /^renderReport: runs\[0\] "xor": diagnosis is .*; expected diagnose\(trace\) of the run's trace$/],
    ['no label', { runs: [without('label')] }, /^renderReport: runs\[0\]: label is missing; expected the run's heading, a string$/],
    ['no trace', { runs: [without('trace')] }, /^renderReport: runs\[0\] "xor": trace is missing; expected a Trace: net.trace after a traced run/],
    ['a saved trace', { runs: [{ ...run, trace: run.trace.toJSON() }] }, /^renderReport: runs\[0\] "xor": trace: got a saved trace \(plain JSON, as trace.toJSON\(\) writes it\); read it back with Trace.fromJSON\(json\) first$/],
    // Only its own members make one: an object that inherits a saved trace's (made on one) is no saved trace, and no Trace.
    ['an object made on a saved trace', { runs: [{ ...run, trace: Object.create(run.trace.toJSON()) }] }, /^renderReport: runs\[0\] "xor": trace is .*; expected a Trace: net.trace after a traced run/],
    ['a mistyped detail', { runs: [{ ...run, detail: 'sumary' }] }, /^renderReport: runs\[0\] "xor": detail: expected one of full, summary, got "sumary"; did you mean "summary"\?$/],
    ['a run in a section without its trace', { sections: [{ id: 's', heading: 'S', runs: [run, without('trace')] }] }, /^renderReport: sections\[0\]\.runs\[1\] "xor": trace is missing/],
    ['one run, not a list', { runs: run }, /^renderReport: runs: expected an array of ReportRun \{ label, trace, diagnosis, … \}, got /],
    ['a string for the sections', { sections: 'study' }, /^renderReport: sections: expected an array of ReportSection \{ id, heading, … \}, got "study"$/],
    ['a number for a section', { sections: [5] }, /^renderReport: sections\[0\]: expected a ReportSection \{ id, heading, … \}, got 5$/],
    ['a number for the title', { title: 5 }, /^renderReport: title is 5; expected the page's title, a string$/],
    // Called with nothing: what to give ('got undefined', edges47 #7).
    ['nothing', undefined, /^renderReport: expected a ReportInput \{ title\?, sections\?, runs\? \}, got none: give \{ runs: \[\{ label, trace, diagnosis \}\] \}$/],
    ['a section without its heading', { sections: [{ id: 's' }] }, /^renderReport: sections\[0\]: heading is missing; expected the section's heading, a string$/],
    ["a number for a section's text", { sections: [{ ...section, text: 5 }] }, /^renderReport: sections\[0\]: text is 5; expected plain text, a string$/],
    ['a string for the notes', { sections: [{ ...section, notes: 'abc' }] }, /^renderReport: sections\[0\]: notes is "abc"; expected an array of strings, a bullet point each$/],
    ['an object for the charts', { sections: [{ ...section, charts: {} }] }, /^renderReport: sections\[0\]\.charts: expected an array of ReportChart \{ id, title, xLabel, yLabel, series, … \}, got /],
    ['a string for the tables', { sections: [{ ...section, tables: 'x' }] }, /^renderReport: sections\[0\]\.tables: expected an array of ReportTable \{ caption\?, header, rows, readAcross\?, keyColumns\? \}, got "x"$/],
    ['a series without its xs', { sections: [{ ...section, charts: [{ ...chart, series: [{ name: 'a', ys: [1] }] }] }] }, /^renderReport: sections\[0\]\.charts\[0\]\.series\[0\]: xs is missing; expected the x of each point, an array \(or typed array\) of numbers$/],
    ['a series with fewer ys than xs', { sections: [{ ...section, charts: [{ ...chart, series: [{ name: 'a', xs: [1, 2], ys: [1] }] }] }] }, /^renderReport: sections\[0\]\.charts\[0\]\.series\[0\]: ys is \[1\]; expected the y of each point, an array \(or typed array\) of 2 numbers as xs$/],
    ["a chart's layer beyond its count", { sections: [{ ...section, charts: [{ ...chart, layers: { index: [2], count: 2 } }] }] }, /^renderReport: sections\[0\]\.charts\[0\]: layers\.index is \[2\]; expected each series' layer, 1 whole numbers from 0 to 1$/],
    // A guide (newuser49 #13) is checked as the chart's other fields: its place on the axis and its label.
    ["a guide at 0 on a log axis", { sections: [{ ...section, charts: [{ ...chart, logY: true, guides: [{ y: 0, label: 'g' }] }] }] }, /^renderReport: sections\[0\]\.charts\[0\]\.guides\[0\]: y is 0; expected a finite number above 0 \(the y axis is log\)$/],
    ["a guide at NaN", { sections: [{ ...section, charts: [{ ...chart, guides: [{ y: NaN, label: 'g' }] }] }] }, /^renderReport: sections\[0\]\.charts\[0\]\.guides\[0\]: y is NaN; expected a finite number$/],
    ["a guide without its label", { sections: [{ ...section, charts: [{ ...chart, guides: [{ y: 0.25 }] }] }] }, /^renderReport: sections\[0\]\.charts\[0\]\.guides\[0\]: label is missing; expected the guide's label, a string$/],
    ["a mistyped guide's label", { sections: [{ ...section, charts: [{ ...chart, guides: [{ y: 0.25, lable: 'g' }] }] }] }, /^renderReport: sections\[0\]\.charts\[0\]\.guides\[0\]: unknown field 'lable'; did you mean 'label'\?/],
    ["one guide, not a list", { sections: [{ ...section, charts: [{ ...chart, guides: { y: 0.25, label: 'g' } }] }] }, /^renderReport: sections\[0\]\.charts\[0\]: guides is .*; expected an array of \{ y, label \}$/],
    // A fixed y range (lecturer52 #10: panels side by side on one axis) is checked as the guides are: two finite numbers, low below high, on a linear axis.
    ['a y range upside down', { sections: [{ ...section, charts: [{ ...chart, yRange: [1, 0] }] }] }, /^renderReport: sections\[0\]\.charts\[0\]: yRange is \[1,0\]; expected \[low, high\], two finite numbers, low below high$/],
    ['a y range beside a log axis', { sections: [{ ...section, charts: [{ ...chart, logY: true, yRange: [0, 1] }] }] }, /^renderReport: sections\[0\]\.charts\[0\]: yRange is \[0,1\]; expected no range beside logY: a log axis fits its data$/],
    ["a string for a bar's value", { sections: [{ ...section, bars: [{ id: 'b', title: 'B', xLabel: 'depth', ticks: [1, 10], bars: [{ label: 'a', value: '3' }] }] }] }, /^renderReport: sections\[0\]\.bars\[0\]\.bars\[0\]: value is "3"; expected the bar's length, a number, or null for no bar$/],
    ['a table row shorter than its header', { sections: [{ ...section, tables: [{ header: ['a', 'b'], rows: [['1']] }] }] }, /^renderReport: sections\[0\]\.tables\[0\]: rows\[0\] is \["1"\]; expected a row of 2 strings, as many as the header$/],
    ["a string for a table's readAcross", { sections: [{ ...section, tables: [{ header: ['a'], rows: [['1']], readAcross: 'yes' }] }] }, /^renderReport: sections\[0\]\.tables\[0\]: readAcross is "yes"; expected true or false$/],
    ["a table's keyColumns without readAcross", { sections: [{ ...section, tables: [{ header: ['a', 'b'], rows: [['1', '2']], keyColumns: 2 }] }] }, /^renderReport: sections\[0\]\.tables\[0\]: keyColumns is 2; expected given with readAcross: true, the only tables that keep columns in view as they scroll$/],
    ["a table's keyColumns past its header", { sections: [{ ...section, tables: [{ header: ['a'], rows: [['1']], readAcross: true, keyColumns: 2 }] }] }, /^renderReport: sections\[0\]\.tables\[0\]: keyColumns is 2; expected a whole number of columns from 1 to 1, the header's$/],
    ["a string for a run's remedyTerms", { runs: [{ ...run, remedyTerms: 'cli' }] }, /^renderReport: runs\[0\] "xor": expected remedyTerms \{ form: 'api' \| 'command', commandLine\?, unmadeRun\? \}, got "cli"$/],
    // A key the page does not read is refused as every other entry's options are: a typo was dropped from the page without a word (edges47 #1).
    ['a mistyped title', { titel: 'x' }, /^renderReport: unknown field 'titel'; did you mean 'title'\? \(known: title, sections, runs, remedyTerms\)$/],
    ["a mistyped run's warnings", { runs: [{ ...run, warning: ['x'] }] }, /^renderReport: runs\[0\] "xor": unknown field 'warning'; did you mean 'warnings'\? \(known: /],
    ["a mistyped run's label, named before the label it lacks", { runs: [{ ...without('label'), lable: 'x' }] }, /^renderReport: runs\[0\]: unknown field 'lable'; did you mean 'label'\?/],
    ["a mistyped section's notes", { sections: [{ ...section, note: ['x'] }] }, /^renderReport: sections\[0\]: unknown field 'note'; did you mean 'notes'\?/],
    ["a mistyped chart's logY", { sections: [{ ...section, charts: [{ ...chart, logy: true }] }] }, /^renderReport: sections\[0\]\.charts\[0\]: unknown field 'logy'; did you mean 'logY'\?/],
    ["a series' field the chart does not read", { sections: [{ ...section, charts: [{ ...chart, series: [{ ...chart.series[0], color: 'red' }] }] }] }, /^renderReport: sections\[0\]\.charts\[0\]\.series\[0\]: unknown field 'color' \(known: name, xs, ys\)$/],
    ["a mistyped table's rows", { sections: [{ ...section, tables: [{ header: ['a'], rows: [['1']], row: [] }] }] }, /^renderReport: sections\[0\]\.tables\[0\]: unknown field 'row'; did you mean 'rows'\?/],
    ["a number for a missing bar's text", { sections: [{ ...section, bars: [{ id: 'b', title: 'B', xLabel: 'depth', ticks: [1, 10], bars: [{ label: 'a', value: null, none: 89.7 }] }] }] }, /^renderReport: sections\[0\]\.bars\[0\]\.bars\[0\]: none is 89\.7; expected the text in place of a missing bar, a string$/],
    ["a mistyped bar's value", { sections: [{ ...section, bars: [{ id: 'b', title: 'B', xLabel: 'depth', ticks: [1, 10], bars: [{ label: 'a', value: 3, vale: 3 }] }] }] }, /^renderReport: sections\[0\]\.bars\[0\]\.bars\[0\]: unknown field 'vale'; did you mean 'value'\?/],
    // The slip after diagnose(trace): a Trace for the whole input, or for a run, drew a page with no run in it.
    ['a Trace for the input', run.trace, /^renderReport: got a Trace; give the report its runs: renderReport\(\{ runs: \[\{ label, trace, diagnosis: diagnose\(trace\) \}\] \}\)$/],
    ['a Trace for a run', { runs: [run.trace] }, /^renderReport: runs\[0\]: got a Trace; give the report its runs: /],
    ["a mistyped form of the report's remedyTerms", { remedyTerms: { form: 'flags' } }, /^renderReport: remedyTerms\.form is 'api' or 'command', got "flags"$/],
  ])('refuses %s', async (_, input, said) => {
    await expectError(() => renderReport(input as ReportInput), 'INVALID_OPTION', said);
  });

  it('draws a run given as diagnose() and a traced run give it, in a section or under Runs', async () => {
    const html = await renderReport({ sections: [{ id: 's', heading: 'S', runs: [{ ...run, id: 'in-s', detail: 'summary' }] }], runs: [run] });
    expect(html).toContain('<h3>xor</h3>');
  });

  it("draws a section's every part given as its types say", async () => {
    const bars = { id: 'b', title: 'B', xLabel: 'depth', ticks: [1, 10], bars: [{ label: 'a', value: 3 }, { label: 'b', value: null, none: 'none (best 80.0 % at 1)' }] };
    const table = { caption: 'T', header: ['a', 'b'], rows: [['1', '2']], readAcross: true, keyColumns: 2 };
    const full = { ...section, text: 'x', notes: ['n'], charts: [{ ...chart, logY: true, xNames: ['one', 'two'], layers: { index: [0], count: 1 }, guides: [{ y: 0.3, label: 'guide' }], series: [{ name: 'loss', xs: Float32Array.of(1, 2), ys: [0.5, 0.25] }] }, { ...chart, id: 'fixed', yRange: [0, 1] as [number, number] }], bars: [bars], tables: [table] };
    const html = await renderReport({ title: 'T', sections: [full], runs: [{ ...run, remedyTerms: { form: 'api' } }], remedyTerms: { form: 'api' } });
    expect(html).toContain('<h2>S</h2>');
    expect(html).toContain('<g class="guide" data-value="0.3">');
    // The fixed range, not the data's.
    expect(html).toMatch(/id="fixed"[^]*?data-y0="0" data-y1="1"/);
  });

  // A Trace is told first, as diagnose() tells it: one with a member named as a saved trace's (metrics, beside its steps) is still a Trace.
  it('draws a Trace that has a metrics member', async () => {
    Object.defineProperty(run.trace, 'metrics', { value: {}, configurable: true });
    try {
      expect(await renderReport({ runs: [run] })).toContain('<h3>xor</h3>');
    } finally {
      delete (run.trace as unknown as { metrics?: unknown }).metrics;
    }
  });
});
