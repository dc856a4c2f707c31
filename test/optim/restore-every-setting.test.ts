// A restore refused for its settings names every setting that is wrong in one message, with the
// rule of each pair of settings checked together (L-BFGS's c1 < c2, Hessian-free's minIterations ≤
// maxIterations, Levenberg–Marquardt's mu ≤ muMax): it named the first only, so a user fixed one,
// retried and was refused again, and its advice could name an optimiser the constructor refuses
// ({ c1: 0.95 } beside the default c2 0.9). Each refusal leaves the optimiser as it was.
import { describe, expect, it } from 'vitest';
import { createNetwork } from '../../src/api/network.js';
import { createOptimizer } from '../../src/optim/index.js';
import { SETTING_RANGES } from '../../src/optim/setting-ranges.js';
import { advised, configOf, held, refusal, takesIt, trained } from './restore-states.js';

describe('a restore refused for its settings names every one at once', () => {
  it('advises every setting the state was saved with otherwise, in one options object that takes it', async () => {
    const state = await trained({ name: 'adam', beta1: 0.8, beta2: 0.99 });
    const message = await refusal({ name: 'adam' }, state);
    expect(message).toBe("adam: restore: the state was saved with beta1 0.8, beta2 0.99; this optimiser has beta1 0.9, beta2 0.999; create it with { name: 'adam', beta1: 0.8, beta2: 0.99 } to resume that run");
    await takesIt(message, state);
    const lbfgs = await trained({ name: 'lbfgs', c1: 0.5, c2: 0.6, memory: 3 });
    const lbfgsMessage = await refusal({ name: 'lbfgs' }, lbfgs);
    expect(advised(lbfgsMessage)).toEqual({ name: 'lbfgs', memory: 3, c1: 0.5, c2: 0.6 });
    await takesIt(lbfgsMessage, lbfgs);
  });

  it('names every setting saved otherwise than its default, so that the options advised restore the state', async () => {
    // Left out, c2 would be the default 0.9: { c1: 0.55 } alone was refused again.
    const given = await trained({ name: 'lbfgs', c1: 0.55, c2: 0.6 });
    const givenMessage = await refusal({ name: 'lbfgs', c1: 0.5, c2: 0.6 }, given);
    expect(givenMessage).toBe(
      "lbfgs: restore: the state was saved with c1 0.55, this optimiser has 0.5; create it with { name: 'lbfgs', c1: 0.55, c2: 0.6 } to resume that run (c2 is named too: left out, it would be the default 0.9)",
    );
    await takesIt(givenMessage, given);
    // L-BFGS: c1 0.95 alone beside the default c2 0.9 is refused by the constructor (c1 < c2).
    const lbfgs = await trained({ name: 'lbfgs', c1: 0.95, c2: 0.99 });
    const lbfgsMessage = await refusal({ name: 'lbfgs', c2: 0.99 }, lbfgs);
    expect(lbfgsMessage).toBe(
      "lbfgs: restore: the state was saved with c1 0.95, this optimiser has 0.0001; create it with { name: 'lbfgs', c1: 0.95, c2: 0.99 } to resume that run (c2 is named too: left out, it would be the default 0.9)",
    );
    await takesIt(lbfgsMessage, lbfgs);
    // Hessian-free: minIterations 300 beside the default maxIterations 250 is refused (minIterations ≤ maxIterations).
    const hf = await trained({ name: 'hessian-free', minIterations: 300, maxIterations: 500 });
    const hfMessage = await refusal({ name: 'hessian-free', maxIterations: 500 }, hf);
    expect(hfMessage).toBe(
      "hessian-free: restore: the state was saved with minIterations 300, this optimiser has 1; create it with { name: 'hessian-free', minIterations: 300, maxIterations: 500 } to resume that run (maxIterations is named too: left out, it would be the default 250)",
    );
    await takesIt(hfMessage, hf);
    // Both differ: both are named, no companion is needed.
    expect(advised(await refusal({ name: 'hessian-free' }, hf))).toEqual({ name: 'hessian-free', maxIterations: 500, minIterations: 300 });
    // Where every other setting was saved at its default, only the setting that differs is named.
    const within = await trained({ name: 'lbfgs', c1: 0.5 });
    expect(await refusal({ name: 'lbfgs' }, within)).toBe("lbfgs: restore: the state was saved with c1 0.5, this optimiser has 0.0001; create it with { name: 'lbfgs', c1: 0.5 } to resume that run");
    // Levenberg–Marquardt records the current μ, not the mu option: where the default mu 0.001 would be above the
    // muMax advised, the μ recorded is named for mu (restore takes the state's μ whatever the option).
    const lm = await trained({ name: 'levenberg-marquardt', mu: 1e-6, muMax: 1e-4 });
    const lmMessage = await refusal({ name: 'levenberg-marquardt' }, lm);
    expect(lmMessage).toBe(
      `levenberg-marquardt: restore: the state was saved with muMax 0.0001, this optimiser has 10,000,000,000; create it with { name: 'levenberg-marquardt', muMax: 0.0001, mu: ${lm.scalars.mu} } to resume that run (mu ≤ muMax must hold, so mu is named too)`,
    );
    await takesIt(lmMessage, lm);
  });

  it('calls a state damaged naming every value outside its range and every pair that breaks its rule', async () => {
    const adam = await trained({ name: 'adam' });
    expect(await refusal({ name: 'adam' }, { ...adam, scalars: { ...adam.scalars, beta1: -1, beta2: 2, epsilon: 1e-3 } })).toBe(
      'adam: restore: scalars.beta1: expected a finite number ≥ 0 and < 1, got -1; scalars.beta2: expected a finite number ≥ 0 and < 1, got 2: the beta1 and beta2 options refuse them too, so no adam can resume this state (it is damaged)',
    );
    // c1 0.95 is within c1's range, but not below the state's c2 0.9: advised alone, the constructor refused it.
    const lbfgs = await trained({ name: 'lbfgs' });
    expect(await refusal({ name: 'lbfgs' }, { ...lbfgs, scalars: { ...lbfgs.scalars, c1: 0.95, memory: 0 } })).toBe(
      'lbfgs: restore: scalars.memory: expected a finite whole number ≥ 1 and ≤ 1,000, got 0; scalars.c1 0.95 and scalars.c2 0.9: expected c1 < c2: the memory and c1 options refuse them too, so no lbfgs can resume this state (it is damaged)',
    );
    const hf = await trained({ name: 'hessian-free' });
    expect(await refusal({ name: 'hessian-free' }, { ...hf, scalars: { ...hf.scalars, minIterations: 30, maxIterations: 20 } })).toBe(
      'hessian-free: restore: scalars.minIterations 30 and scalars.maxIterations 20: expected minIterations ≤ maxIterations: the minIterations and maxIterations options refuse them too, so no hessian-free can resume this state (it is damaged)',
    );
    // Levenberg–Marquardt records the current μ, not the mu option: a muMax below it breaks the rule.
    const lm = await trained({ name: 'levenberg-marquardt' });
    const { mu: _, ...noMu } = lm.scalars;
    expect(await refusal({ name: 'levenberg-marquardt' }, { ...lm, scalars: { ...noMu, muMax: 1e-4, muDecrease: 2 } })).toBe(
      "levenberg-marquardt: restore: scalars.muDecrease: expected a finite number > 0 and < 1, got 2; mu 0.001 (this optimiser's) and scalars.muMax 0.0001: expected mu ≤ muMax: the muDecrease and muMax options refuse them too, so no levenberg-marquardt can resume this state (it is damaged)",
    );
  });

  // Every optimiser, every two settings its state records edited at once: the advice, where there is one, is taken by
  // createOptimizer and restores the edited state; else the message names each edited setting the constructor refuses alone.
  /** Whether settings `a` and `b` of optimiser `name` bound each other (SETTING_RANGES' minSetting / maxSetting). */
  const paired = (name: string, a: string, b: string) => {
    const ranges = SETTING_RANGES[name as keyof typeof SETTING_RANGES] as Record<string, { minSetting?: string; maxSetting?: string }>;
    return [ranges[a].minSetting, ranges[a].maxSetting].includes(b) || [ranges[b].minSetting, ranges[b].maxSetting].includes(a);
  };
  const EDITS = [-1, 0, 0.5, 1, 1.5, 3, 20000];
  const TAKEN_FROM_THE_STATE = ['learningRate', 'mu'];
  it.each(Object.keys(SETTING_RANGES))('%s: any two settings edited at once', async (name) => {
    const state = await trained({ name });
    const keys = Object.keys(SETTING_RANGES[name as keyof typeof SETTING_RANGES]).filter((key) => !TAKEN_FROM_THE_STATE.includes(key) && key in state.scalars);
    const net = await createNetwork(configOf(name));
    const optimizer = createOptimizer(net, name);
    const before = held(optimizer);
    let [advisedCount, damaged] = [0, 0];
    for (const [i, a] of keys.entries()) {
      for (const b of keys.slice(i + 1)) {
        for (const [va, vb] of EDITS.flatMap((va) => EDITS.map((vb) => [va, vb]))) {
          if (va === state.scalars[a] && vb === state.scalars[b]) continue; // the state as saved, which restore takes
          const edited = { ...state, scalars: { ...state.scalars, [a]: va, [b]: vb } };
          let message = '';
          try {
            optimizer.restore(edited);
          } catch (error) {
            message = (error as Error).message;
          }
          expect(message, `${a} ${va}, ${b} ${vb}`).not.toBe('');
          const label = `${a} ${va}, ${b} ${vb}: ${message}`;
          if (advised(message)) {
            advisedCount++;
            await takesIt(message, edited);
          } else {
            damaged++;
            expect(message, label).toMatch(new RegExp(`so no ${name} can resume this state \\(it is damaged\\)$`));
            // A value the constructor refuses naming it, beside every other setting at its default, is named, unless the
            // other edit is its pair's other setting (a pair with a value outside its own range is not checked as a pair).
            if (paired(name, a, b)) continue;
            for (const [key, value] of [[a, va], [b, vb]] as const) {
              let refusedAlone = false;
              try {
                createOptimizer(net, { name, [key]: value });
              } catch (error) {
                refusedAlone = (error as Error).message.startsWith(`${name}: ${key}: `);
              }
              if (refusedAlone) expect(message, label).toContain(`scalars.${key}`);
            }
          }
        }
      }
    }
    expect(held(optimizer)).toBe(before);
    expect(advisedCount).toBeGreaterThan(0);
    expect(damaged).toBeGreaterThan(0);
  }, 120_000);
});
