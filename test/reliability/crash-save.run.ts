// Child process for crash-save.test.ts: saves a large model to argv[2].
// - `PATH`: over and over, announcing each save on stdout, until the parent kills it.
// - `PATH MOMENT`: once, and SIGKILLs itself at MOMENT (kill-at-moment.ts: 'writing' or 'replaced').
import { createNetwork } from '../../src/api/network.js';
import { saveModel } from '../../src/io/files.js';
import { dieAtMoment, momentOf } from './kill-at-moment.js';

const [path, word] = process.argv.slice(2);
const net = await createNetwork({ sizes: [1024, 2048, 1024], seed: 9 });
if (word === undefined) {
  for (;;) {
    process.stdout.write('saving\n');
    await saveModel(net, path, { format: 'binary' });
  }
}
await dieAtMoment(path, momentOf(word, 'crash-save.run.ts PATH [writing|replaced]'), () => saveModel(net, path, { format: 'binary' }));
