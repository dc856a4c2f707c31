// Weight decay beyond what the update holds: where a step multiplies w by 1 − lr·λ (SGD, AdamW's
// decoupled decay), lr·λ above 2 makes the decay alone grow every weight each step (measured before
// the check: SGD at lr 0.1, λ 25 on [2, 3, 2] took a weight from 0.31 to 1,031 in 20 epochs, loss
// 672, with no DIVERGED). Heavy-ball momentum μ holds up to 2(1 + μ), Nesterov's 2(1 + μ)/(1 + 2μ).
// The bound holds lr·λ, so it is checked where the rate is known: train() before any step, step().
import { describe, expect, it } from 'vitest';
import { createNetwork } from '../../src/api/network.js';
import { createOptimizer } from '../../src/optim/index.js';
import { MODEL } from '../../src/model.js';
import { expectError } from '../util/expect-error.js';
import { stateHash } from '../util/state-hash.js';

const X = [[0.1, 0.9], [0.8, 0.3], [0.5, 0.5]];
const Y = [[1, 0], [0, 1], [1, 0]];

describe.each(['ref', 'wasm'] as const)('a weight decay beyond the update on %s', (backend) => {
  const make = () => createNetwork({ sizes: [2, 3, 2], backend, seed: 3 });

  it.each([
    [{ weightDecay: 25 }, /^sgd: weightDecay: layer 0's learning rate 0\.1 × weightDecay 25 is 2\.50, above 2\.00 \(beyond 2, w ← \(1 − lr·λ\)·w grows every weight each step: the decay alone diverges\); give a weightDecay of at most 20\.0 or a learning rate of at most 0\.0800$/],
    [{ optimizer: { name: 'sgd', weightDecay: 40, momentum: 0.9 } }, /^sgd: weightDecay: layer 0's learning rate 0\.1 × weightDecay 40 is 4\.00, above 3\.80 \(momentum 0\.9's bound 2\(1 \+ μ\)/],
    [{ optimizer: { name: 'sgd', weightDecay: 15, momentum: 0.9, nesterov: true } }, /^sgd: weightDecay: layer 0's learning rate 0\.1 × weightDecay 15 is 1\.50, above 1\.35 \(Nesterov momentum 0\.9's bound 2\(1 \+ μ\)\/\(1 \+ 2μ\)/],
    [{ optimizer: { name: 'adamw', weightDecay: 3000 } }, /^adamw: weightDecay: layer 0's learning rate 0\.001 × weightDecay 3000 is 3\.00, above 2\.00 \(beyond 2, the decoupled decay/],
    [{ optimizer: { name: 'sgd', weightDecay: 15, layerRates: [1, 2] } }, /^sgd: weightDecay: layer 1's learning rate 0\.1 × layerRates\[1\] 2 × weightDecay 15 is 3\.00, above 2\.00 .*; give a weightDecay of at most 10\.0 or a learning rate of at most 0\.0666/],
    [{ weightDecay: 2.5, learningRate: 1 }, /^sgd: weightDecay: layer 0's learning rate 1 × weightDecay 2\.5 is 2\.50, above 2\.00/],
    // A product within half a unit of the 3rd digit of its bound printed 'is 1.36, above 1.36' and 'is 4.00, above 4.00': the bound prints
    // rounded down (1.3571… → 1.35, 3.998 → 3.99), with as many more digits as keep the two apart.
    [{ optimizer: { name: 'sgd', weightDecay: 13.59, momentum: 0.9, nesterov: true } }, /^sgd: weightDecay: layer 0's learning rate 0\.1 × weightDecay 13\.59 is 1\.36, above 1\.35 \(Nesterov/],
    [{ optimizer: { name: 'sgd', weightDecay: 39.99, momentum: 0.999 } }, /^sgd: weightDecay: layer 0's learning rate 0\.1 × weightDecay 39\.99 is 4\.00, above 3\.99 \(momentum 0\.999's/],
  ])('train(%j) is refused before any step (INVALID_OPTION), nothing held changed', async (options, message) => {
    const net = await make();
    const before = stateHash(net);
    await expectError(() => net.train(X, Y, { epochs: 2, ...options } as never), 'INVALID_OPTION', message);
    expect([net.step, stateHash(net)]).toEqual([0, before]);
    net.dispose();
  });

  it('within the bound it trains: a smaller rate, momentum, Adam\'s L2 decay (which its step divides)', async () => {
    const net = await make();
    for (const options of [
      { weightDecay: 25, learningRate: 0.01 },
      { weightDecay: 20 },
      { weightDecay: 25, momentum: 0.9 },
      { optimizer: { name: 'adamw', weightDecay: 2000 } },
      { optimizer: { name: 'adam', weightDecay: 3000 } },
    ]) {
      const result = net.train(X, Y, { epochs: 2, ...options } as never);
      expect(Number.isFinite(result.epochs.at(-1)!.loss)).toBe(true);
    }
    net.dispose();
  });

  it('a layer the decay does not reach is not held to the bound, whatever its rate: batch norm\'s scale and shift with decayBiases false', async () => {
    const net = await createNetwork({ inputs: 2, backend, seed: 3, layers: [{ type: 'dense', units: 3, activation: 'tanh' }, { type: 'batch-norm' }, { type: 'dense', units: 2 }] });
    // layers[1] (batch norm, Parameter.group 1) at 0.1 × 20 × weightDecay 5: step size × λ 10, above 2.
    const optimizer = (decayBiases: boolean) => ({ name: 'sgd', weightDecay: 5, layerRates: [1, 20, 1], decayBiases }) as const;
    const result = net.train(X, Y, { epochs: 2, optimizer: optimizer(false) });
    expect(Number.isFinite(result.epochs.at(-1)!.loss)).toBe(true);
    // The same rate where the decay reaches that layer is refused, naming it.
    await expectError(() => net.train(X, Y, { epochs: 2, optimizer: optimizer(true) }), 'INVALID_OPTION', /^sgd: weightDecay: layer 1's learning rate 0\.1 × layerRates\[1\] 20 × weightDecay 5 is 10\.0, above 2\.00 /);
    net.dispose();
  });

  // The one decayed run that could still diverge by the decay alone (session 22's notes: a DIVERGED the
  // decay caused advised the learning rate only): LARS, whose trust ratio is 1 on a layer with a
  // negligible gradient, so the decay enters its momentum unscaled. Every other decayed run is held:
  // SGD's and AdamW's every rate (train()'s, each new one step() sees; 'halve' only lowers it) is
  // checked at each layer the decay reaches, and Adam's, RMSProp's and Adagrad's L2 term is divided by
  // the gradients' running size. So no DIVERGED is left whose advice should name the weight decay.
  it('LARS: a layer whose gradient is 0 takes the decay unscaled, so lr·λ beyond momentum\'s 2(1 + μ) is refused up front (it diverged by the decay alone, at step 37)', async () => {
    // All-zero inputs and zero biases under ReLU: layer 0's weights and biases get no gradient, trust ratio 1.
    const zeros = [[0, 0], [0, 0], [0, 0], [0, 0]];
    const targets = [[1, 0], [0, 1], [1, 0], [0, 1]];
    const net = await createNetwork({ inputs: 2, backend, seed: 3, layers: [{ type: 'dense', units: 3, activation: 'relu' }, { type: 'dense', units: 2 }] });
    const before = stateHash(net);
    const lars = (weightDecay: number) => ({ name: 'lars', weightDecay, decayBiases: false }) as const;
    await expectError(() => net.train(zeros, targets, { epochs: 60, batchSize: 4, optimizer: lars(5) }), 'INVALID_OPTION', /^lars: weightDecay: layer 0's learning rate 1 × weightDecay 5 is 5\.00, above 3\.80 \(momentum 0\.9's bound 2\(1 \+ μ\)/);
    expect([net.step, stateHash(net)]).toEqual([0, before]);
    // Within it the decay shrinks that layer's weights, however long it runs.
    const first = Math.abs(net.state()[0].values[0]);
    net.train(zeros, targets, { epochs: 60, batchSize: 4, optimizer: lars(3) });
    expect(Math.abs(net.state()[0].values[0])).toBeLessThan(first / 10);
    net.dispose();
  });

  it('an optimiser made with it is refused at the step that would use such a rate, nothing changed; at its own rate through train()', async () => {
    const net = await make();
    // Made at no rate the bound refuses for sure: train() may be given another.
    const sgd = createOptimizer(net, { name: 'sgd', weightDecay: 25 });
    net.gradients(X, Y);
    const before = stateHash(net);
    await expectError(() => sgd.step(net[MODEL], 0.1, 3), 'INVALID_OPTION', /^sgd: weightDecay: layer 0's learning rate 0\.1 × weightDecay 25 is 2\.50, above 2\.00/);
    expect(stateHash(net)).toBe(before);
    await expectError(() => net.train(X, Y, { optimizer: sgd }), 'INVALID_OPTION', /^sgd: weightDecay: layer 0's learning rate 0\.1/);
    net.train(X, Y, { optimizer: sgd, learningRate: 0.05 });
    expect(net.step).toBe(1);
    // Its state restores into an optimiser made as it was: the recorded rate is its own, not one a call trains at.
    const again = createOptimizer(net, { name: 'sgd', weightDecay: 25 });
    again.restore(sgd.state());
    expect(again.defaultLearningRate).toBe(0.1);
    again.dispose();
    sgd.dispose();
    net.dispose();
  });

  it('offers a weight decay and a learning rate that are themselves taken (to 3 figures, rounded down: max / (lr·rate) rounded to nearest could land above the bound)', async () => {
    const net = await make();
    const optimizer = { name: 'sgd', momentum: 0.9, nesterov: true, weightDecay: 100 } as const;
    const refusal = (() => {
      try {
        net.train(X, Y, { epochs: 1, learningRate: 0.3, optimizer });
      } catch (error) {
        return (error as Error).message;
      }
      throw new Error('not refused');
    })();
    const [, decay, rate] = /give a weightDecay of at most ([\d.e-]+) or a learning rate of at most ([\d.e-]+)$/.exec(refusal)!;
    expect([decay, rate]).toEqual(['4.52', '0.0135']);
    expect(() => net.train(X, Y, { epochs: 1, learningRate: 0.3, optimizer: { ...optimizer, weightDecay: Number(decay) } })).not.toThrow();
    expect(() => net.train(X, Y, { epochs: 1, learningRate: Number(rate), optimizer })).not.toThrow();
    net.dispose();
  });

  it('names the layer whose step size the bound holds first, and offers values every layer takes: the largest rate the decay reaches', async () => {
    const net = await make();
    // Layer 0's 0.1 × 25 = 2.5 is above 2 too, but what it alone takes (λ 20, lr 0.08) layer 1's rate 2 refuses.
    const optimizer = { name: 'sgd', weightDecay: 25, layerRates: [1, 2] } as const;
    await expectError(() => net.train(X, Y, { epochs: 1, optimizer }), 'INVALID_OPTION', /^sgd: weightDecay: layer 1's learning rate 0\.1 × layerRates\[1\] 2 × weightDecay 25 is 5\.00, above 2\.00 .*; give a weightDecay of at most 10\.0 or a learning rate of at most 0\.0400$/);
    expect(() => net.train(X, Y, { epochs: 1, optimizer: { ...optimizer, weightDecay: 10 } })).not.toThrow();
    expect(() => net.train(X, Y, { epochs: 1, learningRate: 0.04, optimizer })).not.toThrow();
    net.dispose();
  });

  it('largestWeightDecay(learningRate) is the largest (3 figures) train() takes at that rate, whatever weightDecay the optimiser was made with; Infinity where only float32 bounds it', async () => {
    const net = await make();
    const cases: [object, number, number][] = [
      [{ name: 'sgd' }, 0.1, 20],
      [{ name: 'sgd' }, 0.2000001, 9.99], // 2 / 0.2000001 is 9.999995, to nearest 10.0 (above 2): one unit of 9.99 below, not of 10.0 (9.9)
      [{ name: 'sgd', weightDecay: 25, momentum: 0.9, nesterov: true }, 0.3, 4.52],
      [{ name: 'sgd', momentum: 0.9, layerRates: [1, 2] }, 0.05, 37.9], // 0.1 × 38 is 3.8000000000000003 in float64, above 2(1 + 0.9)
      [{ name: 'adamw' }, 0.001, 2000],
      [{ name: 'adam', weightDecay: 1 }, 0.001, Infinity],
      [{ name: 'rmsprop' }, 0.01, Infinity],
      [{ name: 'lars', weightDecay: 1 }, 1, 3.8], // momentum 0.9's 2(1 + μ): a trust ratio of 1 takes the decay unscaled
    ];
    for (const [spec, learningRate, largest] of cases) {
      const optimizer = createOptimizer(net, spec as never) as unknown as { largestWeightDecay(rate: number): number; dispose(): void };
      expect([spec, optimizer.largestWeightDecay(learningRate)]).toEqual([spec, largest]);
      if (Number.isFinite(largest)) {
        // Taken at that rate; a step of 3 figures above it refused.
        const { name, ...rest } = spec as { name: string };
        const above = Number((largest * 1.001 + 10 ** (Math.floor(Math.log10(largest)) - 2)).toPrecision(3));
        expect(() => net.train(X, Y, { epochs: 1, learningRate, optimizer: { name, ...rest, weightDecay: largest } as never })).not.toThrow();
        expect(() => net.train(X, Y, { epochs: 1, learningRate, optimizer: { name, ...rest, weightDecay: above } as never })).toThrow(/weightDecay/);
      }
      optimizer.dispose();
    }
    net.dispose();
  });
});

