/**
 * An unclear loss names the lowest its rule reads, the lowest epoch before the last window; where an
 * epoch of that window lies lower (TrainingProgress.windowLow), the words say it is the lowest before
 * the last window, not the run's: 'its lowest, X' read beside a table with an epoch below X. The
 * spirals relu/he trace of test/flow/noisy-loss (seed 2, its training subset: unclear, its lowest
 * before the last window 0.0515 after 151 epochs, an epoch of the last window at 0.0497) read 'above its
 * lowest, 0.0515'.
 */
import { describe, expect, it } from 'vitest';
import { lossFixture, lossTrace as traceOf, type LossFixture as Fixture } from '../util/loss-fixture.js';
import { diagnose } from '../../src/flow/diagnose.js';
import { quoteOn, quotePattern } from '../util/page-quotes.js';

const fixture = (): Fixture => lossFixture('spirals-relu-he-seed2');

describe('an unclear loss whose last window holds an epoch below the lowest before it', () => {
  it("names the rule's lowest as the lowest before the last window; without such an epoch, as its lowest", () => {
    const f = fixture();
    const d = diagnose(traceOf(f));
    const p = d.evidence.training!;
    // The rule reads the lowest before the last window (epoch 151's 0.0515); an epoch of the window (0.0497) lies lower.
    expect([d.verdict, p.state, p.lowest!.epoch, p.windowLow!.loss]).toEqual(['healthy', 'unclear', 150, 0.049686]);
    expect(p.windowLow!.loss).toBeLessThan(p.lowest!.loss);
    expect(d.summary).toMatch(/ above its lowest before the last window, 0\.05152 after 151 epochs \(a rise above one epoch is read only beyond /);
    expect(d.summary).not.toMatch(/above its lowest, /);
    expect(d.summary).toMatch(quotePattern(quoteOn('docs/gradient-flow.md', '… above its lowest before the last window')));
    expect(d.summary).toContain(quoteOn('docs/gradient-flow.md', 'its lowest before the last window'));

    // The window's epochs below it raised to it: none lower in the window, and the words name the run's lowest as before.
    const below = (e: NonNullable<Fixture['epochs']>[number]) => e.epoch > p.lowest!.epoch && e.training!.loss < p.lowest!.loss;
    const level = { ...f, epochs: f.epochs!.map((e) => (below(e) ? { ...e, training: { ...e.training!, loss: p.lowest!.loss } } : e)) };
    const levelled = diagnose(traceOf(level));
    expect([levelled.evidence.training!.state, levelled.evidence.training!.windowLow]).toEqual(['unclear', undefined]);
    expect(levelled.summary).toMatch(/ above its lowest, 0\.05152 after 151 epochs \(a rise above one epoch/);
  });
});
