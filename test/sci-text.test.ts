// sci: the tables' measure in exponent form, one source for the CLI's tables and the studies'.
import { describe, expect, it } from 'vitest';
import { sci } from '../src/sci-text.js';

describe('sci', () => {
  it("prints 3 significant digits in exponent form, and an exact 0 as '0' (a dead layer's gradient read '0.00e+0', edges47 #11)", () => {
    expect([1.234e-4, 5, -2.5e10, 1e-300].map(sci)).toEqual(['1.23e-4', '5.00e+0', '-2.50e+10', '1.00e-300']);
    expect([0, -0].map(sci)).toEqual(['0', '0']);
    // A tiny value is no zero.
    expect(sci(5e-324)).toBe('4.94e-324');
  });
});
