// docs/curvature.md's plateau table is what `gradscope study plateau` prints (plateauTableColumns, the
// terminal's and the HTML report's one source), cell for cell: the study runs here with the command's
// defaults (Nielsen's 500 epochs on 1,000 digits, 5 points, seed 1; ~16 s of CPU time). The table was
// written by hand, rounded for reading, and nothing checked it against a run; its prose's numbers
// (second differences, the objective's fall, the cross-entropy's) are checked against the same run.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createNetwork } from '../../src/api/network.js';
import { negativeMassText } from '../../src/curvature/curvature-text.js';
import { MASS_PROBES } from '../../src/curvature/negative-mass.js';
import { loadMnist } from '../../src/data/mnist.js';
import { DEPTH_NETWORK_OPTIONS, NIELSEN_TRAINING } from '../../src/studies/depth.js';
import { measurePoint, PLATEAU_DEFAULTS, PLATEAU_SIZES, runPlateauStudy } from '../../src/studies/plateau.js';
import { DEPTH_ROWS, STUDY_SEED } from '../../src/studies/study-defaults.js';
import { plateauTableColumns } from '../../src/studies/plateau-table.js';
import { plateauConclusion } from '../../src/studies/plateau-conclusion.js';
import { tableStarting } from '../util/markdown-tables.js';
import { quotedOn } from '../util/page-numbers.js';
import { gradientDrop } from '../util/gradient-drop.js';
import { bestDescent, DESCENT_STEPS, dropRatio, OUTWEIGHS, strongBand } from '../../src/curvature/critical-point.js';

const DOC = { file: 'docs/curvature.md', text: readFileSync(new URL('../../docs/curvature.md', import.meta.url), 'utf8') };

/** The captures of the one place `pattern` matches in the page's prose (a second place fails the test). */
const said = (pattern: RegExp) => quotedOn(DOC.file, pattern);

/** A number as the page writes it: the minus sign U+2212. */
const minus = (text: string) => Number(text.replace('−', '-'));

describe("docs/curvature.md's plateau table", () => {
  // One run for the table and the prose beside it (~16 s of CPU time).
  let run: ReturnType<typeof runPlateauStudy> | undefined;
  const study = () => (run ??= runPlateauStudy());

  it('is what the study prints for its default run, every cell and the header', { timeout: 900_000 }, async () => {
    const printed = plateauTableColumns(await study());
    const doc = tableStarting(DOC, '| epoch | loss | ‖∇f‖ | ‖∇C‖ |');
    expect(doc.header).toEqual(printed.header);
    expect(doc.rows).toEqual(printed.rows);
  });

  it("and so is the prose's reading of it: second differences, the objective's and the loss's fall, the gradient's reach", { timeout: 900_000 }, async () => {
    const { points } = await study();
    const atTenth = (point: (typeof points)[number]) => point.probes.find((probe) => probe.step === 0.1)!.curvature;
    // "at t = 0.1 it gave −1.99e-4, −1.91e-4, −1.86e-4, −1.80e-4 on the plateau, … (and −1.15 at epoch 0; …)"
    const [plateau, start] = said(/at t = 0\.1 it gave ((?:−[\d.]+e-\d+,? )+)on the plateau, beside Lanczos' λ_min above \(and (−[\d.]+) at epoch 0[;)]/);
    expect(plateau.trim().split(/,? /).map(minus)).toEqual(points.slice(1).map((p) => Number(atTenth(p).toPrecision(3))));
    expect(minus(start)).toBe(Number(atTenth(points[0]).toPrecision(3)));
    // "(to first order it would be 14.7)": ‖∇f‖ at epoch 0 times 3.
    expect(Number(said(/over the same length \(to first order it would be ([\d.]+)\)/)[0])).toBe(Number((points[0].gradientNorm * 3).toFixed(1)));
    // "the objective falls by 0.090 (3.5346 → 3.4450 …) … the cross-entropy does not fall: 3.237365 → 3.237386"
    const [fall, from, to] = said(/the objective falls by ([\d.]+) \(([\d.]+) → ([\d.]+), `--json`'s `objective`\)/);
    const [first, last] = [points[1], points.at(-1)!];
    expect([from, to]).toEqual([first.objective.toFixed(4), last.objective.toFixed(4)]);
    expect(fall).toBe((first.objective - last.objective).toFixed(3));
    expect(said(/the cross-entropy does not fall: ([\d.]+) → ([\d.]+)\./)).toEqual([first.loss.toFixed(6), last.loss.toFixed(6)]);
  });

  it('and so is the line the study prints under its summary, drawn from these points', { timeout: 900_000 }, async () => {
    const [quoted] = said(/\*"(So, at epochs [^"]+)"\*/);
    expect(plateauConclusion(await study())).toBe(quoted);
  });

  it("and so are the bullets' steps: t = 3's drops at initialisation, the gradient against the plateau's, no step lowering both sides there", { timeout: 900_000 }, async () => {
    const { points } = await study();
    const [start, plateau] = [points[0], points.slice(1)];
    const atStep = (point: (typeof points)[number], step: number) => point.probes.find((probe) => probe.step === step)!;
    // "stepping 3 along ±v lowers the objective by 2.6 either way"
    const [drop] = said(/stepping 3 along ±v lowers the objective by ([\d.]+) either way/);
    const decimals = drop.split('.')[1].length;
    const t3 = atStep(start, 3);
    expect([t3.plus, t3.minus].map((change) => (-change).toFixed(decimals))).toEqual([drop, drop]);
    // "‖∇f‖ = 4.90 (92–110× the plateau's), … more than five times what the curvature does"
    const [norm, fewest, most] = said(/the point is not critical, ‖∇f‖ = ([\d.]+) \((\d+)–(\d+)× the plateau's\)/);
    expect(norm).toBe(start.gradientNorm.toFixed(2));
    const times = plateau.map((point) => start.gradientNorm / point.gradientNorm);
    expect([fewest, most]).toEqual([Math.min(...times), Math.max(...times)].map((r) => String(Number(r.toPrecision(2)))));
    // "a step of 3 down the gradient lowers the objective by 5.07, 1.95× what the curvature does": the rule's weighing at t = 3
    const [gradientDropped, gradientTimes] = said(/a step of 3 down the gradient lowers the objective by ([\d.]+),\s+([\d.]+)× what the curvature does/);
    const meanDrop = -(t3.plus + t3.minus) / 2;
    expect(gradientDropped).toBe(gradientDrop(start.descent, 3).toFixed(2));
    expect(gradientTimes).toBe((gradientDrop(start.descent, 3) / meanDrop).toFixed(2));
    // "…, the most of the steps tried (3 the longest: where its descent ends they do not tell)": what was scanned, not 'runs on past it'.
    said(/\(to first order it would be [\d.]+\), the most of\s+the steps tried \(3 the longest: where its descent ends they do not tell\)/);
    expect([bestDescent(start.descent)!.step, Math.max(...DESCENT_STEPS)]).toEqual([3, 3]);
    expect(start.verdict).toBe('strong negative curvature');
    // "±v's mean drop 0.512× what the slope gives, 2.4 % above the ½ at which the gradient would outweigh it": the ratio the band rests on, and its margin
    const [ratio, margin] = said(/±v's mean drop ([\d.]+)× what the slope gives, ([\d.]+) % above the ½ at which the gradient would outweigh it/);
    const measured = dropRatio(start.gradientNorm, start.descent, start.probes);
    expect(ratio).toBe(measured.toPrecision(3));
    expect(margin).toBe((100 * (measured * OUTWEIGHS - 1)).toFixed(1));
    expect(strongBand(start.gradientNorm, start.descent, start.probes)).toBe('comparable');
    // "no step tried (0.1 to 3) lowers the objective on both sides (at t = 3 both sides rise)"
    const [low, high] = said(/no step tried \(([\d.]+) to ([\d.]+)\) lowers the objective on both sides \(at t = 3 both sides rise\)/);
    for (const point of plateau) {
      expect(point.probes.map((probe) => probe.step)).toEqual(expect.arrayContaining([Number(low), Number(high)]));
      expect(Math.min(...point.probes.map((probe) => probe.step))).toBe(Number(low));
      expect(Math.max(...point.probes.map((probe) => probe.step))).toBe(Number(high));
      expect(point.probes.filter((probe) => probe.plus < 0 && probe.minus < 0), `epoch ${point.epoch}`).toEqual([]);
      expect(atStep(point, 3).plus, `epoch ${point.epoch}`).toBeGreaterThan(0);
      expect(atStep(point, 3).minus, `epoch ${point.epoch}`).toBeGreaterThan(0);
    }
  });

  it("and so is what the page says of its neg. mass: the four start vectors' estimates, and the one-probe figure it printed before (review47 #2)", { timeout: 900_000 }, async () => {
    const { points } = await study();
    const [start, plateau] = [points[0], points.slice(1)];
    const percent = (share: number, decimals: number) => (100 * share).toFixed(decimals);
    const spread = (values: number[], decimals: number) => [Math.min(...values), Math.max(...values)].map((v) => percent(v, decimals));
    // "at initialisation 13.2 %, the four vectors 10.7–15.5 % (the one-probe quadrature's 12.2 % among them), on the plateau
    // 0.0018–0.0020 %, the vectors 0.0010–0.0027 %"
    const [pooled, low, high, oneProbe, plateauLow, plateauHigh, vectorsLow, vectorsHigh] = said(
      /at initialisation ([\d.]+) %, the four vectors ([\d.]+)–([\d.]+) % \(the one-probe\s+quadrature's ([\d.]+) % among them\), on the plateau ([\d.]+)–([\d.]+) %, the vectors ([\d.]+)–([\d.]+) %/,
    );
    expect(points.every((point) => !point.negativeMassExact && point.negativeMassProbes.length === MASS_PROBES)).toBe(true);
    expect(pooled).toBe(percent(start.negativeMass, 1));
    expect([low, high]).toEqual(spread(start.negativeMassProbes, 1));
    expect([plateauLow, plateauHigh]).toEqual(spread(plateau.map((point) => point.negativeMass), 4));
    expect([vectorsLow, vectorsHigh]).toEqual(spread(plateau.flatMap((point) => point.negativeMassProbes), 4));
    // The run's own quadrature at the study's first point, as the study measured it before: the same network and rows, no start vectors.
    const digits = await loadMnist({ take: { train: DEPTH_ROWS } });
    const net = await createNetwork({ sizes: PLATEAU_SIZES, seed: STUDY_SEED, ...DEPTH_NETWORK_OPTIONS });
    try {
      const before = measurePoint(net, net.dataset(digits.train.x, digits.train.y), { epoch: 0, lambda: NIELSEN_TRAINING.lambda, k: PLATEAU_DEFAULTS.k, maxSteps: 200, seed: STUDY_SEED, massProbes: 0 });
      expect([before.negativeMassExact, before.negativeMassProbes]).toEqual([false, []]);
      expect(oneProbe).toBe(percent(before.negativeMass, 1));
      expect(before.smallest).toEqual(start.smallest); // the start vectors are drawn after the run: its eigenvalues are the same
      expect(Number(oneProbe)).toBeGreaterThanOrEqual(Number(low));
      expect(Number(oneProbe)).toBeLessThanOrEqual(Number(high));
    } finally {
      net.dispose();
    }
    // The bullets: "≈13 % of the spectral mass negative, 10–16 % over its four start vectors"; the plateau's "≈0.002 % of the spectral mass negative"
    const [bulletPooled, bulletLow, bulletHigh] = said(/≈(\d+) % of the spectral mass negative, (\d+)–(\d+) % over its four start vectors/);
    expect(`≈${bulletPooled} % (${bulletLow}–${bulletHigh} %)`).toBe(negativeMassText(start.negativeMass, false, start.negativeMassProbes));
    const [plateauBullet] = said(/\|λ_min\|\/λ_max ≈ 1\.5e-4 with ≈([\d.]+) % of the spectral mass negative/);
    for (const point of plateau) expect(percent(point.negativeMass, 3), `epoch ${point.epoch}`).toBe(plateauBullet);
  });

  it("and so is docs/studies.md's summary of it: the start's curvature, step and gradient; the plateau's epochs, loss, curvature, gradients and GSNR", { timeout: 900_000 }, async () => {
    const { points } = await study();
    const [start, plateau] = [points[0], points.slice(1)];
    const page = (pattern: RegExp) => quotedOn('docs/studies.md', pattern);
    const t3 = start.probes.find((probe) => probe.step === 3)!;
    // "λ_min = −1.15 against λ_max = 2.84; a step of 3 along λ_min's eigenvector lowers it by 2.6 both ways … ‖∇f‖ = 4.90"
    const [min, max, step, drop, norm] = page(/\(λ_min = (−[\d.]+) against λ_max = ([\d.]+); a step of (\d+) along λ_min's eigenvector lowers it by ([\d.]+) both ways\), but the point is not critical, so not a saddle: ‖∇f‖ = ([\d.]+)/);
    expect([minus(min), Number(max)]).toEqual([start.smallest[0], start.largest[0]].map((v) => Number(v.toPrecision(3))));
    expect(Number(step)).toBe(t3.step);
    expect([t3.plus, t3.minus].map((change) => (-change).toFixed(1))).toEqual([drop, drop]);
    expect(norm).toBe(start.gradientNorm.toFixed(2));
    // "a step of 3 down the gradient lowers the objective nearly twice as much, the most of the steps tried (3 the longest: where its descent ends they do not tell)":
    // the scan's words, not 'runs on past it' (saddle47: a dense scan put the descent's end at s = 2.44, which the steps tried cannot see).
    page(/a step of 3 down the gradient lowers the objective nearly twice as much, the most of the steps tried \(3 the longest: where its descent ends they do not tell\): negative curvature beside a slope, both paying comparably\./);
    expect(Math.max(...DESCENT_STEPS)).toBe(3);
    const twice = gradientDrop(start.descent, 3) / (-(t3.plus + t3.minus) / 2);
    expect(twice).toBeGreaterThan(1.8);
    expect(twice).toBeLessThan(OUTWEIGHS);
    expect(bestDescent(start.descent)!.step).toBe(3);
    expect(strongBand(start.gradientNorm, start.descent, start.probes)).toBe('comparable');
    // "On the plateau (epochs 125–500, loss 3.2374) … (λ_min ≈ −2e-4 against λ_max = 1.35)"
    const [first, last, loss, plateauMin, plateauMax] = page(/On the plateau \(epochs (\d+)–(\d+), loss ([\d.]+)\) it is not a minimum either\. .* \(λ_min ≈ (−[\d.]+e-\d+) against λ_max = ([\d.]+)\)/);
    expect([Number(first), Number(last)]).toEqual([plateau[0].epoch, plateau.at(-1)!.epoch]);
    for (const point of plateau) {
      expect(point.loss.toFixed(4), `epoch ${point.epoch}`).toBe(loss);
      expect(Number(point.smallest[0].toPrecision(1)), `epoch ${point.epoch}`).toBe(minus(plateauMin));
      expect(point.largest[0].toPrecision(3), `epoch ${point.epoch}`).toBe(plateauMax);
    }
    // "That gradient (‖∇f‖ 0.0444–0.0535) … the cross-entropy's own gradient ‖∇C‖ is 0.0102–0.0105"
    const [fLow, fHigh, cLow, cHigh] = page(/That gradient \(‖∇f‖ ([\d.]+)–([\d.]+)\) is mostly the L2 term's pull \(λ\/n\)·w: the cross-entropy's own gradient ‖∇C‖ is ([\d.]+)–([\d.]+)\./);
    const spread = (values: number[]) => [Math.min(...values), Math.max(...values)].map((v) => v.toPrecision(3));
    expect([fLow, fHigh]).toEqual(spread(plateau.map((point) => point.gradientNorm)));
    expect([cLow, cHigh]).toEqual(spread(plateau.map((point) => point.lossGradientNorm)));
    // "Each layer's gradient signal-to-noise ratio falls to 0.016 and below": the plateau's largest GSNR of any layer, from at least 10× that at the start.
    const [gsnr] = page(/Each layer's gradient signal-to-noise ratio falls to ([\d.]+) and below/);
    const largest = Math.max(...plateau.flatMap((point) => point.gradientSNR));
    expect(largest.toPrecision(2)).toBe(gsnr);
    expect(Math.min(...start.gradientSNR)).toBeGreaterThan(10 * largest);
  });
});
