// A restore that refuses a state recording other settings advises the optimiser that takes them; a
// hand-edited state recording a value no constructor takes (Adam's beta1 -1) must not be advised as
// one: both read SETTING_RANGES (src/optim/setting-ranges.ts). Every built-in optimiser, every
// setting its state records and the table ranges, each refusal leaving the optimiser as it was.
import { describe, expect, it } from 'vitest';
import { createNetwork } from '../../src/api/network.js';
import { createOptimizer } from '../../src/optim/index.js';
import { SETTING_RANGES } from '../../src/optim/setting-ranges.js';
import type { Optimizer } from '../../src/optim/optimizer.js';
import { GradscopeError } from '../../src/errors.js';

const x = [[0, 0], [0, 1], [1, 0], [1, 1]];
const y = [[0], [1], [1], [0]];
const config = { sizes: [2, 5, 1], activation: 'tanh', output: 'sigmoid', loss: 'binary-cross-entropy', seed: 3, backend: 'ref' } as const;
/** Levenberg–Marquardt needs the quadratic cost. */
const configOf = (name: string) => (name === 'levenberg-marquardt' ? { ...config, loss: 'mse' as const } : config);
/** Values outside most ranges (-1, 1.5 past a decay's 1, 20,000 past the iteration counts) and 0 (outside the positive ones). */
const EDITS = [-1, 0, 1.5, 20000];

/** Settings a restore takes from the state rather than checks against its own (the learning rate; Levenberg–Marquardt's μ, adapted every step). */
const TAKEN_FROM_THE_STATE = ['learningRate', 'mu'];

const held = (o: Optimizer) => JSON.stringify({ ...o.state(), tensors: o.state().tensors.map((t) => Array.from(t)) });

describe('restore of a state whose recorded setting was edited', () => {
  it.each(Object.keys(SETTING_RANGES))('%s: advises only settings its constructor takes, and calls the others damaged', async (name) => {
    const net = await createNetwork(configOf(name));
    const optimizer = createOptimizer(net, name);
    net.train(x, y, { epochs: 2, batchSize: 4, optimizer });
    const state = optimizer.state();
    const before = held(optimizer);
    const recorded = Object.keys(SETTING_RANGES[name as keyof typeof SETTING_RANGES]).filter((key) => !TAKEN_FROM_THE_STATE.includes(key) && key in state.scalars);
    expect(recorded.length).toBeGreaterThan(0);
    let advised = 0;
    let damaged = 0;
    for (const key of recorded) {
      for (const value of EDITS.filter((v) => v !== state.scalars[key])) {
        let message = '';
        try {
          optimizer.restore({ ...state, scalars: { ...state.scalars, [key]: value } });
        } catch (error) {
          expect(error).toBeInstanceOf(GradscopeError);
          message = (error as GradscopeError).message;
        }
        expect(message, `${key} ${value}`).not.toBe('');
        expect(held(optimizer)).toBe(before);
        const advice = /create it with (\{ name: .* \}) to resume that run$/.exec(message);
        if (advice) {
          advised++;
          expect(() => createOptimizer(net, { name, [key]: value }), `${key} ${value}: ${message}`).not.toThrow();
        } else {
          damaged++;
          // Outside its own range ('scalars.c2: expected …'), or breaking its pair's rule ('scalars.c1 0.0001 and scalars.c2 -1: expected c1 < c2').
          expect(message).toMatch(new RegExp(`^${name}: restore: (scalars\\.${key}: |.*scalars\\.${key} [^ ]+ .*expected \\w+ [<≤] \\w+).*: the ${key} option refuses it too, so no ${name} can resume this state \\(it is damaged\\)$`));
          expect(() => createOptimizer(net, { name, [key]: value }), `${key} ${value}`).toThrow(GradscopeError);
        }
      }
    }
    expect(damaged).toBeGreaterThan(0);
    expect(advised + damaged).toBeGreaterThan(recorded.length);
  });

  it("says so of Adam's beta1 -1 (the case that advised { name: 'adam', beta1: -1 })", async () => {
    const net = await createNetwork(config);
    const adam = createOptimizer(net, 'adam');
    net.train(x, y, { epochs: 2, batchSize: 4, optimizer: adam });
    const state = adam.state();
    expect(() => adam.restore({ ...state, scalars: { ...state.scalars, beta1: -1 } })).toThrow(
      /^adam: restore: scalars\.beta1: expected a finite number ≥ 0 and < 1, got -1: the beta1 option refuses it too, so no adam can resume this state \(it is damaged\)$/,
    );
  });
});
