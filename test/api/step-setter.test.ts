// net.step is a count of training steps: the setter takes a whole number from 0 to 2⁵³ − 1, as every
// checkpoint reader does (checkStepCount, one rule). It took anything: -1, NaN, 1.5, 'abc' or 2⁶⁰
// were held silently, and the fault surfaced later and elsewhere (checkpointOf's "step: expected a
// whole number ≥ 0", or train({ gradientNoise })'s "gradientNoise: step must be …").
import { describe, expect, it } from 'vitest';
import { createNetwork } from '../../src/api/network.js';
import { checkpointFromJSON, checkpointOf, checkpointToJSON } from '../../src/io/checkpoint.js';
import { expectError } from '../util/expect-error.js';

describe('net.step =', () => {
  it.each([-1, NaN, 1.5, Infinity, 2 ** 60, 'abc', null])('%s is refused (INVALID_OPTION), the count unchanged', async (value) => {
    const net = await createNetwork({ sizes: [2, 3, 2], backend: 'ref' });
    net.step = 7;
    await expectError(() => { net.step = value as number; }, 'INVALID_OPTION', /^step: expected a whole number from 0 to 9,007,199,254,740,991 \(2⁵³ − 1, the largest whole number a float64 counts exactly\), got /);
    expect(net.step).toBe(7);
    net.dispose();
  });

  it('a whole number up to 2⁵³ − 1 is taken, and a checkpoint of it reads back', async () => {
    const net = await createNetwork({ sizes: [2, 3, 2], backend: 'ref' });
    net.step = Number.MAX_SAFE_INTEGER;
    expect(checkpointFromJSON(JSON.parse(JSON.stringify(checkpointToJSON(checkpointOf(net))))).step).toBe(Number.MAX_SAFE_INTEGER);
    net.dispose();
  });
});
