// How to read the report's ‖∂C/∂b‖ heatmap and its chart over training (lecturer52 #9): the gap over depth at each step, and,
// only where the run ends on a plateau and its trace shows most of every layer's fall came as the loss reached it, that the fall
// along the steps is the loss reaching its plateau. Read against the trace's own numbers.
import { describe, expect, it } from 'vitest';
import { createNetwork } from '../../src/api/network.js';
import { depthAndStepsNotes } from '../../src/flow/depth-and-steps.js';
import { gapText } from '../../src/flow/diagnosis/diagnosis-words.js';
import { renderReport } from '../../src/flow/report-html.js';
import { diagnose } from '../../src/flow/diagnose.js';
import type { Trace } from '../../src/flow/trace.js';
import { unbrokenPercents } from '../../src/percent-text.js';

/** A full-batch run of a [6, 5, 5, 5, 3] sigmoid network, 40 steps, every step traced. */
async function run(): Promise<Trace> {
  const net = await createNetwork({ sizes: [6, 5, 5, 5, 3], activation: 'sigmoid', loss: 'cross-entropy', backend: 'ref', seed: 4 });
  const x = Array.from({ length: 12 }, (_, r) => Array.from({ length: 6 }, (_, c) => ((r * 7 + c * 3) % 5) / 4));
  const y = x.map((_, r) => [0, 1, 2].map((c) => (c === r % 3 ? 1 : 0)));
  const { trace } = net.train(x, y, { epochs: 40, batchSize: 12, learningRate: 0.5, trace: { every: 1 } });
  net.dispose();
  return trace!;
}

/**
 * The trace's losses and ‖∂C/∂b‖ written over (its arrays are views): the loss falls from 8 to 3.24 by step 10 and holds there;
 * layer l's gradient falls (l + 2)·10× by step 10, then `after` times more by the end (fewer: rises, for `after` below 1).
 */
function shaped(trace: Trace, after: number): Trace {
  const n = trace.length;
  const losses = trace.losses;
  const g = trace.metric('biasGradNorm');
  for (let r = 0; r < n; r++) {
    const reached = Math.min(r / 9, 1);
    losses[r] = r < 9 ? 8 - (4.76 * r) / 9 : 3.24;
    for (let l = 0; l < trace.layers; l++) g[r * trace.layers + l] = 10 ** (l - 4) / ((l + 2) * 10) ** reached / after ** ((r - 9) / (n - 10) * (r >= 9 ? 1 : 0));
  }
  return trace;
}

describe("the gradient heatmap's and chart's notes", () => {
  it("state the gap over depth from the first and last hidden layers' ‖∂C/∂b‖ at every traced step", async () => {
    const trace = await run();
    const ratios = Array.from(trace.series('biasGradNorm', 0), (g, r) => g / trace.series('biasGradNorm', 2)[r]);
    const [low, high] = [Math.min(...ratios), Math.max(...ratios)];
    const range = `${gapText(low)} to ${gapText(high)} of`;
    expect(high).toBeLessThan(0.5);
    const { heatmap, chart } = depthAndStepsNotes(trace, 'learning', true);
    const gap = `the first hidden layer's ‖∂C/∂b‖ is ${range} the last hidden layer's at every traced step.`;
    expect(heatmap).toBe(`Down a column (one step), the gap over depth: ${gap}`);
    // Beside the heatmap the chart's note names the gap and leaves its numbers to the heatmap's; without it, it gives them.
    expect(chart).toBe("Across the lines at one step, the gap over depth (the heatmap's note gives the numbers).");
    expect(depthAndStepsNotes(trace, 'learning', false)).toEqual({ heatmap: '', chart: `Across the lines at one step, the gap over depth: ${gap}` });
    // Not on a plateau: nothing about the fall along the steps.
    expect(heatmap).not.toContain('Along');
  });

  it('say, on a plateau, how far each layer fell along the steps and by when the loss reached it, with its numbers', async () => {
    const trace = shaped(await run(), 1.5);
    const { heatmap, chart } = depthAndStepsNotes(trace, 'plateau', true);
    // Layers 0–3 fell 20, 30, 40, 50× by step 10 (record 9), where the loss reached 3.24, and 1.5× more after it.
    const fall = "each layer's ‖∂C/∂b‖ fell 30.0–75.0× over the run (20.0–50.0× by step 10, where the loss, 3.240, had come within 1 % of its plateau): the fall along the steps is the loss reaching and holding its plateau, not the vanishing gradient.";
    expect(heatmap).toContain(`Along a row, ${fall}`);
    // Its numbers once: the chart beside the heatmap names what the fall is; alone, it gives them.
    expect(chart).toBe("Across the lines at one step, the gap over depth; along a line, the fall along the steps is the loss reaching and holding its plateau, not the vanishing gradient (the heatmap's note gives the numbers).");
    expect(depthAndStepsNotes(trace, 'plateau', false).chart).toContain(`Along a line, ${fall}`);
    // The same numbers read as still learning, or a plateau where the layers' gradients rose over the run: none.
    expect(depthAndStepsNotes(trace, 'learning', true).heatmap).not.toContain('Along');
    expect(depthAndStepsNotes(shaped(await run(), 1e-3), 'plateau', true).heatmap).not.toContain('Along');
  });

  it('are in the report under the heatmap and the chart over training', async () => {
    const trace = await run();
    const html = await renderReport({ runs: [{ label: 'run', trace, diagnosis: diagnose(trace) }] });
    const { heatmap, chart } = depthAndStepsNotes(trace, diagnose(trace).evidence.training?.state, true);
    const caption = (id: string) => new RegExp(`id="[^"]*-${id}"[^>]*><figcaption>([^]*?)</figcaption>`).exec(html)![1];
    // As the page shows a percentage: its number and its sign on one line (unbrokenPercents).
    expect(caption('heatmap')).toContain(`<span class="note">${unbrokenPercents(heatmap)}</span>`);
    expect(caption('norm-over-time')).toContain(`<span class="note">${unbrokenPercents(chart)}</span>`);
  });
});
