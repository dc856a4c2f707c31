/**
 * The training worker: owns the network, trains it in slices of about SLICE_MS and posts what the
 * charts need after each slice, with diagnose() of the run's trace, so the page never waits on the
 * WASM core and says what the library (and its CLI) would say about the same trace.
 */
import { GradscopeError, batchRowsUsed, biasNormsPerRow, diagnose, TraceRecorder, createNetwork } from '../../src/index.js';
import type { CurvatureEvidence, Gradients, LayerOutputs, Matrix, MeanLossGradient, TraceOptions, Trace, Network, Optimizer } from '../../src/index.js';
import { columnEnds, columnNames, networkOptions } from './architecture.js';
import { denseWeightsOf, diagramOf, UNIT_MAP_GRID, type DiagramSnapshot } from './diagram-data.js';
import { classRows, mnistDataset, planarDataset, probeOf, splitDataset, type Dataset, type MnistSubsetFile } from './datasets.js';
import { statsFromTrace, type LayerStats } from './layer-stats.js';
import { BOUNDARY_GRID, DIGITS_SHOWN, type FromWorker, type Snapshot, type StepRecord, type ToWorker, type TracedState } from './protocol.js';
import { probeRun, RunTrace } from './run-trace.js';
import { HeldOutRows } from './held-out.js';
import { SteppedPass, type EpochEnd } from './stepped-pass.js';
import type { Settings } from './settings.js';
import { optimizerFor, sgdWithRates } from './run-optimizer.js';
import { pageDiagnosis } from './remedies.js';
import { dataFileJson, downloadName, type DownloadKind } from './downloads.js';
import { errorText, failedUnshownReason, stopReason, unshownReason } from './stop-reason.js';
import type { CurvatureRows } from './curvature-measure.js';

/** Training time between two posts: charts refresh ~10×/s without messages flooding the page. */
const SLICE_MS = 100;
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
  test: Dataset;
  /** The test rows as the run's validation, and the training rows measured beside them, after every epoch. */
  heldOut: HeldOutRows;
  /** The test rows' loss before the run's first step (HeldOutRows.lossAtStart), which its diagnosis takes. */
  heldOutAtStart: number | undefined;
  /** Training rows seen so far (for the epoch counter). */
  rowsSeen: number;
  /** The single steps' pass over the training rows: where the next one's batch starts, and the epoch they complete. */
  pass: SteppedPass;
  optimizer: Optimizer;
  /** The multipliers given to SGD for the per-layer-rates choice, else null. */
  layerRates: number[] | null;
  /** Where they came from (Snapshot.layerRatesFrom). */
  layerRatesFrom: string;
  /** Why the page's L2 was lowered for the per-layer rates (Snapshot.weightDecayLowered); '' where it was not. */
  weightDecayLowered: string;
  settings: Settings;
  /** Statistics of the latest traced step. */
  stats: LayerStats;
  /** The step of the latest snapshot the page was sent: what it shows of the network's outputs. */
  shownStep: number;
  /** The run so far, as diagnose() reads it. */
  run: RunTrace;
  /** The train() trace whose records the run holds already (collectSteps takes each once). */
  collected: Trace | undefined;
  grid: Matrix;
  /** The fixed training rows the step-0 gradients, the diagram's edges and MNIST's unit means are measured on. */
  probe: { x: Matrix; y: Matrix };
  /** The diagram's unit outputs, overwritten at each snapshot (on the UNIT_MAP_GRID² grid, or MNIST's probe rows). */
  unitOutputs: LayerOutputs | undefined;
  /** The diagram's columns: each one's name and the index in net.layers of the layer whose outputs it shows. */
  columns: { name: string; end: number }[];
  /** The curvature measured on the page (curvature-action.ts) and the step it was measured at: the diagnosis takes it while the network stands there. */
  curvature: { step: number; evidence: CurvatureEvidence } | undefined;
  /** Early stopping's epochs (a remedy's rerun): the run pauses as the one that many epochs in ends (atEarlyStop); undefined once reached, or never asked. */
  stopAfterEpoch: number | undefined;
  /** ‖∂C/∂b‖ of the mean loss over the probe rows per trace row at the run's start (step 0's gradients): its diagnosis reads over training time from it. */
  meanGradBAtStart: Float64Array;
  /** The same at the latest snapshot, and its step: the diagnosis takes it while the network stands there. */
  meanGradBNow: { step: number; values: Float64Array } | undefined;
}

let session: Session | undefined;
let running = false;
/** Steps per second while running; null: as fast as the core goes (whole epochs per train() call). */
let stepsPerSecond: number | null = null;
/** Bumped by every configure, so a slice of an old session never posts. */
let generation = 0;
let mnist: Promise<Dataset> | undefined;

scope.onmessage = (event) => {
  const message = event.data;
  if (message.type === 'configure') void configure(message.settings, message.mnistUrl, message.layerRates, message.stopAfterEpoch);
  else if (message.type === 'update') update(message.settings);
  else if (message.type === 'run') {
    if (session && !running) {
      running = true;
      void runLoop(generation);
    }
  } else if (message.type === 'pause') {
    running = false;
    scope.postMessage({ type: 'paused' });
  }
  else if (message.type === 'step') {
    running = false;
    if (session) trainAndPost(session, () => stepOnce(session!));
    // A stop the run was to make, reached by hand: a run started later does not stop at once for it.
    if (session && atEarlyStop(session)) session.stopAfterEpoch = undefined;
  } else if (message.type === 'speed') stepsPerSecond = message.stepsPerSecond;
  else if (message.type === 'download' && session) scope.postMessage({ type: 'download', json: downloadJson(session, message.kind), kind: message.kind, name: downloadName(message.kind, session.settings, session.net.step) });
  else if (message.type === 'curvature-rows' && session) scope.postMessage({ type: 'curvature-rows', rows: curvatureRows(session) });
  else if (message.type === 'curvature' && session && message.session === generation && message.step === session.net.step) {
    session.curvature = { step: message.step, evidence: message.evidence };
    scope.postMessage({ type: 'diagnosed', state: tracedState(session, session.run.trace.losses[session.run.trace.length - 1] ?? NaN) });
  }
};

/** The network as it stands and its probe rows (copies: the curvature worker measures them while this one may train), or why the network cannot be sent. */
function curvatureRows(s: Session): CurvatureRows {
  let model: string;
  try {
    model = JSON.stringify(s.net.toJSON());
  } catch (error) {
    return { refused: errorText(error) };
  }
  const copy = (m: Matrix): Matrix => ({ data: m.data.slice(), rows: m.rows, cols: m.cols });
  // measureCurvature measures the data loss alone: beside an L2 term that is not the objective the run trained on.
  return { session: generation, step: s.net.step, model, x: copy(s.probe.x), y: copy(s.probe.y), measured: s.settings.l2 > 0 ? 'loss' : 'objective' };
}

/** The file of `kind` for session `s`, as JSON (see DownloadKind). */
function downloadJson(s: Session, kind: DownloadKind): string {
  if (kind === 'trace') return JSON.stringify(s.run.trace);
  if (kind === 'model') return JSON.stringify(s.net.toJSON());
  return dataFileJson(s.data.x, s.data.y);
}

/**
 * New step settings for the same network: the run continues (a new optimiser starts with fresh state).
 * An optimiser the library refuses changes nothing ('refused'): it is made before anything is replaced.
 * Settings taken on a network the page cannot show (its outputs overflow, as the overflow stop's advice
 * "a smaller Learning rate, then Reset" leads to) are held all the same: 'taken' says so, so the page
 * keeps them in its form, and Reset runs them.
 */
function update(settings: Settings): void {
  if (!session) return;
  const s = session;
  let made: Pick<Session, 'optimizer' | 'layerRates' | 'layerRatesFrom' | 'weightDecayLowered'> | undefined;
  try {
    if (settings.optimizer !== s.settings.optimizer || settings.l2 !== s.settings.l2) made = optimizerFor(s.net, settings, s.probe);
    else if (s.layerRates !== null && settings.l2 > 0 && settings.learningRate !== s.settings.learningRate) {
      // The same rates at a new learning rate: the L2 they take is another (sgdWithRates).
      made = { ...sgdWithRates(s.net, s.layerRates, settings), layerRates: s.layerRates, layerRatesFrom: s.layerRatesFrom };
    }
  } catch (error) {
    // Nothing changed: the run goes on with the settings and the optimiser it had.
    scope.postMessage({ type: 'refused', reason: errorText(error) });
    return;
  }
  if (made) {
    s.optimizer.dispose();
    s.optimizer = made.optimizer;
    s.layerRates = made.layerRates;
    s.layerRatesFrom = made.layerRatesFrom;
    s.weightDecayLowered = made.weightDecayLowered;
  }
  s.settings = settings;
  try {
    const snapshot = snapshotOf(s, s.run.trace.losses[s.run.trace.length - 1] ?? NaN);
    scope.postMessage({ type: 'progress', steps: [], snapshot }, transfers(snapshot));
    s.shownStep = snapshot.step;
  } catch (error) {
    scope.postMessage({ type: 'taken', settings, reason: unshownReason(error, s.net.step, s.shownStep, s.optimizer.choosesOwnSteps ? null : settings.learningRate) });
  }
}

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

/**
 * A new network and data for `settings`, built and measured in full before the session it replaces
 * is disposed: if the library refuses any part, 'refused' says why and the old session is untouched.
 */
async function configure(settings: Settings, mnistUrl: string, layerRates?: number[], stopAfterEpoch?: number): Promise<void> {
  const mine = ++generation;
  running = false;
  let net: Network | undefined;
  let optimizer: Optimizer | undefined;
  try {
    const all = settings.dataset === 'mnist' ? await loadMnist(mnistUrl) : planarDataset(settings.dataset, settings.seed, settings.noise);
    const { train: data, test } = splitDataset(all, settings.trainPercent);
    net = await createNetwork(networkOptions(settings, data.x.cols, data.classes));
    if (mine !== generation) {
      net.dispose();
      return;
    }
    const probe = probeOf(data);
    // LSUV rescales the orthonormal weights on the probe rows, before anything is measured.
    if (settings.init === 'lsuv') net.initLsuv(probe.x);
    // Step 0: the gradients at initialisation, on a fixed batch, traced as a training step would be.
    const made = optimizerFor(net, settings, probe, layerRates);
    optimizer = made.optimizer;
    const gradients = net.gradients(probe.x, probe.y);
    const recorder = new TraceRecorder(net, TRACE, probeRun(settings, made.layerRates, made.weightDecay));
    try {
      recorder.afterBackprop(probe.x.rows, gradients.loss);
    } finally {
      recorder.close();
    }
    const trace = recorder.trace;
    const ends = columnEnds(net.layers);
    const names = columnNames(net.layers, net.kind === 'blocks', (c) => trace.layerLabel(c));
    // Its test rows measured after each epoch; chance read from all its training rows, not from a single step's batch.
    const run = new RunTrace(trace, { validation: 'other rows', classRows: classRows(data), rows: data.x.rows });
    const grid = planeGrid(BOUNDARY_GRID);
    const columns = ends.map((end, c) => ({ name: names[c], end }));
    const heldOut = new HeldOutRows(data, test);
    const fresh: Session = { net, data, test, heldOut, heldOutAtStart: heldOut.lossAtStart(net), rowsSeen: 0, pass: new SteppedPass(data.x.rows), settings, optimizer, layerRates: made.layerRates, layerRatesFrom: made.layerRatesFrom, weightDecayLowered: made.weightDecayLowered, stats: statsFromTrace(run.trace, 0), shownStep: 0, run, collected: undefined, grid, probe, unitOutputs: undefined, columns, curvature: undefined, meanGradBAtStart: Float64Array.from(biasNormsPerRow(trace, gradients)), meanGradBNow: undefined, stopAfterEpoch };
    const snapshot = snapshotOf(fresh, gradients.loss, gradients);
    if (session) {
      session.optimizer.dispose();
      session.net.dispose();
    }
    session = fresh;
    net = optimizer = undefined; // the session's now
    const points = all.planar ? { x: all.x.data.slice(), labels: all.labels.slice(), trainRows: data.x.rows } : null;
    const shown = shownDigits(test);
    const digits = all.planar ? null : { pixels: shown.x.data.slice(), labels: test.labels.slice(0, shown.x.rows) };
    scope.postMessage({ type: 'ready', snapshot, points, digits }, transfers(snapshot));
  } catch (error) {
    optimizer?.dispose();
    net?.dispose();
    if (mine === generation) scope.postMessage({ type: 'refused', reason: errorText(error) });
  }
}

async function runLoop(mine: number): Promise<void> {
  let started = performance.now();
  let done = 0;
  let paced = stepsPerSecond;
  while (running && mine === generation && session) {
    const s = session;
    if (stepsPerSecond !== paced) {
      // A new speed counts from now.
      paced = stepsPerSecond;
      started = performance.now();
      done = 0;
    }
    const ok = trainAndPost(s, () => {
      if (paced === null) {
        const sliceStart = performance.now();
        while (performance.now() - sliceStart < SLICE_MS && !atEarlyStop(s)) epoch(s);
      } else {
        const due = Math.floor(((performance.now() - started) / 1000) * paced) - done;
        for (let i = 0; i < due && !atEarlyStop(s); i++) stepOnce(s);
        done += Math.max(due, 0);
      }
    });
    if (!ok) return;
    if (atEarlyStop(s)) {
      running = false;
      scope.postMessage({ type: 'paused', stoppedAfterEpoch: s.stopAfterEpoch });
      s.stopAfterEpoch = undefined;
      return;
    }
    // Let 'pause', 'step', 'speed' and 'configure' messages in between slices.
    await new Promise((resolve) => setTimeout(resolve, paced === null ? 0 : Math.min(SLICE_MS, 1000 / paced)));
  }
}

/**
 * Runs `train` (which trains by epoch() or stepOnce()), then posts the steps it made; false if it
 * failed. Steps it applied are posted even when it failed; where the network after them cannot be
 * shown (its snapshot throws: weights that overflow on the page's rows), the run stops saying so.
 */
function trainAndPost(s: Session, train: () => void): boolean {
  const steps: StepRecord[] = [];
  const learningRate = s.optimizer.choosesOwnSteps ? null : s.settings.learningRate;
  collecting = steps;
  let failed: { error: unknown } | undefined;
  try {
    train();
  } catch (error) {
    failed = { error };
  } finally {
    collecting = undefined;
  }
  try {
    if (steps.length > 0) postProgress(s, steps);
  } catch (error) {
    // The steps were applied and traced: the page takes them and the trace's state after them, so it shows the step the trace (and its download) ends at.
    return stop(failedUnshownReason(failed?.error, error, s.net.step, s.shownStep, learningRate), { steps, state: tracedState(s, steps[steps.length - 1].loss) });
  }
  if (failed) return stop(stopReason(failed.error, learningRate));
  return true;
}

/** Ends the run for `reason` (the page's status line), with the steps it could not show; false, as trainAndPost returns for a failure. */
function stop(reason: string, unshown?: { steps: StepRecord[]; state: TracedState }): false {
  running = false;
  scope.postMessage({ type: 'stopped', reason, ...(unshown && { unshown }) });
  return false;
}

/** Whether the run has ended the epochs early stopping asked it to stop after (Session.stopAfterEpoch): epochs are numbered from 0, the last always kept (RunTrace). */
function atEarlyStop(s: Session): boolean {
  const last = s.run.trace.epochs.at(-1);
  return s.stopAfterEpoch !== undefined && last !== undefined && last.epoch + 1 >= s.stopAfterEpoch;
}

/** Where the records of the train() calls of one trainAndPost go. */
let collecting: StepRecord[] | undefined;

/**
 * One pass over the training rows (the core's own batching and shuffling): an epoch, which its
 * trace records, with the test rows measured after it (held-out.ts). A step that fails (DIVERGED) ends the pass, but the steps before it were applied:
 * their rows are counted and their records kept, so the page shows the weights the network has (it
 * showed the run as before the pass); an epoch cut short is none. A single steps' pass in progress
 * is given up: the rows it stepped and these are not one pass.
 */
function epoch(s: Session): void {
  const from = s.net.step;
  s.pass.restart();
  let trace: Trace;
  try {
    ({ trace } = s.net.train(s.data.x, s.data.y, trainOptions(s)));
  } catch (error) {
    // No epoch ended (the call is one epoch): the steps it applied go to the run, and its error on.
    s.rowsSeen += (s.net.step - from) * batchRowsUsed(s.settings.batchSize, s.data.x.rows);
    collectSteps(s, collecting!, []);
    throw error;
  }
  s.rowsSeen += s.data.x.rows;
  // Its one epoch ended: the weights now are its end's.
  collectSteps(s, collecting!, trace.epochs.map(({ epoch: _, ...e }) => ({ ...e, ...s.heldOut.measure(s.net) })));
}

/** One batch step, on the next training rows of the single steps' pass (SteppedPass); the epoch it completes, if it does, goes to the run. */
function stepOnce(s: Session): void {
  const { x, y } = s.data;
  const { start, size } = s.pass.next(s.settings);
  const batch = (m: Dataset['x']) => ({ data: m.data.subarray(start * m.cols, (start + size) * m.cols), rows: size, cols: m.cols });
  // One batch, so the call's one epoch loss is the batch's, before its update.
  const { epochs } = s.net.train(batch(x), batch(y), { ...trainOptions(s), shuffle: false });
  s.rowsSeen += size;
  const ended = s.pass.stepped(size, epochs[0].loss, s.net.step);
  collectSteps(s, collecting!, ended ? [{ ...ended, ...s.heldOut.measure(s.net) }] : []);
}

/** One call's train() options: the page's learning rate, except for an optimiser that chooses its own steps (Hessian-free), which takes none. */
function trainOptions(s: Session) {
  const learningRate = s.optimizer.choosesOwnSteps ? {} : { learningRate: s.settings.learningRate };
  return { epochs: 1, batchSize: s.settings.batchSize, ...learningRate, optimizer: s.optimizer, trace: TRACE };
}

/**
 * Appends the records of the last train() call's trace to `steps` and to the run, with the epochs
 * that ended in it (`ended`), and keeps the last full batch's record's statistics: once per trace (a call refused
 * before it began tracing leaves the previous call's trace on the network), and only a trace with
 * records (a failed call may have none).
 */
function collectSteps(s: Session, steps: StepRecord[], ended: readonly EpochEnd[]): void {
  const trace = s.net.trace;
  if (trace === undefined || trace === s.collected || trace.length === 0) return;
  s.collected = trace;
  const gradB = trace.metric('biasGradNorm');
  const L = trace.layers;
  for (let r = 0; r < trace.length; r++) {
    steps.push({ step: trace.steps[r], loss: trace.losses[r], gradB: gradB.slice(r * L, (r + 1) * L) });
  }
  s.run.append(trace, ended);
  // The last full batch's (Trace.lastFullBatchRecord): an epoch's short last batch holds a gradient of its few rows alone.
  s.stats = statsFromTrace(trace, trace.lastFullBatchRecord()!);
}

function postProgress(s: Session, steps: StepRecord[]): void {
  const snapshot = snapshotOf(s, steps[steps.length - 1].loss);
  scope.postMessage({ type: 'progress', steps, snapshot }, transfers(snapshot));
  s.shownStep = snapshot.step;
}

/**
 * What the run's trace says now, `loss` its latest step's: no call on the network's outputs. Its diagnosis takes the
 * curvature measured on the page where the network stands at the step it was measured at.
 */
function tracedState(s: Session, loss: number): TracedState {
  const curvature = s.curvature?.step === s.net.step ? s.curvature.evidence : undefined;
  const meanLossGradient = meanLossGradientOf(s);
  const diagnosis = diagnose(s.run.trace, { ...pageDiagnosis(s.settings.dataset, s.heldOutAtStart), ...(meanLossGradient && { meanLossGradient }), ...(curvature && { curvature }) });
  // The question the plateau paragraph asks (progress-sentences.ts' plateauCause): not over rows alike, where the rows, not the curvature, tell.
  const asked = diagnosis.evidence.training?.state === 'plateau' && s.run.trace.run.inputs !== 'alike';
  return { step: s.net.step, epoch: s.rowsSeen / s.data.x.rows, loss, stats: s.stats, diagnosis, curvature: curvature ? 'answered' : asked ? 'asked' : null, meanLossGradient };
}

/**
 * The mean loss's ‖∂C/∂b‖ over the probe rows at the run's start and where the network stands (the latest snapshot's, while it is at
 * the network's step), as diagnose() takes it (MeanLossGradient); undefined before the first step, or where no snapshot was taken there.
 */
function meanLossGradientOf(s: Session): MeanLossGradient | undefined {
  const now = s.meanGradBNow;
  if (s.net.step === 0 || now?.step !== s.net.step) return undefined;
  return { rows: s.probe.x.rows, start: Array.from(s.meanGradBAtStart), end: Array.from(now.values) };
}

/** The state now; `gradients`: the probe's, if the caller has them already. */
function snapshotOf(s: Session, loss: number, gradients?: Gradients): Snapshot {
  const { accuracy } = s.net.evaluate(s.data.x, s.data.y);
  const test = s.heldOut.testAt(s.net);
  const probed = gradients ?? s.net.gradients(s.probe.x, s.probe.y);
  const meanGradB = Float64Array.from(biasNormsPerRow(s.run.trace, probed));
  // Kept (the snapshot's own goes to the page) for the diagnosis while the network stands at this step.
  s.meanGradBNow = { step: s.net.step, values: meanGradB.slice() };
  return {
    ...tracedState(s, loss),
    trainRows: s.data.x.rows,
    accuracy,
    testLoss: test.loss,
    testAccuracy: test.accuracy,
    heldOutAtStart: s.heldOutAtStart,
    layerRates: s.layerRates,
    layerRatesFrom: s.layerRatesFrom,
    weightDecayLowered: s.weightDecayLowered,
    ownSteps: s.optimizer.choosesOwnSteps === true,
    settings: s.settings,
    boundary: s.data.planar ? boundaryOf(s) : new Float32Array(0),
    predictions: s.data.planar ? new Uint8Array(0) : predictedClasses(s),
    diagram: diagramNow(s, probed),
    meanGradB,
  };
}

/** Rows of the unit maps over the input plane (2-D data). */
const UNIT_GRID = planeGrid(UNIT_MAP_GRID);

/** Each drawn unit's output (over the plane, or its mean over the probe rows for MNIST) and each drawn edge's |∂C/∂w| on the probe rows. */
function diagramNow(s: Session, gradients: Gradients): DiagramSnapshot {
  const rows = s.data.planar ? UNIT_GRID : s.probe.x;
  const outputs = (s.unitOutputs = s.net.layerOutputs(rows, { into: s.unitOutputs }));
  const columns = s.columns.map(({ name, end }) => ({ name, outputs: outputs.layers[end] }));
  const dense = denseWeightsOf(s.net.parameters(), gradients, (t) => s.net.kernels.view(t));
  return diagramOf(s.data.planar ? 'map' : 'mean', rows, columns, dense, s.probe.x.rows);
}

/** Centres of an n × n grid's cells over [−1, 1]², top row first. */
function planeGrid(n: number): Matrix {
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

/** The first DIGITS_SHOWN test rows. */
function shownDigits(test: Dataset): { x: Dataset['x'] } {
  const rows = Math.min(DIGITS_SHOWN, test.x.rows);
  return { x: { data: test.x.data.subarray(0, rows * test.x.cols), rows, cols: test.x.cols } };
}

/** The class the network gives each shown test digit (the largest output). */
function predictedClasses(s: Session): Uint8Array {
  const outputs = s.net.predict(shownDigits(s.test).x);
  return Uint8Array.from(outputs, (p) => p.indexOf(Math.max(...p)));
}

function transfers(snapshot: Snapshot): Transferable[] {
  const { units, gradients, weights } = snapshot.diagram;
  return [snapshot.boundary, snapshot.meanGradB, ...units, ...gradients, ...weights].map((a) => a.buffer as ArrayBuffer);
}
