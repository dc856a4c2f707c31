// gradscope in a Vite app: import the package, train, report. The bundler copies the .wasm files
// (found with `new URL(…, import.meta.url)`) into its output; nothing else is configured.
import { createNetwork, GradscopeError } from 'gradscope';

const result = document.getElementById('result')!;

try {
  const net = await createNetwork({ sizes: [2, 8, 2], activation: 'tanh', init: 'glorot-uniform', output: 'softmax' });
  const x = [[0, 0], [0, 1], [1, 0], [1, 1]];
  const y = [[1, 0], [0, 1], [0, 1], [1, 0]];
  const before = net.evaluate(x, y).loss;
  net.train(x, y, { epochs: 300, batchSize: 4, learningRate: 0.5 });
  const after = net.evaluate(x, y);
  result.textContent = JSON.stringify({ backend: net.kernels.name, before, after: after.loss, accuracy: after.accuracy });
} catch (error) {
  result.textContent = JSON.stringify({ error: error instanceof GradscopeError ? error.code : String(error) });
}
