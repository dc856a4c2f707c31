// Child process for crash-save.test.ts: saves a large model to argv[2] over and over, announcing
// each save on stdout, until the parent kills it (SIGKILL, mid-write with high probability).
import { createNetwork } from '../../src/api/network.js';
import { saveModel } from '../../src/io/files.js';

const path = process.argv[2];
const net = await createNetwork({ sizes: [1024, 2048, 1024], seed: 9 });
for (;;) {
  process.stdout.write('saving\n');
  await saveModel(net, path, { format: 'binary' });
}
