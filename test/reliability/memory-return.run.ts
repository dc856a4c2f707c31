/**
 * Child process of memory-return.test.ts (run with --expose-gc): a network of ~256 MiB on the
 * default 'wasm' backend (and, with 'threads', on `threads: 2`), trained one step, disposed, then
 * collected. Prints the resident set size at the start, at the peak and after collection, in bytes.
 * WebAssembly memory never shrinks: it can only go back when nothing holds its instance any more.
 */
import { createNetwork } from '../../src/api/network.js';

const threads = process.argv[2] === 'threads' ? 2 : 1;
const SIZES = [8192, 4096]; // 33.6 M weights: 256 MiB with their gradients

async function collect(): Promise<void> {
  for (let i = 0; i < 6; i++) {
    gc!();
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

// The module compiled and the heap warm before "start": the start is a process that has used gradscope.
const warm = await createNetwork({ sizes: [2, 2], threads });
warm.dispose();
await collect();
const start = process.memoryUsage().rss;

const net = await createNetwork({ sizes: SIZES, threads, seed: 1 });
net.train([new Array(SIZES[0]).fill(0.5)], [Array.from({ length: SIZES[1] }, (_, i) => (i === 0 ? 1 : 0))], { epochs: 1 }); // one-hot: cross-entropy's targets
const peak = process.memoryUsage().rss;
net.dispose(); // `net` stays referenced, as a caller's variable would
await collect();
const end = process.memoryUsage().rss;
console.log(JSON.stringify({ start, peak, end, disposed: net.isDisposed }));
