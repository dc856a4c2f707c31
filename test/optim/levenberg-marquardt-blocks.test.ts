/**
 * Levenberg–Marquardt on networks built from layer specs: its Jacobian runs through the whole
 * batch (batch norm's statistics couple the rows), checked by one step against the explicit
 * float64 solve −(JᵀJ + μI)⁻¹·Jᵀe with J from central differences of the batch's outputs.
 */
import { describe, expect, it } from 'vitest';
import { createNetwork, type Network } from '../../src/api/network.js';
import { Rng } from '../../src/init/rng.js';
import type { LayerSpec } from '../../src/layers/spec.js';
import { MODEL } from '../../src/model.js';
import { LevenbergMarquardt } from '../../src/optim/levenberg-marquardt.js';
import { relativeError } from '../util/close.js';
import { asWritten, quotedOn } from '../util/page-numbers.js';
import { solve } from './problems.js';

/** Batch norm, a ReZero block with layer norm inside, SELU: 38 parameters on 2 inputs. */
const LAYERS: LayerSpec[] = [
  { type: 'dense', units: 3, activation: 'tanh' },
  { type: 'batch-norm' },
  { type: 'residual', gate: 'rezero', layers: [{ type: 'dense', units: 3, activation: 'selu' }, { type: 'layer-norm' }] },
  { type: 'dense', units: 1 },
];
const STEP = 1e-4;

function regression(seed: number, rows: number): { x: number[][]; y: number[][] } {
  const rng = new Rng(seed);
  const x = Array.from({ length: rows }, () => [rng.uniformIn(-2, 2), rng.uniformIn(-2, 2)]);
  return { x, y: x.map(([a, b]) => [Math.sin(a) + 0.5 * a * b]) };
}

async function blockNetwork(backend: 'ref' | 'wasm'): Promise<Network> {
  const net = await createNetwork({ inputs: 2, loss: 'mse', layers: LAYERS, backend, seed: 4 });
  for (const p of net.parameters()) if (p.name.endsWith('alpha')) net.kernels.write(p.value, [0.5]);
  return net;
}

const values = (net: Network) => Float64Array.from(net.parameters().flatMap((p) => Array.from(net.kernels.view(p.value))));

/** The batch's outputs ('batch' mode: batch statistics) at the network's weights, as float64. */
function outputs(net: Network, x: number[][]): Float64Array {
  const model = net[MODEL];
  model.ensureCapacity(x.length);
  net.kernels.write(model.input, x.flat());
  model.forward(x.length, 'batch');
  return Float64Array.from(net.kernels.view(model.output).subarray(0, x.length * model.outputSize));
}

// docs/second-order.md quotes what these runs measure; each compares its own with the page's.
const PAGE = 'docs/second-order.md';

describe('Levenberg–Marquardt on a block network', () => {
  it('takes the step −(JᵀJ + μI)⁻¹·Jᵀe with J through the batch statistics (float64, central differences)', async () => {
    const net = await blockNetwork('ref');
    const { x, y } = regression(1, 8);
    const theta = values(net);
    const params = net.parameters();
    // J[r][i] = ∂a_r/∂θ_i by five-point central differences of the whole batch's outputs.
    const columns: Float64Array[] = [];
    for (const p of params) {
      const view = net.kernels.view(p.value);
      for (let i = 0; i < view.length; i++) {
        const saved = view[i];
        const at = (offset: number) => {
          net.kernels.view(p.value)[i] = saved + offset * STEP;
          return outputs(net, x);
        };
        const [p1, m1, p2, m2] = [at(1), at(-1), at(2), at(-2)];
        net.kernels.view(p.value)[i] = saved;
        columns.push(p1.map((_, r) => (8 * (p1[r] - m1[r]) - (p2[r] - m2[r])) / (12 * STEP)));
      }
    }
    const a = outputs(net, x);
    const e = Array.from(a, (ar, r) => ar - y[r][0]);
    const P = columns.length;
    const lm = new LevenbergMarquardt(net, { mu: 1e-3 });
    net.train(x, y, { optimizer: lm, epochs: 1, batchSize: 8, shuffle: false });
    const mu = 1e-3 * 10 ** (lm.lastTrials - 1);
    const normal = columns.map((ci) => columns.map((cj) => ci.reduce((s, v, r) => s + v * cj[r], 0)));
    normal.forEach((row, i) => (row[i] += mu));
    const delta = solve(normal, columns.map((c) => c.reduce((s, v, r) => s + v * e[r], 0)));
    const want = theta.map((w, i) => w - delta[i]);
    expect(P).toBe(38);
    expect(lm.stalled).toBe(false);
    const error = relativeError(values(net), want);
    console.log(`LM step on a block network (μ ${mu}, ${lm.lastTrials} trial(s)): relative error ${error.toExponential(2)} against the explicit solve`);
    expect(error).toBeLessThanOrEqual(1e-7);
    const [quoted] = quotedOn(PAGE, /equals −\(JᵀJ \+ μI\)⁻¹·Jᵀe with J from central differences of the batch's outputs, relative error \*\*(\S+)\*\*;/);
    expect(quoted, PAGE).toBe(asWritten(quoted, error));
    net.dispose();
  });

  it.each(['ref', 'wasm'] as const)('lowers the loss of a smooth regression fivefold in 10 steps, never raising it (%s)', async (backend) => {
    const net = await blockNetwork(backend);
    const { x, y } = regression(2, 40);
    const lm = new LevenbergMarquardt(net);
    const losses: number[] = [];
    const lossNow = () => {
      const model = net[MODEL];
      outputs(net, x);
      net.kernels.write(model.targets, y.flat());
      return model.lossOfLastForward(x.length);
    };
    const before = lossNow();
    net.train(x, y, { optimizer: lm, epochs: 10, batchSize: 40, shuffle: false, onBatch: () => losses.push(lossNow()) });
    console.log(`LM on a block network (${backend}): batch loss ${before.toFixed(4)} → ${losses.map((l) => l.toFixed(4)).join(' → ')}`);
    for (let i = 1; i < losses.length; i++) expect(losses[i]).toBeLessThanOrEqual(losses[i - 1]);
    expect(losses[losses.length - 1]).toBeLessThanOrEqual(0.2 * before);
    const [from, to] = quotedOn(PAGE, /10 steps of a smooth regression: \*\*(\S+)\*\* → \*\*(\S+)\*\*, never rising/);
    expect([from, to], PAGE).toEqual([asWritten(from, before), asWritten(to, losses[losses.length - 1])]);
    net.dispose();
  });
});
