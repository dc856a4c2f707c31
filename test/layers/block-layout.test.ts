// blockTensorLayout lists, without building anything, exactly the tensors a built stack's
// stateDict holds: names, shapes, dtypes and order, for random block networks and the example one.
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/init/rng.js';
import { blockTensorLayout, moduleIndices } from '../../src/layers/block-layout.js';
import { buildSequential } from '../../src/layers/sequential.js';
import { checkLayerSpecs, type CheckedSpec } from '../../src/layers/spec.js';
import { stateDict } from '../../src/layers/state-dict.js';
import { createRefKernels } from '../../src/ref/ref-kernels.js';
import { EXAMPLE_SPECS } from '../util/block-model.js';
import { randomBlockCase } from '../util/random-blocks.js';

const ref = createRefKernels();

function builtLayout(specs: CheckedSpec[], inputs: number) {
  const stack = buildSequential(ref, specs, inputs, new Rng(3));
  const entries = stateDict(stack).map((e) => ({ name: e.name, shape: [...e.shape], dtype: 'dtype' in e ? e.dtype : 'float' }));
  expect(moduleIndices(specs)).toEqual(stack.moduleIndex);
  stack.dispose();
  return entries;
}

describe('blockTensorLayout', () => {
  it("lists the example network's state_dict as a built stack names it", () => {
    const specs = checkLayerSpecs(EXAMPLE_SPECS, 4);
    const layout = blockTensorLayout(specs, 4);
    expect(layout).toEqual(builtLayout(specs, 4));
    expect(layout.map((t) => t.name)).toContain('6.branch.1.branch.0.weight');
  });

  it('agrees with stateDict for 200 random block networks', () => {
    const rng = new Rng(20);
    for (let i = 0; i < 200; i++) {
      const c = randomBlockCase(rng, { maxLayers: 6, maxWidth: 5, minBatch: 1, maxBatch: 1 });
      expect(blockTensorLayout(c.specs, c.inputs), JSON.stringify(c.specs)).toEqual(builtLayout(c.specs, c.inputs));
    }
  });
});
