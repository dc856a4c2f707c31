/**
 * renderReport refuses a run id the page cannot hold (INVALID_OPTION naming the run and the id):
 * one with whitespace or `"'<>&` (written unescaped into element ids, links and download names),
 * `__proto__` (not a key of the page's data) and an id two runs share (the second's data would
 * replace the first's); the ids it gives runs by position are checked alike.
 */
import { describe, expect, it } from 'vitest';
import { createNetwork } from '../../src/api/network.js';
import { diagnose } from '../../src/flow/diagnose.js';
import { renderReport, type ReportRun } from '../../src/flow/report-html.js';
import { expectError } from '../util/expect-error.js';
import { reportPageData } from '../util/report-data.js';

const net = await createNetwork({ sizes: [2, 3, 1], activation: 'tanh', output: 'sigmoid', loss: 'binary-cross-entropy', seed: 1, backend: 'ref' });
net.train([[0, 1], [1, 0]], [[1], [0]], { epochs: 2, batchSize: 2, trace: { every: 1 } });
const run: ReportRun = { label: 'xor', trace: net.trace!, diagnosis: diagnose(net.trace!) };

describe('renderReport run ids', () => {
  it.each([
    ['a"b', /^renderReport: run "xor": id "a\\"b"; expected a non-empty string with no whitespace nor any of "'<>&$/],
    ['two words', /^renderReport: run "xor": id "two words"; expected a non-empty string/],
    ['<b>', /^renderReport: run "xor": id "<b>"; expected a non-empty string/],
    ['', /^renderReport: run "xor": id ""; expected a non-empty string/],
    [5, /^renderReport: run "xor": id 5; expected a non-empty string/],
    ['__proto__', /^renderReport: run "xor": id "__proto__" is an object's prototype in the page's data, not a key; expected another id$/],
  ])('refuses %j', async (id, said) => {
    await expectError(() => renderReport({ runs: [{ ...run, id: id as string }] }), 'INVALID_OPTION', said);
  });

  it('refuses an id two runs share, its own or one given by position', async () => {
    const shared = /^renderReport: run "xor": id "run-0" is another run's too; expected each run's id unique in the report$/;
    await expectError(() => renderReport({ runs: [{ ...run, id: 'run-0' }, { ...run, id: 'run-0' }] }), 'INVALID_OPTION', shared);
    await expectError(() => renderReport({ sections: [{ id: 'run', heading: 'A', runs: [run] }], runs: [run] }), 'INVALID_OPTION', /id "run-0" is another run's too/);
  });

  it("refuses an id the page's other elements hold: its data block's and a section's", async () => {
    await expectError(() => renderReport({ runs: [{ ...run, id: 'report-data' }] }), 'INVALID_OPTION', /^renderReport: run "xor": id "report-data" is the element id of the page's data block too; expected another id$/);
    await expectError(() => renderReport({ sections: [{ id: 'study', heading: 'A' }], runs: [{ ...run, id: 'study' }] }), 'INVALID_OPTION', /^renderReport: run "xor": id "study" is a section's element id too; expected another id$/);
    // The premise: the page reads its data by that element id, which a run's section before it would hold.
    const page = await renderReport({ runs: [run] });
    expect(page).toContain(`<script type="application/octet-stream" id="report-data" `);
    expect(page.slice(page.lastIndexOf('<script>'))).toContain(`"report-data"`);
  });

  it("refuses a section id the page's data block holds, or another section's", async () => {
    await expectError(() => renderReport({ sections: [{ id: 'report-data', heading: 'A' }] }), 'INVALID_OPTION', /^renderReport: section "A": id "report-data" is the element id of the page's data block too; expected another id$/);
    await expectError(() => renderReport({ sections: [{ id: 's', heading: 'A' }, { id: 's', heading: 'B' }] }), 'INVALID_OPTION', /^renderReport: section "B": id "s" is another section's too; expected each section's id unique in the report$/);
    await expectError(() => renderReport({ sections: [{ id: 'runs', heading: 'A' }], runs: [run] }), 'INVALID_OPTION', /^renderReport: section "Runs": id "runs" is another section's too \(renderReport's section of input.runs\); expected each section's id unique/);
  });

  it('takes ids of other characters, each run keyed by its own', async () => {
    const ids = ['$f32', 'a/b:c', 'π-1'];
    const data = reportPageData(await renderReport({ runs: ids.map((id) => ({ ...run, id })) })) as { runs: Record<string, unknown> };
    expect(Object.keys(data.runs)).toEqual(ids);
  });
});
