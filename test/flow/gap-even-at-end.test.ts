/**
 * A vanishing gap that held over the run but lay within 1/4–4× by its last record (gapEvenAtEnd: the headline's "by the last record
 * it had crossed over to …"): the gap's remedies stay first, for the records it held over, and the run is also offered what where it
 * stands asks beside a closed gap (more epochs for a loss still falling, a plateau's remedies), whose reason says where the gap went.
 * words47 left it (newuser45 #14: a tanh run whose gap crossed over to 1.51× while its loss still fell was offered 8 remedies for the
 * gap and no more epochs). A gap that held to the end, or crossed past the other threshold, keeps its list as it was (decided in
 * gapEvenAtEnd's comment: a crossed-past end is a gap of the other side, whose remedies pull against the verdict's).
 */
import { describe, expect, it } from 'vitest';
import { diagnose } from '../../src/flow/diagnose.js';
import type { TraceEpoch } from '../../src/flow/trace.js';
import { quoteOn, quotePattern } from '../util/page-quotes.js';
import { gapTrace } from '../util/gap-trace.js';

const RUN = { optimizer: 'sgd', learningRate: 0.1, init: 'glorot-uniform' } as const;
const epochsOf = (losses: number[]): TraceEpoch[] => losses.map((loss, epoch) => ({ epoch, step: epoch + 1, loss }));
/** A loss that falls 15 % an epoch, and one that stands still. */
const FALLING = epochsOf([2, 1.7, 1.45, 1.23, 1.05, 0.89, 0.76, 0.64]);
const FLAT = epochsOf(Array<number>(8).fill(2));
/** 1/100 over the first six records (the median: no gap closed), then `end` over the last two. */
const ratios = (end: number) => [...Array<number>(6).fill(0.01), end, end];

describe('a gap even by the last record', () => {
  it('crossed over while the loss still falls: the gap\'s remedies first, then more epochs, saying where the gap went', () => {
    const d = diagnose(gapTrace(ratios(2), RUN, undefined, FALLING));
    expect([d.verdict, d.severity, d.evidence.training?.state], d.summary).toEqual(['vanishing', 'severe', 'learning']);
    expect(d.headline).toContain("by the last record it had crossed over to 2.00× the last hidden layer's");
    const options = d.remedies.map((r) => r.option);
    expect(options[0]).toMatch(/^activation: 'relu'/);
    expect(options.at(-1)).toBe('epochs: more than 8');
    expect(d.remedies.at(-1)!.why).toMatch(/^by the last record the gap in the gradient flow had crossed over to 2\.00× the last hidden layer's \(within 1\/4–4×\) and the loss is still falling \(.*\): training longer lowers it further\.$/);
    expect(d.remedies.at(-1)!.readFrom).toBe('losses');
    expect(d.remedies.at(-1)!.why).toMatch(quotePattern(quoteOn('docs/gradient-flow.md', 'by the last record the gap in the gradient flow'), { anyNumbers: true }));
    expect(d.headline).toMatch(quotePattern(quoteOn('docs/gradient-flow.md', 'by the last record it had crossed over'), { anyNumbers: true }));
  });

  it('narrowed into 1/4–4×: the same, in its word', () => {
    const d = diagnose(gapTrace(ratios(0.5), RUN, undefined, FALLING));
    expect(d.headline).toContain("by the last record it had narrowed to 0.500× the last hidden layer's");
    expect(d.remedies.at(-1)!.why).toMatch(/^by the last record the gap in the gradient flow had narrowed to 0\.500× the last hidden layer's \(within 1\/4–4×\) and the loss is still falling/);
  });

  it('on a plateau: the plateau\'s remedies after the gap\'s, the larger rate saying where the gap went', () => {
    const d = diagnose(gapTrace(ratios(2), RUN, undefined, FLAT));
    expect(d.evidence.training?.state).toBe('plateau');
    const rate = d.remedies.find((r) => r.option === 'learningRate: above 0.1');
    expect(rate?.why, d.remedies.map((r) => r.option).join('\n')).toMatch(/^by the last record the gap in the gradient flow had crossed over to 2\.00× the last hidden layer's \(within 1\/4–4×\), yet at learning rate 0\.1 the loss /);
    expect(d.remedies.indexOf(rate!)).toBeGreaterThan(d.remedies.findIndex((r) => r.option.startsWith("activation: 'relu'")));
  });

  it('a gap that held to the end, or crossed past the other threshold: no more epochs, no plateau remedy, as before', () => {
    for (const end of [0.01, 10]) {
      for (const epochs of [FALLING, FLAT]) {
        const d = diagnose(gapTrace(ratios(end), RUN, undefined, epochs));
        expect(d.verdict).toBe('vanishing');
        expect(d.remedies.filter((r) => r.readFrom === 'losses'), `${end}: ${d.remedies.map((r) => r.option).join(', ')}`).toEqual([]);
        expect(d.remedies[0].option).toMatch(/^activation: 'relu'/);
        // Past the other threshold the end is a gap of the other side: no exploding remedy beside the vanishing start's (they pull
        // against each other), and the headline says where the gap went.
        expect(d.remedies.some((r) => r.settings.some((s) => s.option === 'clipNorm'))).toBe(false);
        if (end > 1) expect(d.headline).toContain("by the last record it had crossed over to 10.0× the last hidden layer's");
      }
    }
  });
});
