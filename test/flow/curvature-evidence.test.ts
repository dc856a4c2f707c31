// diagnose() with the curvature where a run ended: the evidence is kept and the summary says saddle,
// strong negative curvature off a critical point, weak negative curvature or minimum, with the measured eigenvalues; without it nothing changes.
import { describe, expect, it } from 'vitest';
import { createNetwork } from '../../src/api/network.js';
import { diagnose } from '../../src/flow/diagnose.js';
import { readFileSync } from 'node:fs';
import { CURVATURE_PAGE } from '../../src/flow/diagnosis/progress-sentences.js';
import { curvatureCommand } from '../../src/cli/commands/curvature.js';
import { flat } from '../util/printed-text.js';
import { OUTWEIGHS } from '../../src/curvature/critical-point.js';
import { saddleTestText } from '../../src/saddle-rule.js';
import { pageProse } from '../util/page-numbers.js';

describe('diagnose with curvature evidence', async () => {
  const net = await createNetwork({ sizes: [4, 6, 6, 2], loss: 'cross-entropy', backend: 'ref', seed: 3 });
  const x = Array.from({ length: 8 }, (_, r) => [r % 2, (r >> 1) % 2, 0.5, -0.5]);
  const y = x.map((_, r) => (r % 2 ? [0, 1] : [1, 0]));
  net.train(x, y, { epochs: 3, batchSize: 4, trace: {} });
  const trace = net.trace!;
  const plain = diagnose(trace);
  // On a plateau, a diagnosis without curvature says the gradient alone cannot tell a minimum from a saddle or a gentle slope; with it, the curvature says which.
  // The docs page by its title, not a repository path that read as plain text in the HTML report: the title docs/curvature.md's heading gives.
  const undecided = " The gradient alone cannot tell a local minimum from a saddle or from a slope too gentle to leave quickly; its curvature can: " +
    '`measureCurvature(net, x, y)` measures it on your rows, and `diagnose(trace, { curvature: curvatureEvidenceOf(report) })` reads the point from it; ' +
    "`gradscope curvature --model FILE` measures a saved network's Hessian on your rows (--data) or the digits (FILE: JSON.stringify(net.toJSON()), train's --out, study --model's --save, or the visualizer's model download; " +
    'the other studies save no network). ' +
    'A smallest eigenvalue below 0 marks a saddle only where a step along its eigenvector lowers the loss on both sides by at least 2× what the slope gives; ' +
    "`gradscope study plateau`, which measures its own network, found Nielsen's plateau a slope of its objective, neither a saddle nor a minimum, and a saddle of its cross-entropy alone " +
    "(gradscope's docs give the rule in full, page 'Curvature and gradient noise').";
  // It named only the study, which measured Nielsen's network: the user's own model is measured by the curvature command, as spelt here.
  it('names the command that measures a saved model, by its own words and flags', () => {
    expect(plain.summary).toContain(undecided);
    // The rule's factor, one source with the study's (src/saddle-rule.ts), said as one condition of it: it said "the gradient …
    // lowers the loss at most half as much as that curvature does", false where the gradient leans into the curvature (review45
    // #2); the page it names gives the rule in full, the cap on what the slope gives and the slope spent with it.
    expect(undecided).toContain(`marks a saddle only where a step along its eigenvector lowers the loss on both sides by at least ${OUTWEIGHS}× what the slope gives;`);
    const page = flat(readFileSync(new URL('../../docs/curvature.md', import.meta.url), 'utf8'));
    expect(page).toContain('at least twice what the slope gives (`OUTWEIGHS`), and the slope is spent. What the slope gives is the gradient\'s whole descent');
    expect(page).toContain('but no more than ‖∇f‖·s over that step s');
    expect(curvatureCommand.words).toEqual(['curvature']);
    expect(curvatureCommand.flags.map((f) => f.name)).toEqual(expect.arrayContaining(['model', 'data']));
  });

  // The API's route first (newuser48 #6: in a browser the only one): the functions and the option it names are the index's and diagnose()'s.
  it('names the API that measures the curvature and gives it to diagnose(), by names the package exports', async () => {
    const index = await import('../../src/index.js');
    for (const name of ['measureCurvature', 'curvatureEvidenceOf', 'diagnose', 'biasNormsPerRow'] as const) expect(typeof index[name], name).toBe('function');
    expect(plain.summary).toContain('`measureCurvature(net, x, y)` measures it on your rows, and `diagnose(trace, { curvature: curvatureEvidenceOf(report) })` reads the point from it;');
  });

  it("says the rule in README as the diagnosis does, from the one source (src/saddle-rule.ts)", () => {
    expect(pageProse('README.md')).toContain(saddleTestText('the loss', '‖∇C‖', '±v, the eigenvector of the smallest eigenvalue,'));
  });

  it("names the curvature page by the title its heading gives", () => {
    expect(readFileSync(new URL('../../docs/curvature.md', import.meta.url), 'utf8').split('\n')[0]).toMatch(new RegExp(`^# ${CURVATURE_PAGE.slice(1, -1)}:`));
    expect(undecided).not.toContain('docs/');
    expect(undecided).toContain(`gradscope's docs give the rule in full, page ${CURVATURE_PAGE})`);
  });

  // It said "Nielsen's plateau … is the last", which read as the page's last section; it names what the page found.
  it("says what the page found on Nielsen's plateau", () => {
    const page = flat(readFileSync(new URL('../../docs/curvature.md', import.meta.url), 'utf8'));
    // The objective's plateau is nearly flat; the cross-entropy alone is a saddle, its own gradient spent within a short step (test/studies/plateau-data-loss).
    expect(page).toContain('a nearly flat, slightly indefinite region of the objective, rather than a clean saddle point or a local minimum');
    expect(page).toContain('a saddle of the cross-entropy, not a local minimum');
    expect(undecided).toContain("found Nielsen's plateau a slope of its objective, neither a saddle nor a minimum, and a saddle of its cross-entropy alone");
  });

  it.each([
    [{ lambdaMin: -3e-4, lambdaMax: 1.2, confirmed: true, exploitable: true, critical: true }, /a saddle \(λ_min = -3\.00e-4 against λ_max = 1\.20e\+0\)/],
    [{ lambdaMin: -1.15, lambdaMax: 2.84, confirmed: true, exploitable: true, critical: false }, /strong negative curvature \(λ_min = -1\.15e\+0 against λ_max = 2\.84e\+0.*not critical, so not a saddle: that step lowers the objective by less than 2× what the gradient's own descent does, or that descent runs on\./],
    // The page's reading (newuser49 #5): "strong" beside a λ_min 1/700 of λ_max read as a large curvature; the size is said.
    [{ lambdaMin: -1.91e-3, lambdaMax: 1.38, confirmed: true, exploitable: true, critical: false }, /strong negative curvature \(λ_min = -1\.91e-3 against λ_max = 1\.38e\+0; strong in what a step along it does, not in size: \|λ_min\| is 1\.38e-3 of λ_max\), a step along/],
    [{ lambdaMin: -2e-4, lambdaMax: 1.35, confirmed: true, exploitable: false, critical: false }, /not a minimum.*λ_min = -2\.00e-4.*the gradient outweighs it/],
    [{ lambdaMin: 1e-6, lambdaMax: 1.35, confirmed: false, exploitable: false, critical: false }, /a minimum of the measured objective, not a saddle/],
    [{ lambdaMin: 1e-6, lambdaMax: 1.35, confirmed: false, exploitable: false, critical: false, lowered: false }, /a minimum of the measured objective, not a saddle/],
    [{ lambdaMin: 1e-6, lambdaMax: 1.35, confirmed: false, exploitable: false, critical: false, lowered: true }, /no direction curves down beyond rounding \(λ_min = 1\.00e-6 against λ_max = 1\.35e\+0\), but a step tried lowers the objective: a slope, not a minimum and not a saddle\.$/],
  ])('%o', (curvature, sentence) => {
    const d = diagnose(trace, { curvature });
    expect(d.verdict).toBe(plain.verdict);
    expect(plain.summary.includes(undecided)).toBe(plain.evidence.training?.state === 'plateau');
    expect(d.summary).not.toContain(undecided);
    const withoutUndecided = plain.summary.replace(undecided, '');
    expect(d.summary.startsWith(withoutUndecided)).toBe(true);
    expect(d.summary.slice(withoutUndecided.length)).toMatch(sentence);
    expect(d.evidence.curvature).toEqual(curvature);
  });

  it("measured 'loss' names the loss, not the objective", () => {
    const d = diagnose(trace, { curvature: { measured: 'loss', lambdaMin: -2e-4, lambdaMax: 1.35, confirmed: true, exploitable: false, critical: false } });
    expect(d.summary).toMatch(/not a minimum, the loss \(without the L2 term it trained with\) curves down .* lowers the loss on both sides/);
    expect(d.summary.slice(plain.summary.replace(undecided, '').length)).not.toMatch(/objective/);
  });

  // A public type: a misspelt measured read silently as 'objective', and a NaN eigenvalue printed "λ_min = NaN".
  it.each([
    [{ measured: 'Loss' }, /^diagnose\(trace, options\): curvature\.measured: expected one of objective, loss, got "Loss"; did you mean "loss"\?$/],
    [{ lambdaMin: Number.NaN }, /^diagnose\(trace, options\): curvature\.lambdaMin: expected a finite number, got NaN$/],
    [{ lambdaMax: '1' }, /^diagnose\(trace, options\): curvature\.lambdaMax: expected a finite number, got "1"$/],
    [{ critical: 1 }, /^diagnose\(trace, options\): curvature\.critical: expected true or false, got 1$/],
    [{ lowered: 'yes' }, /^diagnose\(trace, options\): curvature\.lowered: expected true or false, got "yes"$/],
    [{ lambdaMinimum: 1 }, /lambdaMinimum/],
  ])('refuses curvature %o with INVALID_OPTION', (change, message) => {
    const curvature = { lambdaMin: -2e-4, lambdaMax: 1.35, confirmed: true, exploitable: false, critical: false, ...change };
    expect(() => diagnose(trace, { curvature } as never)).toThrow(expect.objectContaining({ code: 'INVALID_OPTION', message: expect.stringMatching(message) }));
  });

  it('without curvature the diagnosis has none', () => {
    expect(plain.evidence.curvature).toBeUndefined();
    // Beside the page the summary names for it.
    // (the API's names of the route to it, measureCurvature and curvatureEvidenceOf, aside)
    expect(plain.summary.replace(CURVATURE_PAGE, '').replace(/measureCurvature|curvatureEvidenceOf/g, '')).not.toMatch(/Curvature/);
  });
});
