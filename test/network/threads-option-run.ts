/**
 * Run in a child process by threads-option.test.ts: a network created with `threads: 2` trains,
 * is disposed, and then the process must end by itself with no worker left. Prints one JSON line.
 */
import { createNetwork } from '../../src/api/network.js';
import { liveWorkerCount } from '../../src/wasm/threads/pool.js';
import type { ThreadedWasmKernels } from '../../src/wasm/threads/threaded-kernels.js';

const x = Array.from({ length: 256 }, (_, r) => Array.from({ length: 64 }, (_, c) => ((r * 31 + c * 7) % 17) / 17));
const y = x.map((row) => [row[0] > 0.5 ? 1 : 0, row[0] > 0.5 ? 0 : 1]);
const net = await createNetwork({ sizes: [64, 128, 2], seed: 3, threads: 2 });
const kernels = net.kernels as ThreadedWasmKernels;
const result = net.train(x, y, { epochs: 2, batchSize: 256, learningRate: 0.5 });
const workersWhileTraining = liveWorkerCount();
net.dispose();
// dispose() is synchronous and the workers leave in the background: wait for their 'exit' events.
// If they never come, this process never prints, and the test fails on its timeout.
while (liveWorkerCount() > 0) await new Promise((resolve) => setTimeout(resolve, 10));
console.log(JSON.stringify({ threads: kernels.threads, splitProducts: kernels.splitProducts, workersWhileTraining, loss: result.epochs.at(-1)!.loss }));
// No process.exit(): the process must end on its own, which it cannot while a worker holds it.
