// measureCurvature's onProgress is the user's code, run between products: a train(), loadState() or
// write to the network's tensors there made the later products measure other weights, and the
// report (returned as if whole) described no network. Now it is refused at the end. A forward pass on
// other rows from onProgress (predict, evaluate, gradients) changes no weight and is no refusal: the
// products take their point again after it (test/curvature/progress-passes.test.ts).
import { describe, expect, it } from 'vitest';
import { createNetwork, type Network } from '../../src/api/network.js';
import { measureCurvature } from '../../src/curvature/curvature.js';
import { MODEL } from '../../src/model.js';
import { kernelBackends } from '../util/backends.js';
import { expectError } from '../util/expect-error.js';

const X = [[0.1, 0.2], [0.3, -0.1], [1, 2]];
const Y = [[1, 0], [0, 1], [1, 0]];
/** Weights on which every row of X overflows float32 at a linear output (the hidden tanh saturate at 1: 4 × 3e38), and a zero row does not. */
function overflowOnRows(net: Network): void {
  const [w0, b0, w1] = net[MODEL].parameters().map((p) => net.kernels.view(p.value));
  w0.fill(3e38);
  b0.fill(0);
  w1.fill(3e38);
}
const CHANGED = /^measureCurvature: the network's parameters changed while it was measured \(onProgress trained it, loaded a state or wrote to its tensors\)/;

describe.each(await kernelBackends())('a network changed by onProgress on $name', ({ kernels }) => {
  const make = () => createNetwork({ sizes: [2, 4, 2], activation: 'tanh', seed: 1, backend: kernels });
  // A linear output, so an overflow reaches it on every backend (a softmax output saturates in float64).
  const makeLinear = () => createNetwork({ sizes: [2, 4, 2], activation: 'tanh', output: 'linear', loss: 'mse', seed: 1, backend: kernels });
  const changes: [string, (net: Network) => void][] = [
    ['train', (net) => void net.train(X, Y)],
    ['loadState', (net) => net.loadState(net.state().map((t) => ({ name: t.name, values: t.values.map(() => 0.3) })))],
    ['a write to a weight', (net) => { const w = net.kernels.view(net[MODEL].parameters()[0].value); w[0] += 1; }],
  ];
  it.each(changes)('%s (once, mid-run): INVALID_OPTION', async (_name, change) => {
    const net = await make();
    let calls = 0;
    await expectError(() => measureCurvature(net, X, Y, { k: 2, onProgress: () => { if (++calls === 5) change(net); } }), 'INVALID_OPTION', CHANGED);
    net.dispose();
  });

  // A change the products cannot be taken at: the refusal says the callback's change did it (not the
  // rows, which were measured finite), and nothing but that change was made to the network.
  const overflowing: [string, RegExp, (net: Network) => void][] = [
    [
      'weights that overflow, then a pass on other rows (the point is taken again)',
      /, to values on which the network overflows float32, so no product could be taken \(inputs: row \d+ overflows float32 in /,
      (net) => {
        overflowOnRows(net);
        net.predict([[0, 0]]); // finite: tanh(0 · 3e38 + 0) = 0
      },
    ],
    ['a NaN written to a weight', /, to non-finite values \(a NaN or an infinity\), so no product could be taken \((lanczos|traceOf): the operator's product /, (net) => void net.kernels.view(net[MODEL].parameters()[2].value).fill(Number.NaN)],
  ];
  it.each(overflowing)('%s: INVALID_OPTION naming the change, the weights as the callback left them', async (_name, why, change) => {
    const net = await makeLinear();
    const rng = net.rng.getState();
    let calls = 0;
    let left = '';
    const error = await expectError(
      () =>
        measureCurvature(net, X, Y, {
          k: 2,
          onProgress: () => {
            if (++calls !== 5) return;
            change(net);
            left = JSON.stringify(net.state());
          },
        }),
      'INVALID_OPTION',
      CHANGED,
    );
    expect(error.message).toMatch(why);
    expect(error.message).toMatch(/; the weights are as onProgress left them, nothing else changed; change it after measureCurvature returns$/);
    expect(JSON.stringify(net.state())).toBe(left);
    expect(net.rng.getState()).toEqual(rng);
    net.dispose();
  });

  it("the callback's own error is its own, not a refusal of the change", async () => {
    const net = await makeLinear();
    let calls = 0;
    const change = () => {
      overflowOnRows(net);
      net.predict(X); // overflows in the callback itself
    };
    await expectError(() => measureCurvature(net, X, Y, { k: 2, onProgress: () => void (++calls === 5 && change()) }), 'NON_FINITE_INPUT', /^inputs: row \d+ overflows float32 in /);
    net.dispose();
  });

  it('a callback that changes nothing: the report as without one', async () => {
    const net = await make();
    const plain = measureCurvature(net, X, Y, { k: 2 });
    expect(measureCurvature(net, X, Y, { k: 2, onProgress: () => void net.parameterCount })).toEqual(plain);
    net.dispose();
  });
});
