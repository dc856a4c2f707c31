// Hessian-vector products by the R-operator against two float64 oracles on small random networks
// (every loss, every activation): the Hessian built column by column from central differences of
// backprop's gradients, and the R-operator's own columns, which must form a symmetric matrix. The
// wasm backends must agree with the ref backend within float32 rounding.
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/init/rng.js';
import { LOSSES, type Loss } from '../../src/kernels.js';
import { createNetwork, type Network } from '../../src/api/network.js';
import { CurvatureOperators } from '../../src/curvature/operators.js';
import { backendsUnderTest } from '../util/backends.js';
import { relativeError } from '../util/close.js';
import { randomCase, softTargets, type RandomCase } from '../util/random-network.js';

const STEP = 1e-5;
const CASES = 10;
const LIMITS = { maxDepth: 3, maxWidth: 5, maxBatch: 4 };

async function refNetwork(c: RandomCase): Promise<Network<Float64Array>> {
  return (await createNetwork({ ...c.options, backend: 'ref' })) as Network<Float64Array>;
}

/** ∇C at θ, flat, on the ref network. */
function gradientAt(net: Network, c: RandomCase): Float64Array {
  return Float64Array.from(net.gradients(c.x, c.y).layers.flatMap((layer) => [...layer.weights, ...layer.biases]));
}

/** H column by column: (∇C(θ + h·e_i) − ∇C(θ − h·e_i)) / 2h. */
function finiteDifferenceHessian(net: Network<Float64Array>, c: RandomCase): Float64Array[] {
  const columns: Float64Array[] = [];
  for (const p of net.parameters()) {
    const values = net.kernels.view(p.value);
    for (let i = 0; i < p.length; i++) {
      const saved = values[i];
      values[i] = saved + STEP;
      const plus = gradientAt(net, c);
      values[i] = saved - STEP;
      const minus = gradientAt(net, c);
      values[i] = saved;
      columns.push(plus.map((g, j) => (g - minus[j]) / (2 * STEP)));
    }
  }
  return columns;
}

function times(columns: Float64Array[], v: Float64Array): Float64Array {
  const out = new Float64Array(v.length);
  columns.forEach((column, i) => column.forEach((h, j) => (out[j] += h * v[i])));
  return out;
}

function randomVector(rng: Rng, n: number): Float64Array {
  return Float64Array.from({ length: n }, () => rng.normal());
}

describe.each(LOSSES)('Hessian-vector products, %s', (loss: Loss) => {
  it('equal the central-difference Hessian times v, and the R-operator columns are symmetric (ref, float64)', async () => {
    const rng = new Rng(LOSSES.indexOf(loss) + 11);
    for (let t = 0; t < CASES; t++) {
      const c = randomCase(rng, LIMITS, loss);
      // every other cross-entropy case with soft labels instead of one-hot rows
      if (loss === 'cross-entropy' && t % 2 === 1) c.y = softTargets(rng, c.y.length, c.y[0].length);
      const net = await refNetwork(c);
      const fd = finiteDifferenceHessian(net, c);
      const ops = new CurvatureOperators(net, c.x, c.y);
      const n = ops.size;
      const v = randomVector(rng, n);
      const hv = new Float64Array(n);
      ops.hessian!(hv, v);
      const label = `${loss} case ${t}: sizes ${JSON.stringify(net.sizes)}, ${net.activationFunctions.join('/')}`;
      expect(relativeError(hv, times(fd, v)), label).toBeLessThan(1e-6);
      // the explicit Hessian from the R-operator, column by column
      const columns = Array.from({ length: n }, (_, i) => {
        const e = new Float64Array(n);
        e[i] = 1;
        const column = new Float64Array(n);
        ops.hessian!(column, e);
        return column;
      });
      let asymmetry = 0;
      let largest = 0;
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
          asymmetry = Math.max(asymmetry, Math.abs(columns[i][j] - columns[j][i]));
          largest = Math.max(largest, Math.abs(columns[i][j]));
        }
      }
      expect(asymmetry, label).toBeLessThanOrEqual(1e-12 * Math.max(largest, 1));
      expect(relativeError(times(columns, v), hv), label).toBeLessThan(1e-12);
      ops.dispose();
      net.dispose();
    }
  });
});

const backends = await backendsUnderTest();
describe.each(backends)('Hessian-vector products on $name', ({ name, kernels }) => {
  it('agree with the float64 ref within float32 rounding, and so do Gauss-Newton products', async () => {
    const rng = new Rng(31);
    for (let t = 0; t < CASES; t++) {
      const c = randomCase(rng, LIMITS);
      const ref = await refNetwork(c);
      const net = await createNetwork({ ...c.options, backend: kernels });
      const [exact, measured] = [new CurvatureOperators(ref, c.x, c.y), new CurvatureOperators(net, c.x, c.y)];
      const v = randomVector(rng, exact.size);
      for (const which of ['hessian', 'gaussNewton'] as const) {
        const [want, got] = [new Float64Array(exact.size), new Float64Array(exact.size)];
        exact[which]!(want, v);
        measured[which]!(got, v);
        expect(relativeError(got, want), `${which} case ${t} on ${name}`).toBeLessThan(2e-4);
      }
      exact.dispose();
      measured.dispose();
      ref.dispose();
      net.dispose();
    }
  });
});
