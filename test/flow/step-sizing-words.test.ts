/**
 * The speed clause names how the run's optimiser sizes its steps in words true of it (newuser48 #4): "which its optimiser sizes
 * layer by layer" was said of Adam (which sizes each weight's step), of Hessian-free (curvature) and of a registered plain-SGD
 * plugin (which sizes nothing). An optimiser gradscope does not know is read by its steps, with no claim of how it sizes them.
 */
import { describe, expect, it } from 'vitest';
import { diagnose } from '../../src/flow/diagnose.js';
import type { TraceRun } from '../../src/flow/trace.js';
import { gapTrace } from '../util/gap-trace.js';

/** A vanishing gap of 1/100 at every record, the first hidden layer stepping a tenth as far as the last. */
const diagnosed = (run: TraceRun) => diagnose(gapTrace(Array<number>(8).fill(0.01), run, { first: 1e-4, last: 1e-3 }));

describe('how the steps are sized, in words true of the optimiser', () => {
  it.each([
    [{ optimizer: 'adam', learningRate: 0.001 }, 'which its optimiser sizes weight by weight', "adam: it sizes each weight's step itself"],
    [{ optimizer: 'rmsprop', learningRate: 0.001 }, 'which its optimiser sizes weight by weight', "rmsprop: it sizes each weight's step itself"],
    [{ optimizer: 'lars', learningRate: 1 }, 'which its optimiser sizes layer by layer', "lars: it sizes each layer's step itself"],
    [{ optimizer: 'sgd', learningRate: 0.1, layerRates: [10, 1, 1, 1] }, 'which its per-layer rates size layer by layer', "sgd with per-layer rates: its per-layer rates size each layer's step"],
    [{ optimizer: 'kfac', learningRate: 1 }, 'which its optimiser rescales by curvature', 'kfac: it rescales the steps by curvature'],
    [{ optimizer: 'hessian-free' }, 'which its optimiser rescales by curvature', 'hessian-free: it rescales the steps by curvature'],
  ] as [TraceRun, string, string][])('%o', (run, headline, summary) => {
    const d = diagnosed(run);
    expect(d.evidence.speedMeasure).toBe('step');
    expect(d.headline).toContain(`by the steps taken, ‖ΔW‖/‖W‖, ${headline}, the first hidden layer learns 10.0× slower than the last`);
    expect(d.summary).toContain(`The steps taken, ‖ΔW‖/‖W‖ (${summary}, so the gradient's size does not say how far a layer moves)`);
  });

  it("a registered optimiser gradscope does not know: its steps, and no claim of how it sizes them", () => {
    const d = diagnosed({ optimizer: 'plain', learningRate: 0.1 });
    expect(d.evidence.speedMeasure).toBe('step');
    expect(d.headline).toContain('by the steps taken, ‖ΔW‖/‖W‖, the first hidden layer learns 10.0× slower than the last');
    expect(d.summary).toContain("The steps taken, ‖ΔW‖/‖W‖ (plain is not one of gradscope's, so the steps are read as taken: the gradient's size need not say how far a layer moves)");
    expect(`${d.headline} ${d.summary}`).not.toMatch(/sizes (layer|weight) by|rescales by/);
  });
});
