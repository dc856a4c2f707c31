// The report the main job (npm start) writes, with its default flags, stays within the size the
// issue set for it (600 KB): run in-process, written to a temporary folder.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/cli.js';

const REPORT_BYTES = 600 * 1024;

describe('the main job', () => {
  it(`writes an HTML report of at most ${REPORT_BYTES / 1024} KB with its default flags`, async () => {
    const folder = mkdtempSync(join(tmpdir(), 'gradscope-main-job-'));
    try {
      const report = join(folder, 'gradscope-report.html');
      let errors = '';
      const code = await main(['--html', report], { out: () => {}, err: (text) => void (errors += text), live: false });
      expect(code, errors).toBe(0);
      const bytes = statSync(report).size;
      console.log(`main job report: ${(bytes / 1024).toFixed(0)} KB`);
      expect(bytes).toBeGreaterThan(100 * 1024); // a real report, not an empty page
      expect(bytes).toBeLessThanOrEqual(REPORT_BYTES);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  }, 600_000);
});
