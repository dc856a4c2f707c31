/**
 * Adam's remedy says how many of this run's weight layers lie below Adam's ε at the trace's first record, measured
 * from the trace (adamEpsilonWords), not quoted from study (c). Here study (c)'s 10-layer plain sigmoid net (seed 1)
 * at initialisation on one batch of 32 digits: the counts are re-computed from the gradient's entries themselves
 * (root-mean-square entry and largest entry per weight layer), so a wrong count, a wrong layer or the wrong ε fails.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { TraceRecorder } from '../../src/flow/recorder.js';
import { ADAM_DEFAULTS } from '../../src/optimizer-defaults.js';
import { adamEpsilonWords } from '../../src/flow/diagnosis/vanishing-optimizer-remedies.js';
import { diagnose } from '../../src/flow/diagnose.js';
import { tracedRun, type Rows } from '../util/traced-run.js';
import { onPlainSigmoidNet, PLAIN_SIGMOID_BATCH, plainSigmoidBatch, plainSigmoidNet } from '../util/plain-sigmoid-batch.js';

let digits: Rows;
beforeAll(async () => {
  digits = await plainSigmoidBatch();
});

/** The weight layers (from 0) whose entries satisfy `below`, given each layer's entries. */
const layersWhere = (layers: readonly ArrayLike<number>[], below: (entries: number[]) => boolean) =>
  layers.map((w, l) => (below(Array.from(w)) ? l : -1)).filter((l) => l >= 0);

describe("Adam's remedy counts this run's weight layers below ε from its trace", () => {
  it("counts the layers whose root-mean-square ∂C/∂W entry, and whose every entry, is below ε at the first record (study (c)'s 10-layer sigmoid net)", async () => {
    await onPlainSigmoidNet(10, (net) => {
      const recorder = new TraceRecorder(net, { every: 1 });
      const g = net.gradients(digits.x, digits.y);
      recorder.afterBackprop(PLAIN_SIGMOID_BATCH, g.loss);
      recorder.close();
      const entries = g.layers.map((layer) => layer.weights);
      const norm = (w: number[]) => Math.hypot(...w);
      const typical = layersWhere(entries, (w) => norm(w) / Math.sqrt(w.length) < ADAM_DEFAULTS.epsilon);
      const every = layersWhere(entries, (w) => w.every((v) => Math.abs(v) < ADAM_DEFAULTS.epsilon));
      const whole = layersWhere(entries, (w) => norm(w) < ADAM_DEFAULTS.epsilon);
      // Measured (2026-12-07): the first four layers' typical entry, the first three layers' every entry (test/studies/adam-epsilon-floor's
      // shares), of which only the first layer's whole ‖∂C/∂W‖ (7.5e-9): the whole norm would have said every entry of 1 layer.
      expect([typical, every, whole]).toEqual([[0, 1, 2, 3], [0, 1, 2], [0]]);
      expect(adamEpsilonWords(recorder.trace)).toBe(
        " In this run's first record (step 1), the root-mean-square entry of ∂C/∂W is below ε in 4 layers of its 11 weight layers (1, 2, 3 and 4); " +
          'in 3 layers (1, 2 and 3) its largest entry is too, so every entry there is.',
      );
    });
  }, 60_000);

  it('says nothing where no layer is below ε (a 2-layer net), and the diagnosis offers Adam with the measured words', async () => {
    await onPlainSigmoidNet(2, (shallow) => {
      const recorder = new TraceRecorder(shallow, { every: 1 });
      recorder.afterBackprop(PLAIN_SIGMOID_BATCH, shallow.gradients(digits.x, digits.y).loss);
      recorder.close();
      expect(adamEpsilonWords(recorder.trace)).toBe('');
    });
    const { trace } = await tracedRun(plainSigmoidNet(10), digits, { learningRate: 0.5, batchSize: PLAIN_SIGMOID_BATCH, epochs: 2, trace: { every: 1 } });
    const adam = diagnose(trace).remedies.find((r) => r.option.startsWith("optimizer: 'adam'"));
    expect(adam?.why).toContain(adamEpsilonWords(trace));
    expect(adamEpsilonWords(trace)).toMatch(/^ In this run's first record \(step 1\), the root-mean-square entry of ∂C\/∂W is below ε in \d+ layers? of its 11 weight layers \(1[,) ]/);
  }, 60_000);
});
