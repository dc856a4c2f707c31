/**
 * A network's sizes and activations in a header (src/layer-runs.ts): a run of COUNTED_RUN or more equal
 * neighbours said once and counted, shorter ones listed as the --layers flag writes them.
 */
import { describe, expect, it } from 'vitest';
import { activationsText, COUNTED_RUN, sizesList, sizesText } from '../src/layer-runs.js';
import { runCliInProcess } from './util/cli.js';

describe('layer runs', () => {
  it('lists short runs as --layers writes them and counts long ones', () => {
    expect(sizesText([784, 64, 64, 10])).toBe('[784,64,64,10]');
    expect(sizesText([784, 32, 32, 32, 32, 32, 32, 32, 32, 10])).toBe('[784, 8 × 32, 10]');
    expect(sizesText([784, ...Array(COUNTED_RUN).fill(30), 20, 20, 10])).toBe(`[784, ${COUNTED_RUN} × 30, 20, 20, 10]`);
    // `N × u` counts hidden layers only: an input or output of the hidden size stays its own entry.
    expect(sizesText([30, 30, 30, 30, 10])).toBe('[30,30,30,30,10]');
    expect(sizesText([784, 10, 10, 10, 10])).toBe('[784,10,10,10,10]');
    expect(sizesText([30, 30, 30, 30, 30, 10])).toBe('[30, 4 × 30, 10]');
    expect(sizesText([784, 10, 10, 10, 10, 10])).toBe('[784, 4 × 10, 10]');
    expect(activationsText(['sigmoid', 'sigmoid', 'softmax'])).toBe('sigmoid, sigmoid, softmax');
    expect(activationsText([...Array(200).fill('sigmoid'), 'softmax'])).toBe('sigmoid × 200, softmax');
  });

  // Messages said '[784, 30, 10]' where the studies, train and the report said '[784,30,10]': one format, sizesList's.
  it("says a network's sizes one way everywhere: sizesList's, as --layers writes them, in a message and a command's output alike", async () => {
    expect(sizesList([784, 30, 10])).toBe('[784,30,10]');
    expect(sizesText([784, 30, 10])).toBe(sizesList([784, 30, 10]));
    // The engine's refusals (test/reliability/engine-out-of-memory, errors) and convert's output (test/cli/convert) say it so too.
    const train = await runCliInProcess(['train', '--layers', '784,30,10', '--epochs', '0', '--train', '100', '--test', '100']);
    expect(train.stdout.split('\n')[0]).toMatch(/^\[784,30,10\] sigmoid, softmax/);
  });

  // The new user's train --depth 200 printed '[784,64,64,…,10]' (202 sizes) and 'sigmoid' 200 times on one line.
  it("is train's header for a deep network", async () => {
    const run = await runCliInProcess(['train', '--depth', '200', '--width', '64', '--epochs', '0', '--train', '100', '--test', '100']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout.split('\n')[0]).toMatch(/^\[784, 200 × 64, 10\] sigmoid × 200, softmax, loss cross-entropy; 0 epochs/);
  });
});
