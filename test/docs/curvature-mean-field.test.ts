// docs/curvature.md's "Mean-field prediction and dynamical isometry" quotes a table and the Jacobian's
// singular values of Nielsen's [784,30,30,30,30,10] at initialisation (the plateau study's network,
// seed 1, his first 1,000 training digits), and the same network with orthogonal weights, zero
// biases and tanh. Each number is read from the page and measured again here (a seeded run of a
// second), so the page cannot drift from what meanFieldPrediction and jacobianSpectrum give; and the
// defaults the page states (Lanczos' step limit, the exact-trace limit and probes, the closing bound,
// k, the plateau study's set-up) are read against the constants that hold them.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createNetwork, type Network } from '../../src/api/network.js';
import type { NetworkOptions } from '../../src/network/config.js';
import { jacobianSpectrum } from '../../src/curvature/jacobian.js';
import { CLOSED_BELOW, LANCZOS_MAX_STEPS, SPECTRUM_END_COUNT } from '../../src/curvature/lanczos.js';
import { MATRIX_TRACE_DEFAULTS } from '../../src/curvature/matrix-trace.js';
import { meanFieldPrediction } from '../../src/curvature/mean-field.js';
import { loadMnist } from '../../src/data/mnist.js';
import { DEPTH_NETWORK_OPTIONS } from '../../src/studies/depth.js';
import { PLATEAU_DEFAULTS, PLATEAU_SIZES } from '../../src/studies/plateau.js';
import { SADDLE_STEPS } from '../../src/curvature/critical-point.js';
import { DEPTH_ROWS, NIELSEN_TRAINING, STUDY_SEED } from '../../src/studies/study-defaults.js';
import { flat } from '../util/printed-text.js';

const page = readFileSync(new URL('../../docs/curvature.md', import.meta.url), 'utf8');
const prose = flat(page);

/** The numbers of the one place `pattern` matches in the page's prose. */
function quoted(pattern: RegExp): string[] {
  const places = [...prose.matchAll(new RegExp(pattern.source, 'g'))];
  expect(places.length, `docs/curvature.md: ${pattern.source}`).toBe(1);
  return places[0].slice(1);
}

/** The body rows of the table whose header line starts with `header`. */
function tableRows(header: string): string[][] {
  const lines = page.split('\n');
  const at = lines.findIndex((line) => line.startsWith(header));
  expect(at, header).toBeGreaterThanOrEqual(0);
  const rows: string[][] = [];
  for (let i = at + 2; i < lines.length && lines[i].startsWith('|'); i++) rows.push(lines[i].split('|').slice(1, -1).map((cell) => cell.trim()));
  return rows;
}

const NIELSEN: NetworkOptions = { sizes: PLATEAU_SIZES, seed: STUDY_SEED, ...DEPTH_NETWORK_OPTIONS };
const ORTHOGONAL_TANH: NetworkOptions = { ...NIELSEN, activation: 'tanh', init: 'orthogonal', biasInit: 'zero' };

async function measured(options: NetworkOptions) {
  const { x, y } = (await loadMnist({ take: { train: DEPTH_ROWS } })).train;
  const net: Network = await createNetwork(options);
  try {
    const jacobian = jacobianSpectrum(net, x);
    const sigma = jacobian.examples.flatMap((e) => [...e.largest, ...e.smallest]);
    const meanSquared = jacobian.examples.map((e) => e.meanSquared);
    return { layers: meanFieldPrediction(net, x, y), jacobian: { smallest: Math.min(...sigma), largest: Math.max(...sigma), meanSquared: [Math.min(...meanSquared), Math.max(...meanSquared)] } };
  } finally {
    net.dispose();
  }
}
const twoDigits = (value: number) => value.toExponential(1);
const decimals = (value: number) => value.toFixed(2);

describe("docs/curvature.md's mean-field section, measured again", () => {
  it("states the network the plateau study measures: Nielsen's, seed 1, his first 1,000 digits", () => {
    expect(prose).toContain(`Nielsen's [${PLATEAU_SIZES.join(',')}] at initialisation (his N(0, 1/n_in) weights and N(0, 1) biases, seed ${STUDY_SEED}), over his first ${DEPTH_ROWS.toLocaleString('en-US')} training digits`);
    expect(DEPTH_NETWORK_OPTIONS).toMatchObject({ init: 'lecun-normal', biasInit: { name: 'normal', std: 1 } });
  });

  it("gives each hidden layer's q, σ_w², E[φ'(z)²], √χ and decays as meanFieldPrediction measures them", async () => {
    const { layers, jacobian } = await measured(NIELSEN);
    const rows = tableRows('| hidden layer | q (var z) |');
    expect(rows).toEqual(layers.map((l) => [
      String(l.layer + 1),
      l.preactivationVariance.toFixed(3),
      l.weightVariance.toFixed(3),
      l.expectedPrimeSquared.toFixed(4),
      l.predictedChainFactor.toFixed(3),
      l.measuredChainFactor.toFixed(3),
      l.predictedDecay.toExponential(2),
      l.measuredDecay.toExponential(2),
    ]));
    // "χ ≈ 0.04 per layer … the gradient shrinks about 5× per layer … 2–15 % high per layer".
    const chi = Number(quoted(/χ ≈ ([\d.]+) per layer/)[0]);
    for (const l of layers) expect(Math.floor(l.chi * 100) / 100, `χ ${l.chi}`).toBe(chi);
    for (const l of layers) expect(Math.round(1 / l.predictedChainFactor)).toBe(Number(quoted(/the gradient shrinks about (\d+)× per layer/)[0]));
    const high = layers.map((l) => Math.round((l.predictedChainFactor / l.measuredChainFactor - 1) * 100));
    expect([Math.min(...high), Math.max(...high)].map(String)).toEqual(quoted(/The prediction is (\d+)–(\d+) % high per layer/));
    const [smallest, largest, lowMean, highMean] = quoted(/Nielsen's net has σ between ([\d.e-]+) and ([\d.e-]+) \(mean σ² ([\d.e-]+) – ([\d.e-]+)\)/);
    expect([smallest, largest, lowMean, highMean]).toEqual([jacobian.smallest, jacobian.largest, ...jacobian.meanSquared].map(twoDigits));
  });

  it('gives the orthogonal tanh network\'s √χ, measured factors and singular values', async () => {
    const { layers, jacobian } = await measured(ORTHOGONAL_TANH);
    const [predicted, measuredFactors] = quoted(/tanh gives √χ = ([\d., ]+) against measured ([\d., ]+[\d])\./);
    expect(predicted.replace(/,?\s*$/, '')).toBe(layers.map((l) => l.predictedChainFactor.toFixed(3)).join(', '));
    expect(measuredFactors).toBe(layers.map((l) => l.measuredChainFactor.toFixed(3)).join(', '));
    const [smallest, largest, lowMean, highMean] = quoted(/Orthogonal tanh: σ between ([\d.]+) and ([\d.]+) \(mean σ² ([\d.]+) – ([\d.]+);/);
    expect([smallest, largest, lowMean, highMean]).toEqual([jacobian.smallest, jacobian.largest, ...jacobian.meanSquared].map(decimals));
  });
});

describe('the defaults docs/curvature.md states', () => {
  it("Lanczos' step limit, the closing bound, k, and the traces' exact limit and probes", () => {
    expect(quoted(/Lanczos' step limit \(`maxSteps`, (\d+)\)/)).toEqual([String(LANCZOS_MAX_STEPS)]);
    expect(quoted(/at most `maxSteps` \(default (\d+)\)/)).toEqual([String(LANCZOS_MAX_STEPS)]);
    expect(quoted(/exact by n products up to ([\d,]+) parameters/)).toEqual([MATRIX_TRACE_DEFAULTS.exactLimit.toLocaleString('en-US')]);
    expect(quoted(/Beyond ([\d,]+) parameters a trace is Hutchinson's mean of zᵀA·z over (\d+) Rademacher probes/)).toEqual([MATRIX_TRACE_DEFAULTS.exactLimit.toLocaleString('en-US'), String(MATRIX_TRACE_DEFAULTS.probes)]);
    expect(quoted(/within the closing bound \(([\de-]+)·s\)/).map(Number)).toEqual([CLOSED_BELOW]);
    expect(quoted(/`gradscope curvature --model M \[--data D\] \[--train 9000\] \[--k (\d+)\]/)).toEqual([String(SPECTRUM_END_COUNT)]);
  });

  it("the plateau study's set-up: η, λ, epochs, points, k and the steps tried", () => {
    const [rows, rate, lambda, epochs] = quoted(/full-batch gradient descent on the first ([\d,]+) digits, η = ([\d.]+), L2 λ = ([\d.]+) on the weights, (\d+) epochs, seed 1/);
    expect([rows, rate, lambda, epochs]).toEqual([DEPTH_ROWS.toLocaleString('en-US'), String(NIELSEN_TRAINING.learningRate), String(NIELSEN_TRAINING.lambda), String(NIELSEN_TRAINING.epochs)]);
    const [points, k] = quoted(/At (\w+) points the study measures the curvature of the objective he minimises, C \+ \(λ\/2n\)‖w‖² \(the data loss's Hessian plus λ\/n on the weights\), k = (\d+)/);
    expect([['one', 'two', 'three', 'four', 'five', 'six'].indexOf(points) + 1, Number(k)]).toEqual([PLATEAU_DEFAULTS.points, PLATEAU_DEFAULTS.k]);
    expect(quoted(/no step tried \(([\d.]+) to ([\d.]+)\)/).map(Number)).toEqual([SADDLE_STEPS[0], SADDLE_STEPS[SADDLE_STEPS.length - 1]]);
  });
});
