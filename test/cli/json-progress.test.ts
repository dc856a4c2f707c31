/**
 * Every command with --json still says on stderr that it is working (docs/cli.md: "Progress goes to
 * stderr"): --json changes what stdout holds, one line of JSON, not whether a long run is silent.
 * A new user's `study depth --json` printed nothing for 100 s.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createNetwork } from '../../src/api/network.js';
import { runCliInProcess } from '../util/cli.js';

const folder = mkdtempSync(join(tmpdir(), 'gradscope-json-progress-'));
const file = (name: string, content: unknown) => {
  const path = join(folder, name);
  writeFileSync(path, JSON.stringify(content));
  return path;
};

describe('--json keeps progress on stderr', async () => {
  const net = await createNetwork({ sizes: [3, 4, 2], activation: 'tanh', loss: 'cross-entropy', seed: 5 });
  const modelPath = file('model.json', net.toJSON());
  net.dispose();
  const dataPath = file('data.json', { inputs: [[0.1, -0.2, 0.3], [1, 0.5, -1], [0, 2, 1]], targets: [[1, 0], [0, 1], [0, 1]] });

  // Each command on a tiny run, and the progress its stderr shows without --json: each ends at 100 % (activations' ended at 92 %, 11 of 12 runs started).
  const runs: [string, string[], RegExp][] = [
    ['study depth', ['study', 'depth', '--seeds', '1', '--epochs', '2'], /^depth: 100 %, network 4\/4$/m],
    ['study plateau', ['study', 'plateau', '--epochs', '2', '--points', '2', '--k', '1'], /^plateau: 100 %/m],
    ['study activations', ['study', 'activations', '--width', '1', '--epochs', '1', '--train', '10', '--test', '5'], /^activations: 100 %, done$/m],
    ['study autoencoder', ['study', 'autoencoder', '--seconds', '0.05', '--train', '40', '--test', '10', '--points', '1', '--optimizers', 'adam'], /^adam: 100 %/m],
    ['study remedies', ['study', 'remedies', '--seconds', '0.05', '--train', '40', '--test', '10', '--optimizers', 'sgd'], /^remedies: sgd done$/m],
    ['study trainable-depth', ['study', 'trainable-depth', '--depths', '1', '--width', '2', '--epochs', '1', '--train', '20', '--test', '10', '--remedies', 'relu-he', '--papers', '0', '--budgets', '0'], /^trainable depth: 100 %/m],
    ['study --model', ['study', '--model', modelPath, '--data', dataPath, '--epochs', '2'], /^training: 100 %/m],
    ['curvature', ['curvature', '--model', modelPath, '--data', dataPath, '--k', '1'], /^curvature: 100 %/m],
  ];

  it.each(runs)('%s --json: one JSON line on stdout, progress on stderr', async (_name, args, progress) => {
    const { code, stdout, stderr } = await runCliInProcess([...args, '--json']);
    expect(code, stderr).toBe(0);
    expect(stdout.endsWith('\n') && stdout.indexOf('\n') === stdout.length - 1, stdout.slice(0, 200)).toBe(true);
    expect(() => JSON.parse(stdout)).not.toThrow();
    expect(stderr).toMatch(progress);
    // The same progress as without --json.
    const plain = await runCliInProcess(args);
    expect(plain.code, plain.stderr).toBe(0);
    expect(plain.stderr).toMatch(progress);
  });
});
