// `gradscope curvature` on a relu network printed the same largest eigenvalues and traces on each layer's H and G rows,
// and nothing said why (newuser31): it reads like a bug. Where each layer's diagonal block of H is its block of G
// (every curvature term f'' = 0), the table says so under it; elsewhere it does not, and the rows differ.
import { describe, expect, it } from 'vitest';
import { codeQuoteOn, quotePattern } from '../util/page-quotes.js';
import { createNetwork } from '../../src/api/network.js';
import { measureCurvature } from '../../src/curvature/curvature.js';
import { curvatureTable } from '../../src/cli/commands/curvature.js';
import type { Activation, Loss, OutputActivation } from '../../src/kernels.js';
import type { LayerSpec } from '../../src/layers/spec.js';

const x = Array.from({ length: 6 }, (_, r) => Array.from({ length: 3 }, (_, c) => Math.sin(1 + r * 3 + c)));
const y = Array.from({ length: 6 }, (_, r) => [r % 2, 1 - (r % 2)]);

async function measured(activation: Activation, output: OutputActivation, loss: Loss, options: { layers?: boolean; exactTraceLimit?: number } = {}) {
  const net = await createNetwork({ sizes: [3, 5, 4, 2], activation, output, loss, seed: 3 });
  try {
    const report = measureCurvature(net, x, y, { k: 2, ...options });
    return { report, table: curvatureTable(report, undefined, net) };
  } finally {
    net.dispose();
  }
}

const NOTE = /^H and G rows agree/m;

describe("the curvature table says when H's and G's rows agree because their blocks are the same", () => {
  // agree: every curvature term f'' is 0, so each layer's block of H is its block of G; differ: a curved term within the blocks.
  it.each([
    ['relu', 'softmax', 'cross-entropy', 'agree'],
    ['leaky-relu', 'sigmoid', 'binary-cross-entropy', 'agree'],
    ['relu', 'linear', 'mse', 'agree'],
    ['sigmoid', 'softmax', 'cross-entropy', 'differ'],
    ['tanh', 'softmax', 'cross-entropy', 'differ'],
    ['relu', 'sigmoid', 'mse', 'differ'],
  ] as const)("%s hidden, %s output, %s: the rows %s (agree: each layer's and the whole traces, and the note says why; differ: no note)", async (activation, output, loss, rows) => {
    const { report, table } = await measured(activation, output, loss);
    if (rows === 'agree') {
      for (const layer of report.layers) {
        expect(layer.gaussNewton.largest).toEqual(layer.hessian.largest.slice(0, layer.gaussNewton.largest.length));
        expect(layer.gaussNewton.trace).toBeCloseTo(layer.hessian.trace, 12);
      }
      expect(report.gaussNewton.trace).toBeCloseTo(report.hessian.trace, 12);
      expect(table).toMatch(NOTE);
      expect(table).toContain(`H and G rows agree per layer and in the whole network's trace, as they must here: ${activation}`);
      if (activation === 'relu' && output === 'linear') expect(table).toMatch(quotePattern(codeQuoteOn('docs/cli.md', 'H and G rows agree per layer')));
    } else {
      expect(report.layers.some((l) => l.gaussNewton.trace !== l.hessian.trace)).toBe(true);
      expect(table).not.toMatch(NOTE);
    }
  });

  it('--no-layers: the note claims the whole traces only when they are exact, and nothing when they are probed', async () => {
    const exact = await measured('relu', 'softmax', 'cross-entropy', { layers: false });
    expect(exact.table).toContain("H and G rows agree in the whole network's trace, as they must here");
    expect(exact.report.gaussNewton.trace).toBeCloseTo(exact.report.hessian.trace, 12);
    const probed = await measured('relu', 'softmax', 'cross-entropy', { layers: false, exactTraceLimit: 0 });
    expect(probed.table).not.toMatch(NOTE);
  });

  // A block network's blocks of H are G's on the same terms (residual blocks and activation layers add no f''
  // within a block; a ReZero α times its branch lies between blocks), but never with a norm layer, which divides by σ.
  const block = (norm: LayerSpec[], activation: Activation): LayerSpec[] => [
    { type: 'dense', units: 4, activation },
    { type: 'residual', gate: 'rezero', layers: [{ type: 'dense', units: 4 }, ...norm, { type: 'activation', activation }] },
    { type: 'dense', units: 2, activation: 'softmax' },
  ];
  async function measuredBlocks(layers: LayerSpec[]) {
    const net = await createNetwork({ inputs: 3, layers, loss: 'cross-entropy', seed: 4, backend: 'ref' });
    for (const p of net.parameters()) if (p.name.endsWith('alpha')) net.kernels.write(p.value, [0.7]);
    try {
      const report = measureCurvature(net, x, y, { k: 2 });
      return { report, table: curvatureTable(report, undefined, net) };
    } finally {
      net.dispose();
    }
  }

  it('a block network of relu layers and a ReZero block: each layer\'s rows agree, and the note says so', async () => {
    const { report, table } = await measuredBlocks(block([], 'relu'));
    for (const layer of report.layers) {
      layer.gaussNewton.largest.forEach((g, i) => expect(g).toBeCloseTo(layer.hessian.largest[i], 10));
      expect(layer.gaussNewton.trace).toBeCloseTo(layer.hessian.trace, 10);
    }
    expect(table).toContain("H and G rows agree per layer and in the whole network's trace, as they must here: relu, linear have f'' = 0, so H adds to G only terms between layers (the products' V^l·δ^l, a ReZero gate's α times its branch)");
  });

  it.each([
    ['a layer norm in the block, relu', [{ type: 'layer-norm' }], 'relu'],
    ['a batch norm in the block, relu', [{ type: 'batch-norm' }], 'relu'],
    ['no norm, tanh', [], 'tanh'],
  ] as const)('a block network with %s: the rows differ and no note', async (_name, norm, activation) => {
    const { report, table } = await measuredBlocks(block([...norm], activation));
    expect(report.layers.some((l) => Math.abs(l.gaussNewton.trace - l.hessian.trace) > 1e-9 * Math.abs(l.hessian.trace))).toBe(true);
    expect(table).not.toMatch(NOTE);
  });

  it('without the network, the table says nothing of it', async () => {
    const { report } = await measured('relu', 'softmax', 'cross-entropy');
    expect(curvatureTable(report)).not.toMatch(NOTE);
  });
});
