// Hyper-parameters the core holds as float32 (it computes in float32): a positive value that is 0
// or subnormal there did nothing in silence (`--learning-rate 1e-320` trained for its epochs and
// left every weight as it was). One rule, float32Problem in src/checks.ts, refuses them wherever they
// are given, the API's options and the CLI's flags alike, naming the option and its least usable value.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createNetwork } from '../../src/api/network.js';
import { FLOAT32_MIN_NORMAL, largestFloat32Below } from '../../src/checks.js';
import { createOptimizer } from '../../src/optim/index.js';
import { clipGradientNorm } from '../../src/optim/clip.js';
import { runDepthStudy } from '../../src/studies/depth.js';
import { runPlateauStudy } from '../../src/studies/plateau.js';
import { runCliInProcess } from '../util/cli.js';
import { expectError } from '../util/expect-error.js';

// 2⁻¹²⁶ at the fewest digits float32 holds as it (float32Text), where String() writes 1.1754943508222875e-38.
const LEAST = '1.1754944e-38';
const X = [[0.1, 0.9], [0.8, 0.3], [0.5, 0.5]];
const Y = [[1, 0], [0, 1], [1, 0]];

describe('a hyper-parameter the core holds as float32', () => {
  it('is float32\'s smallest normal number at least: 2⁻¹²⁶, which float32 holds as itself (one below it does not)', () => {
    expect(FLOAT32_MIN_NORMAL).toBe(2 ** -126);
    expect(Math.fround(Number(LEAST))).toBe(FLOAT32_MIN_NORMAL);
    expect(Math.fround(FLOAT32_MIN_NORMAL)).toBe(FLOAT32_MIN_NORMAL);
    expect(Math.fround(1e-320)).toBe(0);
  });

  it.each(['ref', 'wasm'] as const)("train()'s learningRate that is 0 or subnormal in float32 is refused, naming the least usable value; nothing changes (%s)", async (backend) => {
    const net = await createNetwork({ sizes: [2, 3, 2], backend, seed: 3 });
    const before = JSON.stringify(net.toJSON());
    await expectError(() => net.train(X, Y, { learningRate: 1e-320, epochs: 1 }), 'INVALID_OPTION', new RegExp(`^learningRate: 1e-320 is 0 in float32, which the wasm core computes in and every backend checks against, .*; the least usable value is ${LEAST} \\(2⁻¹²⁶`));
    await expectError(() => net.train(X, Y, { learningRate: 1e-39, epochs: 1 }), 'INVALID_OPTION', /^learningRate: 1e-39 is subnormal in float32, which the wasm core/);
    expect(JSON.stringify(net.toJSON())).toBe(before);
    // The least usable value itself is taken, and as the refusal prints it.
    expect(() => net.train(X, Y, { learningRate: FLOAT32_MIN_NORMAL, epochs: 1 })).not.toThrow();
    expect(() => net.train(X, Y, { learningRate: Number(LEAST), epochs: 1 })).not.toThrow();
    net.dispose();
  });

  it.each([
    [{ name: 'sgd', learningRate: 1e-40 }, /^sgd: learningRate: 1e-40 is subnormal/],
    [{ name: 'sgd', momentum: 1e-40 }, /^sgd: momentum: 1e-40 is subnormal/],
    [{ name: 'sgd', weightDecay: 1e-46 }, /^sgd: weightDecay: 1e-46 is 0/],
    [{ name: 'sgd', layerRates: [1, 1e-40] }, /^sgd: layerRates\[1\]: 1e-40 is subnormal/],
    [{ name: 'adam', epsilon: 1e-46 }, /^adam: epsilon: 1e-46 is 0/],
    [{ name: 'adam', beta1: 1e-40 }, /^adam: beta1: 1e-40 is subnormal/],
    [{ name: 'adamw', beta2: 1e-40 }, /^adamw: beta2: 1e-40 is subnormal/],
    [{ name: 'rmsprop', alpha: 1e-40 }, /^rmsprop: alpha: 1e-40 is subnormal/],
    [{ name: 'rmsprop', epsilon: 1e-40 }, /^rmsprop: epsilon: 1e-40 is subnormal/],
    [{ name: 'adagrad', epsilon: 1e-40 }, /^adagrad: epsilon: 1e-40 is subnormal/],
    [{ name: 'lars', eta: 1e-40 }, /^lars: eta: 1e-40 is subnormal/],
    [{ name: 'lars', momentum: 1e-40 }, /^lars: momentum: 1e-40 is subnormal/],
    [{ name: 'lbfgs', learningRate: 1e-40 }, /^lbfgs: learningRate: 1e-40 is subnormal/],
    [{ name: 'kfac', weightDecay: 1e-40 }, /^kfac: weightDecay: 1e-40 is subnormal/],
    [{ name: 'kfac', rescale: false, momentum: 1e-40 }, /^kfac: momentum: 1e-40 is subnormal/],
    [{ name: 'kfac', damping: 1e-80 }, /^kfac: damping: 1e-80 is 0/],
  ])('an optimiser option %j that is 0 or subnormal in float32 is refused', async (spec, message) => {
    const net = await createNetwork({ sizes: [2, 3, 2], backend: 'ref', seed: 3 });
    const error = await expectError(() => createOptimizer(net, spec as never), 'INVALID_OPTION', message);
    expect(error.message).toContain(`the least usable value is ${LEAST}`);
    net.dispose();
  });

  it('0 stays allowed where the option takes it (no momentum, no weight decay)', async () => {
    const net = await createNetwork({ sizes: [2, 3, 2], backend: 'ref', seed: 3 });
    expect(() => createOptimizer(net, { name: 'sgd', momentum: 0, weightDecay: 0 })).not.toThrow();
    net.dispose();
  });

  it('clipNorm, clipGradientNorm and a batch norm layer\'s momentum are held to the same rule', async () => {
    const net = await createNetwork({ sizes: [2, 3, 2], backend: 'ref', seed: 3 });
    await expectError(() => net.train(X, Y, { clipNorm: 1e-40 }), 'INVALID_OPTION', /^clipNorm: 1e-40 is subnormal/);
    await expectError(() => clipGradientNorm(net, 1e-40), 'INVALID_OPTION', /^clipGradientNorm: maxNorm: 1e-40 is subnormal/);
    net.dispose();
    await expectError(() => createNetwork({ inputs: 2, layers: [{ type: 'dense', units: 3 }, { type: 'batch-norm', momentum: 1e-40 }, { type: 'dense', units: 2, activation: 'softmax' }], backend: 'ref' }), 'INVALID_OPTION', /momentum: 1e-40 is subnormal/);
  });

  it("the depth and plateau studies' λ reaches the core as the weight decay λ/n: refused when that is subnormal, before any work", async () => {
    await expectError(() => runDepthStudy({ lambda: 1e-36 }), 'INVALID_OPTION', new RegExp(`^depth study: lambda: 1e-36 is subnormal .* least usable value is 1\\.1754944e-35 \\(2⁻¹²⁶ × 1000`));
    await expectError(() => runPlateauStudy({ lambda: 1e-37, rows: 100 }), 'INVALID_OPTION', /^plateau study: lambda: 1e-37 is subnormal .*2⁻¹²⁶ × 100,/);
  });

  it('the CLI refuses the same values by the same rule: one line naming the flag, exit 2, before any work', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'gradscope-float32-'));
    const net = await createNetwork({ sizes: [2, 3, 2], backend: 'ref', seed: 3 });
    writeFileSync(join(folder, 'm.json'), JSON.stringify(net.toJSON()));
    writeFileSync(join(folder, 'd.json'), JSON.stringify({ inputs: X, targets: Y }));
    net.dispose();
    const study = ['study', '--model', join(folder, 'm.json'), '--data', join(folder, 'd.json'), '--epochs', '1'];
    for (const [flag, value, held] of [['--learning-rate', '1e-320', '0'], ['--momentum', '1e-40', 'subnormal'], ['--clip-norm', '1e-40', 'subnormal']]) {
      const run = await runCliInProcess([...study, flag, value]);
      expect([run.code, run.stdout], run.stderr).toEqual([2, '']);
      expect(run.stderr).toBe(`gradscope: ${flag}: ${value} is ${held} in float32, which the wasm core computes in and every backend checks against, so it would do nothing or next to nothing; the least usable value is ${LEAST} (2⁻¹²⁶, float32's smallest normal number)\n`);
    }
  });
});

describe('a hyper-parameter below an exclusive bound, held as float32', () => {
  // 1 − 10⁻⁹ passes "< 1" as a double but is 1 in float32: a momentum or β of 1 never forgets, and
  // Adam's bias correction divides by 1 − β₂ᵗ = 0. largestFloat32Below names what is usable.
  it.each([
    [{ name: 'adam', beta2: 0.999999999 }, 'adam: beta2'],
    [{ name: 'adam', beta1: 1 - 1e-9 }, 'adam: beta1'],
    [{ name: 'sgd', momentum: 1 - 1e-9 }, 'sgd: momentum'],
    [{ name: 'rmsprop', alpha: 1 - 1e-9 }, 'rmsprop: alpha'],
    [{ name: 'lars', momentum: 1 - 1e-9 }, 'lars: momentum'],
    [{ name: 'kfac', rescale: false, momentum: 1 - 1e-9 }, 'kfac: momentum'],
  ])('%j that float32 rounds up to 1 is refused, naming the largest usable value', async (spec, where) => {
    const net = await createNetwork({ sizes: [2, 3, 2], backend: 'ref', seed: 3 });
    await expectError(() => createOptimizer(net, spec as never), 'INVALID_OPTION', new RegExp(`^${where}: .* is 1 in float32, which the wasm core computes in and every backend checks against, so not below 1; the largest usable value is 0\\.99999994$`));
    // Taken as printed: float32 holds 0.99999994 as 1 − 2⁻²⁴, where String() wrote 0.9999999403953552.
    expect(() => createOptimizer(net, { ...spec, [where.split(': ')[1]]: 0.99999994 } as never).dispose()).not.toThrow();
    net.dispose();
  });

  it('takes the largest float32 below 1 itself, and 2⁻¹²⁶ written short (1.1754943e-38, which float32 holds as 2⁻¹²⁶)', async () => {
    expect(largestFloat32Below(1)).toBe(1 - 2 ** -24);
    expect(largestFloat32Below(0.5)).toBe(0.5 - 2 ** -25);
    expect(largestFloat32Below(0.3)).toBeLessThan(0.3);
    expect(Math.fround(largestFloat32Below(0.3))).toBe(largestFloat32Below(0.3));
    const net = await createNetwork({ sizes: [2, 3, 2], backend: 'ref', seed: 3 });
    expect(() => createOptimizer(net, { name: 'adam', beta2: 1 - 2 ** -24 } as never)).not.toThrow();
    expect(() => net.train(X, Y, { learningRate: 1.1754943e-38, epochs: 1 })).not.toThrow();
    net.dispose();
  });
});

describe('a hyper-parameter that float32 holds as Infinity', () => {
  // Above float32's largest number the core held the value as Infinity, in silence: an ε of 1e300
  // made every Adam, RMSProp and Adagrad step 0 (training ran and changed no weight), a learning rate
  // of 1e300 every step infinite or NaN. float32Problem refuses it as it refuses 0 and subnormals.
  // Float32's largest at the fewest digits float32 holds as it (float32Text), where String() writes 3.4028234663852886e+38.
  const GREATEST = '3.4028235e+38 (float32\'s largest finite number)';
  it.each([
    [{ name: 'adam', epsilon: 1e300 }, 'adam: epsilon: 1e+300'],
    [{ name: 'rmsprop', epsilon: 1e39 }, 'rmsprop: epsilon: 1e+39'],
    [{ name: 'adagrad', epsilon: 1e300 }, 'adagrad: epsilon: 1e+300'],
    [{ name: 'sgd', learningRate: 1e300 }, 'sgd: learningRate: 1e+300'],
    [{ name: 'lbfgs', learningRate: 1e300 }, 'lbfgs: learningRate: 1e+300'],
    [{ name: 'sgd', weightDecay: 1e300 }, 'sgd: weightDecay: 1e+300'],
    [{ name: 'adamw', weightDecay: 1e39 }, 'adamw: weightDecay: 1e+39'],
    [{ name: 'lars', eta: 1e300 }, 'lars: eta: 1e+300'],
    [{ name: 'sgd', layerRates: [1, 1e39] }, 'sgd: layerRates\\[1\\]: 1e+39'],
    [{ name: 'sgd', learningRate: 1e20, layerRates: [1e20, 1] }, "sgd: layer 0's step size, learning rate 1e+20 × layerRates\\[0\\] 1e+20: 1e+40"],
  ])('%j is refused, naming the greatest usable value', async (spec, where) => {
    const net = await createNetwork({ sizes: [2, 3, 2], backend: 'ref', seed: 3 });
    const error = await expectError(() => createOptimizer(net, spec as never), 'INVALID_OPTION', new RegExp(`^${where.replace(/\+/g, '\\+')} is Infinity in float32, which the wasm core computes in and every backend checks against`));
    expect(error.message).toContain(`the greatest usable value is ${GREATEST}`);
    net.dispose();
  });

  it.each(['ref', 'wasm'] as const)("train()'s learningRate and clipNorm beyond it are refused before any step; float32's largest number itself is taken (%s)", async (backend) => {
    const net = await createNetwork({ sizes: [2, 3, 2], backend, seed: 3 });
    const before = JSON.stringify(net.toJSON());
    await expectError(() => net.train(X, Y, { learningRate: 1e300, epochs: 1 }), 'INVALID_OPTION', /^learningRate: 1e\+300 is Infinity in float32, which the wasm core/);
    await expectError(() => net.train(X, Y, { optimizer: { name: 'sgd', layerRates: [1e30, 1] }, learningRate: 1e10, epochs: 1 }), 'INVALID_OPTION', /^sgd: layer 0's step size, learning rate 1e\+10 × layerRates\[0\] 1e\+30: 1e\+40 is Infinity/);
    await expectError(() => net.train(X, Y, { clipNorm: 1e39, epochs: 1 }), 'INVALID_OPTION', /^clipNorm: 1e\+39 is Infinity in float32, which the wasm core/);
    expect([JSON.stringify(net.toJSON()), net.step]).toEqual([before, 0]);
    // 3.4028235e38 is held as float32's largest number, not Infinity: taken.
    expect(() => createOptimizer(net, { name: 'adam', epsilon: 3.4028235e38 })).not.toThrow();
    net.dispose();
  });

  it('the CLI refuses it by the same rule, naming the flag', async () => {
    const run = await runCliInProcess(['train', '--layers', '2,3,2', '--learning-rate', '1e39', '--epochs', '1']);
    expect([run.code, run.stdout], run.stderr).toEqual([2, '']);
    expect(run.stderr).toBe(`gradscope: --learning-rate: 1e+39 is Infinity in float32, which the wasm core computes in and every backend checks against, so the steps it enters would be infinite, NaN or 0; the greatest usable value is ${GREATEST}\n`);
  });
});
