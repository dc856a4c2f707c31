// docs/second-order.md lists Hessian-free's and K-FAC's options with their defaults, and quotes a few
// more in its prose (Levenberg–Marquardt's parameter limit, CG's cap, the curvature batch's fraction and floor, the inverse refresh, K-FAC's
// learning rate, adapt period, λ bounds, norm constraint and factor limit, the LM thresholds). Each is
// read from the page and compared with the constant that holds it, so a changed default fails here
// until the page says it.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LM_HIGH, LM_LOW } from '../../src/optim/damping.js';
import { MIN_CURVATURE_ROWS } from '../../src/optim/gauss-newton.js';
import { LM_MAX_PARAMETERS } from '../../src/optim/levenberg-marquardt.js';
import { HESSIAN_FREE_DEFAULTS, LM_GROW, LM_SHRINK } from '../../src/optim/hessian-free.js';
import { KFAC_DEFAULTS, KFAC_LAMBDA_MAX, KFAC_LAMBDA_MIN, KFAC_MAX_FACTOR_SIDE, KFAC_NORM_CONSTRAINT } from '../../src/optim/kfac.js';
import { KFAC_RESCALED_LEARNING_RATE } from '../../src/optimizer-defaults.js';
import { flat } from '../util/printed-text.js';

const prose = flat(readFileSync(new URL('../../docs/second-order.md', import.meta.url), 'utf8'));

/** The captures of the one place `pattern` matches in the page. */
function quoted(pattern: RegExp): string[] {
  const places = [...prose.matchAll(new RegExp(pattern.source, 'g'))];
  expect(places.length, `docs/second-order.md: ${pattern.source}`).toBe(1);
  return places[0].slice(1);
}

const SUPERSCRIPT = '⁰¹²³⁴⁵⁶⁷⁸⁹';
/** "1e-3", "10⁻²", "10⁶", "¼", "0.95", "true" as values. */
function value(text: string): number | boolean {
  if (text === 'true' || text === 'false') return text === 'true';
  if (text === '¼') return 0.25;
  if (text === '¾') return 0.75;
  const power = /^10([⁻]?)([⁰¹²³⁴⁵⁶⁷⁸⁹]+)$/.exec(text);
  if (power) return 10 ** ((power[1] ? -1 : 1) * Number([...power[2]].map((c) => SUPERSCRIPT.indexOf(c)).join('')));
  return Number(text);
}

/** The `name` (value) pairs of the "Options:" sentence that starts with `start`, up to its first full stop. */
function optionList(start: string): Map<string, number | boolean> {
  const from = prose.indexOf(`Options: ${start}`);
  expect(from, `Options: ${start}`).toBeGreaterThanOrEqual(0);
  const sentence = prose.slice(from, prose.indexOf('. ', from));
  return new Map([...sentence.matchAll(/`(\w+)` \((?:starting λ, )?([^,;)]+)/g)].map((m) => [m[1], value(m[2].trim())]));
}

describe("docs/second-order.md's Hessian-free defaults", () => {
  it('lists every option with the default HESSIAN_FREE_DEFAULTS holds', () => {
    expect(Object.fromEntries(optionList('`damping` (45)'))).toEqual(HESSIAN_FREE_DEFAULTS);
  });

  it('quotes the same CG cap, curvature fraction and floor, and LM rule in its prose', () => {
    expect(quoted(/at most `maxIterations` \(default (\d+)\)/).map(Number)).toEqual([HESSIAN_FREE_DEFAULTS.maxIterations]);
    expect(quoted(/`curvatureFraction` \(default ¼, at least (\d+) rows\)/).map(Number)).toEqual([MIN_CURVATURE_ROWS]);
    expect(HESSIAN_FREE_DEFAULTS.curvatureFraction).toBe(0.25);
    const [low, grow, growBy, high, shrink, shrinkBy, start] = quoted(/ρ < ([¼¾]) → λ·(\d)\/(\d), ρ > ([¼¾]) → λ·(\d)\/(\d), from λ₀ = (\d+)/);
    expect([value(low), value(high)]).toEqual([LM_LOW, LM_HIGH]);
    expect([Number(grow) / Number(growBy), Number(shrink) / Number(shrinkBy)]).toEqual([LM_GROW, LM_SHRINK]);
    expect(Number(start)).toBe(HESSIAN_FREE_DEFAULTS.damping);
  });
});

describe("docs/second-order.md's Levenberg–Marquardt limit", () => {
  it('says the parameter count LM_MAX_PARAMETERS allows on block networks', () => {
    expect(quoted(/\| Levenberg–Marquardt \| yes \(MSE, ≤ ([\d,]+) parameters, as for dense\)/)).toEqual([LM_MAX_PARAMETERS.toLocaleString('en-US')]);
  });
});

describe("docs/second-order.md's K-FAC defaults", () => {
  const listed = optionList('`damping` (starting λ');

  it('lists each option with the default KFAC_DEFAULTS holds', () => {
    // quadraticMomentum and adaptDamping share one entry ("true with rescale"), checked below.
    const named = ['damping', 'decay', 'inverseEvery', 'rescale', 'adaptEvery', 'weightDecay', 'curvatureFraction', 'relativeDamping', 'normConstraint'] as const;
    expect([...listed.keys()].filter((key) => key !== 'quadraticMomentum' && key !== 'adaptDamping').sort()).toEqual([...named].sort());
    for (const key of named) expect(listed.get(key), key).toBe(KFAC_DEFAULTS[key]);
    expect(prose).toContain('`quadraticMomentum` and `adaptDamping` (true with rescale; refused without it)');
    expect([KFAC_DEFAULTS.quadraticMomentum, KFAC_DEFAULTS.adaptDamping, KFAC_DEFAULTS.rescale]).toEqual([true, true, true]);
    expect(KFAC_DEFAULTS.normConstraint).toBe(KFAC_NORM_CONSTRAINT);
  });

  it('quotes the same refresh, learning rate, adapt period, λ bounds, norm constraint and factor limit in its prose', () => {
    expect(quoted(/Every `inverseEvery` steps \(default (\d+), and at step 0\)/).map(Number)).toEqual([KFAC_DEFAULTS.inverseEvery]);
    expect(quoted(/The learning rate multiplies the model's step \(default (\d+): the model's minimiser\)/).map(Number)).toEqual([KFAC_RESCALED_LEARNING_RATE]);
    expect(quoted(/T₁ = `adaptEvery` \((\d+)\) steps/).map(Number)).toEqual([KFAC_DEFAULTS.adaptEvery]);
    expect(quoted(/λ kept in \[(10⁻¹²), (10⁶)\]/).map(value)).toEqual([KFAC_LAMBDA_MIN, KFAC_LAMBDA_MAX]);
    expect(quoted(/`normConstraint` c = (10⁻²)\)/).map(value)).toEqual([KFAC_NORM_CONSTRAINT]);
    expect(quoted(/larger than (\d+)×(\d+) is refused/).map(Number)).toEqual([KFAC_MAX_FACTOR_SIDE, KFAC_MAX_FACTOR_SIDE]);
    expect(quoted(/ε = min\(1 − 1\/k, `decay`\) of the average and adds 1 − ε of its batch's factors \(`decay` ([\d.]+)\)/).map(Number)).toEqual([KFAC_DEFAULTS.decay]);
    // "the first 20 steps weigh their batches equally": ε = 1 − 1/k while that is below decay.
    const equal = quoted(/the first (\d+) steps weigh their batches equally/).map(Number)[0];
    expect(1 - 1 / equal).toBeLessThanOrEqual(KFAC_DEFAULTS.decay);
    expect(1 - 1 / (equal + 1)).toBeGreaterThan(KFAC_DEFAULTS.decay);
  });
});
