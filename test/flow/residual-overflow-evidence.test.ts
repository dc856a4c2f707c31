/**
 * The residual remedy's reason says where study (c)'s plain residual blocks overflowed float32 (auditor54 #7c: a literal 50 in
 * src/flow/diagnosis/architecture-remedies.ts that nothing read from the run): the shallowest depth of docs/data/trainable-depth.json
 * (the committed run the docs' tables are rendered from) whose residual row stopped on an overflow, every shallower one trained.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseStudyJson } from '../../scripts/trainable-depth-tables.js';
import { diagnose } from '../../src/flow/diagnose.js';
import { deltaTrace } from '../util/gap-trace.js';

const run = parseStudyJson(readFileSync(new URL('../../docs/data/trainable-depth.json', import.meta.url), 'utf8'));

describe("the residual remedy's reason, against study (c)'s committed run", () => {
  it('names the shallowest depth at which the plain residual blocks overflowed float32', () => {
    const rows = run.rows.filter((r) => r.remedy === 'residual').sort((a, b) => a.depth - b.depth);
    const overflowed = rows.filter((r) => /overflows float32/.test(r.stopped ?? ''));
    expect(overflowed.length).toBeGreaterThan(0);
    const first = overflowed[0].depth;
    for (const r of rows.filter((r) => r.depth < first)) expect(r.stopped, `residual at ${r.depth}`).toBeFalsy();
    // A vanishing [4, 3, 3, 3, 2] net without blocks is offered residual blocks.
    const trace = deltaTrace('sigmoid', Array.from({ length: 8 }, () => [1e-3, 3e-2, 1] as const));
    const residual = diagnose(trace).remedies.find((r) => r.settings.some((s) => s.option === 'layers' && /'residual'/.test(s.value)));
    expect(residual?.why).toContain(`study (c)'s plain blocks overflowed float32 at ${first} hidden layers.`);
  });
});
