// The report's saturation chart says once which fraction it draws: where every hidden layer's is the
// same (all saturated: sigmoid, tanh, softsign; all dead: relu family), its y axis names it and each
// line is its layer's name (the main report wrote '(saturated)' after each of 140 names, ~1.7 KB);
// a network that mixes them names each line's own.
import { describe, expect, it } from 'vitest';
import { createNetwork } from '../../src/api/network.js';
import { diagnose } from '../../src/flow/diagnose.js';
import { renderReport } from '../../src/flow/report-html.js';
import type { LayerOptions } from '../../src/network/config.js';
import { legendOf } from '../util/chart-key.js';

/** The saturation chart of a run of a network of these hidden layers (and a softmax of 2): its y axis' label and its legend's names. */
async function saturationChart(hidden: LayerOptions[]): Promise<{ yLabel: string; names: string[] }> {
  const net = await createNetwork({ inputs: 3, layers: [...hidden, { units: 2, activation: 'softmax' }], seed: 2, backend: 'ref' });
  net.train([[0, 1, 2], [1, 0, -1], [2, 2, 0], [-1, 1, 1]], [[1, 0], [0, 1], [1, 0], [0, 1]], { epochs: 2, batchSize: 2, trace: { every: 1 } });
  const trace = net.trace!;
  net.dispose();
  const page = await renderReport({ runs: [{ label: 'run', trace, diagnosis: diagnose(trace) }] });
  const figure = /<figure class="chart" id="run-0-saturation"[\s\S]*?<\/figure>/.exec(page)![0];
  return { yLabel: /<text class="axis y-title">([^<]*)<\/text>/.exec(figure)![1], names: legendOf(figure).map((entry) => entry.name) };
}

describe("the report's saturation chart", () => {
  it('names the fraction once, on its y axis, where every hidden layer has the same kind', async () => {
    // Neither layer saturates in 4 steps: both lines lie on 0, one under the other, and the key says so (series-marks).
    expect(await saturationChart([{ units: 4, activation: 'tanh' }, { units: 4, activation: 'sigmoid' }])).toEqual({ yLabel: 'saturated fraction', names: ['hidden 1 (under hidden 2)', 'hidden 2'] });
    expect(await saturationChart([{ units: 4, activation: 'relu' }, { units: 4, activation: 'relu' }])).toEqual({ yLabel: 'dead fraction', names: ['hidden 1', 'hidden 2'] });
  });

  it("names each layer's own where the network mixes them", async () => {
    expect(await saturationChart([{ units: 4, activation: 'relu' }, { units: 4, activation: 'sigmoid' }])).toEqual({ yLabel: 'fraction', names: ['hidden 1 (dead)', 'hidden 2 (saturated)'] });
  });
});
