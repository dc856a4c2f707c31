// Goal verdicts from interleaved rounds (bench/verdict.ts): the rules on made-up rounds, no timing.
import { describe, expect, it } from 'vitest';
import { percentText } from '../../src/percent-text.js';
import { spreadOf } from '../../bench/spread.js';
import { judgePicks, judgeBesideControl, picksText, roundsText, roundsVerdict, straddles, threadsText, type Target } from '../../bench/verdict.js';

const times = (ratio: number) => `${ratio.toFixed(2)}×`;
const AT_LEAST_90 = { value: 0.9, atLeast: true } satisfies Target;
const AT_LEAST_1_7 = { value: 1.7, atLeast: true } satisfies Target;

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

  it('refuses rounds that do not pair up', () => {
    expect(() => judgeBesideControl([1.8, 1.9], [2], AT_LEAST_1_7)).toThrow(/2 rounds but 1 controls/);
  });
});

describe("binary 'fastest' judged on its picks against the bench's rounds", () => {
  const names = { default: 'simd', other: 'simd-relaxed' };
  // Two instances of the default: their ratio's quartiles lie 1 % from 1 at most.
  const again = [0.99, 0.995, 1, 1, 1.005, 1.01, 0.98];

  it('takes the noise from two instances of the same binary', () => {
    expect(judgePicks({ simd: 3 }, names, [1, 1, 1], again, 0.97).noise).toBeCloseTo(0.0075, 12);
  });

  it('refuses a relaxed pick that is slower than the default by more than the noise', () => {
    const slower = [1.02, 1.025, 1.03, 1.02, 1.028];
    const j = judgePicks({ simd: 4, 'simd-relaxed': 3 }, names, slower, again, 0.97);
    expect(j.verdict).toBe('NOT met');
    expect(j.picks).toEqual([
      { binary: 'simd', count: 4, cost: 0, tolerance: expect.closeTo(1 / 0.97 - 1 + 0.0075, 12) },
      { binary: 'simd-relaxed', count: 3, cost: expect.closeTo(0.025, 12), tolerance: expect.closeTo(0.0075, 12) },
    ]);
    expect(picksText(j)).toBe("picked 'simd' in 4 of 7 (the faster), 'simd-relaxed' in 3 of 7 (2.5 % slower than the other; tolerated 0.8 %); two instances of one binary stray ±0.8 %");
  });

  it('takes either pick when the binaries are within the noise', () => {
    const tie = [1.004, 0.998, 1.002, 1.001, 0.999];
    expect(judgePicks({ simd: 5, 'simd-relaxed': 6 }, names, tie, again, 0.97).verdict).toBe('met');
  });

  it("keeps the default within the calibration's margin of a faster relaxed binary, but not beyond it", () => {
    expect(judgePicks({ simd: 7 }, names, [0.975, 0.98, 0.978], again, 0.97).verdict).toBe('met');
    expect(judgePicks({ simd: 7 }, names, [0.85, 0.84, 0.86], again, 0.97).verdict).toBe('NOT met');
    expect(judgePicks({ 'simd-relaxed': 7 }, names, [0.85, 0.84, 0.86], again, 0.97).verdict).toBe('met');
  });

  it('refuses a pick that is neither binary', () => {
    expect(() => judgePicks({ scalar: 1 }, names, [1], [1], 0.97)).toThrow(/'scalar' is neither 'simd' nor 'simd-relaxed'/);
  });
});
