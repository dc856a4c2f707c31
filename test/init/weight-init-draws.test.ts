// WEIGHT_INIT_DRAWS, the words for how each named initialiser draws its weights, is the one source of WeightInitName's TSDoc
// and of diagnose()'s words beside an initialiser's name (diag41 restated them in init-remedies.ts): the TSDoc says each as
// the constant does, and each variance it names is the one the initialiser draws (weightInitStd).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { WEIGHT_INIT_DRAWS, WEIGHT_INITS, weightInitStd } from '../../src/init/initializers.js';

/** The variance a draw's words name for an nIn → nOut layer, or undefined for words that name none (the orthogonal matrix). */
function namedVariance(draw: string, nIn: number, nOut: number): number | undefined {
  const fans = (denominator: string) => (denominator === 'n_in' ? nIn : denominator === 'n_out' ? nOut : nIn + nOut);
  // A clause after the variance says how it is drawn ('variance 2/n_in, from a normal cut at 2 std').
  const variance = draw.match(/^(?:variance |N\(0, )(\d+)\/\(?(n_in(?: \+ n_out)?|n_out)\)?\)?(?:, .*)?$/);
  if (variance) return Number(variance[1]) / fans(variance[2]);
  // U[±a] has variance a²/3.
  if (draw === 'U[±1/√n_in]') return 1 / nIn / 3;
  return undefined;
}

describe('WEIGHT_INIT_DRAWS', () => {
  it("is what WeightInitName's TSDoc says of each initialiser", () => {
    const source = readFileSync(new URL('../../src/init/initializers.ts', import.meta.url), 'utf8');
    const doc = source.match(/\/\*\*((?:(?!\*\/)[\s\S])*)\*\/\s*export type WeightInitName\b/)![1].replace(/\s*\n\s*\*\s?/g, ' ');
    for (const name of WEIGHT_INITS) expect(doc).toContain(`'${name}': ${WEIGHT_INIT_DRAWS[name]}`);
  });

  it.each(WEIGHT_INITS.filter((name) => name !== 'orthogonal'))('names the variance %s draws (weightInitStd²), for 784 → 30 and 30 → 100 layers', (name) => {
    for (const [nIn, nOut] of [[784, 30], [30, 100]]) {
      const variance = namedVariance(WEIGHT_INIT_DRAWS[name], nIn, nOut);
      expect(variance, WEIGHT_INIT_DRAWS[name]).toBeDefined();
      expect(variance! / weightInitStd(name, nIn, nOut) ** 2).toBeCloseTo(1, 12);
    }
  });
});
