/**
 * What the order of diagnose()'s remedies means, where users read them: the order the diagnosis reads its findings (the
 * verdict's own first), not a ranking by a benefit measured on the run, which no remedy is tried on. The docs said "most
 * pointed-to first", and a user took the first remedy offered for the best (newuser38: it ranked second-worst of those they
 * tried in a 3-epoch run). The printed list says nothing of a ranking either: bullets in the terminal, an unordered list in HTML.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { diagnosisText } from '../../src/cli/trace-table.js';
import { createNetwork } from '../../src/api/network.js';
import { diagnose } from '../../src/flow/diagnose.js';
import { API_REMEDY_TERMS } from '../../src/flow/remedy.js';
import { renderReport } from '../../src/flow/report-html.js';
import { flat } from '../util/printed-text.js';

/** A file's text with its line breaks read as spaces; a source file's comment stars ('\n * ') too. */
const page = (path: string) =>
  flat(readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8').replace(path.endsWith('.ts') ? /\n\s*\* ?/g : /\n/g, ' '));

describe("the remedies' order", () => {
  it('the diagnosis page and README say what it is, and that it is no ranking', () => {
    const flow = page('docs/gradient-flow.md');
    expect(flow).not.toMatch(/most pointed-to/);
    expect(flow).toContain("**Remedies**, in the order the diagnosis reads its findings: the verdict's own first");
    expect(flow).toContain('The order is not a ranking: no remedy is tried on the run, so none is measured to help it more than the next');
    expect(page('README.md')).toContain("listed by the finding it answers (the verdict's first), not ranked by a benefit measured on your run (none is tried on it)");
    expect(page('src/flow/diagnosis/diagnosis-types.ts')).toContain('Not a ranking: no remedy is tried on the run');
  });

  it('the printed list and the report name no ranking: bullets, an unordered list', async () => {
    // Nielsen's sigmoid stack, seeded: vanishing, with several remedies.
    const net = await createNetwork({ sizes: [8, 16, 16, 16, 16, 4], activation: 'sigmoid', output: 'softmax', loss: 'cross-entropy', seed: 1 });
    let s = 7;
    const next = () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32;
    const x = Array.from({ length: 64 }, () => Array.from({ length: 8 }, () => 2 * next() - 1));
    const y = x.map((row) => [0, 1, 2, 3].map((k) => (k === (row[0] > 0 ? 1 : 0) + (row[1] > 0 ? 2 : 0) ? 1 : 0)));
    net.train(x, y, { epochs: 2, batchSize: 16, trace: { every: 1 } });
    const d = diagnose(net.trace!);
    expect(d.remedies.length).toBeGreaterThan(2);
    const text = diagnosisText(d, API_REMEDY_TERMS);
    const ranked = /\b(best|ranked|ranking|in order of|most (effective|likely|helpful)|strongest|recommended)\b/i;
    expect(text.split('\n').filter((line) => /What to try|^\s*•/.test(line)).join('\n')).not.toMatch(ranked);
    expect(text.match(/^ {2}• /gm)).toHaveLength(d.remedies.length);
    const html = await renderReport({ runs: [{ label: 'run', trace: net.trace!, diagnosis: d }] });
    expect(html).toMatch(/What to try:<\/p><ul>/);
    expect(html).not.toMatch(/<ol/);
    net.dispose();
  });
});
