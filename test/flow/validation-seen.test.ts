/**
 * Validation rows that trained the model before the run (DiagnoseOptions.validationSeen, which
 * `gradscope study --model` sets from cli/seen-test-rows.ts) are not held out: the diagnosis calls
 * them the validation rows, never 'held-out', and does not say the network fits its training rows at
 * the cost of rows it has not seen (study --model of a model trained on the test digits it was
 * studied on called them 'the held-out rows', session 30).
 */
import { describe, expect, it } from 'vitest';
import { diagnose } from '../../src/flow/diagnose.js';
import { overfittingTrace } from '../util/overfitting-trace.js';
import { expectError } from '../util/expect-error.js';

/** Everything the diagnosis says: its summary and its remedies' reasons. */
const said = (d: ReturnType<typeof diagnose>) => [d.summary, ...d.remedies.map((r) => r.why)].join('\n');

describe('validation rows that trained the model', () => {
  it("are called the validation rows, never held out, with the rows it has not seen unsaid; by default they are the held-out rows", () => {
    const held = diagnose(overfittingTrace());
    expect(held.verdict).toBe('overfitting');
    expect(said(held)).toContain("the held-out rows' loss rose while the training loss did not");
    expect(said(held)).toContain('at the cost of the rows it has not seen');
    for (const d of [diagnose(overfittingTrace(), { validationSeen: true }), diagnose(overfittingTrace(), { validationSeen: true, heldOutAtStart: 0.1668 })]) {
      expect(d.verdict).toBe('overfitting');
      expect(d.evidence.training!.heldOut!.seen).toBe(true);
      expect(said(d)).not.toMatch(/held-out|held out|not seen/);
      expect(said(d)).toContain("the validation rows' loss");
    }
    expect(diagnose(overfittingTrace(), { validationSeen: false }).summary).toBe(held.summary);
  });

  it('is refused typed where not a boolean', async () => {
    await expectError(() => diagnose(overfittingTrace(), { validationSeen: 'yes' as unknown as boolean }), 'INVALID_OPTION', /^diagnose\(trace, options\): validationSeen is "yes"; expected true or false$/);
  });
});
