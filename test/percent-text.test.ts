// One way to print a fraction as a percentage: the trainable-depth study wrote the report's formula
// again, and the CLI's tables, the other studies and the curvature text each had their own copy.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { percentText, unbrokenPercents } from '../src/percent-text.js';
import { expectError } from './util/expect-error.js';
import { checkGoal, UNMEASURED } from '../src/studies/trainable-depth.js';
import { negativeMassText } from '../src/curvature/curvature-text.js';

describe('percentText', () => {
  it('prints a fraction with one decimal and " %", and "—" for no value', () => {
    expect([0.123, 0.9, 1, 0, 0.10549].map(percentText)).toEqual(['12.3 %', '90.0 %', '100.0 %', '0.0 %', '10.5 %']);
    expect(percentText(null)).toBe('—');
  });

  it('prints no value as "—" too, and no negative zero (it printed "NaN %" and "-0.0 %", edges47 #17)', () => {
    expect([NaN, Infinity, -Infinity].map(percentText)).toEqual(['—', '—', '—']);
    expect([-0.0001, -0, -0.00049].map(percentText)).toEqual(['0.0 %', '0.0 %', '0.0 %']);
    expect(percentText(-0.0005)).toBe('-0.1 %');
  });

  it('refuses what is not a number (it is public), naming what it got', async () => {
    await expectError(() => percentText('0.5' as never), 'INVALID_OPTION', /^percentText\(fraction\): expected a number or null, got "0\.5"$/);
  });

  it('unbrokenPercents: a no-break space between each number and its %, for a browser to lay out', async () => {
    expect(unbrokenPercents('84 % of the units in hidden layer 9 and 97 % in hidden layer 10, accuracy 52.5 %, ≈1.2 %')).toBe(
      '84\u00a0% of the units in hidden layer 9 and 97\u00a0% in hidden layer 10, accuracy 52.5\u00a0%, ≈1.2\u00a0%',
    );
    // Only a space after a digit: no other text changes.
    expect(unbrokenPercents('— % and 50% and the 2 layers')).toBe('— % and 50% and the 2 layers');
    expect(unbrokenPercents(percentText(0.845))).toBe('84.5\u00a0%');
    await expectError(() => unbrokenPercents(0.5 as never), 'INVALID_OPTION', /^unbrokenPercents\(text\): expected a string, got 0\.5$/);
  });

  it('is what the study and the curvature text print', () => {
    const row = (depth: number, testAccuracy: number | null) => ({ remedy: 'plain-sigmoid', depth, ...UNMEASURED, testAccuracy });
    expect(checkGoal([row(2, 0.95), row(5, 0.105), row(10, null), row(20, 0.088)], 1000).plainSigmoidStops.why).toBe('plain-sigmoid held-out accuracy by depth: 2: 95.0 %, 5: 10.5 %, 10: —, 20: 8.8 %');
    expect(negativeMassText(0.0123, true)).toBe('1.2 %');
  });

  it('is written once: no other file of src/ or the visualizer prints 100 × a fraction with one decimal and " %"', () => {
    const formula = /\(100 \* [^)]+\)\.toFixed\(1\)\} %|\(\w+(\.\w+)* \* 100\)\.toFixed\(1\)\} %/;
    const copies = ['src', 'demo/src']
      .flatMap((dir) => (readdirSync(dir, { recursive: true }) as string[]).map((f) => join(dir, f)))
      .filter((f) => f.endsWith('.ts') && f !== join('src', 'percent-text.ts'))
      .filter((f) => formula.test(readFileSync(f, 'utf8')));
    expect(copies).toEqual([]);
    expect(formula.test('const pct = (v: number) => `${(100 * v).toFixed(1)} %`;')).toBe(true);
    expect(formula.test('accuracy ${(snapshot.accuracy * 100).toFixed(1)} %')).toBe(true);
  });
});
