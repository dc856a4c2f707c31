/**
 * renderReport refuses what it cannot draw before making any of the page (INVALID_OPTION naming the
 * run by its place and label, and what to pass): a run without its label, trace or diagnosis, a saved
 * trace (trace.toJSON()) for a Trace, a mistyped detail, and a lone object or a string for a list.
 * Unchecked, a missing diagnosis threw a TypeError ('reading remedies'), a missing label an error
 * naming an internal helper, and a saved trace or `runs: {…}` drew a page without complaint.
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
const without = (key: keyof ReportRun): ReportRun => Object.fromEntries(Object.entries(run).filter(([k]) => k !== key)) as unknown as ReportRun;

describe("renderReport's input", () => {
  it.each<[string, unknown, RegExp]>([
    ['no diagnosis', { runs: [without('diagnosis')] }, /^renderReport: runs\[0\] "xor": diagnosis is undefined; expected diagnose\(trace\) of the run's trace$/],
    ['a Promise for the diagnosis', { runs: [{ ...run, diagnosis: Promise.resolve(run.diagnosis) }] }, /^renderReport: runs\[0\] "xor": diagnosis is .*; expected diagnose\(trace\) of the run's trace$/],
    ['no label', { runs: [without('label')] }, /^renderReport: runs\[0\]: label is undefined; expected the run's heading, a string$/],
    ['no trace', { runs: [without('trace')] }, /^renderReport: runs\[0\] "xor": trace is undefined; expected a Trace: net.trace after a traced run/],
    ['a saved trace', { runs: [{ ...run, trace: run.trace.toJSON() }] }, /^renderReport: runs\[0\] "xor": trace: got a saved trace \(plain JSON, as trace.toJSON\(\) writes it\); read it back with Trace.fromJSON\(json\) first$/],
    ['a mistyped detail', { runs: [{ ...run, detail: 'sumary' }] }, /^renderReport: runs\[0\] "xor": detail: expected one of full, summary, got "sumary"$/],
    ['a run in a section without its trace', { sections: [{ id: 's', heading: 'S', runs: [run, without('trace')] }] }, /^renderReport: sections\[0\]\.runs\[1\] "xor": trace is undefined/],
    ['one run, not a list', { runs: run }, /^renderReport: runs: expected an array of ReportRun \{ label, trace, diagnosis, … \}, got /],
    ['a string for the sections', { sections: 'study' }, /^renderReport: sections: expected an array of ReportSection \{ id, heading, … \}, got "study"$/],
    ['a number for a section', { sections: [5] }, /^renderReport: sections\[0\]: expected a ReportSection \{ id, heading, … \}, got 5$/],
  ])('refuses %s', async (_, input, said) => {
    await expectError(() => renderReport(input as ReportInput), 'INVALID_OPTION', said);
  });

  it('draws a run given as diagnose() and a traced run give it, in a section or under Runs', async () => {
    const html = await renderReport({ sections: [{ id: 's', heading: 'S', runs: [{ ...run, id: 'in-s', detail: 'summary' }] }], runs: [run] });
    expect(html).toContain('<h3>xor</h3>');
  });
});
