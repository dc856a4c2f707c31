/**
 * A run's learning curve in the report: where its epochs measured validation rows, the loss on them
 * after each epoch, beside the training subset's at the same weights (TraceEpoch.training: what the
 * overfitting verdict compares) and the epoch's mean batch loss, each point at its epoch and at the
 * height of its value on the chart's axis; a trace saved before the subset was recorded draws the
 * other two; a run without validation has no learning curve. Where 'halve' lowered the learning
 * rate, the rate in force per epoch is drawn.
 */
import { describe, expect, it } from 'vitest';
import { createNetwork } from '../../src/api/network.js';
import { diagnose } from '../../src/flow/diagnose.js';
import { renderReport } from '../../src/flow/report-html.js';
import { linePoints } from '../../src/flow/svg.js';
import { Trace, type TraceJSON } from '../../src/flow/trace.js';
import { Rng } from '../../src/init/rng.js';
import type { TrainOptions } from '../../src/training/train-options.js';
import { sabotaged } from '../util/sabotaged-optimizer.js';

const rng = new Rng(21);
const x = Array.from({ length: 36 }, () => Array.from({ length: 4 }, () => rng.normal()));
const y = x.map((row) => (row[0] - row[2] > 0 ? [1, 0] : [0, 1]));
const held = { x: x.slice(24), y: y.slice(24) };
const training = { x: x.slice(0, 24), y: y.slice(0, 24) };

async function traced(options: TrainOptions, refused: number[] = []): Promise<Trace> {
  const net = await createNetwork({ sizes: [4, 6, 2], activation: 'tanh', output: 'softmax', seed: 5, backend: 'ref' });
  const optimizer = sabotaged(net, new Set(refused));
  net.train(training.x, training.y, { optimizer, epochs: 5, batchSize: 8, shuffle: false, learningRate: 0.2, trace: { every: 1 }, ...options });
  const trace = net.trace!;
  optimizer.dispose();
  net.dispose();
  return trace;
}

/** The line chart `id` of a report page: its title and, per series, its name and its points read back as (x, value) from the plot's y axis. */
function chartOf(html: string, id: string): { title: string; series: { name: string; points: [number, number][] }[] } | undefined {
  const figure = new RegExp(`<figure class="chart" id="${id}"[^>]*><figcaption>([^<]*)</figcaption>(.*?)</figure>`).exec(html);
  if (!figure) return undefined;
  const plot = /<svg class="plot" data-y0="([^"]+)" data-y1="([^"]+)"( data-log)?[^>]* viewBox="[^ ]+ 0 [^ ]+ ([^"]+)"/.exec(figure[2])!;
  const [y0, y1, log, height] = [Number(plot[1]), Number(plot[2]), plot[3] !== undefined, Number(plot[4])];
  const value = (py: number) => {
    const v = y0 + ((height - py) / height) * (y1 - y0);
    return log ? 10 ** v : v;
  };
  const series = [...figure[2].matchAll(/<g class="series"[^>]*><title>([^<]*)<\/title><path d="([^"]*)"/g)].map((m) => ({
    name: m[1],
    points: linePoints(m[2]).map(({ x, y }) => [x, value(y)] as [number, number]),
  }));
  return { title: figure[1], series };
}

/** Within the chart's drawing precision: points are whole pixels over its 232-pixel plot. */
function expectDrawn(points: [number, number][], values: number[], span: number): void {
  expect(points.map(([x]) => x)).toEqual(values.map((_, i) => i + 1));
  points.forEach(([, v], i) => expect(Math.abs(v - values[i]), `epoch ${i + 1}`).toBeLessThanOrEqual(span / 232 / 2 + 1e-12));
}

const report = async (trace: Trace) => renderReport({ runs: [{ label: 'run', trace, diagnosis: diagnose(trace), id: 'r' }] });

describe("the report's learning curve", () => {
  it('draws the held-out loss, the training subset at the same weights and the batch mean, per epoch', async () => {
    const trace = await traced({ validation: held });
    const chart = chartOf(await report(trace), 'r-learning-curve')!;
    expect(chart.title).toBe("Loss after each epoch on the held-out rows and on 12 training rows at the same weights, and the epoch's mean batch loss");
    expect(chart.series.map((s) => s.name)).toEqual(['held-out rows', 'training subset (12 rows)', 'batch mean']);
    const all = trace.epochs.flatMap((e) => [e.validation!.loss, e.training!.loss, e.loss]);
    const span = Math.max(...all) - Math.min(...all);
    expectDrawn(chart.series[0].points, trace.epochs.map((e) => e.validation!.loss), span);
    expectDrawn(chart.series[1].points, trace.epochs.map((e) => e.training!.loss), span);
    expectDrawn(chart.series[2].points, trace.epochs.map((e) => e.loss), span);
    // Not lowered: no learning-rate chart.
    expect(chartOf(await report(trace), 'r-learning-rate')).toBeUndefined();
  });

  it('draws the validation loss and the batch mean of a trace saved before the subset was recorded, and nothing without validation', async () => {
    const json: TraceJSON = JSON.parse(JSON.stringify((await traced({ validation: held })).toJSON()));
    for (const e of json.epochs!) delete e.training;
    const older = Trace.fromJSON(json);
    const chart = chartOf(await report(older), 'r-learning-curve')!;
    expect(chart.title).toBe("Loss after each epoch on the held-out rows, and the epoch's mean batch loss");
    expect(chart.series.map((s) => s.name)).toEqual(['held-out rows', 'batch mean']);
    // Validation on the training rows themselves (the same arrays): their loss is every training row's.
    const self = await traced({ validation: training });
    const own = chartOf(await report(self), 'r-learning-curve')!;
    expect(own.title).toBe("Loss after each epoch on all training rows, and the epoch's mean batch loss");
    expect(own.series.map((s) => s.name)).toEqual(['all training rows', 'batch mean']);
    expect(chartOf(await report(await traced({})), 'r-learning-curve')).toBeUndefined();
  });

  it("draws the learning rate in force in each epoch where 'halve' lowered it", async () => {
    // 3 batches an epoch; attempt 5 (epoch 2's second batch) refused: epoch 2 runs again at 0.1.
    const trace = await traced({ validation: held, onNonFinite: 'halve' }, [5]);
    const chart = chartOf(await report(trace), 'r-learning-rate')!;
    expect(chart.series.map((s) => s.name)).toEqual(['learning rate']);
    const rates = [0.2, 0.1, 0.1, 0.1, 0.1];
    expect(chart.series[0].points.map(([epoch]) => epoch)).toEqual([1, 2, 3, 4, 5]);
    // On its log axis (0.1 … 1, one decade over 232 pixels), within half a pixel.
    chart.series[0].points.forEach(([, rate], i) => expect(Math.abs(Math.log10(rate / rates[i]))).toBeLessThanOrEqual(0.5 / 232 + 1e-12));
  });
});
