// docs/gradient-flow.md's "HTML report" states the sizes the report is drawn by; each is read from the
// page and compared with the constant the report uses, so a change to one cannot leave the page behind
// (truth38's audit of the page: these were stated with no test reading them; the measured widths and
// file sizes beside them are dated Chromium and npm start runs).
import { describe, expect, it } from 'vitest';
import { LEAST_TARGET, renderReport, REPORT_RECORDS } from '../../src/flow/report-html.js';
import { CHART_FONT, CHART_TEXT_MIN, NARROW_SIDE_PADDING, NARROWEST_COLUMN } from '../../src/flow/svg.js';
import { quotedOn } from '../util/page-numbers.js';
import { quoteOn } from '../util/page-quotes.js';
import { createNetwork } from '../../src/api/network.js';
import { diagnose } from '../../src/flow/diagnose.js';

const PAGE = 'docs/gradient-flow.md';
const said = (pattern: RegExp) => quotedOn(PAGE, pattern).map(Number);
const escaped = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe("docs/gradient-flow.md's HTML report sizes are the report's", () => {
  it("the charts' smallest text and the least it shows at, the narrowest phone's column", () => {
    expect(said(/its smallest text \((\d+) px in the drawing\) shows below (\d+) CSS px/)).toEqual([CHART_FONT, CHART_TEXT_MIN]);
    expect(said(/in a narrower column \(a (\d+) px phone's\) its text is drawn larger so that it still shows at (\d+) px/)).toEqual([NARROWEST_COLUMN + 2 * NARROW_SIDE_PADDING, CHART_TEXT_MIN]);
  });

  it('the least size of a link or button', () => {
    expect(said(/Every link and button is at least (\d+)×(\d+) px/)).toEqual([LEAST_TARGET, LEAST_TARGET]);
  });

  it("the words of its tools: the contents' download of everything, a zoomed chart's way back", async () => {
    const net = await createNetwork({ sizes: [2, 3, 1], output: 'sigmoid', loss: 'binary-cross-entropy', seed: 1, backend: 'ref' });
    net.train([[0, 1], [1, 0]], [[1], [0]], { epochs: 2, batchSize: 2, trace: { every: 1 } });
    const page = await renderReport({ runs: [{ id: 'run', label: 'run', trace: net.trace!, diagnosis: diagnose(net.trace!) }] });
    net.dispose();
    expect(page).toMatch(new RegExp(`<a [^>]*data-download="all"[^>]*>${escaped(quoteOn('docs/gradient-flow.md', 'All data'))}</a>`));
    expect(page).toContain(`<button type="button">${quoteOn('docs/gradient-flow.md', 'all steps')}</button>`);
  });

  it('the records a run is drawn and held at', () => {
    expect(said(/A run with more than (\d+) traced steps \(study \(a\) records all 500 epochs\) is drawn and held at (\d+) of them/)).toEqual([REPORT_RECORDS, REPORT_RECORDS]);
  });
});
