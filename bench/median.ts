/** Median latency of a tinybench task, in milliseconds; throws if the task did not complete. */
import type { Bench } from 'tinybench';

export function medianMs(bench: Bench, name: string): number {
  const task = bench.getTask(name);
  const result = task?.result;
  if (!result || result.state !== 'completed') {
    throw new Error(`benchmark '${name}' did not complete: ${result && 'error' in result ? String(result.error) : result?.state}`);
  }
  return result.latency.p50;
}
