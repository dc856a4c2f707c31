import { expect } from 'vitest';
import type { Diagnosis } from '../../src/flow/diagnose.js';

/** A diagnosis' summary says, after its verdict's heading ('Exploding gradients (severe): '), the evidence behind it: never empty or ending at the colon. */
export function expectSummaryExplained(d: Diagnosis, context: string): void {
  const [, explanation] = d.summary.match(/^[^:]*: ([\s\S]*)$/) ?? [];
  expect(explanation?.trim().length ?? 0, `${context}: ${JSON.stringify(d.summary)}`).toBeGreaterThan(20);
  expect(d.summary.trimEnd(), context).not.toMatch(/:$/);
}
