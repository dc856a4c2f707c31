/**
 * The training worker: owns the network, trains it in slices of about SLICE_MS and posts what the
 * charts need after each slice, with diagnose() of the run's trace, so the page never waits on the
 * WASM core and says what the library (and its CLI) would say about the same trace.
 */
import { GradscopeError, diagnose, TraceRecorder, createNetwork, createOptimizer, equalisingLayerRates } from '../../src/index.js';
import type { TraceOptions, Trace, Network, Optimizer } from '../../src/index.js';
import { mnistDataset, planarDataset, type Dataset, type MnistSubsetFile } from './datasets.js';
import { statsFromTrace, type LayerStats } from './layer-stats.js';
import { BOUNDARY_GRID, type FromWorker, type Snapshot, type StepRecord, type ToWorker } from './protocol.js';
import { RunTrace } from './run-trace.js';
import { LAYER_RATES, type Settings } from './settings.js';

/** Training time between two posts: charts refresh ~10×/s without messages flooding the page. */
const SLICE_MS = 100;
/** Rows of the fixed batch that measures the gradients at step 0. */
const PROBE_ROWS = 256;
/** Every step is traced (the charts show each); the spectral norms behind chainBound every few, shown with their own record's factor. */
const TRACE: TraceOptions = { every: 1, refreshEvery: 4, histogramSteps: [] };

interface WorkerScope {
  postMessage(message: FromWorker, transfer?: Transferable[]): void;
  onmessage: ((event: MessageEvent<ToWorker>) => void) | null;
}
const scope = self as unknown as WorkerScope;

interface Session {
  net: Network;
  data: Dataset;
  optimizer: Optimizer;
  /** The multipliers given to SGD for the per-layer-rates choice, else null. */
  layerRates: number[] | null;
  settings: Settings;
  /** Statistics of the latest traced step. */
  stats: LayerStats;
  /** The run so far, as diagnose() reads it. */
  run: RunTrace;
  grid: { data: Float32Array; rows: number; cols: number };
}

let session: Session | undefined;
let running = false;
/** Bumped by every configure, so a slice of an old session never posts. */
let generation = 0;
let mnist: Promise<Dataset> | undefined;

scope.onmessage = (event) => {
  const message = event.data;
  if (message.type === 'configure') void configure(message.settings, message.mnistUrl);
  else if (message.type === 'run') {
    if (session && !running) {
      running = true;
      void runLoop(generation);
    }
  } else if (message.type === 'pause') running = false;
  else if (message.type === 'trace' && session) scope.postMessage({ type: 'trace', json: JSON.stringify(session.run.trace) });
};

function loadMnist(url: string): Promise<Dataset> {
  mnist ??= fetch(url)
    .then((response) => {
      if (!response.ok) throw new GradscopeError('BAD_DATA_FILE', `${url}: HTTP ${response.status}`);
      return response.json() as Promise<MnistSubsetFile>;
    })
    .then(mnistDataset);
  mnist.catch(() => (mnist = undefined));
  return mnist;
}

async function configure(settings: Settings, mnistUrl: string): Promise<void> {
  const mine = ++generation;
  running = false;
  try {
    const data = settings.dataset === 'mnist' ? await loadMnist(mnistUrl) : planarDataset(settings.dataset, settings.seed);
    const net = await createNetwork({
      sizes: [data.x.cols, ...Array.from({ length: settings.depth }, () => settings.width), data.classes],
      activation: settings.activation,
      init: settings.init,
      output: 'softmax',
      loss: 'cross-entropy',
      seed: settings.seed,
    });
    if (mine !== generation) {
      net.dispose();
      return;
    }
    if (session) {
      session.optimizer.dispose();
      session.net.dispose();
      // Until the new one is ready, so that a 'run' or 'trace' cannot reach disposed memory.
      session = undefined;
    }
    // Step 0: the gradients at initialisation, on a fixed batch, traced as a training step would be.
    const rows = Math.min(PROBE_ROWS, data.x.rows);
    const probe = {
      x: { data: data.x.data.subarray(0, rows * data.x.cols), rows, cols: data.x.cols },
      y: { data: data.y.data.subarray(0, rows * data.y.cols), rows, cols: data.y.cols },
    };
    const gradients = net.gradients(probe.x, probe.y);
    const recorder = new TraceRecorder(net, TRACE);
    try {
      recorder.afterBackprop(rows, gradients.loss);
    } finally {
      recorder.close();
    }
    const layerRates = settings.optimizer === LAYER_RATES ? equalisingLayerRates(net, probe) : null;
    const optimizer = createOptimizer(net, layerRates ? { name: 'sgd', layerRates } : settings.optimizer);
    const run = new RunTrace(recorder.trace);
    session = { net, data, settings, optimizer, layerRates, stats: statsFromTrace(run.trace, 0), run, grid: boundaryGrid() };
    const snapshot = snapshotOf(session, gradients.loss);
    const points = data.planar ? { x: data.x.data.slice(), labels: data.labels.slice() } : null;
    scope.postMessage({ type: 'ready', snapshot, points }, transfers(snapshot));
  } catch (error) {
    scope.postMessage({ type: 'stopped', reason: describe(error) });
  }
}

async function runLoop(mine: number): Promise<void> {
  while (running && mine === generation && session) {
    const s = session;
    const steps: StepRecord[] = [];
    const started = performance.now();
    let loss = NaN;
    try {
      while (performance.now() - started < SLICE_MS) {
        s.net.train(s.data.x, s.data.y, {
          epochs: 1,
          batchSize: s.settings.batchSize,
          learningRate: s.settings.learningRate,
          optimizer: s.optimizer,
          trace: TRACE,
        });
        loss = collectSteps(s, s.net.trace!, steps);
      }
    } catch (error) {
      running = false;
      if (steps.length > 0) postProgress(s, steps, loss);
      scope.postMessage({ type: 'stopped', reason: describe(error) });
      return;
    }
    postProgress(s, steps, loss);
    // Let 'pause' and 'configure' messages in between slices.
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
}

/** Appends the trace's records to `steps` and to the run, keeps the last one's statistics; returns its loss. */
function collectSteps(s: Session, trace: Trace, steps: StepRecord[]): number {
  const gradW = trace.metric('weightGradNorm');
  const L = trace.layers;
  for (let r = 0; r < trace.length; r++) {
    steps.push({ step: trace.steps[r], loss: trace.losses[r], gradW: gradW.slice(r * L, (r + 1) * L) });
  }
  s.run.append(trace);
  s.stats = statsFromTrace(trace, trace.length - 1);
  return trace.losses[trace.length - 1];
}

function postProgress(s: Session, steps: StepRecord[], loss: number): void {
  const snapshot = snapshotOf(s, loss);
  scope.postMessage({ type: 'progress', steps, snapshot }, transfers(snapshot));
}

function snapshotOf(s: Session, loss: number): Snapshot {
  const { stats } = s;
  const { accuracy } = s.net.evaluate(s.data.x, s.data.y);
  return {
    step: s.net.step,
    loss,
    accuracy,
    stats,
    diagnosis: diagnose(s.run.trace),
    layerRates: s.layerRates,
    sizes: [...s.net.sizes],
    boundary: s.data.planar ? boundaryOf(s) : new Float32Array(0),
  };
}

/** Centres of the boundary grid's cells over [−1, 1]², top row first. */
function boundaryGrid(): { data: Float32Array; rows: number; cols: number } {
  const n = BOUNDARY_GRID;
  const data = new Float32Array(n * n * 2);
  for (let row = 0; row < n; row++) {
    for (let col = 0; col < n; col++) {
      data[2 * (row * n + col)] = -1 + (2 * col + 1) / n;
      data[2 * (row * n + col) + 1] = 1 - (2 * row + 1) / n;
    }
  }
  return { data, rows: n * n, cols: 2 };
}

function boundaryOf(s: Session): Float32Array {
  const outputs = s.net.predict(s.grid);
  return Float32Array.from(outputs, (p) => p[1]);
}

function transfers(snapshot: Snapshot): Transferable[] {
  return [snapshot.boundary.buffer as ArrayBuffer];
}

function describe(error: unknown): string {
  if (error instanceof GradscopeError) return `${error.code}: ${error.message}`;
  return error instanceof Error ? error.message : String(error);
}
