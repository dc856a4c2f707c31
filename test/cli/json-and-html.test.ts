// A study's --json and --html together write both: the JSON on stdout, the report to its file, as study trainable-depth and
// study --model did. study depth, activations and plateau printed their JSON and returned, writing no report and saying
// nothing (newuser50 #2); one rule now writes every study command's report (src/cli/html-report.ts).
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { escapeHtml } from '../../src/flow/svg.js';
import { runCliInProcess } from '../util/cli.js';

const folder = mkdtempSync(join(tmpdir(), 'gradscope-json-html-'));

describe('--json with --html', () => {
  it.each([
    ['depth', ['study', 'depth', '--seeds', '1', '--epochs', '1'], "Depth: Nielsen's vanishing gradient", 'networks'],
    ['activations', ['study', 'activations', '--width', '1', '--epochs', '1', '--train', '10', '--test', '5'], 'Activations × initialisations', 'runs'],
    ['plateau', ['study', 'plateau', '--epochs', '1', '--points', '1', '--k', '1'], 'Saddle or minimum: the plateau', 'points'],
  ])('study %s: the JSON on stdout and the report in its file', async (name, args, heading, key) => {
    const html = join(folder, `${name}.html`);
    const { code, stdout, stderr } = await runCliInProcess([...args, '--json', '--html', html]);
    expect(code, stderr).toBe(0);
    // One line of JSON and nothing else on stdout (no 'Report:' line after it).
    expect(stdout.trimEnd().split('\n')).toHaveLength(1);
    expect(JSON.parse(stdout)).toHaveProperty(key);
    expect(existsSync(html), `${html} written`).toBe(true);
    // (Its section's heading, as the page writes it; the page itself is not printed when it is missing.)
    expect(readFileSync(html, 'utf8').includes(`>${escapeHtml(heading)}<`), `${html}: the heading ${heading}`).toBe(true);
  }, 180_000);
});
