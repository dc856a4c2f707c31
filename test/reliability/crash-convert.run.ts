// Child process for crash-convert.test.ts: runs `gradscope convert IN OUT` once (main(), as the
// command does) and SIGKILLs itself at MOMENT of its write of OUT (kill-at-moment.ts: 'writing' or
// 'replaced'). OUT must exist.
import { main } from '../../src/cli/cli.js';
import { dieAtMoment, momentOf } from './kill-at-moment.js';

const [input, output, word] = process.argv.slice(2);
const moment = momentOf(word, 'crash-convert.run.ts IN OUT writing|replaced');
await dieAtMoment(output, moment, async () => {
  const code = await main(['convert', input, output], { out: () => {}, err: (text) => void process.stderr.write(text), live: false });
  if (code !== 0) throw new Error(`gradscope convert exited ${code}`);
});
