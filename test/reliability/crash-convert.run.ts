// Child process for crash-convert.test.ts: runs `gradscope convert IN OUT` (main(), as the command
// does) over and over, announcing each on stdout, until the parent kills it, mid-write with high
// probability.
import { main } from '../../src/cli/cli.js';

const [input, output] = process.argv.slice(2);
for (;;) {
  process.stdout.write('converting\n');
  if ((await main(['convert', input, output], { out: () => {}, err: (text) => void process.stderr.write(text), live: false })) !== 0) process.exit(1);
}
