/** What an engine is after dispose(): any use throws DISPOSED and never touches the freed memory. */
import { GradscopeError } from '../errors.js';
import { refuseMembersAfterDispose } from '../refuse-after-dispose.js';

export function disposedError(): GradscopeError {
  return new GradscopeError('DISPOSED', 'this network was disposed; create or load a new one');
}

/** What a disposed engine still answers: isDisposed (true) and dispose() (a no-op). */
export const ENGINE_ANSWERED_AFTER_DISPOSE: readonly string[] = ['isDisposed', 'dispose'];

/**
 * The end of an engine's dispose(): every member but ENGINE_ANSWERED_AFTER_DISPOSE throws DISPOSED.
 * A caller who took the engine before (net[MODEL], or an optimiser's model) reached its emptied
 * lists, undefined buffers and plain fields: TypeErrors, answers from a network that is gone, or a
 * block network's layers still on the live kernels. It also drops the engine's hold on the kernels
 * and tensors, so an unreferenced backend's memory can be collected.
 */
export function refuseEngineMembers(engine: object): void {
  refuseMembersAfterDispose(engine, ENGINE_ANSWERED_AFTER_DISPOSE, disposedError);
}
