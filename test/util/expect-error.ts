/** expectError: the call throws a GradscopeError with this code and a message naming what and where. */
import { expect } from 'vitest';
import { GradscopeError, type ErrorCode } from '../../src/errors.js';

/** Runs `call`, expects a GradscopeError with `code` and a message matching `where`. */
export async function expectError(call: () => unknown, code: ErrorCode, where: RegExp): Promise<GradscopeError> {
  let caught: unknown;
  try {
    await call();
  } catch (error) {
    caught = error;
  }
  expect(caught, `expected ${code}`).toBeInstanceOf(GradscopeError);
  const error = caught as GradscopeError;
  expect(error.code, error.message).toBe(code);
  expect(error.message).toMatch(where);
  return error;
}
