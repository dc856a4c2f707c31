// `gradscope curvature` prints what measureCurvature measures, as JSON or as a table; bad input gets
// one line and exit 1.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createNetwork, Network } from '../../src/api/network.js';
import { measureCurvature } from '../../src/curvature/curvature.js';
import { curvatureTable } from '../../src/cli/commands/curvature.js';
import type { CurvatureReport } from '../../src/curvature/curvature.js';
import { descentText, pointReadingText, pointRule, STRONG_BAND_WORDS } from '../../src/curvature/point-text.js';
import { bestDescent, curvatureDrop, OUTWEIGHS, SADDLE_STEPS, slopeDrop } from '../../src/curvature/critical-point.js';
import { gradientDrop } from '../util/gradient-drop.js';
import { gaussNewtonLowerEnd } from '../../src/curvature/curvature-text.js';
import { PROGRESS_LINES } from '../../src/cli/progress.js';
import { LANCZOS_MAX_STEPS } from '../../src/curvature/lanczos.js';
import { MATRIX_TRACE_DEFAULTS } from '../../src/curvature/matrix-trace.js';
import { MASS_PROBE_STEPS, MASS_PROBES } from '../../src/curvature/negative-mass.js';
import { CURVATURE_COST_RUN, CURVATURE_DIGITS_RUN } from '../../scripts/curvature-cost-runs.js';
import { runCli, runCliInProcess } from '../util/cli.js';
import { flat } from '../util/printed-text.js';
import { proseHtml } from '../../src/flow/report-html.js';

import { measuredRowsCases } from './measured-rows-cases.js';
import { loadMnist } from '../../src/data/mnist.js';
import { STUDY_DIGITS } from '../../src/studies/study-defaults.js';

const folder = mkdtempSync(join(tmpdir(), 'gradscope-curvature-'));
const file = (name: string, content: unknown) => {
  const path = join(folder, name);
  writeFileSync(path, JSON.stringify(content));
  return path;
};

describe('gradscope curvature', async () => {
  const net = await createNetwork({ sizes: [3, 4, 2], activation: 'tanh', loss: 'cross-entropy', seed: 5 });
  const model = net.toJSON();
  const data = { inputs: [[0.1, -0.2, 0.3], [1, 0.5, -1], [0, 2, 1]], targets: [[1, 0], [0, 1], [0, 1]] };
  const modelPath = file('model.json', model);
  const dataPath = file('data.json', data);

  it.each(['wasm', 'ref'] as const)('--json prints measureCurvature of the model (--backend %s)', async (backend) => {
    const { code, stdout, stderr } = runCli(['curvature', '--model', modelPath, '--data', dataPath, '--k', '3', '--backend', backend, '--json']);
    expect(code, stderr).toBe(0);
    const printed = JSON.parse(stdout);
    const expected = measureCurvature(await Network.fromJSON(model, { backend }), data.inputs, data.targets, { k: 3 });
    expect(printed).toEqual(JSON.parse(JSON.stringify(expected)));
    expect(Object.keys(printed)).toEqual(expect.arrayContaining(['loss', 'parameters', 'hessian', 'gaussNewton', 'layers']));
    expect(printed.hessian.largest).toHaveLength(3);
    expect(printed.layers).toHaveLength(2);
  });

  // A probe's loss beyond float32 (lossAlong's Infinity: no loss can be taken there) is "Infinity" in --json, as every
  // --json writes ±∞, not null, which reads as not measured; the terminal printed "Infinity / Infinity" unexplained.
  it.each(['wasm', 'ref'] as const)('a step along ±v where the loss overflows float32: "Infinity" in --json, never null, and the terminal says why (--backend %s)', async (backend) => {
    // A linear 1-1-1 net, every weight 1, on one row of 1e19 under MSE: ½(1e19)² = 5e37 fits float32; at t = 3 along ±v the
    // loss is about 6e38, beyond it.
    const linear = await createNetwork({ sizes: [1, 1, 1], activation: 'linear', output: 'linear', loss: 'mse', seed: 1, backend: 'ref' });
    const state = linear.toJSON();
    linear.dispose();
    for (const layer of state.layers) Object.assign(layer, { weights: [[1]], biases: [0] });
    const overflowModel = file('overflow-model.json', state);
    const overflowRows = file('overflow-rows.json', { inputs: [[1e19]], targets: [[0]] });
    const args = ['curvature', '--model', overflowModel, '--data', overflowRows, '--k', '1', '--no-layers', '--backend', backend];
    const json = runCli([...args, '--json']);
    expect(json.code, json.stderr).toBe(0);
    const { probes, downhill } = JSON.parse(json.stdout);
    expect(probes.map((p: Record<string, unknown>) => p.step)).toEqual([...SADDLE_STEPS]);
    expect(probes.at(-1)).toEqual({ step: 3, plus: 'Infinity', minus: 'Infinity', curvature: 'Infinity' });
    for (const probe of probes.slice(0, -1)) for (const side of [probe.plus, probe.minus, probe.curvature]) expect(Number.isFinite(side), JSON.stringify(probe)).toBe(true);
    expect(Number.isFinite(downhill.change)).toBe(true);
    const text = runCli(args);
    expect(text.code, text.stderr).toBe(0);
    expect(flat(text.stdout)).toContain("; t=3: Infinity / Infinity (Infinity: the loss there is beyond float32's range, so the network cannot take it). Down the gradient, ");
  });

  it('prints a table without --json', () => {
    const { code, stdout } = runCli(['curvature', '--model', modelPath, '--data', dataPath, '--backend', 'ref']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^loss .* over 3 rows; 26 parameters; traces exact/);
    expect(stdout).toMatch(/Hessian/);
    expect(stdout).toMatch(/output \(10\) G/);
    // 26 parameters ≤ Lanczos' 300 steps: every eigenvalue found, the negative mass exact
    expect(stdout).toMatch(/ \d+\.\d % *$/m);
    expect(stdout).not.toMatch(/≈/);
  });

  it('marks an estimated negative mass with ≈ and its start vectors\' lowest and highest, and says how it is estimated, beyond Lanczos\' step limit (exact within it)', async () => {
    // [12, 24, 2]: 362 parameters and the first layer's 312, beyond the 300 steps; the output layer's 50 within them.
    const wide = await createNetwork({ sizes: [12, 24, 2], activation: 'tanh', loss: 'cross-entropy', seed: 5 });
    const rows = Array.from({ length: 4 }, (_, r) => Array.from({ length: 12 }, (_, c) => Math.sin(r + 3 * c)));
    const widePath = file('wide.json', wide.toJSON());
    const wideData = file('wide-data.json', { inputs: rows, targets: rows.map((_, r) => (r % 2 ? [0, 1] : [1, 0])) });
    wide.dispose();
    const { code, stdout } = await runCliInProcess(['curvature', '--model', widePath, '--data', wideData, '--backend', 'ref', '--k', '1']);
    expect(code).toBe(0);
    // newuser45 #7: one start vector's figure, printed to 3 figures, was up to 26 points off
    const estimate = String.raw`≈\d+(\.\d)? % \(\d+(\.\d)?–\d+(\.\d)? %\)`;
    expect(stdout).toMatch(new RegExp(String.raw`^Hessian .* ${estimate} *$`, 'm'));
    expect(stdout).toMatch(new RegExp(String.raw`^hidden 1 \(312\) H .* ${estimate} *$`, 'm'));
    expect(stdout).toMatch(/^output \(50\) H .* \d+\.\d % *$/m);
    expect(stdout).not.toMatch(/^output \(50\) H .*≈/m);
    // Prose wraps at READING_WIDTH (in a file too): the sentence is read across its lines.
    expect(flat(stdout)).toContain(
      `≈ negative mass: estimated where a matrix has more rows than Lanczos' step limit (exact elsewhere): the eigenvalues Lanczos converged counted exactly, the rest by stochastic Lanczos quadrature from ${MASS_PROBES} random start vectors of ${MASS_PROBE_STEPS} steps each in their complement; the figure pools the ${MASS_PROBES}, the brackets give the lowest and highest of them`,
    );
  });

  it('prints progress lines on stderr without --json, as the other long commands do: a line per tenth, ending at 100 %', async () => {
    const { code, stderr } = await runCliInProcess(['curvature', '--model', modelPath, '--data', dataPath, '--backend', 'ref']);
    expect(code).toBe(0);
    const [plan, ...lines] = stderr.trim().split('\n');
    // First the most products the run takes (measureCurvature's own count), then the progress lines.
    // (the first total: it falls as Lanczos runs converge early)
    let total = 0;
    measureCurvature(net, data.inputs, data.targets, { onProgress: (p) => (total ||= p.total) });
    expect(plan).toBe(`curvature: at most ${total} products (H·v or G·v), each a pass over 3 rows of ${dataPath} (see --help: Cost)`);
    expect(lines.length).toBeGreaterThan(1);
    expect(lines.length).toBeLessThanOrEqual(PROGRESS_LINES);
    for (const line of lines) expect(line).toMatch(/^curvature: \d+ %, (Hessian|Gauss-Newton) (trace|eigenvalues)$|^curvature: \d+ %, (hidden 1|output) (Hessian|Gauss-Newton) eigenvalues$/);
    expect(lines[lines.length - 1]).toMatch(/^curvature: 100 %, Gauss-Newton trace$/);
    const percents = lines.map((line) => Number(/(\d+) %/.exec(line)![1]));
    expect(percents).toEqual([...percents].sort((a, b) => a - b));
  });

  // newuser30: Cost was some 20 lines with two dated measurements; it says what a user chooses by, the measurements are docs/curvature.md's.
  it("--help says what a run costs in three lines: the products it takes at most, from measureCurvature's defaults, and where the measured runs are", async () => {
    const { code, stdout } = await runCliInProcess(['curvature', '--help']);
    expect(code).toBe(0);
    const cost = stdout.slice(stdout.indexOf('Cost: '), stdout.indexOf('Example:')).trimEnd();
    expect(cost.split('\n')).toHaveLength(3);
    expect(cost).toContain(`at most 2·T + 2·(min(n, ${LANCZOS_MAX_STEPS}) + 1 + Σ_l (min(n_l, ${LANCZOS_MAX_STEPS}) + 1)) + M operator products`);
    expect(cost).toContain(`T per trace n up to ${MATRIX_TRACE_DEFAULTS.exactLimit.toLocaleString('en-US')} parameters, else ${MATRIX_TRACE_DEFAULTS.probes} probes per layer`);
    expect(cost).toContain(`M: ${MASS_PROBES}·${MASS_PROBE_STEPS} for each of n and n_l above ${LANCZOS_MAX_STEPS}, the start vectors of the Hessian's negative mass there`);
    expect(cost).toContain(`the --train digits: ${STUDY_DIGITS.trainRows.toLocaleString('en-US')} by default): fewer rows and --no-layers cost less.`);
    expect(cost).toContain('measured runs and their times: docs/curvature.md, Cost.');
    // No measurement: its date, machine or time is the doc's (test/docs/curvature-cost.test.ts).
    for (const run of [CURVATURE_COST_RUN, CURVATURE_DIGITS_RUN]) {
      expect(cost).not.toContain(run.date);
      expect(cost).not.toContain(run.commit);
    }
    expect(cost).not.toMatch(/Measured|s of CPU/);
    // The plan it states is measureCurvature's: a network of n ≤ exactLimit parameters, one layer, takes T = n per trace.
    const net = await createNetwork({ sizes: [3, 2], seed: 1 });
    const n = net.parameterCount;
    let total = 0;
    const first = new Error('first product');
    expect(() => measureCurvature(net, [[0.5, 0.5, 0.5]], [[1, 0]], { k: 1, onProgress: (p) => { total = p.total; throw first; } })).toThrow(first);
    net.dispose();
    expect(total).toBe(2 * n + 2 * (Math.min(n, LANCZOS_MAX_STEPS) + 1 + Math.min(n, LANCZOS_MAX_STEPS) + 1));
    // The flag's own line points to it.
    expect(stdout).toMatch(/--no-layers +measure the whole network only, not each layer's diagonal blocks of H and G: .*\(see Cost\)/);
  });

  // Its Gauss-Newton rows left the smallest-eigenvalue and negative-mass cells blank, with nothing to say why.
  it("says in each Gauss-Newton row's smallest-eigenvalue and negative-mass cells, and under the table, why G's are not measured", async () => {
    const { code, stdout } = await runCliInProcess(['curvature', '--model', modelPath, '--data', dataPath, '--backend', 'ref', '--k', '2']);
    expect(code).toBe(0);
    const lowerEnd = gaussNewtonLowerEnd();
    // A row's cells: the table pads them apart by two spaces or more, and a cell holds single spaces only.
    const cells = (line: string) => line.trim().split(/ {2,}/);
    const lines = stdout.split('\n');
    const header = cells(lines.find((line) => line.startsWith('matrix '))!);
    expect(header).toEqual(['matrix', 'largest eigenvalues', 'smallest eigenvalues', 'trace', 'negative mass']);
    const rows = lines.map(cells).filter((row) => row.length === header.length);
    const [smallest, negativeMass] = [header.indexOf('smallest eigenvalues'), header.indexOf('negative mass')];
    // The whole network's G and its two layers' blocks.
    const gaussNewton = rows.filter((row) => row[0] === 'Gauss-Newton' || row[0].endsWith(' G'));
    expect(gaussNewton.map((row) => row[0])).toEqual(['Gauss-Newton', 'hidden 1 (16) G', 'output (10) G']);
    for (const row of gaussNewton) expect([row[smallest], row[negativeMass]]).toEqual([lowerEnd.smallest, lowerEnd.negativeMass]);
    expect(flat(stdout)).toContain(` ${flat(lowerEnd.note)} `);
    expect(lowerEnd.note).toMatch(/positive semi-definite/);
    // A Hessian row gives its own numbers there: two eigenvalues (--k 2) and a percentage.
    const hessian = rows.filter((row) => row[0] === 'Hessian' || row[0].endsWith(' H'));
    expect(hessian.length).toBe(3);
    // an eigenvalue within the products' rounding of 0 is listed as 0 (zeroWithin)
    for (const row of hessian) expect([row[smallest], row[negativeMass]].join(' | ')).toMatch(/^(-?\d\.\d\de[-+]\d+|0) (-?\d\.\d\de[-+]\d+|0) \| ≈?[\d.]+\s%$/);
  });

  // It said the Hessian's smallest "tell a minimum (none below 0)": none below 0 away from a stationary point is a slope curving up, not a minimum.
  it("says that the Hessian's smallest tell a saddle or a minimum only with a gradient near 0", () => {
    const { note } = gaussNewtonLowerEnd();
    expect(note).not.toMatch(/tell a minimum/);
    expect(note).toContain('curves down along some direction (one below 0) or along none (none below 0); either is a saddle or a minimum only where the gradient is also near 0, and elsewhere a slope');
  });

  // It printed "1292 parameters" and "hidden 1 (1230) H" where --help and the progress line group counts by thousands.
  it('groups its header\'s and row names\' counts by thousands, as --help does', async () => {
    const wide = await createNetwork({ sizes: [40, 30, 2], activation: 'tanh', loss: 'cross-entropy', seed: 2 });
    const rows = Array.from({ length: 3 }, (_, r) => Array.from({ length: 40 }, (_, c) => Math.cos(r + c)));
    const report = measureCurvature(wide, rows, [[1, 0], [0, 1], [1, 0]], { k: 1, exactTraceLimit: 0, probes: 2 });
    wide.dispose();
    const table = curvatureTable(report);
    expect(table).toMatch(/^loss .* over 3 rows; 1,292 parameters; traces by Hutchinson/);
    expect(table).toMatch(/^hidden 1 \(1,230\) H /m);
  });

  it('--no-layers measures the whole network only: the per-layer rows left out, and said to be', async () => {
    const { code, stdout, stderr } = await runCliInProcess(['curvature', '--model', modelPath, '--data', dataPath, '--backend', 'ref', '--no-layers']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Hessian {2,}/m);
    expect(stdout).toMatch(/^Gauss-Newton {2,}/m);
    expect(stdout).not.toMatch(/hidden 1|output \(/);
    expect(stdout).toContain("per layer: skipped (--no-layers): each layer's diagonal blocks of H and G were not measured");
    // The plan is measureCurvature's without layers, and no progress line names a layer.
    let total = 0;
    measureCurvature(net, data.inputs, data.targets, { layers: false, onProgress: (p) => (total ||= p.total) });
    const [plan, ...lines] = stderr.trim().split('\n');
    expect(plan).toBe(`curvature: at most ${total} products (H·v or G·v), each a pass over 3 rows of ${dataPath} (see --help: Cost)`);
    for (const line of lines) expect(line).toMatch(/^curvature: \d+ %, (Hessian|Gauss-Newton) (trace|eigenvalues)$/);
    // Without the flag the per-layer rows are there, and the skip is not claimed.
    const full = await runCliInProcess(['curvature', '--model', modelPath, '--data', dataPath, '--backend', 'ref']);
    expect(full.stdout).toMatch(/^hidden 1 \(16\) H/m);
    expect(full.stdout).not.toContain('skipped');
    const json = JSON.parse((await runCliInProcess(['curvature', '--model', modelPath, '--data', dataPath, '--backend', 'ref', '--no-layers', '--json'])).stdout);
    const refNet = await Network.fromJSON(model, { backend: 'ref' });
    expect(json).toEqual(JSON.parse(JSON.stringify(measureCurvature(refNet, data.inputs, data.targets, { layers: false }))));
    refNet.dispose();
    expect(json.layers).toEqual([]);
  });

  it('--no-layers takes no value, and a Hutchinson run without layers does not say each layer was probed alone', async () => {
    const refused = await runCliInProcess(['curvature', '--model', modelPath, '--data', dataPath, '--no-layers=yes']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toBe('gradscope: --no-layers takes no value\n');
    // 26 parameters > an exact-trace limit of 10: the traces are estimated.
    const report = measureCurvature(net, data.inputs, data.targets, { k: 1, layers: false, exactTraceLimit: 10 });
    const text = curvatureTable(report);
    expect(text).toContain('traces by Hutchinson (± standard error)');
    expect(text).toContain("G's trace is never negative (G is positive semi-definite), H's may be");
    expect(text).not.toContain("each layer's traces probe that layer alone");
  });

  it("lists a value measureCurvature reported as 0 (within its zeroWithin) as '0', and says under the table what a 0 claims, with each such row's bound", () => {
    const report = measureCurvature(net, data.inputs, data.targets, { k: 3 });
    const output = report.layers[1];
    // as the digits default's output block came out with float32 products: its smallest within the rounding of 0
    output.hessian.smallest = [0, 0, 1.5e-3];
    output.hessian.zeroWithin = 2.6e-6;
    const text = curvatureTable(report);
    const row = text.split('\n').find((line) => line.startsWith('output (10) H'))!;
    expect(row).toMatch(/ 0 0 1\.50e-3 /);
    expect(row).not.toContain('0.00e+0');
    // The bound first, then its row by name: "|λ| ≤ output (10) H 2.60e-6" read the row's name as a factor (newuser40, F10).
    expect(text).toContain("0: an eigenvalue within the products' measured rounding of 0 (|λ| ≤ 2.60e-6 in the row output (10) H): at this precision it cannot be told from 0, nor its sign");
    // no 0 listed, no note
    output.hessian.smallest = [1e-3, 2e-3, 3e-3];
    expect(curvatureTable(report)).not.toContain('0: an eigenvalue within');
  });

  // newuser40 (F9): every diagnosis sends the student here for "minimum or saddle?", and the table printed no gradient and no rule for "near 0".
  it("prints the gradient's norm, the plateau study's rule, the loss along ±v and a one-line reading of the point", async () => {
    const report = measureCurvature(await Network.fromJSON(model, { backend: 'ref' }), data.inputs, data.targets);
    const { code, stdout } = await runCliInProcess(['curvature', '--model', modelPath, '--data', dataPath, '--backend', 'ref']);
    expect(code).toBe(0);
    const text = flat(stdout);
    expect(text).toContain(` Gradient: ‖∇C‖ = ${report.gradientNorm.toExponential(2)} over the same 3 rows, at the same weights. `);
    // the study's command as gradscope was run (in process: 'gradscope')
    expect(text).toContain(` ${flat(pointRule('gradscope study plateau'))} `);
    expect(pointRule('npx gradscope study plateau')).toContain('Saddle, minimum or slope (the rule of `npx gradscope study plateau`; ');
    expect(pointRule('gradscope study plateau')).toContain(`t: a step length along ±v, ${SADDLE_STEPS.join(', ')}`);
    expect(text).toContain(`Along ±v, C(θ+t·v) − C(θ) / C(θ−t·v) − C(θ): ${report.probes.map((p) => `t=${p.step}: ${p.plus.toExponential(2)} / ${p.minus.toExponential(2)}`).join('; ')}.`);
    expect(text).toContain(flat(pointReadingText(report)));
    expect(text).toContain(flat(descentText(report)));
    // This model at seed 5 (docs/cli.md's example): the loss curves down along v, and at t = 3 it falls more along ±v than
    // the gradient's descent, which ends near s = 1, lowers it; but within OUTWEIGHS× of it: negative curvature beside a
    // slope, not a saddle (the rule before review44 #14, each t against the gradient's best within t, read "a saddle … as
    // good as a critical point"; by ‖∇C‖·t, what the gradient gives if the loss were linear, it read a slope).
    const t3 = report.probes.find((p) => p.step === 3)!;
    expect(-(t3.plus + t3.minus) / 2).toBeGreaterThan(gradientDrop(report.descent, 3));
    expect(bestDescent(report.descent)!.step).toBeLessThan(3);
    const ratio = curvatureDrop(report.probes) / slopeDrop(report.descent, report.gradientNorm);
    expect(ratio).toBeGreaterThan(1 / OUTWEIGHS);
    expect(ratio).toBeLessThan(OUTWEIGHS);
    expect(report.verdict).toBe('strong negative curvature');
    expect(report.reading).toBe('slope');
    expect(report.probes.some((p) => -(p.plus + p.minus) / 2 >= report.gradientNorm * p.step)).toBe(false);
    expect(pointReadingText(report)).toMatch(/^Reading: negative curvature beside a slope, neither a minimum nor a saddle: the loss curves down along v \(λ_min = -7\.70e-1, confirmed by its values\), and the mean drop along ±v, 2\.95e-1 at t=3, is within 2× of what the slope gives, the gradient's whole descent, 2\.39e-1 at s=1\.00e\+0: both pay comparably, so the point is not critical\. But the gradient's descent ends at s=1\.00e\+0, /);
    expect(pointReadingText(report)).not.toMatch(/Reading: a saddle|as good as a critical point/);
  });

  it('reads each verdict in its own words, with the numbers the rule turned on (synthetic points)', async () => {
    const base = measureCurvature(net, data.inputs, data.targets, { k: 1 });
    const probes = [0.1, 0.3, 1, 3].map((step) => ({ step, plus: -0.01 * step * step, minus: -0.02 * step * step, curvature: -0.03 }));
    const read = (changes: Partial<CurvatureReport>) => pointReadingText({ ...base, ...changes } as CurvatureReport);
    // a gradient along which the loss is linear: a step s down it lowers the loss by ‖∇C‖·s
    const linear = (gradientNorm: number) => [3, 1, 0.3, 0.1].map((step) => ({ step, change: -gradientNorm * step }));
    // a gradient whose descent ends at s = 0.1 after 1e-3 (a longer step raises the loss): spent
    const spent = [{ step: 3, change: 1 }, { step: 1, change: 0.05 }, { step: 0.3, change: 4e-4 }, { step: 0.1, change: -1e-3 }, { step: 0.05, change: -7.5e-4 }];
    const saddle = read({ verdict: 'saddle', reading: 'saddle', probes, gradientNorm: 0.02, descent: spent, hessian: { ...base.hessian, smallest: [-0.05] } });
    expect(saddle).toBe("Reading: a saddle: the loss curves down along v (λ_min = -5.00e-2, confirmed by its values), and the mean drop along ±v, 1.35e-1 at t=3, is at least 2× what the slope gives, the gradient's whole descent, 1.00e-3 at s=1.00e-1 (longer steps lowered it less): the gradient is spent, and the point as good as a critical point.");
    expect(read({ verdict: 'saddle', reading: 'saddle', probes, gradientNorm: 0, descent: [], hessian: { ...base.hessian, smallest: [-0.05] } })).toBe(
      'Reading: a saddle: the loss curves down along v (λ_min = -5.00e-2, confirmed by its values), the mean drop along ±v is 1.35e-1 at t=3, and the gradient is 0: a critical point.',
    );
    const rising = [3, 1, 0.3, 0.1].map((step) => ({ step, change: step * step }));
    expect(read({ verdict: 'saddle', reading: 'saddle', probes, gradientNorm: 1e-9, descent: rising, hessian: { ...base.hessian, smallest: [-0.05] } })).toBe(
      'Reading: a saddle: the loss curves down along v (λ_min = -5.00e-2, confirmed by its values), the mean drop along ±v is 1.35e-1 at t=3, and no step down the gradient from 3 to 9.77e-5 lowers it: the gradient is spent, and the point as good as a critical point.',
    );
    // a gradient leaning into the negative curvature: the slope counts for ‖∇C‖·s, the rest of its descent is the curvature's
    const leaning = [3, 1, 0.3, 0.1].map((step) => ({ step, change: -0.01 * step - 0.02 * step * step }));
    expect(read({ verdict: 'saddle', reading: 'saddle', probes, gradientNorm: 0.01, descent: leaning, hessian: { ...base.hessian, smallest: [-0.05] } })).toBe(
      "Reading: a saddle: the loss curves down along v (λ_min = -5.00e-2, confirmed by its values), and the mean drop along ±v, 1.35e-1 at t=3, is at least 2× what the slope gives, ‖∇C‖·s = 3.00e-2 over the gradient's best step s=3.00e+0 (a step there lowered it by 2.10e-1, the rest the loss curving down along the gradient too): the gradient is spent, and the point as good as a critical point.",
    );
    // the gradient outweighs ±v: at least OUTWEIGHS× its drop
    const strong = read({ verdict: 'strong negative curvature', reading: 'slope', probes, gradientNorm: 1, descent: linear(1), hessian: { ...base.hessian, smallest: [-0.05] } });
    expect(strong).toBe("Reading: a slope, not a minimum and not a saddle: the loss curves down along v (λ_min = -5.00e-2, confirmed by its values) and a step along ±v lowers it on both sides, but the gradient outweighs it: what the slope gives, the gradient's whole descent, 3.00e+0 at s=3, the longest step tried, past which it may run on, is at least 2× the mean drop along ±v, 1.35e-1 at t=3.");
    // ±v outweighs a gradient that may run on: negative curvature beside a slope
    const beside = read({ verdict: 'strong negative curvature', reading: 'slope', probes, gradientNorm: 0.01, descent: linear(0.01), hessian: { ...base.hessian, smallest: [-0.05] } });
    expect(beside).toBe("Reading: negative curvature beside a slope, neither a minimum nor a saddle: the loss curves down along v (λ_min = -5.00e-2, confirmed by its values), and the mean drop along ±v, 1.35e-1 at t=3, is at least 2× what the slope gives, the gradient's whole descent, 3.00e-2 at s=3, the longest step tried, past which it may run on: not a critical point while the gradient's descent goes on.");
    const weak = read({ verdict: 'negative curvature', reading: 'slope', hessian: { ...base.hessian, smallest: [-1e-4] } });
    expect(weak).toBe('Reading: a slope, not a minimum and not a saddle: the loss curves down along v (λ_min = -1.00e-4, confirmed by its values), but weakly: no step tried along ±v lowers it on both sides (the gradient along v outweighs the curvature).');
    const minimum = read({ verdict: 'minimum-like', reading: 'minimum', downhill: { step: 0.1 / 1024, change: 2e-9 }, hessian: { ...base.hessian, smallest: [3e-3] } });
    expect(minimum).toBe('Reading: a minimum, to within the steps tried: no negative curvature is confirmed (λ_min = 3.00e-3), no step tried along ±v lowers the loss, and no step down the gradient from 0.1 to 9.77e-5 does (at 9.77e-5 it changes by 2.00e-9): over those lengths the curvature outweighs the gradient.');
    const alongV = read({ verdict: 'minimum-like', reading: 'slope', downhill: { step: 0.05, change: -1e-3 }, probes: [{ step: 0.1, plus: -1e-2, minus: 2e-2, curvature: 1 }, { step: 3, plus: -0.386, minus: 0.448, curvature: 0.007 }], hessian: { ...base.hessian, smallest: [7e-3] } });
    expect(alongV).toBe('Reading: a slope, not a saddle and not at a minimum: no negative curvature is confirmed (λ_min = 7.00e-3), but a step of 3 along +v changes the loss by -3.86e-1.');
    const slope = read({ verdict: 'minimum-like', reading: 'slope', downhill: { step: 0.1, change: -4e-3 }, probes: [{ step: 0.1, plus: 1e-6, minus: 2e-6, curvature: 3e-4 }], hessian: { ...base.hessian, smallest: [-1e-5] } });
    expect(slope).toBe("Reading: a slope, not a saddle and not at a minimum: no negative curvature is confirmed (λ_min = -1.00e-5 < 0, but the loss's own second difference along v at t=0.1 is 3.00e-4, not below 0), but a step of 0.1 down the gradient changes the loss by -4.00e-3.");
  });

  it('names every eigenvalue that did not converge: its row, which end, its place, value and residual', async () => {
    // [12, 24, 2] (362 parameters) with a Lanczos basis of 12: too few steps for the whole network's values.
    const wide = await createNetwork({ sizes: [12, 24, 2], activation: 'tanh', loss: 'cross-entropy', seed: 5, backend: 'ref' });
    const rows = Array.from({ length: 4 }, (_, r) => Array.from({ length: 12 }, (_, c) => Math.sin(r + 3 * c)));
    const report = measureCurvature(wide, rows, rows.map((_, r) => (r % 2 ? [0, 1] : [1, 0])), { k: 2, maxSteps: 12 });
    wide.dispose();
    expect(report.hessian.converged).toBe(false);
    expect(report.hessian.unconverged.length).toBeGreaterThan(0);
    const text = curvatureTable(report);
    const note = text.split('\n').find((line) => line.startsWith('not converged'))!;
    expect(note).toBeDefined();
    for (const e of report.hessian.unconverged) {
      expect(e.residual).toBeGreaterThan(e.bound);
      expect(e.value).toBe(report.hessian[e.end][e.index]);
      expect(note).toContain(`${e.end} #${e.index + 1} = ${e.value.toExponential(2)} (residual ${e.residual.toExponential(2)} > ${e.bound.toExponential(2)})`);
    }
    expect(note).toMatch(/: Hessian: (largest|smallest) #\d/);
    // A converged row is not named.
    const converged = report.layers.find((l) => l.gaussNewton.converged);
    if (converged) expect(note).not.toContain(`(${converged.parameters}) G:`);
  });

  it('names each layer as `gradscope gradients` does: hidden 1 … hidden L−1, output (JSON keeps the 0-based index)', () => {
    const curvature = runCli(['curvature', '--model', modelPath, '--data', dataPath, '--backend', 'ref']);
    const gradients = runCli(['gradients', '--model', modelPath, '--data', dataPath, '--backend', 'ref']);
    expect(curvature.code).toBe(0);
    expect(gradients.code).toBe(0);
    expect(gradients.stdout).toMatch(/hidden 1 \(tanh\)/);
    expect(gradients.stdout).toMatch(/output \(softmax\)/);
    expect(curvature.stdout).toMatch(/hidden 1 \(16\) H/);
    expect(curvature.stdout).toMatch(/hidden 1 \(16\) G/);
    expect(curvature.stdout).toMatch(/output \(10\) H/);
    expect(curvature.stdout).not.toMatch(/layer \d/);
    const json = JSON.parse(runCli(['curvature', '--model', modelPath, '--data', dataPath, '--backend', 'ref', '--json']).stdout);
    expect(json.layers.map((l: { layer: number }) => l.layer)).toEqual([0, 1]);
  });

  it.each([
    // The flag is wrong, not the data file: exit 2, the flag named (it read 'INVALID_OPTION: data.json: k: …').
    ['k larger than the parameter count', () => ['--data', dataPath, '--k', '27'], 2, /^gradscope: --k 27 for .*model\.json: expected an integer from 1 to the parameter count 26, got 27$/m],
    ['k of 0', () => ['--data', dataPath, '--k', '0'], 2, /--k must be ≥ 1/],
    ['a null input (JSON.stringify writes NaN so)', () => ['--data', file('nan.json', { inputs: [[1, 2, NaN]], targets: [[1, 0]] })], 1, /BAD_DATA_FILE: .*nan\.json: inputs: row 0, column 2 is null, not a number \(JSON\.stringify writes NaN and ±Infinity as null; at line 1, column 17\)$/m],
    ['an unknown backend', () => ['--data', dataPath, '--backend', 'gpu'], 2, /--backend must be one of wasm, ref/],
  ])('rejects %s with one line and exit %i', async (_what, args, exit, message) => {
    const { code, stdout, stderr } = await runCliInProcess(['curvature', '--model', modelPath, ...args()]);
    expect(code).toBe(exit);
    expect(stdout).toBe('');
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(message);
  });
});

describe('gradscope curvature on the digits, without --data (as train and study --model)', async () => {
  // 784 inputs and 10 outputs: the digits' shape.
  const net = await createNetwork({ sizes: [784, 4, 10], activation: 'sigmoid', loss: 'cross-entropy', seed: 2 });
  const modelPath = file('digits-model.json', net.toJSON());

  it('measures on the first --train digits, the rows train trains on with the same --train', async () => {
    const { code, stdout, stderr } = await runCliInProcess(['curvature', '--model', modelPath, '--train', '30', '--k', '1', '--no-layers', '--json']);
    expect(code, stderr).toBe(0);
    expect(stderr.split('\n')[0]).toMatch(/^curvature: at most \d+ products \(H·v or G·v\), each a pass over 30 digits \(the mnist package\) \(see --help: Cost\)$/);
    const digits = await loadMnist({ train: 30, test: 0 });
    const expected = measureCurvature(net, digits.train.x, digits.train.y, { k: 1, layers: false });
    const printed = JSON.parse(stdout);
    expect(printed).toEqual(JSON.parse(JSON.stringify(expected)));
    expect(printed.rows).toBe(30);
  });

  measuredRowsCases('curvature', modelPath, file);
});

describe('gradscope curvature on a block network', async () => {
  const net = await createNetwork({
    inputs: 3, loss: 'cross-entropy', seed: 5, layers: [
      { type: 'dense', units: 4, activation: 'tanh' }, { type: 'batch-norm' },
      { type: 'residual', gate: 'rezero', layers: [{ type: 'layer-norm' }] },
      { type: 'dense', units: 2, activation: 'softmax' },
    ],
  });
  const model = net.toJSON();
  const data = { inputs: [[0.1, -0.2, 0.3], [1, 0.5, -1], [0, 2, 1], [-1, 0.4, 0.2]], targets: [[1, 0], [0, 1], [0, 1], [1, 0]] };
  const modelPath = file('blocks.json', model);
  const dataPath = file('blocks-data.json', data);
  const LABELS = ["layers[0] ('0', dense)", "layers[1] ('2', batch-norm)", "layers[2] ('3', residual)", "layers[2].layers[0] ('3.branch.0', layer-norm)", "layers[3] ('4', dense)"];

  it('--json prints the Hessian and Gauss-Newton spectra per module', async () => {
    const { code, stdout, stderr } = runCli(['curvature', '--model', modelPath, '--data', dataPath, '--k', '2', '--backend', 'ref', '--json']);
    expect(code, stderr).toBe(0);
    const printed = JSON.parse(stdout);
    const expected = measureCurvature(await Network.fromJSON(model, { backend: 'ref' }), data.inputs, data.targets, { k: 2 });
    expect(printed).toEqual(JSON.parse(JSON.stringify(expected)));
    expect(printed.hessian.smallest).toHaveLength(2);
    expect(printed.gaussNewton.largest).toHaveLength(2);
    for (const layer of printed.layers) expect(layer.hessian.largest).toHaveLength(Math.min(2, layer.parameters));
    expect(printed.layers.map((l: { module: string }) => l.module)).toEqual(['0', '2', '3', '3.branch.0', '4']);
    // Each by its name in the trace tables: where it sits in the model's `layers`, its module, its type.
    expect(printed.layers.map((l: { label: string }) => l.label)).toEqual(LABELS);
  });

  it("prints a table of Hessian and Gauss-Newton rows by the trace tables' names without --json", () => {
    const { code, stdout } = runCli(['curvature', '--model', modelPath, '--data', dataPath, '--backend', 'ref']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^loss .* over 4 rows; 43 parameters; traces exact\n/);
    expect(stdout).toMatch(/\nHessian {2,}/);
    expect(stdout).toContain("\nlayers[2].layers[0] ('3.branch.0', layer-norm) (8) H ");
    expect(stdout).toContain("\nlayers[2].layers[0] ('3.branch.0', layer-norm) (8) G ");
    for (const label of LABELS) expect(stdout).toContain(`\n${label} (`);
    expect(stdout).not.toContain('module ');
    expect(stdout).not.toMatch(/Gauss-Newton matrix only/);
  });
});

describe('gradscope study plateau', () => {
  it('prints the table and a summary counted from its points (one point, epoch 0)', () => {
    const html = join(folder, 'plateau.html');
    const { code, stdout, stderr } = runCli(['study', 'plateau', '--epochs', '0', '--points', '1', '--k', '1', '--html', html]);
    expect(stderr).toBe('plateau: 100 %\n'); // progress off a terminal: a line per tenth
    expect(code).toBe(0);
    expect(stdout).toMatch(/λ_min/);
    expect(stdout).toMatch(/GSNR 5/);
    // The table's key says what 'neg. mass' and each GSNR column are: they were printed unexplained.
    // (Each key is prose, wrapped at READING_WIDTH: read across its lines.)
    expect(flat(stdout)).toMatch(new RegExp(` neg\\. mass: Σ_\\{λ<0\\}\\|λ\\| / Σ\\|λ\\|, .* below 0 \\(≈: estimated where the Hessian has more rows than Lanczos' step limit: the eigenvalues Lanczos converged counted exactly, the rest by stochastic Lanczos quadrature from ${MASS_PROBES} random start vectors of ${MASS_PROBE_STEPS} steps each `));
    expect(flat(stdout)).toMatch(/ GSNR 1–4: hidden layers 1 to 4, GSNR 5: the output layer: each layer's gradient signal-to-noise ratio over the 1,000 digits, /);
    // Counted in words that agree with the counts (it said 'of 1 points are saddles').
    // At initialisation (‖∇f‖ ≈ 4.9) a step along ±v lowers the objective on both sides, but by far
    // less than the gradient would over the same length: not a critical point, so not a saddle (it said saddle).
    // The table fits READING_WIDTH in two parts, each row named by its epoch: the norms in the first, the verdict in the second.
    expect(stdout).toMatch(/^0\s+\S+\s+4\.\d+e\+0 /m);
    expect(stdout).toMatch(/^0 .* strong negative curvature$/m);
    // The answer first, then how each verdict is read with its count, a short list (lecturer52 #6: the rules came first, inline).
    expect(flat(stdout)).toMatch(/ So, at epoch 0: .* Of 1 point, by the table's verdict: • saddle \(0 points\): .* • strong negative curvature \(1 point\): .* • negative curvature \(0 points\): .* • minimum-like \(0 points\): no negative curvature\. /);
    expect(stdout).not.toMatch(/1 points|1 (are|have|show) /);
    // and what the point adds up to, in one line (plateauConclusion): no training, so the point at initialisation
    // in the words of its band, which the ratio printed decides (docs/curvature.md's run: 0.512, 'comparable' by 2.4 %)
    const [, ratio, name] = / So, at epoch 0: no minimum \(the objective curves down along v, confirmed by its values\) and no saddle \(.*; ±v's mean drop ([\d.]+)× what the slope gives, .*\): (.*), not a critical point\. /.exec(flat(stdout))!;
    expect(name).toBe(STRONG_BAND_WORDS[Number(ratio) * OUTWEIGHS <= 1 ? 'gradient outweighs' : Number(ratio) >= OUTWEIGHS ? 'runs on' : 'comparable'].name);
    // 26,650 parameters: the negative mass is estimated, marked as such, with its 4 start vectors' lowest and highest (review47 #2:
    // it printed one start vector's to 3 figures, "≈12.2 %", where one vector was 26 points off on another network)
    expect(stdout).toMatch(/≈\d+(\.\d)? % \(\d+(\.\d)?–\d+(\.\d)? %\) of the spectral mass negative/);
    const page = readFileSync(html, 'utf8');
    for (const chart of ['plateau-mean-field', 'plateau-curvature', 'plateau-gsnr']) expect(page).toContain(chart);
    // The report's section says the same conclusion (it said what was measured and left the reading out).
    const conclusion = flat(/\nSo, at [^]*?(?=\nOf 1 point, by the table's verdict:)/.exec(stdout)![0]).trim();
    expect(page).toContain(` ${proseHtml(conclusion)}</p>`);
  });

  it('rejects --points 0 with one line, exit 2', async () => {
    const { code, stderr } = await runCliInProcess(['study', 'plateau', '--points', '0']);
    expect(code).toBe(2);
    expect(stderr.split('\n')[0]).toMatch(/--points must be ≥ 1/);
  });
});
