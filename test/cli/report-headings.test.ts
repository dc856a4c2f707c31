// A study's report section is headed for the report it is in: run alone (`gradscope study depth
// --html`) its heading names the study, not the main job's letter ("Study (a): depth" read as one of
// several studies in a report of one); the main job letters its three (MAIN_JOB_HEADINGS, checked in
// its report by test/cli/main-job-report).
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MAIN_JOB_HEADINGS } from '../../src/cli/commands/main-job.js';
import { escapeHtml } from '../../src/flow/svg.js';
import { runCliInProcess } from '../util/cli.js';

const folder = mkdtempSync(join(tmpdir(), 'gradscope-headings-'));

/** The page's section headings (<h2>), as its HTML writes them. */
const headings = (page: string) => [...page.matchAll(/<h2>([^<]*)<\/h2>/g)].map((m) => m[1]);

describe('report section headings', () => {
  it.each([
    ['depth', ['--seeds', '1', '--epochs', '1'], "Depth: Nielsen's vanishing gradient"],
    ['activations', ['--width', '1', '--epochs', '1', '--train', '1', '--test', '1'], 'Activations × initialisations'],
  ])('study %s run alone heads its one section with its name, no letter', async (study, flags, heading) => {
    const html = join(folder, `${study}.html`);
    const { code, stderr } = await runCliInProcess(['study', study, ...flags, '--html', html]);
    expect(code, stderr).toBe(0);
    const page = readFileSync(html, 'utf8');
    expect(headings(page)).toEqual([escapeHtml(heading)]);
    expect(page).not.toMatch(/Study \([a-c]\)/);
  }, 120_000);

  it("the main job's headings letter its three studies in order, as its terminal does", () => {
    expect(MAIN_JOB_HEADINGS.map((h) => /^Study \(([a-c])\): /.exec(h)?.[1])).toEqual(['a', 'b', 'c']);
  });
});
