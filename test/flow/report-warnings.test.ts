/**
 * A run's warnings in the report (ReportRun.warnings): shown under its heading before its diagnosis,
 * escaped, and kept in the page's data; a run without any shows none and holds no key; warnings that
 * are not an array of strings are refused with INVALID_OPTION.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createNetwork } from '../../src/api/network.js';
import { diagnose } from '../../src/flow/diagnose.js';
import { renderReport, type ReportRun } from '../../src/flow/report-html.js';
import { expectError } from '../util/expect-error.js';
import { reportPageData } from '../util/report-data.js';

describe('a run’s warnings in the report', () => {
  let run: ReportRun;
  beforeAll(async () => {
    const net = await createNetwork({ sizes: [3, 4, 2], activation: 'tanh', output: 'softmax', backend: 'ref', seed: 1 });
    const x = [[1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 1, 0]];
    const y = [[1, 0], [0, 1], [1, 0], [0, 1]];
    net.train(x, y, { epochs: 1, batchSize: 2, trace: { every: 1 } });
    run = { label: 'tiny', trace: net.trace!, diagnosis: diagnose(net.trace!) };
    net.dispose();
  });

  it('shows each warning, escaped, between the heading and the diagnosis, and keeps them in the data', async () => {
    const warnings = ['Warning: the loss went 1 → 2 <worse>', "a second: 'halve' did it"];
    const html = await renderReport({ runs: [{ ...run, warnings }] });
    const section = html.slice(html.indexOf('<section class="run" id="run-0">'));
    const shown = section.indexOf('<p class="warning">Warning: the loss went 1 → 2 &lt;worse&gt;</p><p class="warning">a second: ');
    expect(shown).toBeGreaterThan(section.indexOf('<h3>tiny</h3>'));
    expect(shown).toBeLessThan(section.indexOf('<div class="diagnosis'));
    expect((reportPageData(html) as { runs: Record<string, { warnings?: string[] }> }).runs['run-0'].warnings).toEqual(warnings);
  });

  it('shows none for a run without warnings, and the data holds no warnings key', async () => {
    for (const warnings of [undefined, []]) {
      const html = await renderReport({ runs: [{ ...run, warnings }] });
      expect(html).not.toContain('class="warning"');
      expect(Object.keys((reportPageData(html) as { runs: Record<string, object> }).runs['run-0'])).toEqual(['label', 'diagnosis', 'trace']);
    }
  });

  it('refuses warnings that are not an array of strings, naming the run', async () => {
    for (const warnings of ['one warning', [1], null]) {
      await expectError(() => renderReport({ runs: [{ ...run, warnings: warnings as unknown as string[] }] }), 'INVALID_OPTION', /^renderReport: runs\[0\] "tiny": warnings must be an array of strings, got /);
    }
  });
});
