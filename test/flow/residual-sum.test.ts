/**
 * An exploding gap read through residual blocks (gate 'none'): each block's skip passes ∂C/∂y back unchanged and its
 * branch adds its own share, so the first hidden layer's δ is the sum of the paths through every block. diagnose()
 * says so, with the branches' share beside the skips' that the trace recorded (skipGradRms, branchGradRms). No clipNorm is
 * offered for it: clipping scales every layer's gradient alike, and applied it ended with a higher loss in each of 12 runs (relu
 * and tanh set-ups, seeds 1–3, 4 and 20 epochs; 2026-12-05, src/flow/diagnosis/verdict-remedies.ts): seed 1's relu run is here.
 */
import { describe, expect, it } from 'vitest';
import { createNetwork } from '../../src/api/network.js';
import { diagnose } from '../../src/flow/diagnose.js';
import type { LayerSpec } from '../../src/layers/spec.js';
import { median } from '../../src/median.js';
import { numberText } from '../../src/number-text.js';
import { expectSummaryExplained } from '../util/summary-explained.js';

const [INPUTS, CLASSES, ROWS, WIDTH, BLOCKS] = [8, 4, 256, 16, 4];

/** ROWS rows spread over [−1, 1)⁸, classed by the signs of their first two inputs (one-hot, 4 classes). */
function rows(): { x: number[][]; y: number[][] } {
  let s = 7;
  const next = () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32;
  const x = Array.from({ length: ROWS }, () => Array.from({ length: INPUTS }, () => 2 * next() - 1));
  const y = x.map((row) => {
    const c = (row[0] > 0 ? 1 : 0) + (row[1] > 0 ? 2 : 0);
    return Array.from({ length: CLASSES }, (_, k) => (k === c ? 1 : 0));
  });
  return { x, y };
}

describe('an exploding gap through residual blocks', () => {
  it("names the blocks' sum of paths and the branches' share beside the skips'", async () => {
    const branch: LayerSpec = { type: 'residual', layers: [{ type: 'dense', units: WIDTH, activation: 'relu' }] };
    const layers: LayerSpec[] = [{ type: 'dense', units: WIDTH, activation: 'relu' }, ...Array.from({ length: BLOCKS }, () => branch), { type: 'dense', units: CLASSES, activation: 'softmax' }];
    const net = await createNetwork({ inputs: INPUTS, loss: 'cross-entropy', init: 'he-normal', seed: 1, layers });
    const { x, y } = rows();
    net.train(x, y, { epochs: 4, batchSize: 32, learningRate: 0.1, trace: { every: 2 } });
    const trace = net.trace!;
    net.dispose();
    const d = diagnose(trace);
    expectSummaryExplained(d, 'residual');
    expect(d.verdict, d.summary).toBe('exploding');
    const shares = Array.from({ length: BLOCKS }, (_, b) => trace.fullBatchRecords().map((r) => trace.residualSeries('branchGradRms', b)[r] / trace.residualSeries('skipGradRms', b)[r])).flat();
    expect(d.summary).toContain(
      `The gradient reaching the first hidden layer layers[0] ('0', dense) passes back through ${BLOCKS} residual blocks, each of which adds its branch's share to the ∂C/∂y its skip passes on unchanged: ` +
        `the branch's share of ∂C/∂x was ${numberText(median(shares))}× the skip's`,
    );
    expect(d.summary).toMatch(/δ is the sum of the paths through every block, not one path's product of factors\./);
    // ReZero, offered for it, holds every branch's share at 0 to start.
    expect(d.remedies.map((r) => r.option)).toContainEqual(expect.stringMatching(/gate: 'rezero'/));
    // Clipping is not offered: the same run clipped at norm 1 leaves the gap as it was and ends with a higher loss over the rows.
    expect(d.remedies.some((r) => r.settings.some((s) => s.option === 'clipNorm'))).toBe(false);
    const loss = async (clipNorm?: number) => {
      const again = await createNetwork({ inputs: INPUTS, loss: 'cross-entropy', init: 'he-normal', seed: 1, layers });
      again.train(x, y, { epochs: 4, batchSize: 32, learningRate: 0.1, ...(clipNorm && { clipNorm }) });
      const { loss } = again.evaluate(x, y);
      again.dispose();
      return loss;
    };
    expect(await loss(1)).toBeGreaterThan(1.2 * (await loss()));
  });
});
