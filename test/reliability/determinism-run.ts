/**
 * One seeded training run, hashed: the property tests run it in-process and, once, in a child
 * process (node with tsx as its loader), to check that the same seed gives the same bits across runs and processes.
 */
import { createNetwork } from '../../src/api/network.js';
import { Sgd } from '../../src/optim/sgd.js';
import { Rng } from '../../src/init/rng.js';
import { stateHash } from '../util/state-hash.js';

export async function seededRunHash(seed: number): Promise<string> {
  const rng = new Rng(seed ^ 0x5eed);
  const x = Array.from({ length: 30 }, () => Array.from({ length: 6 }, () => rng.normal()));
  const y = x.map((row) => [row[0] * row[1] > 0 ? 1 : 0]);
  const net = await createNetwork({ sizes: [6, 9, 5, 1], activation: 'tanh', output: 'sigmoid', loss: 'binary-cross-entropy', init: 'glorot-normal', seed });
  const sgd = new Sgd(net, { momentum: 0.9 });
  net.train(x, y, { epochs: 4, batchSize: 7, learningRate: 0.3, optimizer: sgd });
  const outputs = net.predict(x).flatMap((row) => Array.from(row));
  const hash = `${stateHash(net, sgd)}:${outputs.map((v) => v.toString(36)).join(',').length}:${outputs[0]}`;
  net.dispose();
  return hash;
}

// As a script: `node --import tsx test/reliability/determinism-run.ts 42` prints the hash of seed 42's run.
if (process.argv[1]?.endsWith('determinism-run.ts')) {
  process.stdout.write((await seededRunHash(Number(process.argv[2]))) + '\n');
}
