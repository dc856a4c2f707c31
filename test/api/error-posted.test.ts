// A GradscopeError a worker posts as it is reaches the page as a plain Error: structured cloning (what
// postMessage does, and structuredClone) keeps an error's message but not its class or its own
// fields, the code among them; posted as { code, message } it arrives whole (docs/browser.md,
// "Training in a Web Worker").
import { describe, expect, it } from 'vitest';
import { GradscopeError } from '../../src/errors.js';
import { createNetwork } from '../../src/api/network.js';

async function refusal(): Promise<GradscopeError> {
  const net = await createNetwork({ sizes: [2, 3, 2], output: 'softmax' });
  try {
    net.predict([[1]]);
    return expect.unreachable('one value where the network takes 2') as never;
  } catch (error) {
    return error as GradscopeError;
  } finally {
    net.dispose();
  }
}

describe('a GradscopeError across postMessage', () => {
  it('loses its class and code when posted as it is', async () => {
    const error = await refusal();
    expect(error.code).toBe('SHAPE_MISMATCH');
    const posted = structuredClone(error);
    expect(posted).toBeInstanceOf(Error);
    expect(posted).not.toBeInstanceOf(GradscopeError);
    expect((posted as Partial<GradscopeError>).code).toBeUndefined();
    expect(posted.message).toBe(error.message);
  });

  it('arrives whole as { code, message }', async () => {
    const error = await refusal();
    expect(structuredClone({ code: error.code, message: error.message })).toEqual({ code: 'SHAPE_MISMATCH', message: error.message });
  });
});
