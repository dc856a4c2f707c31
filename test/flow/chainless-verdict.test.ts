/**
 * A network without a chain of two hidden layers (one hidden layer, or the rest in ReZero branches, off the chain) has no gap
 * to read: a healthy verdict on it comes from its structure, and only a run that learnt shows the gradient reaching its weights
 * (flowUndecided). newuser49 #16: the visualizer's default network (6 × 16 sigmoid units, the spirals, SGD at 0.1) with ReZero
 * blocks, on a plateau at 60 % of its rows, read "Healthy gradient flow". Both sides on real runs of the page's spirals (seed 1).
 */
import { describe, expect, it } from 'vitest';
import { createNetwork } from '../../src/api/network.js';
import { diagnose, verdictHeading } from '../../src/flow/diagnose.js';
import { chainlessNotLearnt, flowUndecided } from '../../src/flow/diagnosis/verdict-rules.js';
import type { Evidence } from '../../src/flow/diagnosis/diagnosis-types.js';
import type { TrainingProgress } from '../../src/flow/training-progress.js';
import { planarDataset, splitDataset } from '../../demo/src/datasets.js';
import { networkOptions } from '../../demo/src/architecture.js';
import { DEFAULTS, type Settings } from '../../demo/src/settings.js';

const rowsOf = (m: { data: Float32Array; rows: number; cols: number }) => Array.from({ length: m.rows }, (_, r) => Array.from(m.data.subarray(r * m.cols, (r + 1) * m.cols)));
const { train } = splitDataset(planarDataset('spirals', DEFAULTS.seed, DEFAULTS.noise), DEFAULTS.trainPercent);

/** The page's network with ReZero blocks and `changed` settings, trained on the spirals' training points, diagnosed. */
async function rezeroRun(changed: Partial<Settings>, optimizer: 'sgd' | 'adam', learningRate: number, epochs: number) {
  const net = await createNetwork({ ...networkOptions({ ...DEFAULTS, residual: 'rezero', ...changed }, 2, 2), backend: 'ref' });
  net.train(rowsOf(train.x), rowsOf(train.y), { epochs, batchSize: DEFAULTS.batchSize, learningRate, optimizer, trace: { every: 5 } });
  const trace = net.trace!;
  net.dispose();
  return diagnose(trace);
}

describe('a healthy verdict without a chain to read it along', () => {
  it('is no fault found, not healthy, where the run did not learn (ReZero sigmoid on a plateau)', async () => {
    const d = await rezeroRun({}, 'sgd', DEFAULTS.learningRate, 20);
    expect(d.evidence.hiddenLayers).toBe(1);
    expect(d.evidence.training!.state).toBe('plateau');
    expect(chainlessNotLearnt(d.evidence)).toBe('at chance');
    expect(d.verdict).toBe('healthy');
    expect(flowUndecided(d.evidence)).toBe(true);
    expect(d.undecided).toBe(true);
    expect(verdictHeading(d)).not.toMatch(/^HEALTHY/);
    expect(d.headline).toMatch(/^No fault found in the gradient flow: 1 hidden layer on the chain \(the 5 dense layers in ReZero branches are off it\), no chain to vanish or explode along; a plateau/);
    expect(d.summary).toMatch(/^No fault found in the gradient flow: with 1 hidden layer on the chain .* there is no chain of hidden layers for the gradient to vanish or explode along, and nothing measured shows the gradient reaching the weights: the model ended at chance\. A plateau/);
    expect(d.summary).not.toContain('Healthy');
  });

  it('is healthy where the run learnt (ReZero relu with He weights, Adam)', async () => {
    const d = await rezeroRun({ activation: 'relu', init: 'he-normal' }, 'adam', 0.01, 100);
    expect(d.evidence.hiddenLayers).toBe(1);
    expect(d.evidence.training!.accuracyEnd).toBeGreaterThan(0.9);
    expect(d.verdict).toBe('healthy');
    expect(flowUndecided(d.evidence)).toBe(false);
    expect(d.undecided).toBeUndefined();
    expect(d.headline).toMatch(/^Healthy gradient flow: 1 hidden layer on the chain \(the 5 dense layers in ReZero branches are off it\), no chain to vanish or explode along;/);
    expect(d.summary).not.toContain('nothing measured shows');
  });

  it('reads each way a run shows it did not learn, and each way it did', () => {
    /** A chain-less network's evidence with a run of `p`: 2 classes, its loss from 1 to `lossEnd`. */
    const evidence = (p: Partial<TrainingProgress> | undefined, hiddenLayers = 1) =>
      ({ hiddenLayers, training: p && { state: 'plateau', lossStart: 1, startNoise: 0, lossEnd: 0.9, accuracyEnd: 0.8, chance: 0.5, chanceLeast: 0.5, ...p } }) as unknown as Evidence;
    expect(chainlessNotLearnt(evidence(undefined))).toBe('unread');
    expect(chainlessNotLearnt(evidence({ accuracyEnd: 0.52, state: 'learning' }))).toBe('at chance');
    expect(chainlessNotLearnt(evidence({}))).toBe('loss fell too little');
    expect(chainlessNotLearnt(evidence({ state: 'unclear' }))).toBe('loss fell too little');
    expect(chainlessNotLearnt(evidence({ lossEnd: 0.5 }))).toBeUndefined();
    expect(chainlessNotLearnt(evidence({ state: 'learning' }))).toBeUndefined();
    expect(chainlessNotLearnt(evidence({ state: 'converged' }))).toBeUndefined();
    // A chain's verdict is read from its gap, not from the loss.
    expect(chainlessNotLearnt(evidence(undefined, 2))).toBeUndefined();
  });
});
