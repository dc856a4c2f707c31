// train's note on a last epoch that fell back from the best (newuser49 #10: the tanh and layer-norm remedy lines, run as printed
// for 10 epochs, ended at 81.2 % after 93.4 % and 83.2 % after 91.4 %, and train said nothing), and the way out it names: the same
// command with fewer epochs ends at the best epoch's weights.
import { describe, expect, it } from 'vitest';
import { lateDropNote } from '../../src/cli/late-drop-note.js';
import { RELU_LATE_DROP_MARGIN } from '../../src/flow/relu-remedy-rates.js';
import { runCliInProcess } from '../util/cli.js';
import { flat } from '../util/printed-text.js';

/** The tanh remedy line's test accuracies after epochs 1–10 (train --layers 784,30,30,30,30,10 --activation tanh …, seed 1, 2026-12-07). */
const TANH_RUN = [0.841, 0.826, 0.925, 0.895, 0.924, 0.925, 0.921, 0.934, 0.931, 0.812];

describe('lateDropNote', () => {
  it('says the fall from the best epoch, how to end there, and a smaller rate', () => {
    expect(lateDropNote({ accuracies: TANH_RUN, checked: 'test', checkedName: 'test digits', learningRate: 0.1, saved: '--out' })).toBe(
      "Note: the last epoch's test accuracy, 81.2 %, is 12.2 points below the best epoch's, 93.4 % after epoch 8 (more than 5 points); --out saves the last epoch's network. " +
        'The same command with --epochs 8 ends at that epoch\'s weights (the same seed takes the same steps), though an epoch picked on the test digits leaves them no longer held out; ' +
        'a --learning-rate below 0.1 takes smaller steps, which may keep the run from falling back.',
    );
  });

  it('says nothing within the margin, and names the first epoch at the best', () => {
    const best = 0.934;
    expect(lateDropNote({ accuracies: [0.5, best, best - RELU_LATE_DROP_MARGIN + 0.001], checked: 'test', checkedName: 'test digits' })).toBeUndefined();
    expect(lateDropNote({ accuracies: [0.5, best, best], checked: 'test', checkedName: 'test digits' })).toBeUndefined();
    expect(lateDropNote({ accuracies: [best, 0.5, best, 0.8], checked: 'test', checkedName: 'test digits' })).toMatch(/after epoch 1 .* --epochs 1 /);
    expect(lateDropNote({ accuracies: [], checked: 'test', checkedName: 'test digits' })).toBeUndefined();
    expect(lateDropNote({ accuracies: [0.9, Number.NaN], checked: 'test', checkedName: 'test digits' })).toBeUndefined();
  });

  it('on training rows says no held-out caveat, and without a learning rate offers none', () => {
    const note = lateDropNote({ accuracies: [0.9, 0.7], checked: 'training', checkedName: 'training rows' })!;
    expect(note).toBe(
      "Note: the last epoch's training accuracy, 70.0 %, is 20.0 points below the best epoch's, 90.0 % after epoch 1 (more than 5 points). " +
        "The same command with --epochs 1 ends at that epoch's weights (the same seed takes the same steps).",
    );
  });
});

describe('gradscope train', () => {
  /** The test accuracies its epoch lines print after epochs 1 and on, as fractions. */
  const accuracies = (stdout: string) => [...stdout.matchAll(/^epoch (\d+)\/\d+ .*test accuracy (\d+\.\d) %$/gm)].filter((m) => m[1] !== '0').map((m) => Number(m[2]) / 100);
  const run = (lr: string, epochs: string) => runCliInProcess(['train', '--depth', '4', '--width', '30', '--activation', 'tanh', '--train', '1000', '--test', '300', '--learning-rate', lr, '--epochs', epochs]);

  it('notes a last epoch more than the margin below the best, and the same command with --epochs N ends there', async () => {
    const fell = await run('0.3', '6');
    expect(fell.code, fell.stderr).toBe(0);
    const curve = accuracies(fell.stdout);
    expect(curve).toHaveLength(6);
    const best = Math.max(...curve);
    expect(curve.at(-1)!).toBeLessThan(best - RELU_LATE_DROP_MARGIN);
    const epoch = curve.indexOf(best) + 1;
    expect(flat(fell.stdout)).toContain(`after epoch ${epoch} (more than 5 points). The same command with --epochs ${epoch} ends at that epoch's weights`);
    // What the note claims: the shorter run's last line is the longer run's line of that epoch.
    const shorter = await run('0.3', String(epoch));
    const line = (stdout: string, n: number) => new RegExp(`^epoch ${n}/\\d+ (.*)$`, 'm').exec(stdout)![1];
    expect(line(shorter.stdout, epoch)).toBe(line(fell.stdout, epoch));
    expect(shorter.stdout).not.toContain('Note: the last epoch');
  });

  it('says nothing where the last epoch is the best', async () => {
    const held = await run('0.5', '6');
    const curve = accuracies(held.stdout);
    expect(curve.at(-1)!).toBeGreaterThanOrEqual(Math.max(...curve) - RELU_LATE_DROP_MARGIN);
    expect(held.stdout).not.toContain('Note: the last epoch');
  });
});
