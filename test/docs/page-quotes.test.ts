// The messages a page quotes from the code are read from the page by the test that makes the call
// printing each (`quoteOn(page, opening)`, test/util/page-quotes.ts), so that a quote edited on the
// page alone, or a message changed in the code alone, fails that test. This walk fails on a quote of a
// passage that no test reads: before it (truth38's audit), docs/gradient-flow.md's diagnosis quotes
// were asserted by test/flow/*.test.ts against the code's text alone, and several no longer were
// the code's words. A quote that is no message of the code (a term, a heading, another library's
// words, a message the code printed before a change, as history) is listed below with why.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { codeQuotesOf, quotesNamed, quotesOf } from '../util/page-quotes.js';

/** A passage: its page, how it quotes messages ("…", or as code: `…`), the heading it starts at, the next heading it ends before (none: the page's end), and its quotes that are no message of the code. */
interface Passage {
  page: string;
  quotes: 'quotes' | 'code';
  from: string;
  to?: string;
  /** The passage's one table, whose quotes the test `readBy` reads whole (by its header, making the call of each), left out of the walk. */
  table?: { header: string; readBy: string };
  notMessages: Record<string, string>;
}

const PASSAGES: Passage[] = [
  {
    page: 'docs/gradient-flow.md',
    quotes: 'quotes',
    from: '## The diagnosis',
    to: '## Study (a)',
    notMessages: {
      'the model is fine': 'what HEALTHY alone was read as',
      'The last record': 'a term the paragraph defines',
      'significant number of dead neurons': "keras-contrib's DeadReluDetector's words",
      'The initialisation a file records': "a heading of docs/interop.md",
      '159 % over 5 epochs more': 'what the pace read before it was read through the logarithms (history)',
      'A plateau': 'what a rising run read before (history)',
      rising: 'what a plateau read before (history)',
      'LOSS-RISING … mean 0.0290 over the last 2 of 10 epochs, 104 % above its lowest, 0.0142 after 8 epochs': "a new user's run before newLow (history)",
      'rose … 52 % above its lowest, 0.0137 after 7 epochs': 'what README\'s run read before windowLow (history)',
      'lower still before the first epoch (0.167) … no epoch to stop at': 'what that run said before windowLow (history)',
      'Why per-example ‖δ‖': "a heading of this page",
      'learns 55.0× slower': 'what the Adam run read from ‖∂C/∂b‖ before (history)',
      'its lowest': 'what the sentence said before windowLow (history)',
      'compensates … despite the gap': 'what seed 2 of the Adam run read before (history)',
      'first hidden': 'a term',
      'last hidden': 'a term',
      "the last hidden dense layer ('20')": 'what fresh21 was told before (history)',
      'Exploding across batch norm': 'a heading of this page',
    },
  },
  {
    page: 'docs/gradient-flow.md',
    quotes: 'quotes',
    from: '## Usage',
    to: '## The diagnosis',
    notMessages: {
      'within 0.01 of a limit': 'a term the sentence defines',
      "σ' below σ' at that margin": 'what the sentence defines it as',
      W: "a table's heading (the symbol)",
      b: "a table's heading (the symbol)",
    },
  },
  {
    page: 'docs/gradient-flow.md',
    quotes: 'code',
    from: '## Usage',
    to: '## The diagnosis',
    notMessages: {
      'const before = net.trace': 'code',
      'gradscope study depth --json': 'a command line',
      '{ rows, seeds, epochs, learningRate, lambda, networks }': 'a type',
      '{ sizes, biasGradNorms, biasGradNormsStd, perSeed, seedRatios, training }': 'a type',
      'train(x, y, { trace: { every: k, refreshEvery: m, histogramSteps: [...] } })': 'a call',
      'trace: { gradientNoise: true }': 'an option',
      'max(1, round(10 / every))': 'a formula',
      'createNetwork({ inputs, layers: [{ type: … }] })': 'a call',
      "{ name: '4.branch.0', type: 'dense' }": 'a value',
      '{ name, gate }': 'a type',
    },
  },
  {
    page: 'docs/gradient-flow.md',
    quotes: 'code',
    from: '## The diagnosis',
    to: '## Study (a)',
    notMessages: {
      '{ verdict, severity, headline, summary, evidence, remedies }': 'a type',
      "{ ratio, readAt: 'first record' | 'median' }": 'a type',
      '{ trace: { every: k } }': 'an option',
      "diagnose(trace, { reluRates: 'page-spirals' })": 'a call',
      'diagnose(trace, { reluRates: OWN_ROWS })': 'a call',
      'gradscope study plateau --epochs 30 --points 2 --k 2': 'a command line',
      "{ name: 'sgd', …, layerRates: [...] }": "the form of the per-layer rates remedy's optimiser",
      "{ type: 'layer-norm' }": 'a layer spec',
      "{ option: 'learningRate', value: '0.1', flagValue: '0.1' }": "a remedy setting's data",
      'gradscope study --model M': 'a command line',
      'gradscope study --model --data': 'a command line',
      'gradscope train … --optimizer adam --epochs 5 --out model.json': 'a command line',
      'study --model model.json --optimizer adam': 'a command line',
      'diagnose(trace, { heldOutAtStart })': 'a call',
      'diagnose(trace, { validationSeen: true })': 'a call',
      'diagnose(trace, { openEnded: true })': 'a call',
      'diagnose(trace, { curvature })': 'a call',
      'npx tsx scripts/remedy-ranges.ts offset-inputs offset-inputs-sgd': 'a command line',
      'npx tsx scripts/remedy-ranges.ts wide-column': 'a command line',
      'npx tsx scripts/relu-remedy-rates.ts --full-batch': 'a command line',
      'npx tsx scripts/relu-remedy-rates.ts --width=64 --depths=8,6,5,3,2 --seeds=1,2,3,4,5 --every sgd 0.002 0.005 0.01 0.02 0.05': 'a command line',
      'npx tsx scripts/relu-remedy-rates.ts --width=256 --depths=5 --epochs=1 --batch=10 --every sgd 0.002 0.01 0.05': 'a command line',
      'npx tsx scripts/relu-remedy-rates.ts --width=64 --depths=8,6,5,3,2 --seeds=1,2,3,4,5 --every adam 0.002 0.005': 'a command line',
      'diagnose(trace, { sameSetupRelu: { trace, accuracies } })': 'a call',
      'npx tsx scripts/remedy-ranges.ts layer-norm-sigmoid': 'a command line',
      'npx tsx scripts/remedy-ranges.ts residual': 'a command line',
    },
  },
  {
    page: 'docs/gradient-flow.md',
    quotes: 'code',
    from: '## Study (a)',
    notMessages: {
      'net.SGD(td, 1, 1000, 0.1, lmbda=5.0)': "Nielsen's code",
      "optimizer: { name: 'sgd', weightDecay: λ / n, decayBiases: false }": 'an option',
      'gradscope study depth --lambda 0': 'a command line',
      '--lambda 0 --seeds 1': 'flags',
      'gradscope study activations --epochs 1': 'a command line',
      '--epochs 1 --seed 2': 'flags',
    },
  },
  {
    page: 'docs/gradient-flow.md',
    quotes: 'quotes',
    from: '## Study (a)',
    notMessages: {
      closes: 'a term',
      dead: 'a term',
      'normalised initialisation': "Glorot & Bengio's term",
      'hidden 5hidden 6': 'what overlapping tick labels wrote before (history)',
    },
  },
  {
    page: 'docs/reliability.md',
    quotes: 'code',
    from: '## Errors',
    to: '## Numeric faults',
    table: { header: '| code | when | example message |', readBy: 'test/docs/reliability-messages.test.ts' },
    notMessages: {
      'm.bin: file: checksum mismatch …': 'what the binary reader said before (history)',
    },
  },
  {
    page: 'docs/reliability.md',
    quotes: 'code',
    from: '## Numeric faults',
    to: '## Persistence',
    notMessages: {
      'train(x, y, { onNonFinite })': 'a call',
      'epoch E, batch B (step S)': 'the form of where a message says training stopped',
      'gradientNoise: { eta: 1e80 }': "an option's value",
    },
  },
  {
    page: 'docs/reliability.md',
    quotes: 'quotes',
    from: '## Numeric faults',
    to: '## Persistence',
    notMessages: {
      'the state after step N': 'a term the paragraph uses',
      'the steps since led here': "what 'throw' said of a callback's write before (history)",
    },
  },
  {
    page: 'docs/reliability.md',
    quotes: 'code',
    from: '## Persistence',
    to: '## Files',
    notMessages: {
      'loadModel(path, { skipOptimizer: true })': 'a call',
      'gradscope convert IN OUT.json': 'a command line',
    },
  },
  {
    page: 'docs/reliability.md',
    quotes: 'code',
    from: '## Files',
    to: '## Lifecycle',
    notMessages: {
      'cat data.json | gradscope train --data /dev/stdin': 'a command line',
      'convert FOLDER OUT --from safetensors': 'a command line',
      'RangeError: Invalid string length': "V8's message, which gradscope's refusal comes before",
      '{ data, rows, cols }': 'a type',
    },
  },
  {
    page: 'docs/reliability.md',
    quotes: 'quotes',
    from: '## Lifecycle',
    to: '## Tests',
    notMessages: {
      'WebAssembly memory is limited to 4 GiB (3772 MiB in use)': "what the page quoted of the 2026-12-01 run (history: the up-front check refuses that network first)",
      'the engine could not allocate (offset is out of bounds)': 'what a network above 2.3 GB met before pointers were unsigned (history)',
    },
  },
  {
    page: 'docs/api.md',
    quotes: 'code',
    from: '## By task',
    to: '## Resuming from a checkpoint',
    notMessages: {
      'createNetwork({ sizes, activation, output, loss, init, seed })': 'a call',
      'createNetwork({ inputs, layers })': 'a call',
      '{ data, rows, cols }': 'a type',
      'net.train(x, y, { trace: { every: 10 } })': 'a call',
      'diagnose(trace, { meanLossGradient: { rows, start, end } })': 'a call',
      '{ ...options, [s.option]: s.setting }': 'code',
      "{ norm: 'layer-norm' }": 'an option',
      '{ norm?, residualGate?, activation? }': "a type (RemedyLayersChange's fields)",
      'saveModel(net, path, { optimizer })': 'a call',
      'net.updateBatchNormStatistics(x, { batchSize })': 'a call',
      'createNetwork({ …, threads: 2 })': 'a call',
      'createDataset(x, y, { threads: 2 })': 'a call',
      'measureCurvature(net, x, y, { k })': 'a call',
      'measureCurvature(net, data, { k })': 'a call',
      '{ train, test }': 'a type',
      '{ x, y, labels }': 'a type',
      'x.data.subarray(r * 784, (r + 1) * 784)': 'code',
      'net.predict({ data: test.x.data.subarray(0, 784), rows: 1, cols: 784 })': 'a call',
      "{ type: 'batch-norm' }": 'a layer spec',
      "{ type: 'layer-norm' }": 'a layer spec',
      "{ type: 'dense' }": 'a layer spec',
      "{ type: 'residual' }": 'a layer spec',
      'net.initLsuv(x, { tolerance, maxIterations })': 'a call',
      'gradientNoise: { eta, gamma }': 'an option',
      'train(x, y, { trace })': 'a call',
      'const data = net.dataset(x, y)': 'code',
      'await createDataset(x, y, { backend, threads })': 'code',
      'net.predict(x, { flat: true })': 'a call',
      'data[r * cols + c]': 'code',
      '{ name, ...options }': 'a type',
      '{ name, learningRate }': 'a type',
      "{ name: 'sgd', momentum: 0.9 }": "an optimiser's spec",
      '{ x, y }': 'a type',
      '{ every: 10 }': 'an option',
      'const { trace } = net.train(…)': 'code',
      '{ tolerance, maxIterations }': 'a type',
      '{ eta, gamma }': 'a type',
      '{ "inputs", "targets" }': "a file's keys",
      'loadModel(path, { skipOptimizer: true })': 'a call',
      '{ "format": "gradscope.model", "version": 2, "inputs": 4, "loss": "…", "layers": [the checked specs], "tensors": { "0.weight": { "shape": [16, 4], "values": […] }, … } }': "a file's form",
      '{ "inputs": [[...]], "targets": [[...]] }': "a file's form",
      'saveModel(net, path, { format, optimizer, trainedOn })': 'a call',
      'trainedOn: { data, rows }': 'an option',
      '"trainedOn": { "data": "mnist", "rows": 600 }': "a file's field",
      'gradscope convert m.bin m.json': 'a command line',
      'const { parameters, forward } = net': 'code (test/optim/own-optimizer-methods runs it)',
      'const { train, evaluate } = net': 'code (test/api/loose-network-methods runs every public method so)',
      'Cannot perform %TypedArray%.prototype.values on a detached ArrayBuffer': "V8's words, not gradscope's (test/api/kernel-views reads them)",
    },
  },
  {
    page: 'docs/api.md',
    quotes: 'quotes',
    from: '## By task',
    notMessages: Object.fromEntries(
      ['module', 'commonjs', 'node20', 'nodenext', 'node16', 'node18', 'inputs', 'targets', 'lsuv', 'format', 'gradscope.model', 'version', 'loss', '…', 'layers', 'tensors', '0.weight', 'shape', 'values', '2.running_var', 'trainedOn', 'data', 'mnist', 'rows', 'training', 'm.bin'].map(
        (word) => [word, "a TypeScript setting's value, a file's key or value, or a path"],
      ),
    ),
  },
  {
    page: 'docs/cli.md',
    quotes: 'code',
    from: '# The command line',
    notMessages: {
      '{ "inputs": [[…]], "targets": [[…]] }': "a file's form",
      'gradscope study --model model.json --optimizer adam': 'a command line',
      'train --depth 5 --width 30 --epochs 3': 'a command line',
      'train --train 600 --out model.json': 'a command line',
      'study --model model.json --train 100 --test 100': 'a command line',
      '--train 100 --test 50': 'flags',
      'train --epochs 0 --out FILE': 'a command line',
      'gradscope curvature --model FILE': 'a command line',
      'gradscope gradients --model FILE': 'a command line',
      "createNetwork({ sizes: [3, 4, 2], activation: 'tanh', loss: 'cross-entropy', seed: 5 })": 'a call',
      'gradscope study remedies --help': 'a command line',
      'gradscope study --model M': 'a command line',
      'gradscope convert FOLDER OUT --from safetensors': 'a command line',
      '--html r.html --csv r.html': 'flags',
      'train --data d.json --out d.json': 'a command line',
      'study --model m.json --save m.json': 'a command line',
      'gradscope study depth --json': 'a command line',
      '{ rows, seeds, epochs, learningRate, lambda, networks }': 'a type',
      '{ sizes, biasGradNorms, biasGradNormsStd, perSeed, seedRatios, training: { epochs, biasGradNorms, losses, initialLoss, finalLoss, testAccuracy, seconds, diagnosis } }': 'a type',
      'gradscope study activations --json': 'a command line',
      '{ sizes, epochs, runs }': 'a type',
      '{ activation, init, testError, verdict, severity, deltaFirstToLastAtStart, firstToLastAtStart, seconds, profile, deadFraction, histograms }': 'a type',
      '{ steps, mean, std, p98, saturated }': 'a type',
      '{ step, lo, hi, counts }': 'a type',
    },
  },
  {
    page: 'docs/cli.md',
    quotes: 'quotes',
    from: '# The command line',
    notMessages: {
      inputs: "a file's key",
      targets: "a file's key",
      'the digits': 'a term the messages use',
      Infinity: 'a value',
      '-Infinity': 'a value',
      'about 3 min left': 'what study (c) said on an Intel Xeon before the range (history, newuser43 #14)',
      budget: "a --json key (its code quote's test reads it)",
      seconds: "a --json key (its code quote's test reads it)",
      steps: "a --json key (its code quote's test reads it)",
    },
  },
  {
    page: 'docs/browser.md',
    quotes: 'code',
    from: '# In the browser',
    notMessages: {
      "createWasmKernels({ binary: 'fastest' })": 'a call',
      'build: { assetsInlineLimit: 0 }': "Vite's option",
      "new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' })": 'code',
      '{ code: error.code, message: error.message }': 'code',
      'apt-get install -y chromium': 'a command line',
      'npm run readme-images -- visualizer': 'a command line',
      'createThreadedWasmKernels({ threads: 2 })': 'a call',
      'npm run build && npx tsx bench/browser-threads.ts': 'a command line',
      'python3 -m http.server 8742 --directory build/demo': 'a command line',
    },
  },
  {
    page: 'docs/browser.md',
    quotes: 'quotes',
    from: '# In the browser',
    notMessages: {
      gradscope: "an import map's key",
      '/node_modules/gradscope/dist/index.js': "an import map's path",
      '@assemblyscript/loader': "an import map's key",
      '/node_modules/@assemblyscript/loader/index.js': "an import map's path",
    },
  },
  {
    page: 'docs/api.md',
    quotes: 'code',
    from: '## Resuming from a checkpoint',
    notMessages: {
      'lbfgs { c1: 0.55, c2: 0.6 }': "an optimiser's settings",
      'lbfgs { c1: 0.5, c2: 0.6 }': "an optimiser's settings",
      "{ name: 'lbfgs', c1: 0.55, c2: 0.6 }": "an optimiser's spec",
    },
  },
];

/** The passage's text: from its heading to the next (or the page's end), without the rows of its table where a test reads it whole. */
function passageOf({ from, to, table }: Passage) {
  return (page: string) => {
    const text = `\n${page}`; // a passage may start at the page's first line
    const start = text.indexOf(`\n${from}`);
    const end = to === undefined ? text.length : text.indexOf(`\n${to}`, start);
    expect([start, end].every((at) => at >= 0), `${from} … ${to}`).toBe(true);
    const passage = text.slice(start, end);
    if (table === undefined) return passage;
    // The rows left out are the named table's alone, and the test it names reads that table.
    const rows = passage.match(/^\|.*$/gm) ?? [];
    expect([rows[0], /^(?:\|.*\n)+/m.exec(passage)?.[0].trimEnd().split('\n')], `${from}: one table`).toEqual([table.header, rows]);
    expect(readFileSync(new URL(`../../${table.readBy}`, import.meta.url), 'utf8')).toContain(`tableStarting(DOC, '${table.header}')`);
    return passage.replace(/^\|.*$/gm, '');
  };
}

/** Every test source under test/. */
function testSources(): string[] {
  const root = new URL('../', import.meta.url);
  return readdirSync(root, { recursive: true, encoding: 'utf8' })
    .filter((entry) => entry.endsWith('.ts'))
    .map((entry) => readFileSync(new URL(entry, root), 'utf8'));
}

/** The openings the tests read of `page`'s quotes: every `quoteOn('<page>', '<opening>')`, or `codeQuoteOn` for its code quotes (the opening in '…', "…" or `…`). */
function openingsRead(page: string, quotes: Passage['quotes'], sources: string[]): string[] {
  const call = new RegExp(`\\b${quotes === 'code' ? 'codeQuoteOn' : 'quoteOn'}\\(\\s*'${page.replace(/[.]/g, '\\.')}',\\s*(?:'((?:[^'\\\\]|\\\\.)*)'|"((?:[^"\\\\]|\\\\.)*)"|\`([^\`]*)\`)`, 'g');
  return sources.flatMap((source) => [...source.matchAll(call)].map((m) => (m[1] ?? m[2] ?? m[3]).replace(/\\(.)/g, '$1')));
}

describe("the pages' quoted messages are each read by the test that prints them", () => {
  const sources = testSources();
  for (const passage of PASSAGES) {
    it(`${passage.page}, ${passage.from}${passage.quotes === 'quotes' ? ' ("…")' : ''}`, () => {
      const quotesOfPage = passage.quotes === 'code' ? codeQuotesOf : quotesOf;
      const quotes = quotesOfPage(passage.page, passageOf(passage));
      const onPage = quotesOfPage(passage.page);
      const read = new Set(openingsRead(passage.page, passage.quotes, sources).flatMap((opening) => quotesNamed(onPage, opening)));
      const unread = quotes.filter((quote) => !(quote in passage.notMessages) && !read.has(quote));
      expect(unread, `${passage.page}: quotes no test reads with quoteOn`).toEqual([]);
      // A quote listed as no message is still on the page (the list holds no stale entry).
      expect(Object.keys(passage.notMessages).filter((quote) => !quotes.includes(quote))).toEqual([]);
    });
  }
});
