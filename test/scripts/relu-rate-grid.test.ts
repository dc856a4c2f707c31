/**
 * The rate-grid driver both relu-rate scripts share (scripts/relu-rate-grid.ts): each rate stops at its
 * first network that fails reluRunHeld (or, asked to, runs them all and counts), the largest rate at which every network held is kept per
 * optimiser, and the command line names the units, the optimiser and the rates.
 */
import { describe, expect, it } from 'vitest';
import { gridArgs, largestHeldRates, type Outcome } from '../../scripts/relu-rate-grid.js';

const held = (network: string) => ({ network, diverged: false as const, lossBefore: 1, lossAfter: 0.5, deadLayers: 0, accuracies: [0.9, 0.9] });
const dead = (network: string): Outcome => ({ ...held(network), deadLayers: 1 });
const GRIDS = { sgd: [0.01, 0.1, 1], adam: [0.001] };

describe('largestHeldRates', () => {
  it('keeps the largest rate at which every network held, stopping a rate at its first failure', async () => {
    const trained: string[] = [];
    const lines: string[] = [];
    const largest = await largestHeldRates(
      { grids: GRIDS, networks: ['deep', 'shallow'] },
      ['sgd'],
      [],
      async (optimizer, rate, network) => {
        trained.push(`${optimizer} ${rate} ${network}`);
        // 0.01: the deep network fails (a late drop, say), 0.1: both hold, 1: the deep one dies.
        if (network === 'deep' && rate === 0.01) return { network, diverged: false, lossBefore: 1, lossAfter: 0.5, deadLayers: 0, accuracies: [0.9, 0.8] };
        return network === 'deep' && rate === 1 ? dead(network) : held(network);
      },
      (line) => lines.push(line),
    );
    expect(largest).toEqual({ sgd: 0.1 });
    expect(trained).toEqual(['sgd 0.01 deep', 'sgd 0.1 deep', 'sgd 0.1 shallow', 'sgd 1 deep']);
    expect(lines[0]).toMatch(/^sgd 0\.01: FAILS deep: loss 1\.000→0\.500, test 80\.0 % \(best 90\.0 %\)/);
    expect(lines[2]).toMatch(/^sgd 1: FAILS deep: .*, 1 dead/);
    expect(lines.at(-1)).toBe('sgd: largest rate at which every network held: 0.1');
  });

  it('with every, runs each network past a rate\'s first failure, names each that failed and counts those that held', async () => {
    const trained: string[] = [];
    const lines: string[] = [];
    const largest = await largestHeldRates(
      { grids: GRIDS, networks: ['deep', 'mid', 'shallow'], every: true },
      ['sgd'],
      [0.01, 0.1],
      async (_, rate, network) => {
        trained.push(`${rate} ${network}`);
        return rate === 0.1 && network !== 'mid' ? dead(network) : held(network);
      },
      (line) => lines.push(line),
    );
    expect(largest).toEqual({ sgd: 0.01 });
    expect(trained).toEqual(['0.01 deep', '0.01 mid', '0.01 shallow', '0.1 deep', '0.1 mid', '0.1 shallow']);
    expect(lines[0]).toMatch(/^sgd 0\.01: passes \(3 of 3 held\)/);
    expect(lines[1]).toMatch(/^sgd 0\.1: FAILS deep: .*, 1 dead; shallow: .*, 1 dead \(1 of 3 held\)/);
  });

  it('takes the given rates in place of the grid, and a diverged network fails its rate', async () => {
    const largest = await largestHeldRates({ grids: GRIDS, networks: ['one'] }, ['adam'], [0.002, 0.005], async (_, rate, network) =>
      rate === 0.005 ? { network, diverged: true } : held(network),
    () => undefined);
    expect(largest).toEqual({ adam: 0.002 });
  });

  it('names the largest rate that held whatever order the rates were given in (`… xor sgd 0.1 0.05` printed 0.05)', async () => {
    const lines: string[] = [];
    const largest = await largestHeldRates({ grids: GRIDS, networks: ['one'] }, ['sgd'], [0.1, 0.05], async (_, _rate, network) => held(network), (line) => void lines.push(line));
    expect(largest).toEqual({ sgd: 0.1 });
    expect(lines.at(-1)).toBe('sgd: largest rate at which every network held: 0.1');
  });
});

describe('gridArgs', () => {
  it('reads the units, the optimiser and the rates, relu and every optimiser by default', () => {
    expect(gridArgs(GRIDS, [])).toEqual({ activation: 'relu', optimizers: ['sgd', 'adam'], givenRates: [] });
    expect(gridArgs(GRIDS, ['--activation=leaky-relu', 'sgd', '0.1', '0.2'])).toEqual({ activation: 'leaky-relu', optimizers: ['sgd'], givenRates: [0.1, 0.2] });
  });

  it('refuses an unknown unit, optimiser or rate', () => {
    expect(() => gridArgs(GRIDS, ['--activation=tanh'])).toThrow("unknown activation 'tanh'");
    expect(() => gridArgs(GRIDS, ['rmsprop'])).toThrow("unknown optimiser 'rmsprop': expected one of sgd, adam");
    expect(() => gridArgs(GRIDS, ['sgd', 'x'])).toThrow('rates must be numbers > 0');
  });
});
