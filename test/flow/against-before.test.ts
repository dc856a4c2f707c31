// The last window's loss against the window before, as the learning sentences and the more-epochs
// remedy's reason say it: a steady pace can read a run as learning where the two windows barely
// moved or rose, which a percentage 'below' said as '0 %' or '-2 %'; a fall past 99.5 % rounded to
// '100 % below' (a loss of 0).
import { describe, expect, it } from 'vitest';
import { againstBefore, paceWords, stillFalling } from '../../src/flow/diagnosis/progress-readings.js';
import type { LossPace, TrainingProgress } from '../../src/flow/training-progress.js';

const at = (lossBefore: number, lossEnd: number) => ({ read: 'epochs', window: 1, lossBefore, lossEnd }) as TrainingProgress;

describe('againstBefore', () => {
  it.each([
    [1, 0.97, '3 % below the epoch before'],
    [1, 0.5, '50 % below the epoch before'],
    [1, 0.0625, '1/16.0 of the epoch before'],
    [1, 0.003, '1/333 of the epoch before'],
    [1, 0.998, 'less than 1 % below the epoch before'],
    [1, 1, 'level with the epoch before'],
    [1, 1.002, 'less than 1 % above the epoch before'],
    [1, 1.02, '2 % above the epoch before'],
    [1, 0, 'down to 0 from the epoch before'],
  ])('%s → %s: %s', (before, end, words) => {
    expect(againstBefore(at(before, end))).toBe(words);
  });

  it('is what the more-epochs reason says, never a percentage below of 0, below 0 or 100', () => {
    expect(stillFalling(at(1, 1.02))).toBe(' (2 % above the epoch before)');
    expect(stillFalling(at(1, 0.998))).toBe(' (less than 1 % below the epoch before)');
    expect(stillFalling(at(1, 0.003))).toBe(' (1/333 of the epoch before)');
  });
});

describe('paceWords', () => {
  const pace = (logSlope: number, horizon: number) => ({ points: 3, horizon, logSlope, projected: Math.expm1(logSlope * horizon), steady: true }) as LossPace;

  it('says a fall whose factor float64 cannot hold as a bound, not 1/Infinity', () => {
    expect(paceWords(pace(-1, 4))).toBe('fall to 1/54.6 of its level over 4 epochs more');
    expect(paceWords(pace(-200, 4))).toBe('fall to less than 1/1e300 of its level over 4 epochs more');
    // e^−720 is a subnormal float64 above 0, whose inverse rounds to Infinity.
    expect(paceWords(pace(-180, 4))).toBe('fall to less than 1/1e300 of its level over 4 epochs more');
  });

  it('says a rise whose factor float64 cannot hold as a bound, not Infinity×', () => {
    expect(paceWords(pace(1, 4))).toBe('rise to 54.6× its level over 4 epochs more');
    expect(paceWords(pace(180, 4))).toBe('rise to more than 1e300× its level over 4 epochs more');
  });
});
