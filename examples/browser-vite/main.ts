// gradscope in a Vite app: import the package, train with a gradient-flow trace, diagnose, and
// render the HTML report in the page. The bundler copies the .wasm files (found with
// `new URL(…, import.meta.url)`) into its output and puts the report's code in a chunk of its own,
// which renderReport loads when called; nothing else is configured.
import { createNetwork, diagnose, GradscopeError, renderReport } from 'gradscope';

const result = document.getElementById('result')!;
const link = document.getElementById('report') as HTMLAnchorElement;

try {
  const net = await createNetwork({ sizes: [2, 8, 2], activation: 'tanh', init: 'glorot-uniform', output: 'softmax' });
  const x = [[0, 0], [0, 1], [1, 0], [1, 1]];
  const y = [[1, 0], [0, 1], [0, 1], [1, 0]];
  const before = net.evaluate(x, y).loss;
  net.train(x, y, { epochs: 300, batchSize: 4, learningRate: 0.5, trace: { every: 10 } });
  const after = net.evaluate(x, y);
  const trace = net.trace!;
  const diagnosis = diagnose(trace);
  const html = await renderReport({ title: 'XOR in the browser', runs: [{ label: 'XOR, [2,8,2] tanh', trace, diagnosis }] });
  link.href = URL.createObjectURL(new Blob([html], { type: 'text/html' }));
  link.hidden = false;
  result.textContent = JSON.stringify({ backend: net.kernels.name, before, after: after.loss, accuracy: after.accuracy, verdict: diagnosis.verdict, reportBytes: html.length });
} catch (error) {
  result.textContent = JSON.stringify({ error: error instanceof GradscopeError ? error.code : String(error) });
}
