// Which biases a batch norm cancels: a linear dense layer's, when the next row of its own stack is a
// batch norm (its mean subtraction removes b, so ∂C/∂b is 0 up to rounding); the diagnosis then reads
// no speed of learning from those biases.
import { describe, expect, it } from 'vitest';
import { createNetwork } from '../../src/api/network.js';
import { biasesCancelledByBatchNorm, cancelledBiasNote, chartedBiasRows } from '../../src/flow/cancelled-biases.js';
import { expectError } from '../util/expect-error.js';
import { diagnose } from '../../src/flow/diagnose.js';
import { traceTable } from '../../src/cli/trace-table.js';
import { Trace } from '../../src/flow/trace.js';
import type { TappedLayerType } from '../../src/flow-taps.js';
import type { OutputActivation } from '../../src/kernels.js';
import { Rng } from '../../src/init/rng.js';
import { quoteOn } from '../util/page-quotes.js';

function rowsTrace(rows: [string, TappedLayerType, OutputActivation][]): Trace {
  return new Trace({
    sizes: [3, ...rows.map(() => 4)],
    activations: rows.map((r) => r[2]),
    loss: 'cross-entropy',
    every: 1,
    blocks: { layers: rows.map(([name, type]) => ({ name, type })), residuals: [{ name: '4', gate: 'none' }] },
  });
}

describe('biases cancelled by a batch norm', () => {
  it('are a linear dense layer\'s whose next row in the same stack is a batch norm', () => {
    const trace = rowsTrace([
      ['0', 'dense', 'linear'], // → batch norm '1': cancelled
      ['1', 'batch-norm', 'linear'],
      ['2', 'dense', 'tanh'], // its tanh comes between it and the batch norm: not cancelled
      ['3', 'batch-norm', 'linear'],
      ['4', 'residual', 'linear'],
      ['4.branch.0', 'dense', 'linear'], // → batch norm in the same branch: cancelled
      ['4.branch.1', 'batch-norm', 'linear'],
      ['4.branch.2', 'dense', 'linear'], // the next row, '5', is outside its branch: not cancelled
      ['5', 'batch-norm', 'linear'],
      ['6', 'dense', 'linear'], // → a layer norm, which keeps the bias's gradient: not cancelled
      ['7', 'layer-norm', 'linear'],
      ['8', 'dense', 'softmax'],
    ]);
    expect(biasesCancelledByBatchNorm(trace)).toEqual([0, 5]);
    // The charts (the report's, the visualizer's) show every other row with a ‖∂C/∂b‖ (not the residual row '4').
    expect(chartedBiasRows(trace)).toEqual([1, 2, 3, 6, 7, 8, 9, 10, 11]);
    // A dense network's trace has no batch norm: every layer is charted.
    const dense = new Trace({ sizes: [3, 4, 2], activations: ['sigmoid', 'softmax'], loss: 'cross-entropy', every: 1 });
    expect(biasesCancelledByBatchNorm(dense)).toEqual([]);
    expect(chartedBiasRows(dense)).toEqual([0, 1]);
  });

  it('are asked of a Trace only (public functions): anything else is refused, naming the function and what it got', async () => {
    for (const [name, f] of Object.entries({ biasesCancelledByBatchNorm, chartedBiasRows, cancelledBiasNote })) {
      await expectError(() => f(undefined as never), 'INVALID_OPTION', new RegExp(`^${name}\\(trace\\): expected a Trace .*, got none$`));
      await expectError(() => f({ metrics: {}, steps: [] } as never), 'INVALID_OPTION', new RegExp(`^${name}\\(trace\\): expected a Trace`));
    }
  });

  it("leaves them out of the diagnosis's ‖∂C/∂b‖ gap and plateau, and says why", async () => {
    const rng = new Rng(5);
    const x = Array.from({ length: 64 }, () => Array.from({ length: 6 }, () => rng.normal()));
    const y = x.map((row) => (row[0] + row[1] > 0 ? [1, 0] : [0, 1]));
    const hidden = Array.from({ length: 3 }, () => [{ type: 'dense', units: 8 }, { type: 'batch-norm' }, { type: 'activation', activation: 'sigmoid' }]).flat();
    const net = await createNetwork({ inputs: 6, layers: [...hidden, { type: 'dense', units: 2, activation: 'softmax' }] as never, loss: 'cross-entropy', backend: 'ref', seed: 2 });
    net.train(x, y, { epochs: 3, batchSize: 16, learningRate: 0.1, trace: { every: 1 } });
    const trace = net.trace!;
    net.dispose();
    const d = diagnose(trace);
    const [first, last] = [0, d.evidence.chain!.at(-1)!];
    expect(biasesCancelledByBatchNorm(trace)).toEqual(expect.arrayContaining([first, last]));
    // What the trace holds there is rounding, far below the norms' β.
    expect(Math.max(...trace.series('biasGradNorm', first))).toBeLessThan(1e-9 * Math.min(...trace.series('biasGradNorm', first + 1)));
    expect(d.evidence.firstToLast).toEqual({ first: NaN, last: NaN, median: NaN });
    expect(d.evidence.lastHiddenChange).toBeNaN();
    expect(d.evidence.normalisedBy).toBeDefined();
    expect(d.summary).toContain(`the ‖∂C/∂b‖ of layers[0] ('0', dense), layers[6] ('${trace.blocks!.layers[last].name}', dense) measures no speed of learning: each feeds a batch norm, which cancels its bias (gradient 0 up to rounding).`);
    expect(d.summary).not.toMatch(/‖∂C\/∂b‖ \([0-9.e+-]+×\)/);
    // The CLI's table prints no ratio against the cancelled last hidden bias (it printed 1e5–1e6× for the norms' β).
    const [header, , ...rows] = traceTable(trace).split('\n');
    const column = header.indexOf('‖∂C/∂b‖ ÷ last hidden');
    expect(column).toBeGreaterThan(0);
    expect(rows).toHaveLength(trace.layers);
    for (const row of rows.slice(0, -1)) expect(row.slice(column, column + '‖∂C/∂b‖ ÷ last hidden'.length).trim(), row).toBe('—');
    // As docs/gradient-flow.md names the column and its mark.
    expect([header.includes(quoteOn('docs/gradient-flow.md', '‖∂C/∂b‖ ÷ last hidden')), rows[0].includes(quoteOn('docs/gradient-flow.md', '—'))]).toEqual([true, true]);
  });
});
