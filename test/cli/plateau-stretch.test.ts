/**
 * study plateau's diagnosis heading names the epochs its trace holds: it said "The last stretch of
 * training:" alone, and the diagnosis, counting that stretch's epochs from 1, read as the whole run's.
 */
import { describe, expect, it } from 'vitest';
import { lastStretchHeading } from '../../src/cli/commands/study-plateau.js';

const at = (...epochs: number[]) => ({ points: epochs.map((epoch) => ({ epoch })) }) as never;

describe('study plateau: the heading of its diagnosis', () => {
  it('names the last stretch by its epochs, counted over the whole run, and says the diagnosis reads them alone', () => {
    expect(lastStretchHeading(at(0, 125, 250, 375, 500))).toBe(
      'The last stretch of training, epochs 376 to 500: the diagnosis below reads only them (125 epochs, one traced run after the last point but one), counting from 1, so what it says changed over training time changed within them:',
    );
    expect(lastStretchHeading(at(0, 1, 2))).toBe(
      'The last stretch of training, epoch 2: the diagnosis below reads only it (1 epoch, one traced run after the last point but one), counting from 1, so what it says changed over training time changed within it:',
    );
  });

  it('says the whole training where one train() call made it (two points: 0 and the end; or one point)', () => {
    expect(lastStretchHeading(at(0, 500))).toBe('The training, epochs 1 to 500 (all of it, one traced run):');
    expect(lastStretchHeading(at(100))).toBe('The training, epochs 1 to 100 (all of it, one traced run):');
  });
});
