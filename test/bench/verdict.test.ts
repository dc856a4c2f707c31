// Goal verdicts from interleaved rounds (bench/verdict.ts): the rules on made-up rounds, no timing.
import { describe, expect, it } from 'vitest';
import { percentText } from '../../src/percent-text.js';
import { spreadOf } from '../../bench/spread.js';
import { judgePicks, judgeBesideControl, MOSTLY_CLEAN, picksText, roundsText, roundsVerdict, straddles, threadsText, type Target } from '../../bench/verdict.js';

const times = (ratio: number) => `${ratio.toFixed(2)}×`;
const AT_LEAST_90 = { value: 0.9, atLeast: true } satisfies Target;
const AT_LEAST_1_7 = { value: 1.7, atLeast: true } satisfies Target;
/** A nothing-shared ceiling whose every pair was clean, four per round. */
const clean = (ratios: number[]) => ({ ratios, pairs: 4 * ratios.length, cleanPairs: 4 * ratios.length });

describe('a goal judged on its rounds', () => {
  it('is met when the median round meets it, whatever the worst round read', () => {
    const s = spreadOf([0.79, 0.91, 0.92, 0.93, 0.94]);
    expect(roundsVerdict(s, AT_LEAST_90)).toBe('met');
    expect(roundsVerdict(spreadOf([0.89, 0.895, 0.899, 0.95, 0.96]), AT_LEAST_90)).toBe('NOT met');
    // An upper bound (a time ratio ≤ 1.1) reads the other way.
    expect(roundsVerdict(spreadOf([1.05, 1.08, 1.2]), { value: 1.1, atLeast: false })).toBe('met');
    expect(roundsVerdict(spreadOf([1.05, 1.12, 1.2]), { value: 1.1, atLeast: false })).toBe('NOT met');
  });

  it('says when the middle half of the rounds straddles the target, and only then', () => {
    const close = spreadOf([0.86, 0.88, 0.9, 0.91, 0.92, 0.93, 0.94]);
    expect(straddles(close, AT_LEAST_90)).toBe(true);
    expect(roundsText(close, AT_LEAST_90, percentText)).toBe('91.0 % (7 rounds: middle half 89.0–92.5 %, all 86.0–94.0 %); its middle half straddles 90.0 %');
    const clear = spreadOf([0.8, 0.92, 0.93, 0.94, 0.99]);
    expect(straddles(clear, AT_LEAST_90)).toBe(false);
    expect(roundsText(clear, AT_LEAST_90, percentText)).not.toMatch(/straddles/);
  });
});

describe('a two-thread goal judged against the host control of the same rounds', () => {
  it('leaves out the rounds where the control got less than the target, and judges the rest', () => {
    // Rounds 2 and 3: another process held the second vCPU; gradscope slowed with the control.
    const speedUps = [1.85, 0.9, 0.84, 1.86, 1.84, 1.88, 1.83];
    const controls = [1.98, 0.85, 0.66, 2.0, 1.99, 1.97, 1.98];
    const j = judgeBesideControl(speedUps, controls, AT_LEAST_1_7);
    expect(j.verdict).toBe('met');
    expect(j.clean).toBe(5);
    expect(j.judged.median).toBe(1.85);
    expect(threadsText(j, AT_LEAST_1_7, times)).toBe(
      '1.85× (5 rounds: middle half 1.84–1.86×, all 1.83–1.88×) over the 5 clean rounds; host control 1.98× (≥ 1.70× in 5 of 7 rounds)',
    );
  });

  it('says which rounds it judged before saying that their middle half straddles the target', () => {
    const j = judgeBesideControl([1.6, 1.65, 1.75, 1.8, 0.8], [2, 2, 2, 2, 0.85], AT_LEAST_1_7);
    expect(j.verdict).toBe('met');
    expect(threadsText(j, AT_LEAST_1_7, times)).toBe(
      '1.70× (4 rounds: middle half 1.64–1.76×, all 1.60–1.80×) over the 4 clean rounds; its middle half straddles 1.70×; host control 2.00× (≥ 1.70× in 4 of 5 rounds)',
    );
  });

  it('is NOT met when the host gave the second vCPU and gradscope still fell short', () => {
    const j = judgeBesideControl([1.61, 1.63, 1.62, 1.6, 1.63], [2, 1.99, 1.98, 2.01, 2], AT_LEAST_1_7);
    expect(j.verdict).toBe('NOT met');
    expect(threadsText(j, AT_LEAST_1_7, times)).toBe('1.62× (5 rounds: middle half 1.61–1.63×, all 1.60–1.63×); host control 2.00× (≥ 1.70× in 5 of 5 rounds)');
  });

  it("is host-limited, not a failure, when the control itself got less than the target in most rounds", () => {
    const j = judgeBesideControl([0.81, 0.75, 1.8, 0.74, 0.84], [0.82, 0.85, 1.9, 0.83, 0.85], AT_LEAST_1_7);
    expect(j.verdict).toBe('host-limited');
    expect(j.judged.rounds).toBe(5);
    expect(threadsText(j, AT_LEAST_1_7, times)).toMatch(/^the second vCPU was busy in most rounds; host control 0\.85× \(≥ 1\.70× in 1 of 5 rounds\); gradscope 0\.81×/);
  });

  it('is met when gradscope met the goal in spite of a busy second vCPU', () => {
    const j = judgeBesideControl([1.75, 1.72, 1.8], [1.5, 1.6, 1.9], AT_LEAST_1_7);
    expect(j.verdict).toBe('met');
    expect(threadsText(j, AT_LEAST_1_7, times)).toMatch(/^met in spite of a busy second vCPU/);
  });

  describe('a met over the clean rounds of a run not mostly clean (MOSTLY_CLEAN)', () => {
    // review33's [784,512,512,10]: of 21 rounds the clean ones met 1.7× by a round (the rest of them
    // at 1.5×), the busy ones read ~1.1×.
    const run = (cleanRounds: number, high = 1.75, busyValue = 1.1) => {
      const highRounds = Math.floor(cleanRounds / 2) + 1;
      const values = Array.from({ length: 21 }, (_, i) => (i < highRounds ? high : i < cleanRounds ? 1.5 : busyValue));
      const controls = values.map((_, i) => (i < cleanRounds ? 1.98 : 0.85));
      return judgeBesideControl(values, controls, AT_LEAST_1_7);
    };

    it('is host-limited when barely half the rounds were clean and every round\'s median missed', () => {
      const j = run(11);
      expect(j.verdict).toBe('host-limited');
      expect(j.metOnlyWhereClean).toBe(true);
      expect(j.judged.median).toBe(1.75);
      expect(j.all.median).toBe(1.5);
      expect(threadsText(j, AT_LEAST_1_7, times)).toBe(
        '1.75× (11 rounds: middle half 1.50–1.75×, all 1.50–1.75×) over the 11 clean rounds; its middle half straddles 1.70×; met over those rounds only: every round’s median 1.50× misses 1.70×, and with the control clean in fewer than 75.0 % of the rounds the run cannot call it met; host control 1.98× (≥ 1.70× in 11 of 21 rounds)',
      );
    });

    it('is met from three quarters of the rounds clean, whatever the busy rounds read', () => {
      expect(MOSTLY_CLEAN).toBe(3 / 4);
      expect(run(16).verdict).toBe('met');
      expect(run(15).verdict).toBe('host-limited');
    });

    it('is met from half the rounds clean when every round\'s median meets the goal too', () => {
      expect(run(11, 1.75, 1.72).verdict).toBe('met');
    });

    it('stays NOT met when the clean rounds missed, however few', () => {
      expect(run(11, 1.6).verdict).toBe('NOT met');
      expect(run(11, 1.6).metOnlyWhereClean).toBe(false);
    });
  });

  it('refuses rounds that do not pair up', () => {
    expect(() => judgeBesideControl([1.8, 1.9], [2], AT_LEAST_1_7)).toThrow(/2 rounds but 1 controls/);
    expect(() => judgeBesideControl([1.8, 1.9], [2, 2], AT_LEAST_1_7, clean([1.9]))).toThrow(/2 rounds but 1 ceilings/);
  });
});

describe('a two-thread step judged beside its nothing-shared ceiling too', () => {
  // The host control gave the second vCPU in every round, so every round is judged.
  const controls = [2, 1.99, 1.98, 2.01, 2];
  const speedUps = [1.61, 1.63, 1.62, 1.6, 1.63];

  it('is host-limited when the same work in halves that share nothing missed the target too and gradscope reached it, and prints both figures', () => {
    const j = judgeBesideControl(speedUps, controls, AT_LEAST_1_7, clean([1.63, 1.61, 1.64, 1.62, 1.9]));
    expect(j.verdict).toBe('host-limited');
    expect(j.ceiling!.spread!.median).toBe(1.63);
    expect(threadsText(j, AT_LEAST_1_7, times)).toBe(
      '1.62× (5 rounds: middle half 1.61–1.63×, all 1.60–1.63×); host control 2.00× (≥ 1.70× in 5 of 5 rounds); ' +
        'nothing-shared ceiling (the same work in halves that share nothing, clean pairs only; gradscope’s two threads every step, not filtered alike) 1.63× (5 rounds: middle half 1.62–1.64×, all 1.61–1.90×) (20 of 20 pairs clean in all rounds), itself under 1.70×, reached by gradscope',
    );
  });

  it('stays NOT met when the ceiling missed the target but gradscope stayed below it: part of the gap is gradscope’s', () => {
    const j = judgeBesideControl([1.2, 1.22, 1.18, 1.21, 1.19], controls, AT_LEAST_1_7, clean([1.69, 1.68, 1.69, 1.67, 1.69]));
    expect(j.verdict).toBe('NOT met');
    expect(threadsText(j, AT_LEAST_1_7, times)).toMatch(/, itself under 1\.70×, above gradscope’s$/);
  });

  it('stays NOT met when the ceiling read below gradscope’s split: it bounds nothing in that run', () => {
    const j = judgeBesideControl([1.65, 1.64, 1.66, 1.65, 1.65], controls, AT_LEAST_1_7, clean([0.8, 0.82, 0.79, 0.81, 0.8]));
    expect(j.verdict).toBe('NOT met');
    expect(threadsText(j, AT_LEAST_1_7, times)).toMatch(/, itself under 1\.70×, below gradscope’s, so no bound in this run$/);
  });

  it('stays NOT met when the ceiling reached the target: the gap is gradscope’s', () => {
    const j = judgeBesideControl(speedUps, controls, AT_LEAST_1_7, clean([1.9, 1.85, 1.95, 1.88, 1.6]));
    expect(j.verdict).toBe('NOT met');
    expect(threadsText(j, AT_LEAST_1_7, times)).toMatch(/; nothing-shared ceiling \(the same work in halves that share nothing, clean pairs only; gradscope’s two threads every step, not filtered alike\) 1\.88× \(5 rounds: [^)]*\) \(20 of 20 pairs clean in all rounds\)$/);
  });

  it('never turns a met goal into anything else, nor a miss into met', () => {
    expect(judgeBesideControl([1.75, 1.8, 1.72], [2, 2, 2], AT_LEAST_1_7, clean([1.5, 1.5, 1.5])).verdict).toBe('met');
    expect(judgeBesideControl([1.2, 1.3, 1.25], [2, 2, 2], AT_LEAST_1_7, clean([1.9, 1.95, 1.9])).verdict).toBe('NOT met');
  });

  it('reads the ceiling over the rounds with a clean pair only, gradscope over the same rounds, and says how many pairs were clean', () => {
    // Rounds 1 and 4: the worker had not started its half when the main thread finished, in every pair.
    const j = judgeBesideControl(speedUps, controls, AT_LEAST_1_7, { ratios: [1.61, undefined, 1.63, 1.62, undefined], pairs: 20, cleanPairs: 11 });
    expect(j.verdict).toBe('host-limited');
    expect(j.ceiling).toMatchObject({ rounds: 3, judgedRounds: 5, bounds: true, pairs: 20, cleanPairs: 11 });
    expect(j.ceiling!.value!.median).toBe(1.61);
    expect(threadsText(j, AT_LEAST_1_7, times)).toMatch(
      /; nothing-shared ceiling \(the same work in halves that share nothing, clean pairs only; gradscope’s two threads every step, not filtered alike\) 1\.62× \(3 rounds: [^)]*\) over the 3 of 5 judged rounds with one \(11 of 20 pairs clean in all rounds\), itself under 1\.70×, reached by gradscope$/,
    );
  });

  it('bounds nothing when fewer than half the judged rounds had a clean pair: a miss stays NOT met and says so', () => {
    const j = judgeBesideControl(speedUps, controls, AT_LEAST_1_7, { ratios: [1.6, undefined, undefined, undefined, 1.62], pairs: 20, cleanPairs: 2 });
    expect(j.verdict).toBe('NOT met');
    expect(j.ceiling!.bounds).toBe(false);
    expect(threadsText(j, AT_LEAST_1_7, times)).toMatch(/ over the 2 of 5 judged rounds with one \(2 of 20 pairs clean in all rounds\): too few rounds with a clean pair to bound anything$/);
  });

  it('says when no pair was clean at all', () => {
    const j = judgeBesideControl(speedUps, controls, AT_LEAST_1_7, { ratios: speedUps.map(() => undefined), pairs: 20, cleanPairs: 0 });
    expect(j.verdict).toBe('NOT met');
    expect(threadsText(j, AT_LEAST_1_7, times)).toMatch(/; nothing-shared ceiling \(the same work in halves that share nothing\): no clean pair in the judged rounds \(0 of 20 pairs clean in all rounds\), so no bound in this run$/);
  });

  it('judges the ceiling over the same rounds as gradscope: the clean ones', () => {
    // Rounds 1 and 2 are left out by the host control; the ceiling's low values there do not count.
    const j = judgeBesideControl([1.6, 0.9, 0.8, 1.62, 1.61], [2, 0.85, 0.8, 2, 2], AT_LEAST_1_7, clean([1.9, 0.9, 0.85, 1.88, 1.92]));
    expect(j.ceiling!.rounds).toBe(3);
    expect(j.ceiling!.spread!.median).toBe(1.9);
    expect(j.verdict).toBe('NOT met');
  });
});

describe("binary 'fastest' judged on its picks, each against the product timed in its own process", () => {
  const names = { default: 'simd', other: 'simd-relaxed' };
  // Two instances of the default, per process: pooled over three processes or more, their ratio's
  // quartiles are 0.99 and 1.005 (the noise 1 %); in one process's seven rounds 0.9925 and 1.0025.
  const again = [0.99, 0.995, 1, 1, 1.005, 1.01, 0.98];
  /**
   * `count` processes that picked `chosen`, each timing the relaxed binary's product at `ratios` of
   * the default's, its probes alike, on a pick that timed no pair (all rounds judged) unless `pickRatio` is given.
   */
  const picked = (chosen: string, count: number, ratios: number[], { pickRatio, probe = ratios }: { pickRatio?: number; probe?: number[] } = {}) =>
    Array.from({ length: count }, () => ({ chosen, pickRatio, otherOverDefault: ratios, defaultAgain: again, probeOtherOverDefault: probe }));

  it('takes the noise from two instances of the same binary, over every process', () => {
    expect(judgePicks(picked('simd', 3, [1, 1, 1]), names, 0.97).noise).toBeCloseTo(0.01, 12);
    // One process's rounds split over two: the same seven rounds, the same noise.
    expect(judgePicks(picked('simd', 1, [1]), names, 0.97).noise).toBeCloseTo(0.0075, 12);
    const split = [
      { chosen: 'simd', otherOverDefault: [1], defaultAgain: again.slice(0, 3), probeOtherOverDefault: [1] },
      { chosen: 'simd', otherOverDefault: [1], defaultAgain: again.slice(3), probeOtherOverDefault: [1] },
    ];
    expect(judgePicks(split, names, 0.97).noise).toBeCloseTo(0.0075, 12);
  });

  it('refuses a relaxed pick that is slower than the default in its process by more than the noise', () => {
    const slower = [1.02, 1.025, 1.03, 1.02, 1.028];
    const j = judgePicks([...picked('simd', 4, slower), ...picked('simd-relaxed', 3, slower)], names, 0.97);
    expect(j.verdict).toBe('NOT met');
    expect(j.picks).toEqual([
      { binary: 'simd', count: 4, cost: 0, tolerance: expect.closeTo(1 / 0.97 - 1 + 0.01, 12), ratios: { min: 1.025, max: 1.025 } },
      { binary: 'simd-relaxed', count: 3, cost: expect.closeTo(0.025, 12), tolerance: expect.closeTo(0.01, 12), ratios: { min: 1.025, max: 1.025 } },
    ]);
    expect(picksText(j, 'relaxed')).toBe(
      "picked 'simd' in 4 of 7 (the faster in each of its processes; relaxed/default there 1.025×), 'simd-relaxed' in 3 of 7 (at worst 2.5 % slower than the other in its process; tolerated 1.0 %; relaxed/default there 1.025×); two instances of one binary stray ±1.0 %",
    );
  });

  it('takes a relaxed pick made in a process where the relaxed binary was the faster, whatever the other processes read', () => {
    // The host slowed the default in one process (0.89×, as on the Zen 5 on 2026-12-03); the rest read 1.01×.
    const processes = [...picked('simd', 10, [1.01, 1.012, 1.009]), ...picked('simd-relaxed', 1, [0.89, 0.88, 0.9])];
    const j = judgePicks(processes, names, 0.97);
    expect(j.verdict).toBe('met');
    expect(picksText(j, 'relaxed')).toBe(
      "picked 'simd' in 10 of 11 (the faster in each of its processes; relaxed/default there 1.010×), 'simd-relaxed' in 1 of 11 (the faster in its process; relaxed/default there 0.890×); two instances of one binary stray ±1.0 %",
    );
    // The same pick where its own process read 1.02×: slower by more than the noise.
    const wrong = judgePicks([...picked('simd', 10, [0.975, 0.98, 0.978]), ...picked('simd-relaxed', 1, [1.02, 1.022, 1.019])], names, 0.97);
    expect(wrong.verdict).toBe('NOT met');
    expect(picksText(wrong, 'relaxed')).toMatch(/'simd-relaxed' in 1 of 11 \(2\.0 % slower than the other in its process; tolerated 1\.0 %/);
  });

  it('takes either pick when the binaries are within the noise', () => {
    const tie = [1.004, 0.998, 1.002, 1.001, 0.999];
    expect(judgePicks([...picked('simd', 5, tie), ...picked('simd-relaxed', 6, tie)], names, 0.97).verdict).toBe('met');
  });

  it("keeps the default within the calibration's margin of a faster relaxed binary, but not beyond it", () => {
    expect(judgePicks(picked('simd', 7, [0.975, 0.98, 0.978]), names, 0.97).verdict).toBe('met');
    expect(judgePicks(picked('simd', 7, [0.85, 0.84, 0.86]), names, 0.97).verdict).toBe('NOT met');
    expect(judgePicks(picked('simd-relaxed', 7, [0.85, 0.84, 0.86]), names, 0.97).verdict).toBe('met');
  });

  // The host moves the ratio from moment to moment (bench/relaxed/binaries.ts): on the Zen 5 the
  // probes read 1.02× most of the time and ~0.8× in stretches, and the product goes with them.
  it('judges a pick on the rounds in the host state it was made in, the probes telling which', () => {
    // A default kept on 1.02×; half the rounds after it fell into a stretch where relaxed ran 0.84×.
    const mixed = [0.84, 0.85, 1.02, 1.021, 1.019, 0.83];
    const j = judgePicks(picked('simd', 11, mixed, { pickRatio: 1.02 }), names, 0.97);
    expect(j).toMatchObject({ verdict: 'met', moved: [], picks: [{ binary: 'simd', count: 11, cost: 0, ratios: { min: 1.02, max: 1.02 } }] });
    // Every round, as before: a median of 0.935× would read the kept default 7 % slow.
    expect(judgePicks(picked('simd', 11, mixed), names, 0.97).verdict).toBe('NOT met');
  });

  it('counts a pick whose host moved out of its state in most rounds, does not judge it, and says what it cost over all its rounds', () => {
    // A relaxed pick made in a 0.8× stretch that ended before the product's rounds: they read 1.02×,
    // and the process pays 2 % for as long as it lasts. Not a failure of the pick (the calibration
    // cannot see that a state will not last), but not met either.
    const gone = picked('simd-relaxed', 1, [1.02, 1.021, 1.02, 0.85], { pickRatio: 0.8, probe: [1.02, 1.02, 1.019, 0.82] });
    const j = judgePicks([...picked('simd', 10, [1.01, 1.012, 1.009], { pickRatio: 1.02 }), ...gone], names, 0.97);
    expect(j).toMatchObject({
      verdict: 'host-limited',
      picks: [{ binary: 'simd', count: 10 }],
      moved: [{ binary: 'simd-relaxed', count: 1, cost: expect.closeTo(0.02, 12), tolerance: expect.closeTo(0.01, 12), ratios: { min: 1.02, max: 1.02 } }],
    });
    expect(picksText(j, 'relaxed')).toBe(
      "picked 'simd' in 10 of 10 (the faster in each of its processes; relaxed/default there 1.010×); 1 of 11 not judged: the host had moved, in most of their rounds the probes read on the other side of the margin from the pick's; over all their rounds 'simd-relaxed' in 1 of 1 (2.0 % slower than the other in its process; tolerated 1.0 %; relaxed/default there 1.020×); two instances of one binary stray ±1.0 %",
    );
    // A default kept on 1.02× whose process then ran in the 0.84× state: 19 % slower, host-limited too.
    const kept = picked('simd', 1, [0.84, 0.839, 0.85, 1.02], { pickRatio: 1.02, probe: [0.82, 0.8, 0.83, 1.02] });
    const keptJ = judgePicks([...picked('simd', 10, [1.01], { pickRatio: 1.02 }), ...kept], names, 0.97);
    expect(keptJ).toMatchObject({ verdict: 'host-limited', moved: [{ binary: 'simd', count: 1, cost: expect.closeTo(1 / 0.845 - 1, 12) }] });
    // A moved pick that cost no more than its pick may over all its rounds: met.
    const harmless = picked('simd-relaxed', 1, [1.004, 1, 1.002, 0.82], { pickRatio: 0.8, probe: [1.0, 1.0, 1.0, 0.82] });
    const harmlessJ = judgePicks([...picked('simd', 10, [1.01], { pickRatio: 1.02 }), ...harmless], names, 0.97);
    expect(harmlessJ).toMatchObject({ verdict: 'met', moved: [{ binary: 'simd-relaxed', count: 1, cost: expect.closeTo(0.001, 12) }] });
    expect(picksText(harmlessJ, 'relaxed')).toMatch(/; over all their rounds 'simd-relaxed' in 1 of 1 \(0\.1 % slower than the other in its process; tolerated 1\.0 %; relaxed\/default there 1\.001×\);/);
    // Most processes moved: the run cannot tell, neither met nor a failure of the pick, whatever they cost.
    const most = judgePicks([...picked('simd', 5, [1.01], { pickRatio: 1.02 }), ...picked('simd-relaxed', 6, [1], { pickRatio: 0.8 })], names, 0.97);
    expect(most).toMatchObject({ verdict: 'host-limited', moved: [{ binary: 'simd-relaxed', count: 6, cost: 0 }] });
    const all = judgePicks(picked('simd-relaxed', 3, [1.02], { pickRatio: 0.8 }), names, 0.97);
    expect(all).toMatchObject({ verdict: 'host-limited', moved: [{ count: 3 }], picks: [] });
    expect(picksText(all, 'relaxed')).toMatch(/^no process judged; 3 of 3 not judged/);
  });

  it('fails a pick whose product disagrees with the probes in the state it was made in', () => {
    // The probes read 0.8× as at the pick, the product 1.02×: the probe is not measuring what is judged.
    const j = judgePicks([...picked('simd', 10, [1.01], { pickRatio: 1.02 }), ...picked('simd-relaxed', 1, [1.02, 1.02, 1.03], { pickRatio: 0.8, probe: [0.8, 0.81, 0.79] })], names, 0.97);
    expect(j).toMatchObject({ verdict: 'NOT met', moved: [] });
    // A default kept in a 0.8× state that held, its product confirming: costs 25 %.
    expect(judgePicks(picked('simd', 3, [0.8, 0.81], { pickRatio: 0.8 }), names, 0.97).verdict).toBe('NOT met');
  });

  it('refuses a pick that is neither binary, no processes, and probe rounds that do not pair with the product', () => {
    expect(() => judgePicks(picked('scalar', 1, [1]), names, 0.97)).toThrow(/'scalar' is neither 'simd' nor 'simd-relaxed'/);
    expect(() => judgePicks([], names, 0.97)).toThrow(/no processes/);
    expect(() => judgePicks(picked('simd', 1, [1, 1], { probe: [1] }), names, 0.97)).toThrow(/2 product rounds but 1 probe rounds/);
  });
});
