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
const CHANGED = /^measureCurvature: the network's parameters changed while it was measured \(onProgress trained it, loaded a state or wrote to its tensors\)/;

describe.each(await kernelBackends())('a network changed by onProgress on $name', ({ kernels }) => {
  const make = () => createNetwork({ sizes: [2, 4, 2], activation: 'tanh', seed: 1, backend: kernels });
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


  it('a callback that changes nothing: the report as without one', async () => {
    const net = await make();
    const plain = measureCurvature(net, X, Y, { k: 2 });
    expect(measureCurvature(net, X, Y, { k: 2, onProgress: () => void net.parameterCount })).toEqual(plain);
    net.dispose();
  });
});
