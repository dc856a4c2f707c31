/**
 * How the terminal lays a diagnosis and its tables out: the wrapper keeps a number with its '%'
 * (it split "84" from "%" at a line end), and a column of ratios keeps one format (the gradients
 * table mixed "0.00000122×" with "3.01e-8×", toPrecision's switch at 1e-7).
 */
import { describe, expect, it } from 'vitest';
import { diagnosisText } from '../../src/cli/trace-table.js';
import { gradientTable } from '../../src/cli/commands/gradients.js';
import { ratioColumn } from '../../src/cli/table.js';
import type { Diagnosis } from '../../src/flow/diagnose.js';
import type { Gradients } from '../../src/api/network.js';

describe('the diagnosis wrapper', () => {
  it("never ends a line with a number whose ' %' starts the next, wherever the number falls", () => {
    for (let k = 80; k <= 100; k++) {
      const summary = `${'a '.repeat(k / 2)}84 % of the units in hidden layer 9 and 97 % in hidden layer 10`;
      const text = diagnosisText({ verdict: 'dead', summary, remedies: [] } as unknown as Diagnosis, { form: 'api' });
      const lines = text.split('\n');
      for (const line of lines) {
        expect(line.trimStart().startsWith('%'), text).toBe(false);
        expect(line.length).toBeLessThanOrEqual(100);
      }
      expect(lines.slice(1).map((l) => l.trim()).join(' ')).toBe(summary.trim());
    }
  });
});

describe('a column of ratios', () => {
  it('prints in fixed point where every ratio lies in [0.01, 1000), in exponent form for all where one does not', () => {
    expect(ratioColumn([0.0171, 0.397, 1, undefined])).toEqual(['0.0171×', '0.397×', '1.00×', '']);
    expect(ratioColumn([1.22e-6, 3.01e-8, 0.414, 1, NaN, undefined])).toEqual(['1.22e-6×', '3.01e-8×', '4.14e-1×', '1.00e+0×', '—', '']);
    expect(ratioColumn([999, 1000])).toEqual(['9.99e+2×', '1.00e+3×']);
  });

  it('prints a ratio over a gradient of 0 (x ÷ 0) as none, and a gradient of 0 over another as 0×, neither deciding the format', () => {
    // A last hidden layer whose ‖∂C/∂b‖ is 0 (every unit dead): every other layer's ratio to it is x ÷ 0, its own 0 ÷ 0.
    expect(ratioColumn([0.5, Infinity, NaN, undefined])).toEqual(['0.500×', '—', '—', '']);
    expect(ratioColumn([0, 0.5, 1, undefined])).toEqual(['0×', '0.500×', '1.00×', '']);
  });

  it("the gradients table's ratio column holds one format when its ratios span 1e-8 to 1", () => {
    const biasNorms = [6e-12, 1.29e-10, 3.52e-5, 1.19e-1, 4.18e-1];
    const layers = biasNorms.map((biasNorm) => ({ units: 32, inputs: 32, weightNorm: 1, biasNorm }));
    const table = gradientTable({ layers } as unknown as Gradients, ['tanh', 'tanh', 'tanh', 'tanh', 'softmax']);
    const [header, , ...rows] = table.split('\n');
    const column = header.indexOf('‖∂C/∂b‖ ÷ last hidden');
    const cells = rows.map((row) => row.slice(column).trim());
    expect(cells).toEqual(['5.04e-11×', '1.08e-9×', '2.96e-4×', '1.00e+0×', '']);
  });
});
