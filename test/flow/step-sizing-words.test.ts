/**
 * The speed clause names how the run's optimiser sizes its steps in words true of it (newuser48 #4): "which its optimiser sizes
 * layer by layer" was said of Adam (which sizes each weight's step), of Hessian-free (curvature) and of a registered plain-SGD
 * plugin (which sizes nothing). An optimiser gradscope does not know is read by its steps, with no claim of how it sizes them.
 */
import { describe, expect, it } from 'vitest';
import { diagnose } from '../../src/flow/diagnose.js';
import type { TraceRun } from '../../src/flow/trace.js';
import { stepSizing } from '../../src/flow/diagnosis/learning-speed.js';
import { OPTIMIZERS, registerOptimizer } from '../../src/optim/index.js';
import { SECOND_ORDER_OPTIMIZERS } from '../../src/optimizer-defaults.js';
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

  it("'rescales by curvature' is said of exactly the registry's second-order optimisers (SECOND_ORDER_OPTIMIZERS, which gives each built-in its kind)", () => {
    // Walked over the registry, so a new built-in second-order optimiser is counted: its kind and these words come from one list.
    const secondOrder = OPTIMIZERS.filter((d) => d.kind === 'second-order').map((d) => d.name);
    expect(secondOrder.sort()).toEqual([...SECOND_ORDER_OPTIMIZERS].sort());
    for (const { name, kind } of OPTIMIZERS) expect(stepSizing({ optimizer: name })?.per === 'curvature', `${name} (${kind})`).toBe(kind === 'second-order');
    // A plugin's kind is its own: of its steps nothing is claimed, whatever kind it gives.
    registerOptimizer({ ...OPTIMIZERS.find((d) => d.name === 'hessian-free')!, name: 'curvature-plugin', kind: 'second-order' });
    try {
      expect(stepSizing({ optimizer: 'curvature-plugin' })).toBeUndefined();
    } finally {
      OPTIMIZERS.splice(OPTIMIZERS.findIndex((d) => d.name === 'curvature-plugin'), 1);
    }
  });

  it("a registered optimiser gradscope does not know: its steps, and no claim of how it sizes them", () => {
    const d = diagnosed({ optimizer: 'plain', learningRate: 0.1 });
    expect(d.evidence.speedMeasure).toBe('step');
    expect(d.headline).toContain('by the steps taken, ‖ΔW‖/‖W‖, the first hidden layer learns 10.0× slower than the last');
    expect(d.summary).toContain("The steps taken, ‖ΔW‖/‖W‖ (plain is not one of gradscope's, so the steps are read as taken: the gradient's size need not say how far a layer moves)");
    expect(`${d.headline} ${d.summary}`).not.toMatch(/sizes (layer|weight) by|rescales by/);
  });
});
