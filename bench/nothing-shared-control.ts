/**
 * The control block of bench/nothing-shared.ts and its worker (Int32 slots): the job counter, the
 * done counter, the stop flag, and the job the worker last started.
 */
export const JOB = 0, DONE = 1, STOP = 2, STARTED = 3;
export const CONTROL_SLOTS = 4;
