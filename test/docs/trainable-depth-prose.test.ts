// docs/trainable-depth.md's prose quotes numbers of the committed run (docs/data/trainable-depth.json)
// beside its rendered tables: the budget, the goal's figures, the per-layer decay, the budget sweep's
// plateau, Adam's seconds, the gradient-noise control. test/docs/trainable-depth-tables.test.ts keeps
// the tables in step with that file; this keeps the sentences: each number is read from the page and
// re-computed from the run, so a new run that moves one fails here until the text is rewritten.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseStudyJson, SEED_RUNS } from '../../scripts/trainable-depth-tables.js';
import { QUICK_STUDY } from '../../src/studies/trainable-depth.js';
import { lineSide } from '../../src/studies/accuracy-line.js';
import { GRADIENT_NOISE, SECOND_ORDER_BATCH, SGD_RECIPE, SIGMOID_SGD, TRAINABLE_DEPTH_REMEDIES } from '../../src/studies/trainable-depth-remedies.js';
import { flat } from '../util/printed-text.js';

const root = new URL('../../', import.meta.url);
const doc = flat(readFileSync(new URL('docs/trainable-depth.md', root), 'utf8'));
const run = parseStudyJson(readFileSync(new URL('docs/data/trainable-depth.json', root), 'utf8'));
const sweep = run.budgetSweep!;
const BATCH = SGD_RECIPE.batchSize!;

/** The numbers of the one place `pattern` matches in the page (it must match exactly once). */
function quoted(pattern: RegExp): string[] {
  const places = [...doc.matchAll(new RegExp(pattern.source, 'g'))];
  expect(places.length, `docs/trainable-depth.md: ${pattern.source}`).toBe(1);
  return places[0].slice(1);
}
const num = (text: string) => Number(text.replace(/,/g, ''));
/** "3.0·10⁻⁸" or "6·10¹²" as a number. */
const SUPERSCRIPT = '⁰¹²³⁴⁵⁶⁷⁸⁹';
function power(text: string): number {
  const [mantissa, exponent] = text.split('·10');
  const digits = [...exponent].map((c) => (c === '⁻' ? '-' : String(SUPERSCRIPT.indexOf(c)))).join('');
  return Number(mantissa) * 10 ** Number(digits);
}
/** `value` as the page rounds it: to the significant digits `text` shows. */
function sameTo(text: string, value: number): void {
  const shown = text.includes('·10') ? power(text) : num(text);
  const digits = text.replace(/·10.*/, '').replace(/[^0-9]/g, '').replace(/^0+/, '').replace(/0+$/, '').length || 1;
  expect(Number(value.toPrecision(digits)), `${text} against ${value}`).toBe(Number(shown.toPrecision(digits)));
}
const row = (remedy: string, depth: number) => run.rows.find((r) => r.remedy === remedy && r.depth === depth)!;
const percent = (fraction: number) => (fraction * 100).toFixed(1);

describe("docs/trainable-depth.md's prose against the committed run", () => {
  it("lists the code's remedies, which the committed run trained with the code's settings", () => {
    const keys = [...doc.matchAll(/\| `([a-z-]+)` \|/g)].map((m) => m[1]);
    expect(keys).toEqual(TRAINABLE_DEPTH_REMEDIES.map((r) => r.key));
    expect(run.remedies.map((r) => [r.key, r.settings])).toEqual(TRAINABLE_DEPTH_REMEDIES.map((r) => [r.key, r.settings]));
    const [momentum, rate, batch] = quoted(/one recipe: SGD, momentum ([\d.]+), learning rate ([\d.]+), batches of (\d+)\./);
    expect(SGD_RECIPE).toEqual({ optimizer: { name: 'sgd', momentum: num(momentum) }, learningRate: num(rate), batchSize: num(batch) });
    expect(quoted(/Nielsen trains his \(plain SGD at ([\d.]+);/)).toEqual([String(SIGMOID_SGD.learningRate)]);
    expect(quoted(/variance ([\d.]+)\/\(1 \+ t\)\^([\d.]+) on every gradient \(η = ([\d.]+),/).map(Number)).toEqual([GRADIENT_NOISE.eta, GRADIENT_NOISE.gamma, GRADIENT_NOISE.eta]);
  });

  it('states the data and the budget the run used', () => {
    const [train, test] = quoted(/([\d,]+) for training and the next ([\d,]+) held out/);
    expect([num(train), num(test)]).toEqual([run.trainRows, run.testRows]);
    const [steps, perEpoch, last, secondOrder] = quoted(/([\d,]+) steps of 32 \((\d+) per epoch, the last batch of each epoch (\d+) digits\), or (\d+) steps of 1,000/);
    const batches = Math.ceil(run.trainRows / BATCH);
    expect(num(perEpoch)).toBe(batches);
    expect(num(last)).toBe(run.trainRows - (batches - 1) * BATCH);
    expect(num(steps)).toBe(batches * run.epochs);
    expect(row('plain-sigmoid', 2).steps).toBe(num(steps));
    expect(num(secondOrder)).toBe(Math.ceil(run.trainRows / SECOND_ORDER_BATCH) * run.epochs);
    expect(row('kfac', 2).steps).toBe(num(secondOrder));
  });

  it("states issue 14's goal as the run judged it", () => {
    const [deepest, deepestAccuracy, next, nextAccuracy] = quoted(/stops earlier, between (\d+) \(([\d.]+) %\) and (\d+) \(([\d.]+) %\) hidden layers/);
    expect(run.goal.plainSigmoidStops.met).toBe(false);
    expect(num(deepest)).toBe(run.goal.plainSigmoidStops.deepest);
    expect(deepestAccuracy).toBe(percent(row('plain-sigmoid', num(deepest)).testAccuracy!));
    expect(nextAccuracy).toBe(percent(row('plain-sigmoid', num(next)).testAccuracy!));
    const [fraction, ratio] = quoted(/already 1\/([\d,]+) of its last's \(([\d.]+)\)/);
    const atNext = row('plain-sigmoid', num(next)).firstToLastAtInit!;
    sameTo(fraction, 1 / atNext);
    sameTo(ratio, atNext);
    const hundred = quoted(/\*\*At least one remedy trains 100 hidden layers to above 90 %: met\*\* \(seed 1\) — orthogonal-tanh \(([\d.]+) %\), batch-norm-sigmoid \(([\d.]+) %\) and ReZero \(([\d.]+) %\)/);
    expect(run.seed).toBe(1);
    expect(run.goal.hundredLayers.met).toBe(true);
    expect(run.goal.hundredLayers.remedies).toEqual(['orthogonal-tanh', 'batch-norm-sigmoid', 'rezero']);
    expect(hundred).toEqual(run.goal.hundredLayers.remedies.map((remedy) => percent(row(remedy, 100).testAccuracy!)));
  });

  it('gives the accuracies the kernel change of 696ca9a left (the values after it)', () => {
    // Read then as the deepest depth at or over 90 %; the rule since (lineSide) calls both of the old runs' accuracies on the line.
    const [lsuv, lsuvAt20] = quoted(/lsuv's went from 20 to (\d+) \(([\d.]+) % at 20\)/);
    expect(Math.max(...run.rows.filter((r) => r.remedy === 'lsuv' && r.testAccuracy! >= 0.9).map((r) => r.depth))).toBe(num(lsuv));
    expect(lsuvAt20).toBe(percent(row('lsuv', 20).testAccuracy!));
    expect(quoted(/batch-norm-sigmoid's from 50 to (\d+) \(([\d.]+) % at 100/)).toEqual([String(run.deepest.find((d) => d.remedy === 'batch-norm-sigmoid')!.depth), percent(row('batch-norm-sigmoid', 100).testAccuracy!)]);
    const [was, before] = quoted(/line, which the rule above now names: ([\d.]+) and ([\d.]+) % are on it/).map(Number);
    expect(was).toBe(Number(lsuvAt20));
    for (const accuracy of [was, before]) expect(lineSide(accuracy / 100, run.testRows, 0.9)).toBe('on the line');
    expect(quoted(/plain tanh at 100 layers went from 10.5 to ([\d.]+) %/)).toEqual([percent(row('plain-tanh', 100).testAccuracy!)]);
    expect(run.goal.hundredLayers.remedies.length).toBe(3);
    expect(doc).toContain('so three remedies, not two, train 100 layers');
  });

  it('gives the accuracies of seeds 2 and 3 (SEED_RUNS) beside seed 1\'s, and where each lies against the line', () => {
    const [two, three] = SEED_RUNS.map((file) => parseStudyJson(readFileSync(new URL(file, root), 'utf8')));
    const at = (run: typeof two, remedy: string, depth: number) => run.rows.find((r) => r.remedy === remedy && r.depth === depth)!.testAccuracy!;
    const seedsOf = (remedy: string, depth: number) => [run, two, three].map((r) => percent(at(r, remedy, depth)));
    const [norm, orthogonal] = [quoted(/At 100 layers batch-norm-sigmoid reads ([\d.]+), ([\d.]+) and ([\d.]+) % on seeds 1, 2 and 3/), quoted(/and orthogonal-tanh ([\d.]+), ([\d.]+) and\s+([\d.]+) %: on seed 2 neither is above the line/)];
    expect(norm).toEqual(seedsOf('batch-norm-sigmoid', 100));
    expect(orthogonal).toEqual(seedsOf('orthogonal-tanh', 100));
    expect(two.goal.hundredLayers).toMatchObject({ met: 'on the line', onTheLine: ['batch-norm-sigmoid', 'orthogonal-tanh'] });
    expect(two.remedies.map((r) => r.key)).not.toContain('rezero');
    const [lsuv, lsuvOne] = quoted(/lsuv is above the\s+line at 20 layers on seeds 2 and 3 \(([\d.]+) % both\) where seed 1 reads ([\d.]+) %/);
    expect([percent(at(two, 'lsuv', 20)), percent(at(three, 'lsuv', 20)), lsuvOne]).toEqual([lsuv, lsuv, percent(row('lsuv', 20).testAccuracy!)]);
    expect([lineSide(at(two, 'lsuv', 20), two.testRows, 0.9), lineSide(row('lsuv', 20).testAccuracy!, run.testRows, 0.9)]).toEqual(['above', 'on the line']);
  });

  it("says where the second-order and noise remedies stop running, as the run's rows do", () => {
    const [hessianFree, kfac, noise] = quoted(/Hessian-free runs up to (\d+) hidden layers and K-FAC up to (\d+) .* gradient noise up to the paper's (\d+) layers/);
    for (const [remedy, depth] of [['hessian-free', hessianFree], ['kfac', kfac], ['gradient-noise', noise]] as const) {
      const ran = run.rows.filter((r) => r.remedy === remedy && r.notRun === undefined).map((r) => r.depth);
      expect(Math.max(...ran), remedy).toBe(num(depth));
      expect(TRAINABLE_DEPTH_REMEDIES.find((r) => r.key === remedy)!.maxDepth?.depth, remedy).toBe(num(depth));
      expect(run.rows.filter((r) => r.remedy === remedy && r.notRun !== undefined).every((r) => r.depth > num(depth))).toBe(true);
    }
  });

  it("quotes Adam's and SGD's seconds on the sigmoid network from the table", () => {
    const [adam50, sgd50, adam100, sgd100] = quoted(/\(the table above: ([\d.]+) against ([\d.]+) s at 50 hidden layers, ([\d.]+) against ([\d.]+) s at 100\)/);
    expect([adam50, sgd50, adam100, sgd100]).toEqual([row('adam', 50), row('plain-sigmoid', 50), row('adam', 100), row('plain-sigmoid', 100)].map((r) => r.seconds!.toFixed(1)));
  });

  it("derives the per-layer decay from the run's ratios at initialisation", () => {
    const decay = quoted(/0\.00047\^\(1\/4\) = ([\d.]+), \(3\.0·10⁻⁸\)\^\(1\/9\) = ([\d.]+), \(8\.0·10⁻¹⁷\)\^\(1\/19\) = ([\d.]+); σ'\(0\) = 1\/4 times √\(n · Var w\) = √\(1\/3\) for U\[±1\/√n\] is ([\d.]*\d)/);
    const atInit = [5, 10, 20].map((depth) => row('plain-sigmoid', depth).firstToLastAtInit!);
    // The page takes the roots of the ratios as the tables print them (two digits).
    const printed = atInit.map((r) => Number(r.toPrecision(2)));
    expect(printed).toEqual([0.00047, 3.0e-8, 8.0e-17]);
    expect(decay).toEqual([...printed.map((r, i) => (r ** (1 / [4, 9, 19][i])).toFixed(3)), (0.25 * Math.sqrt(1 / 3)).toFixed(3)]);
    const [times10, times20] = quoted(/whose first layer starts ([\d,]+) and (6·10¹²) times further behind than at 5/);
    sameTo(times10, atInit[0] / atInit[1]);
    sameTo(times20, atInit[0] / atInit[2]);
  });

  it("describes the 5-layer plateau and the deeper networks' 64× rows as the sweep recorded them", () => {
    const own = (remedy: string, depth: number, budget: number) => sweep.rows.find((r) => r.remedy === remedy && r.depth === depth && r.budget === budget && r.ownLearningRate)!;
    const [twenty, twentyTimes, ninety, ninetyTimes] = quoted(/first passes 20 % held-out accuracy after ([\d,]+) steps \((\d+)× the budget\), 90 % at step ([\d,]+) \((\d+)×\)/);
    const curve = sweep.curves.find((c) => c.remedy === 'plain-sigmoid' && c.depth === 5 && c.learningRate === 0.5)!;
    const budgetSteps = row('plain-sigmoid', 5).steps!;
    const firstAt = (goal: number) => curve.steps[curve.testAccuracy.findIndex((a) => a >= goal)];
    expect(num(twenty)).toBe(firstAt(0.2));
    expect(num(ninety)).toBe(firstAt(0.9));
    expect(num(ninety)).toBe(own('plain-sigmoid', 5, 64).firstStepAtGoal);
    expect([num(twentyTimes), num(ninetyTimes)]).toEqual([num(twenty), num(ninety)].map((s) => Math.floor(s / budgetSteps)));
    const creeping = quoted(/its first ÷ last ratio creeping up \(([\d.]+), ([\d.]+), ([\d.]+)\)/);
    expect(creeping).toEqual([1, 4, 16].map((b) => own('plain-sigmoid', 5, b).firstToLastAtEnd!.toPrecision(2)));
    const [accuracy, loss, ratio] = quoted(/ends at ([\d.]+) % with training loss ([\d.]+) and a ratio of ([\d.]+) at 64×/);
    const end5 = own('plain-sigmoid', 5, 64);
    expect([accuracy, loss, ratio]).toEqual([percent(end5.testAccuracy!), end5.trainLoss!.toFixed(3), end5.firstToLastAtEnd!.toPrecision(2)]);
    const [deepLoss, ratio10, ratio20] = quoted(/training loss (2\.30), ratio (2\.6·10⁻⁷) and (3\.2·10⁻¹⁶) at 64×/);
    for (const depth of [10, 20]) expect(own('plain-sigmoid', depth, 64).trainLoss!.toFixed(2)).toBe(deepLoss);
    sameTo(ratio10, own('plain-sigmoid', 10, 64).firstToLastAtEnd!);
    sameTo(ratio20, own('plain-sigmoid', 20, 64).firstToLastAtEnd!);
    const [steps, epochs] = quoted(/trained once to 64× the budget \(([\d,]+) steps, ([\d,]+) epochs\)/);
    expect([num(steps), num(epochs)]).toEqual([64 * budgetSteps, 64 * sweep.epochs]);
    expect(own('plain-sigmoid', 5, 64).steps).toBe(num(steps));
  });

  it("states the learning-rate grid's and Adam's sweep rows", () => {
    const grid = sweep.rows.filter((r) => r.remedy === 'plain-sigmoid' && r.depth === 5 && r.budget === 1);
    const [a, b, c, accuracy, lifted] = quoted(/([\d.]+), ([\d.]+) and ([\d.]+) all leave 5 layers at ([\d.]+) % \(lr 2 lifts the ratio to ([\d.]+) but not the accuracy\)/);
    expect([a, b, c].map(Number)).toEqual(sweep.learningRateGrid.learningRates);
    for (const r of grid) expect(percent(r.testAccuracy!)).toBe(accuracy);
    expect(grid.find((r) => r.learningRate === 2)!.firstToLastAtEnd!.toPrecision(2)).toBe(lifted);
    const [adamStep, adam1, adam4] = quoted(/reaches 90 % at 5 layers within the 1× budget \(at step ([\d,]+), the last: ([\d.]+) %, on the line; ([\d.]+) % at 4×, above it\)/);
    const adam = (budget: number) => sweep.rows.find((r) => r.remedy === 'adam' && r.depth === 5 && r.budget === budget)!;
    expect(num(adamStep)).toBe(adam(1).firstStepAtGoal);
    expect(num(adamStep)).toBe(adam(1).steps);
    expect([adam1, adam4]).toEqual([percent(adam(1).testAccuracy!), percent(adam(4).testAccuracy!)]);
    expect([lineSide(adam(1).testAccuracy!, run.testRows, 0.9), lineSide(adam(4).testAccuracy!, run.testRows, 0.9)]).toEqual(['on the line', 'above']);
    // The sentence under the per-budget table: which of its '≥ 90 %' readings the line's rule puts on it and above it (auditor55 #3).
    const [onLine, above4, above16, plain64] = quoted(/Adam's ([\d.]+) % at 5 layers and 1× is on the line, not above it, and its ([\d.]+) % and ([\d.]+) % at 4× and 16× are above it, as is plain sigmoid's ([\d.]+) % at 5 layers and 64×/);
    const plain = sweep.rows.find((r) => r.remedy === 'plain-sigmoid' && r.depth === 5 && r.budget === 64)!;
    expect([onLine, above4, above16, plain64]).toEqual([adam(1), adam(4), adam(16), plain].map((r) => percent(r.testAccuracy!)));
    expect([adam(4), adam(16), plain].map((r) => lineSide(r.testAccuracy!, run.testRows, 0.9))).toEqual(['above', 'above', 'above']);
  });

  it('states the gradient-noise result against its control', () => {
    const [noise5, control5, noise10, control10] = quoted(/the noise does not help: ([\d.]+) % against ([\d.]+) % at 5 hidden layers, ([\d.]+) % against ([\d.]+) % at 10, both at chance at 20/);
    expect([noise5, control5, noise10, control10]).toEqual([row('gradient-noise', 5), row('relu-poor-init', 5), row('gradient-noise', 10), row('relu-poor-init', 10)].map((r) => percent(r.testAccuracy!)));
    for (const remedy of ['gradient-noise', 'relu-poor-init']) expect(row(remedy, 20).testAccuracy).toBeLessThan(0.11);
    expect(doc).toContain('**Not reproduced** at η = 0.01');
  });
});

// docs/studies.md's study (c) section quotes the same run in its own sentences (truth37, 2026-12-05).
describe("docs/studies.md's study (c) prose against the committed run", () => {
  const studies = flat(readFileSync(new URL('docs/studies.md', root), 'utf8'));
  const inStudies = (pattern: RegExp) => {
    const places = [...studies.matchAll(new RegExp(pattern.source, 'g'))];
    expect(places.length, `docs/studies.md: ${pattern.source}`).toBe(1);
    return places[0].slice(1);
  };
  const PAPERS = { 'paper-batch-norm': 'Ioffe & Szegedy', 'paper-selu': 'Klambauer et al.', 'paper-rezero': 'Bachlechner et al.' } as const;
  const findings = (id: keyof typeof PAPERS) => run.papers.find((p) => p.title.startsWith(PAPERS[id]))!.findings.join(' ');

  it('gives the ratios and accuracies that explain where remedies stop', () => {
    const [low, high] = inStudies(/Orthogonal tanh keeps the ratio between ([\d.]+) and ([\d.]+) at every depth/);
    const orthogonal = run.depths.map((d) => row('orthogonal-tanh', d).firstToLastAtInit!);
    expect([low, high]).toEqual([Math.min(...orthogonal), Math.max(...orthogonal)].map((r) => r.toPrecision(2)));
    expect(inStudies(/Glorot-initialised tanh falls to ([\d.]+) at 100 layers and reaches ([\d.]+) % there/)).toEqual([row('plain-tanh', 100).firstToLastAtInit!.toPrecision(2), percent(row('plain-tanh', 100).testAccuracy!)]);
    expect(inStudies(/batch norm before each sigmoid starts at ([\d.]+) at 100 layers: the three train 100 layers \(([\d.]+), ([\d.]+) and ([\d.]+) %\)/)).toEqual([
      row('batch-norm-sigmoid', 100).firstToLastAtInit!.toPrecision(2),
      ...['orthogonal-tanh', 'rezero', 'batch-norm-sigmoid'].map((remedy) => percent(row(remedy, 100).testAccuracy!)),
    ]);
    const [residualRatio, residualLoss] = inStudies(/whose sum grows with depth \((3\.8·10³) at 50 layers, the training loss ([\d,]+) at\s+initialisation; at the 4th step/);
    sameTo(residualRatio, row('residual', 50).firstToLastAtInit!);
    // The row stopped at step 4 and was put back to its initial weights: its training loss is theirs.
    expect(row('residual', 50).steps).toBe(0);
    expect(residualLoss).toBe(Math.round(row('residual', 50).trainLoss!).toLocaleString('en'));
    expect(row('residual', 50).stopped).toMatch(/^epoch 1, batch 4 \(step 4\)/);
    const [bnRatio, bnAccuracy] = inStudies(/batch norm with relu \((1\.4·10³) at 50, ([\d.]+) %\)/);
    sameTo(bnRatio, row('batch-norm-relu', 50).firstToLastAtInit!);
    expect(bnAccuracy).toBe(percent(row('batch-norm-relu', 50).testAccuracy!));
    expect(inStudies(/Hessian-free lifts the 10-layer ratio to ([\d.]+) but ends at ([\d.]+) %/)).toEqual([row('hessian-free', 10).firstToLastAtEnd!.toPrecision(2), percent(row('hessian-free', 10).testAccuracy!)]);
    expect(inStudies(/\((\d+\.\d) % against (\d+\.\d) % without it at 5 layers, (\d+\.\d) % against (\d+\.\d) % at 10\)/)).toEqual([row('gradient-noise', 5), row('relu-poor-init', 5), row('gradient-noise', 10), row('relu-poor-init', 10)].map((r) => percent(r.testAccuracy!)));
  });

  it("describes --quick's preset as QUICK_STUDY holds it", () => {
    const [remedies, depths, epochs] = inStudies(/`--quick` \((\d+) remedies at ([\d, and]+?) layers, (\d+) epochs, no papers, no sweep;/);
    expect(Number(remedies)).toBe(QUICK_STUDY.remedies.length);
    expect(depths.split(/, | and /).map(Number)).toEqual([...QUICK_STUDY.depths]);
    expect(Number(epochs)).toBe(QUICK_STUDY.epochs);
  });

  it("gives the 5-layer plateau's steps as the budget sweep recorded them", () => {
    const curve = sweep.curves.find((c) => c.remedy === 'plain-sigmoid' && c.depth === 5 && c.learningRate === 0.5)!;
    const firstAt = (goal: number) => curve.steps[curve.testAccuracy.findIndex((a) => a >= goal)];
    const [twenty, ninety, times, end] = inStudies(/\(20 % after ([\d,]+) steps, 90 % at step ([\d,]+), (\d+)× the budget\) and ends at ([\d.]+) %/);
    expect([num(twenty), num(ninety), num(times)]).toEqual([firstAt(0.2), firstAt(0.9), Math.floor(firstAt(0.9) / row('plain-sigmoid', 5).steps!)]);
    expect(end).toBe(percent(sweep.rows.find((r) => r.remedy === 'plain-sigmoid' && r.depth === 5 && r.budget === 64 && r.ownLearningRate)!.testAccuracy!));
  });

  it("quotes the papers' experiments as the run's findings state them", () => {
    const batchNorm = inStudies(/with batch norm ([\d.]+) % after ([\d,]+) steps against ([\d.]+) % without, ([\d.]+) % against ([\d.]+) % at the end: higher both times, but by ([\d.]+) and ([\d.]+) points, within two standard errors of the difference \(([\d.]+) and ([\d.]+) points/);
    const [withEarly, step, withoutEarly, withEnd, withoutEnd, gapEarly, gapEnd, seEarly, seEnd] = batchNorm;
    expect(findings('paper-batch-norm')).toContain(`with batch norm ${withEarly} % at step ${step} and ${withEnd} % at step`);
    expect(findings('paper-batch-norm')).toContain(`without ${withoutEarly} % at step ${step} and ${withoutEnd} % at step`);
    expect(findings('paper-batch-norm')).toContain(`differences ${gapEarly} and ${gapEnd} points, against 2 standard errors of ${seEarly} and ${seEnd} points`);
    const bands = inStudies(/\(([\d.]+), ([\d.]+) and ([\d.]+) wide against ([\d.]+), ([\d.]+) and ([\d.]+) without: ([\d.]+×), ([\d.]+×), ([\d.]+×)\)/);
    expect(findings('paper-batch-norm')).toContain(`bands ${bands[3]}, ${bands[4]}, ${bands[5]} wide without batch norm and ${bands[0]}, ${bands[1]}, ${bands[2]} with it; ${bands[6]}, ${bands[7]}, ${bands[8]} as wide`);
    const [s8, s16, s32, b8, b16, b32] = inStudies(/SNNs end at training loss ([\d.]+), ([\d.]+), ([\d.]+) against ([\d.]+), ([\d.]+), ([\d.]+) for relu \+ batch norm/);
    for (const [layers, snn, bn] of [[8, s8, b8], [16, s16, b16], [32, s32, b32]]) expect(findings('paper-selu')).toContain(`${layers} layers: training loss after 15 epochs ${snn} (SNN) against ${bn} (ReLU + batch norm)`);
    const rises = inStudies(/relu \+ batch norm's training loss rose from one epoch to the next (\d+), (\d+) and (\d+) times in 15/).map(Number);
    const said = [...findings('paper-selu').matchAll(/0 times in 15 for the SNN and (\w+) (?:times )?for ReLU \+ batch norm/g)].map((m) => (m[1] === 'once' ? 1 : Number(m[1])));
    expect(said).toEqual(rises);
    const [rezero, residual] = inStudies(/\(the authors' notebook, on the digits\): ([\d.]+) against ([\d.]+) after 10 epochs of Adagrad/);
    expect(findings('paper-rezero')).toContain(`${rezero} (ReZero) against ${residual} (residual); epochs to reach ${residual}: 1 and`);
  });
});

describe("He et al.'s Figure 2 as the docs quote it: the stored runs' verdicts", () => {
  const studies = flat(readFileSync(new URL('docs/studies.md', root), 'utf8'));
  /** The means, their gap and the two standard errors a run's 22-layer verdict prints, and its words. */
  const ends = (file: string) => {
    const he = (parseStudyJson(readFileSync(new URL(`docs/data/${file}`, root), 'utf8')) as unknown as { papers: { id: string; findings: string[] }[] }).papers.find((p) => p.id === 'paper-he-init')!;
    const [xavier, heMean, gap, words, points] = /their mean errors ([\d.]+) % \(Xavier, [^)]*\) and ([\d.]+) % \(He, [^)]*\) are ([\d.]+) points apart, (more than|within) 2 standard errors of their difference \(([\d.]+) points/.exec(he.findings[0])!.slice(1);
    return { xavier, he: heMean, gap, points, apart: words === 'more than' };
  };
  const once = (text: string, pattern: RegExp, where: string) => {
    const places = [...text.matchAll(new RegExp(pattern.source, 'g'))];
    expect(places.length, `${where}: ${pattern.source}`).toBe(1);
    return places[0].slice(1);
  };

  it('gives the 10-epoch entry and the 20-, 40- and 80-epoch runs as their findings state them', () => {
    const ten = ends('trainable-depth.json');
    const [x10, h10, gap10, se10] = once(doc, /the means of epochs 6–10 are ([\d.]+) % \(Xavier\) against ([\d.]+) % \(He\), ([\d.]+) points apart against two standard errors of ([\d.]+)\./, 'docs/trainable-depth.md');
    expect([x10, h10, gap10, se10, ten.apart]).toEqual([ten.xavier, ten.he, ten.gap, ten.points, true]);
    expect(once(studies, /the means of their last five epochs were ([\d.]+) % against ([\d.]+) %, beyond two standard errors of their difference \(([\d.]+) points/, 'docs/studies.md')).toEqual([ten.xavier, ten.he, ten.points]);
    const [twenty, forty, eighty] = [20, 40, 80].map((epochs) => ends(`paper-he-init-${epochs}-epochs.json`));
    expect(once(doc, /were ([\d.]+) % \(Xavier\) against ([\d.]+) % \(He\) after 20 epochs \(two standard errors ([\d.]+) points\)/, 'docs/trainable-depth.md')).toEqual([twenty.xavier, twenty.he, twenty.points]);
    expect(once(doc, /and ([\d.]+) % against ([\d.]+) % after 40 \(([\d.]+) points\), apart;/, 'docs/trainable-depth.md')).toEqual([forty.xavier, forty.he, forty.points]);
    expect([twenty.apart, forty.apart]).toEqual([true, true]);
    // 80 epochs: on the rule's line, apart by 0.005 points (the verdict's words; test/studies/paper-experiments works them out).
    const [x80, h80, gap80, se80] = once(doc, /after 80, ([\d.]+) % against ([\d.]+) % \(epochs 76–80\), on the rule's line: ([\d.]+) points apart against two standard errors of ([\d.]+) /, 'docs/trainable-depth.md');
    // As its verdict prints them, with the decimals that show the gap above the margin (at one, 2.2 against 2.2).
    expect([x80, h80, gap80, se80, eighty.apart]).toEqual([eighty.xavier, eighty.he, eighty.gap, eighty.points, true]);
    expect(Number(gap80)).toBeGreaterThan(Number(se80));
    // Its three decimals from the stored curves: the means of epochs 76–80 and the standard error as runEnd takes it.
    const curves = (parseStudyJson(readFileSync(new URL('docs/data/paper-he-init-80-epochs.json', root), 'utf8')) as unknown as { papers: { charts: { series: { ys: number[] }[] }[] }[] }).papers[0].charts[0].series;
    const end = (ys: number[]) => {
      const last = ys.slice(-5);
      const mean = last.reduce((a, b) => a + b, 0) / 5;
      return { mean, variance: (mean * (1 - mean)) / 1000 + last.reduce((a, e) => a + (e - mean) ** 2, 0) / 4 / 5 };
    };
    const [x, h] = [end(curves[0].ys), end(curves[1].ys)];
    expect([gap80, se80]).toEqual([(100 * (x.mean - h.mean)).toFixed(3), (200 * Math.sqrt(x.variance + h.variance)).toFixed(3)]);
    expect(once(studies, /the means were ([\d.]+) % against ([\d.]+) %, ([\d.]+) points apart against two standard errors of\s+([\d.]+): \*\*partly\*\* again/, 'docs/studies.md')).toEqual([x80, h80, gap80, se80]);
  });
});

// README's study (c) section quotes the plain residual stack's rows of the same run (auditor54 #7a).
describe("README's residual rows against the committed run", () => {
  const readme = flat(readFileSync(new URL('README.md', root), 'utf8'));

  it('gives the training loss at initialisation and the step whose activation overflowed, at 50 and 100 layers', () => {
    const pattern = /at 50 and 100 layers the training loss at initialisation is already ([\d,]+) and ([\d.]+·10[⁰¹²³⁴⁵⁶⁷⁸⁹]+) \(a guess gives ln 10 ≈ 2\.3\) and an activation overflows float32 at the (\d+)(?:st|nd|rd|th) and the (\d+)(?:st|nd|rd|th) step/g;
    const places = [...readme.matchAll(pattern)];
    expect(places.length, `README.md: ${pattern.source}`).toBe(1);
    const [loss50, loss100, step50, step100] = places[0].slice(1);
    // Each row stopped at the overflow and was put back to its initial weights: its training loss is theirs.
    for (const depth of [50, 100]) expect(row('residual', depth).steps).toBe(0);
    expect(loss50).toBe(Math.round(row('residual', 50).trainLoss!).toLocaleString('en'));
    sameTo(loss100, row('residual', 100).trainLoss!);
    expect(row('residual', 50).stopped).toMatch(new RegExp(`^epoch 1, batch ${step50} \\(step ${step50}\\): row \\d+ overflows float32`));
    expect(row('residual', 100).stopped).toMatch(new RegExp(`^epoch 1, batch ${step100} \\(step ${step100}\\): row \\d+ overflows float32`));
  });
});
