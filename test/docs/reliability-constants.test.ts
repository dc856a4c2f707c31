// docs/reliability.md states the bounds its refusals and fault checks use: a gradient entry's
// √FLOAT32_MAX, the runaway loss factor and parameter bound, maxHalvings' default, the model limits
// (layers, parameters) and a normal init's largest std with its draw bound. Each is read from the page
// and compared with the constant that holds it, so a changed bound fails here until the page says it.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FLOAT32_MAX, MAX_UNITS } from '../../src/checks.js';
import { MAX_INIT_STD } from '../../src/init/initializers.js';
import { MODEL_LIMITS, RUNAWAY_PARAMETER } from '../../src/model-limits.js';
import { DEFAULT_MAX_HALVINGS, LARGEST_GRADIENT, RUNAWAY_LOSS_FACTOR } from '../../src/training/numeric-faults.js';
import { flat } from '../util/printed-text.js';

const prose = flat(readFileSync(new URL('../../docs/reliability.md', import.meta.url), 'utf8'));

/** The captures of the one place `pattern` matches in the page. */
function quoted(pattern: RegExp): string[] {
  const places = [...prose.matchAll(new RegExp(pattern.source, 'g'))];
  expect(places.length, `docs/reliability.md: ${pattern.source}`).toBe(1);
  return places[0].slice(1);
}
const SUPERSCRIPT = '⁰¹²³⁴⁵⁶⁷⁸⁹';
const power = (digits: string) => 10 ** Number([...digits].map((c) => SUPERSCRIPT.indexOf(c)).join(''));
const twoDigits = (value: number) => Number(value.toPrecision(2));

describe('the bounds docs/reliability.md states', () => {
  it("a gradient entry's fault bound, √FLOAT32_MAX", () => {
    expect(LARGEST_GRADIENT).toBe(Math.sqrt(FLOAT32_MAX));
    expect(Number(quoted(/an entry beyond √FLOAT32_MAX ≈ ([\d.e]+)/)[0])).toBe(twoDigits(LARGEST_GRADIENT));
  });

  it('the runaway loss factor and parameter bound', () => {
    expect(power(quoted(/at `RUNAWAY_LOSS_FACTOR` \(10([⁰¹²³⁴⁵⁶⁷⁸⁹]+)\) times it/)[0])).toBe(RUNAWAY_LOSS_FACTOR);
    expect(RUNAWAY_PARAMETER).toBe(Math.sqrt(FLOAT32_MAX / MAX_UNITS));
    expect(Number(quoted(/`RUNAWAY_PARAMETER` = √\(FLOAT32_MAX \/ MAX_UNITS\) ≈ ([\d.e]+):/)[0])).toBe(twoDigits(RUNAWAY_PARAMETER));
    // The refusals' own wording of it, as the page quotes them.
    expect(prose).toContain(`beyond ±${RUNAWAY_PARAMETER.toExponential(2)}, the largest parameter training allows`);
  });

  it("maxHalvings' default", () => {
    expect(Number(quoted(/At most `maxHalvings` \(default (\d+)\) per call/)[0])).toBe(DEFAULT_MAX_HALVINGS);
  });

  it('the model limits: layers, parameters, and a normal init\'s largest std', () => {
    const [layers, parameters] = quoted(/`MODEL_LIMITS` of ([\d,]+) layers and 2([⁰¹²³⁴⁵⁶⁷⁸⁹]+) parameters, every value a finite float32\)/);
    expect(layers).toBe(MODEL_LIMITS.maxLayers.toLocaleString('en-US'));
    expect(2 ** Number([...parameters].map((c) => SUPERSCRIPT.indexOf(c)).join(''))).toBe(MODEL_LIMITS.maxParameters);
    expect(quoted(/a network of ([\d,]+) layers, or with biases initialised to 1e39, is refused/)[0]).toBe((MODEL_LIMITS.maxLayers + 1).toLocaleString('en-US'));
    const [cap, exact, draws] = quoted(/a normal init's std is capped at ([\d.e+]+) \(([\d.e]+), stated rounded down so that the stated cap is taken\), so that every draw, at most ([\d.]+) std/);
    expect(Number(exact)).toBe(Number(MAX_INIT_STD.toPrecision(5)));
    expect(Number(cap)).toBe(Math.floor(MAX_INIT_STD / 1e13) * 1e13);
    expect(Number(draws) * MAX_INIT_STD).toBeCloseTo(RUNAWAY_PARAMETER, -3);
  });
});

// README's security paragraph states the same limits in brief (auditor54 #7b).
describe("the limits README's model-file paragraph states", () => {
  it('layers, units per layer and parameters', () => {
    const readme = flat(readFileSync(new URL('../../README.md', import.meta.url), 'utf8'));
    const places = [...readme.matchAll(/Sizes are checked against limits \(≤ ([\d,]+) layers, ≤ 2([⁰¹²³⁴⁵⁶⁷⁸⁹]+) units per layer, ≤ 2([⁰¹²³⁴⁵⁶⁷⁸⁹]+) parameters,/g)];
    expect(places.length).toBe(1);
    const [layers, units, parameters] = places[0].slice(1);
    const twoTo = (digits: string) => 2 ** Number([...digits].map((c) => SUPERSCRIPT.indexOf(c)).join(''));
    expect(layers).toBe(MODEL_LIMITS.maxLayers.toLocaleString('en-US'));
    expect(twoTo(units)).toBe(MAX_UNITS);
    expect(twoTo(parameters)).toBe(MODEL_LIMITS.maxParameters);
  });
});
