// --backend on the timed studies (remedies, autoencoder): the networks run on the kernels named, so
// the loss before any training is float64's on ref and float32's on wasm: within rounding, not equal.
import { describe, expect, it } from 'vitest';
import { runCliInProcess } from '../util/cli.js';

describe('--backend of study remedies and study autoencoder', () => {
  it.each([
    [['study', 'remedies', '--optimizers', 'sgd', '--train', '20', '--test', '10'], (json: { runs: { initialLoss: number }[] }) => json.runs[0].initialLoss],
    [['study', 'autoencoder', '--optimizers', 'adam', '--train', '20', '--test', '10', '--points', '1'], (json: { runs: { curve: { trainError: number }[] }[] }) => json.runs[0].curve[0].trainError],
  ] as const)('%j: the start on ref is float64, on wasm float32', async (args, start) => {
    const run = async (backend: string) => {
      const { code, stdout, stderr } = await runCliInProcess([...args, '--seconds', '0.05', '--json', '--backend', backend]);
      expect(code, stderr).toBe(0);
      return (start as (json: unknown) => number)(JSON.parse(stdout));
    };
    const [ref, wasm] = [await run('ref'), await run('wasm')];
    expect(Math.abs(ref - wasm) / ref).toBeLessThan(1e-5);
    expect(ref).not.toBe(wasm);
  }, 120_000);
});
