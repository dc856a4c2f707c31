/**
 * renderReport as the package exports it (src/flow/render-report.ts): it loads the report's code on
 * its first call, so a page that never renders a report does not load it (test/package/installed-package
 * holds the bundle's chunks). Loaded, it gives the page report-html.ts' renderReport gives and refuses
 * what that refuses; where the code cannot be loaded (a bundled page whose report chunk was not
 * served), IO_ERROR saying why, not the engine's bare error.
 */
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { createNetwork } from '../../src/api/network.js';
import { diagnose } from '../../src/flow/diagnose.js';
import { renderReport as renderNow, type ReportRun } from '../../src/flow/report-html.js';
import { renderReport } from '../../src/index.js';
import { expectError } from '../util/expect-error.js';

/** The page without its one moment-dependent part, the time it was generated. */
const timeless = (html: string) => html.replace(/Generated \S+ by gradscope/, 'Generated (time) by gradscope');

describe("renderReport, the package's export", () => {
  let run: ReportRun;
  beforeAll(async () => {
    const net = await createNetwork({ sizes: [3, 4, 2], activation: 'tanh', output: 'softmax', backend: 'ref', seed: 1 });
    const x = [[1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 1, 0]];
    const y = [[1, 0], [0, 1], [1, 0], [0, 1]];
    net.train(x, y, { epochs: 2, batchSize: 2, trace: { every: 1 } });
    run = { label: 'tiny', trace: net.trace!, diagnosis: diagnose(net.trace!) };
    net.dispose();
  });

  it("gives the page report-html.ts' renderReport gives", async () => {
    const input = { title: 'XOR', runs: [run] };
    const [lazy, now] = [await renderReport(input), await renderNow(input)];
    expect(lazy).toContain('<h1>XOR</h1>');
    expect(timeless(lazy)).toBe(timeless(now));
  });

  it('refuses what it refuses, with the same words', async () => {
    for (const input of [null, { runs: [{ ...run, label: 3 }] }, { run: [run] }]) {
      const now = await expectError(() => renderNow(input as never), 'INVALID_OPTION', /./);
      const lazy = await expectError(() => renderReport(input as never), 'INVALID_OPTION', /./);
      expect(lazy.message).toBe(now.message);
    }
  });

  // The import's own message, and 'serve every file' only where it says the file was not there (review48b #13).
  it.each([
    ['was not served', new TypeError('Failed to fetch dynamically imported module: https://example.test/assets/report-html-B2x.js'), "renderReport: could not load the report's code (gradscope's flow/report-html.js, in a bundled page a chunk of its own; serve every file the build wrote): "],
    ['came but failed as it ran', new ReferenceError('ND is not defined'), "renderReport: the report's code (gradscope's flow/report-html.js, in a bundled page a chunk of its own) was fetched but failed as it ran: "],
  ])("says IO_ERROR, with the reason the import was refused, where the report's code %s", async (_, thrown, said) => {
    // A module graph of its own, in which report-html.ts cannot be loaded (and so its own GradscopeError class).
    vi.resetModules();
    vi.doMock('../../src/flow/report-html.js', () => {
      throw thrown;
    });
    try {
      const [fresh, errors] = [await import('../../src/flow/render-report.js'), await import('../../src/errors.js')];
      const error = await fresh.renderReport({ runs: [run] }).then(() => undefined, (caught: unknown) => caught);
      expect(error).toBeInstanceOf(errors.GradscopeError);
      expect((error as InstanceType<typeof errors.GradscopeError>).code).toBe('IO_ERROR');
      // What the import was refused with, as this runner says it (vitest wraps the factory's error), is the reason given.
      const cause: unknown = await import('../../src/flow/report-html.js').then(() => 'loaded', (refused: unknown) => refused);
      expect(String(cause)).not.toBe('loaded');
      expect((error as Error).message).toBe(`${said}${String(cause)}`);
    } finally {
      vi.doUnmock('../../src/flow/report-html.js');
      vi.resetModules();
    }
  });
});
