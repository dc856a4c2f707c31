// The report's remedies in each printer's terms: the API's option keys under "What to try:"; a run no
// command line makes (RemedyTerms.unmadeRun) says why once, above its remedies, as the terminal's
// diagnosisText does ("What to try, as the library's options (…):"), each remedy then without a reason
// of its own; a run's own remedyTerms win over the report's. remedyText refuses terms that are not
// RemedyTerms, naming every field they may have.
import { describe, expect, it } from 'vitest';
import { createNetwork } from '../../src/api/network.js';
import { diagnosisText } from '../../src/cli/trace-table.js';
import { diagnose, type Diagnosis } from '../../src/flow/diagnose.js';
import { API_REMEDY_TERMS, remedyLines, remedyText, type Remedy, type RemedyTerms } from '../../src/flow/remedy.js';
import { codeHtml, renderReport } from '../../src/flow/report-html.js';
import { Rng } from '../../src/init/rng.js';
import { flat } from '../util/printed-text.js';

const rng = new Rng(5);
const x = Array.from({ length: 20 }, () => Array.from({ length: 4 }, () => rng.uniform()));
const y = x.map((row) => (row[0] > 0.5 ? [1, 0] : [0, 1]));
const net = await createNetwork({ sizes: [4, 5, 5, 2], activation: 'sigmoid', output: 'softmax', backend: 'ref', seed: 1 });
net.train(x, y, { epochs: 1, batchSize: 10, learningRate: 0.1, trace: { every: 1 } });
const trace = net.trace!;
net.dispose();

const remedies: Remedy[] = [
  { option: "init: 'he-normal'", settings: [{ option: 'init', value: "'he-normal'", flagValue: 'he-normal' }], why: 'it keeps the <signal> up.' },
  { option: "activation: 'relu'", settings: [{ option: 'activation', value: "'relu'", flagValue: 'relu' }], alternative: [{ option: 'learningRate', value: '0.03', flagValue: '0.03' }], why: 'relu does not saturate.' },
];
const diagnosis: Diagnosis = { ...diagnose(trace), remedies };
/** Why the study's run has no command line, as remedyTerms words it for a run with weight decay (a `backticked` flag set as code). */
const UNMADE = 'gradscope train cannot make this run: it trained with weight decay 0.005, which `train` has no flag for';
const unmade: RemedyTerms = { form: 'api', unmadeRun: UNMADE };
/** A printer's command line for each list of settings, and for the activation none (the reason said beside it). */
const command: RemedyTerms = {
  form: 'command',
  commandLine: (settings) => (settings[0].option === 'activation' ? { cannot: 'its layers are blocks' } : { line: `gradscope train --${settings[0].option} ${settings[0].flagValue}` }),
};

/** Each diagnosis block of the page: the line above its remedies and the remedies' text, tags dropped, each paragraph (an alternative's line, why under it) after a newline. */
function remedyBlocks(html: string): { heading: string; items: string[] }[] {
  return [...html.matchAll(/<div class="diagnosis[^"]*"[^>]*>.*?<\/div>/g)].map(([block]) => {
    const text = (s: string) => s.replace(/<[^>]+>/g, '').replace(/&lt;/g, '<').replace(/&gt;/g, '>');
    return {
      heading: text(/<p>(What to try[^]*?)<\/p><ul>/.exec(block)?.[1] ?? ''),
      items: [...block.matchAll(/<li>(.*?)<\/li>/g)].map((m) => text(m[1].replace(/<p>/g, '\n'))),
    };
  });
}

describe("the report's remedies", () => {
  it("says why a run has no command line once, above its remedies in the API's terms, as the terminal does", async () => {
    const html = await renderReport({ runs: [{ label: 'a study run', trace, diagnosis, remedyTerms: unmade }] });
    const [block] = remedyBlocks(html);
    expect(block.heading).toBe(`What to try, as the library's options (${UNMADE.replace(/`/g, '')}):`);
    // The reason once in the page's text, its backticked flag as code; no remedy repeats it.
    expect(html.split('weight decay 0.005').length - 1).toBe(1);
    expect(html).toContain(`which ${codeHtml('train')} has no flag for):</p>`);
    expect(block.items).toEqual(["init: 'he-normal': it keeps the <signal> up.", "activation: 'relu'\nor: learningRate: 0.03\nrelu does not saturate."]);
    // The terminal says the same heading (wrapped to its width) and the same remedies.
    const printed = flat(diagnosisText(diagnosis, unmade));
    expect(printed).toContain(`What to try, as the library's options (${UNMADE}):`);
    expect(printed).toContain("• init: 'he-normal'");
  });

  it("says 'What to try:' in the API's terms, and in a command's, each remedy giving its own reason where it has no line", async () => {
    const html = await renderReport({ runs: [{ label: 'api', trace, diagnosis }, { label: 'command', trace, diagnosis, remedyTerms: command }] });
    const [api, own] = remedyBlocks(html);
    expect(api.heading).toBe('What to try:');
    // One choice with why on its line; two, as the terminal prints them: the first, 'or: ' and the alternative right under it,
    // then why (joined, 'A or B: why' read as one setting; the alternative after why stood far from the choice, newuser43 #10).
    const item = (r: Remedy) => {
      const [first, alternative] = remedyLines(r, API_REMEDY_TERMS);
      return alternative === undefined ? `${first}: ${r.why}` : `${first}\nor: ${alternative}\n${r.why}`;
    };
    expect(api.items).toEqual(remedies.map(item));
    const printed = diagnosisText(diagnosis, API_REMEDY_TERMS).split('\n').map((line) => line.trim());
    const at = printed.indexOf("• activation: 'relu'");
    expect(printed.slice(at, at + 3)).toEqual(["• activation: 'relu'", 'or: learningRate: 0.03', 'relu does not saturate.']);
    expect(own.heading).toBe('What to try:');
    expect(own.items).toEqual([
      'gradscope train --init he-normal: it keeps the <signal> up.',
      "activation: 'relu' (createNetwork option: its layers are blocks)\nor: gradscope train --learningRate 0.03\nrelu does not saturate.",
    ]);
    expect(html).not.toContain("the library's options");
  });

  it("takes the report's terms where a run has none of its own", async () => {
    const html = await renderReport({ runs: [{ label: 'a', trace, diagnosis }, { label: 'b', trace, diagnosis, remedyTerms: API_REMEDY_TERMS }], remedyTerms: unmade });
    expect(remedyBlocks(html).map((b) => b.heading)).toEqual([`What to try, as the library's options (${UNMADE.replace(/`/g, '')}):`, 'What to try:']);
  });

  it('refuses terms that are not RemedyTerms, naming each field they may have', async () => {
    const refused = (terms: unknown) => {
      try {
        remedyText(remedies[0], terms as RemedyTerms);
      } catch (error) {
        return `${(error as { code: string }).code}: ${(error as Error).message}`;
      }
      return 'accepted';
    };
    expect(refused('api')).toBe(`INVALID_OPTION: remedyText: expected terms { form: 'api' | 'command', commandLine?, unmadeRun? }, got "api"`);
    expect(refused({ form: 'api', unmadeRun: 3 })).toBe('INVALID_OPTION: remedyText: terms.unmadeRun is a string (why the run has no command line), got 3');
    await expect(renderReport({ runs: [{ label: 'a', trace, diagnosis, remedyTerms: { form: 'api', unmadeRun: 3 } as unknown as RemedyTerms }] })).rejects.toMatchObject({ code: 'INVALID_OPTION' });
  });
});
