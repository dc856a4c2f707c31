/**
 * The visualizer page: the controls and the URL hold the settings, a module worker trains, and
 * every message from it redraws the charts on the next animation frame.
 */
import { codeNode, proseNodes } from './prose.js';
import { SATURATION_MARGIN, ACTIVATIONS, grouped, optimizerNames, unbrokenPercents, wantedBatchSize } from '../../src/index.js';
import { drawLayerBars } from './charts/bars.js';
import { drawBoundary } from './charts/boundary.js';
import { drawDiagram } from './charts/diagram.js';
import { drawDigits } from './charts/digits.js';
import { COLORS } from './charts/canvas.js';
import { drawHeatmap, drawHeatmapLegend, heatScale, type HeatmapData } from './charts/heatmap.js';
import { flowMapCaption, flowMapData, type FlowMapView } from './charts/flow-map-data.js';
import { drawLossChart } from './charts/line.js';
import { DATASET_LABELS, DATASETS, MNIST_SUBSET_FILE } from './datasets.js';
import { MAX_DRAWN_UNITS, type DiagramSnapshot } from './diagram-data.js';
import { CHAIN_CELL, epochText, fmt, progressStatus, stepText } from './format.js';
import { BOUNDARY_GRID, type FromWorker, type Snapshot, type ToWorker } from './protocol.js';
import { History } from './history.js';
import { traceNote, type DownloadKind } from './downloads.js';
import { updateRemedyList } from './remedy-list.js';
import { WithdrawnRemedies, type Withdrawn } from './withdrawn-remedies.js';
import { PressHold } from './press-hold.js';
import { CurvatureAction } from './curvature-action.js';
import { CURVATURE_HOW_TO_ON_PAGE, pageParagraphs, paragraphNodes } from './summary-paragraphs.js';
import { optimizerBatch, type CarriedBatch } from './optimizer-batch.js';
import { gradientColumnsNote } from './layer-stats.js';
import {
  CONTINUING,
  DEFAULTS,
  denseOnlyReason,
  FIELDS,
  hiddenSizes,
  INITS,
  LAYER_RATES,
  LIMITS,
  needsRebuild,
  NORMS,
  optimizerChoices,
  parseSettings,
  readFormValues,
  RESIDUALS,
  settingsQuery,
  shownValue,
  UNAVAILABLE_OPTIMIZERS,
  type FormValue,
  type Settings,
} from './settings.js';

const $ = <E extends HTMLElement>(id: string) => document.getElementById(id) as E;

const form = $<HTMLFormElement>('controls');
const trainButton = $<HTMLButtonElement>('train');
const stepButton = $<HTMLButtonElement>('step-once');
/** Steps per second while running (not a setting: the URL does not keep it). */
const speed = $<HTMLSelectElement>('speed');
const status = $('status');
const canvases = {
  loss: $<HTMLCanvasElement>('chart-loss'),
  gradients: $<HTMLCanvasElement>('chart-gradients'),
  heatmap: $<HTMLCanvasElement>('chart-heatmap'),
  saturation: $<HTMLCanvasElement>('chart-saturation'),
  boundary: $<HTMLCanvasElement>('chart-boundary'),
  diagram: $<HTMLCanvasElement>('chart-diagram'),
};

fillSelect('activation', ACTIVATIONS.map((a) => [a, a]));
// 'standard' says which: Glorot & Bengio's name for U[±1/√n_in] (src/init), not a standard a new user would know.
fillSelect('init', INITS.map((i) => [i, { lsuv: 'lsuv (rescaled on the data)', standard: 'standard U[±1/√n_in]' }[i as string] ?? i]));
fillSelect('norm', NORMS.map((n) => [n, { none: 'none', 'batch-norm': 'batch norm', 'layer-norm': 'layer norm' }[n]]));
fillSelect('residual', RESIDUALS.map((r) => [r, { none: 'none', plain: 'x + f(x)', rezero: 'ReZero: x + α·f(x)' }[r]]));
fillSelect('optimizer', optimizerChoices().map((o) => [o, optimizerLabel(o)]));
// Shown but not selectable, so the reason is in front of whoever looks for them.
for (const name of optimizerNames().filter((n) => n in UNAVAILABLE_OPTIMIZERS)) {
  const option = new Option(`${name} (${UNAVAILABLE_OPTIMIZERS[name]})`, name);
  option.disabled = true;
  $('optimizer').append(option);
}
fillSelect('dataset', DATASETS.map((d) => [d, DATASET_LABELS[d]]));
// The number fields' bounds, from the limits the settings are checked against.
for (const [key, { min, max }] of Object.entries(LIMITS)) {
  const input = document.getElementById(key);
  if (input instanceof HTMLInputElement) Object.assign(input, { min: String(min), max: String(max) });
}

const parsed = parseSettings(location.search);
let settings: Settings = parsed.settings;
writeForm(settings);
// The address says the settings used: a value the link's notice says was ignored stayed in it, and a copied address shared it again (newuser44 #7).
if (parsed.problems.length > 0) window.history.replaceState(null, '', `${location.pathname}${settingsQuery(settings)}${location.hash}`);

const history = new History();
/** The remedies the panel offered earlier in this run and no longer does. */
const withdrawn = new WithdrawnRemedies();
let snapshot: Snapshot | undefined;
/**
 * The flow map of the run before a remedy was applied, redrawn at the size of its own (half-width)
 * canvas like the live one: a copy of the live canvas's pixels, squeezed into half its width, ran
 * its labels together. Null while no 'before' map is shown.
 */
let before: Record<FlowMapView, HeatmapData> | null = null;
/** Which gradient the flow maps show: the batch's or the mean loss's on the probe rows (flow-map-data.ts). */
const flowView = $<HTMLSelectElement>('flow-map-view');
let points: { x: Float32Array; labels: Uint8Array } | null = null;
/** MNIST mode: the test digits shown with their predictions. */
let digits: { pixels: Float32Array; labels: Uint8Array } | null = null;
/** The settings the worker's network and run follow (its latest snapshot's): what a refused change goes back to. */
let accepted: Settings | undefined;
let running = false;
let drawPending = false;
/** The batch the Optimizer control (or a remedy's switch) set for the optimiser it chose, and the user's before it; null where Batch is the user's own. */
let carriedBatch: CarriedBatch | null = null;
/** Set by a remedy's button: train as soon as the rebuilt network is ready. */
let runWhenReady = false;
/** Early stopping's epochs, set by its button for the rerun it starts (the 'after' caption says them); undefined for any other run. */
let rerunStop: number | undefined;
/** The worker answered the last 'pause' and has not been asked to run or step since (body's data-worker="paused" once drawn). */
let workerPaused = false;
/** The diagnosis panel, kept still while a press is in it or a mouse or pen rests on one of its buttons (so a remedy's button stays where it was aimed at and pressed), and marked held meanwhile. */
const diagnosisPanel = new PressHold<Snapshot>($('diagnosis'), explainDiagnosis);
// How to measure the curvature, said once in its box (the summary points there), set as prose there (CurvatureAction) as the box's notes are.
$('curvature-how-to').textContent = CURVATURE_HOW_TO_ON_PAGE;
/** "Measure the curvature here", offered while paused where the diagnosis asks whether the plateau is a minimum. */
const curvature = new CurvatureAction(
  () => post({ type: 'curvature-rows' }),
  (measured) => post({ type: 'curvature', ...measured }),
);

const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' });
worker.onmessage = (event: MessageEvent<FromWorker>) => receive(event.data);
worker.onerror = (event) => setStatus(`The training worker failed: ${event.message}`, true);
/**
 * A problem with the settings (the link's values that were ignored, or form values refused: what,
 * where, what is allowed), on a line of its own that the status line's training progress does not
 * overwrite; it stays until the user changes the settings.
 */
let notice = parsed.problems.length > 0 ? `Ignored in the link: ${parsed.problems.join('; ')}` : '';
const noticeLine = $('notice');
/** The ‖∂C/∂b‖ card's caption as index.html writes it (its one source), and across norm layers the gap the diagnosis reads instead. */
const gradientsCaption = $('gradients-compared').textContent ?? '';
const NORMALISED_GAP_CAPTION = 'across its norm layers the diagnosis reads the gap δ and ‖∂C/∂W‖/‖W‖ agree on, not these';
showNotice();
configure();

form.addEventListener('change', (event) => {
  if (event.target === speed) return;
  const before = settings;
  const { settings: read, refused } = readFormValues(formValues(), settings);
  notice = refused.join(' ');
  showNotice();
  // An optimiser chosen by hand brings the batch it wants (Hessian-free's), and gives the user's back when it goes.
  const withBatch = optimizerBatch(before, read, carriedBatch);
  carriedBatch = withBatch.carried;
  showOptimizerBatch(withBatch.note);
  settings = withBatch.settings;
  // A refused value goes back to the one held, so the form shows what runs.
  writeForm(settings);
  markRefused(refused.length > 0 ? event.target : null);
  if (!changed(before, settings)) return;
  window.history.replaceState(null, '', `${location.pathname}${settingsQuery(settings)}`);
  if (needsRebuild(before, settings)) configure();
  // The step's size or rule changed: same network, the run goes on (a running run keeps running).
  else post({ type: 'update', settings });
});
$<HTMLInputElement>('depth').addEventListener('input', (e) => ($('depth-value').textContent = (e.target as HTMLInputElement).value));
trainButton.addEventListener('click', () => {
  running = !running;
  post({ type: running ? 'run' : 'pause' });
  showRunning();
});
stepButton.addEventListener('click', () => {
  running = false;
  showRunning();
  post({ type: 'step' });
});
speed.addEventListener('change', () => post({ type: 'speed', stepsPerSecond: speed.value === 'max' ? null : Number(speed.value) }));
flowView.addEventListener('change', scheduleDraw);
$('reset').addEventListener('click', () => configure());
for (const kind of ['trace', 'model', 'data'] as const) $(`download-${kind}`).addEventListener('click', () => post({ type: 'download', kind }));
// What reads each download's file, its commands and calls set as the diagnosis's code is (proseNodes: never broken after a hyphen).
document.querySelectorAll('#downloads .prose').forEach((note) => note.replaceChildren(...proseNodes(note.textContent!)));
/** The object URL of the last download of each kind, released when the next one of that kind is made. */
const downloadUrls = new Map<DownloadKind, string>();
window.addEventListener('resize', scheduleDraw);

function post(message: ToWorker): void {
  if (message.type === 'run' || message.type === 'step' || message.type === 'configure') {
    // The network moves on: a curvature measured or being measured is no longer of it.
    curvature.moveOn();
    workerPaused = false;
    delete document.body.dataset.worker;
  }
  worker.postMessage(message);
}

/**
 * A new network and data for `settings`; `layerRates`: per-layer rates to run as given (a remedy's) instead of measuring them;
 * `stopAfterEpoch`: early stopping's epochs, after which its run pauses.
 */
function configure(layerRates?: number[], stopAfterEpoch?: number): void {
  // A rebuild that no remedy asked for (Reset, a changed setting): the remedy's before/after is over.
  if (!runWhenReady) dropBefore();
  rerunStop = stopAfterEpoch;
  running = false;
  showRunning();
  trainButton.disabled = stepButton.disabled = true;
  // Noise moves the 2-D points only: for the digits it would rebuild the network and change nothing.
  $<HTMLInputElement>('noise').disabled = settings.dataset === 'mnist';
  document.body.dataset.state = 'loading';
  post({ type: 'speed', stepsPerSecond: speed.value === 'max' ? null : Number(speed.value) });
  setStatus(settings.dataset === 'mnist' ? 'Loading the digits and building the network…' : 'Building the network…');
  post({ type: 'configure', settings, mnistUrl: new URL(MNIST_SUBSET_FILE, document.baseURI).href, ...(layerRates && { layerRates }), ...(stopAfterEpoch && { stopAfterEpoch }) });
}

function receive(message: FromWorker): void {
  if (message.type === 'paused') {
    workerPaused = true;
    if (message.stoppedAfterEpoch !== undefined) stoppedEarly(message.stoppedAfterEpoch);
    scheduleDraw();
    return;
  }
  if (message.type === 'refused') {
    refuse(message.reason);
    return;
  }
  if (message.type === 'curvature-rows') {
    curvature.measure(message.rows);
    return;
  }
  if (message.type === 'diagnosed') {
    // The diagnosis with the curvature measured here: nothing else changed.
    if (snapshot) explain((snapshot = { ...snapshot, ...message.state }));
    return;
  }
  if (message.type === 'taken') {
    // The settings asked for run from now (Reset included), though the network they hold cannot be shown: the form keeps them.
    accepted = message.settings;
    setStatus(`Stopped: ${message.reason}`, true);
    return;
  }
  if (message.type !== 'download' && message.type !== 'stopped') accepted = message.snapshot.settings;
  if (message.type === 'ready') {
    history.clear();
    withdrawn.clear();
    snapshot = message.snapshot;
    points = message.points;
    digits = message.digits;
    $('boundary-title').textContent = digits ? 'Test digits and what the network predicts' : 'Decision boundary';
    history.addSnapshot(snapshot);
    explain(snapshot);
    describeDiagram(snapshot.diagram);
    trainButton.disabled = stepButton.disabled = false;
    document.body.dataset.state = 'ready';
    if (runWhenReady) {
      // What the remedy's run is, in the words of the 'before' caption (the choice applied, not the remedy's words).
      $('flow-now-caption').textContent = `after: ${describeRun(snapshot.settings, snapshot.ownSteps)}${rerunStop === undefined ? '' : `, stopped after ${unbroken(`epoch ${rerunStop}`)}`}`;
      startRun();
    }
    setStatus(`${describeNetwork(snapshot)}. Press Train.`);
  } else if (message.type === 'progress') {
    history.addSteps(message.steps);
    snapshot = message.snapshot;
    if (message.steps.length > 0) history.addSnapshot(snapshot);
    explain(snapshot);
    setStatus(progressStatus(running, snapshot));
  } else if (message.type === 'download') {
    saveDownload(message.kind, message.json, message.name);
    return;
  } else {
    if (message.unshown && snapshot) {
      // Steps whose network the page cannot show: the step, the trace's charts and the diagnosis go on to them; the network's outputs stay as last shown (the reason says so).
      history.addSteps(message.unshown.steps);
      snapshot = { ...snapshot, ...message.unshown.state };
      explain(snapshot);
    }
    running = false;
    showRunning();
    setStatus(`Stopped: ${message.reason}`, true);
  }
  scheduleDraw();
}

/** The run paused itself as early stopping's epoch `epoch` ended: the status line says so, with where it stands. */
function stoppedEarly(epoch: number): void {
  running = false;
  showRunning();
  if (snapshot) setStatus(progressStatus(false, snapshot, `Stopped after epoch ${epoch} (early stopping; Train goes on)`));
}

function showRunning(): void {
  trainButton.textContent = running ? 'Pause' : 'Train';
  if (document.body.dataset.state !== 'loading') document.body.dataset.state = running ? 'running' : 'ready';
  if (snapshot) curvature.update(snapshot, !running && document.body.dataset.state === 'ready');
}

function showNotice(): void {
  noticeLine.textContent = unbrokenPercents(notice);
  noticeLine.hidden = notice === '';
}

/** What the Optimizer control did to Batch ('' hides the line): beside the controls, until the next change of the settings. */
function showOptimizerBatch(text: string): void {
  const line = $('optimizer-batch');
  line.textContent = text;
  line.hidden = text === '';
}

function setStatus(text: string, error = false): void {
  // A percentage never wraps away from its number (the status line's accuracy, a refusal's share).
  status.textContent = unbrokenPercents(text);
  status.classList.toggle('error', error);
}

function scheduleDraw(): void {
  if (drawPending) return;
  drawPending = true;
  requestAnimationFrame(() => {
    drawPending = false;
    draw();
  });
}

function draw(): void {
  if (!snapshot) return;
  const { stats } = snapshot;
  $('step').textContent = stepText(snapshot.step);
  // Drawn with the step, so a reader of data-worker="paused" reads the step the run stopped at.
  if (workerPaused) document.body.dataset.worker = 'paused';
  $('epoch').textContent = epochText(snapshot.epoch, snapshot.trainRows);
  drawLossChart(canvases.loss, history);
  // The same quantity as the diagnosis: ‖∂C/∂b‖ per layer, in the rows that have a b no batch norm cancels.
  const named = (rows: number[]) => rows.map((l) => stats.shortLabels[l]);
  const titled = (rows: number[]) => rows.map((l) => stats.labels[l]);
  drawLayerBars(canvases.gradients, stats.chartedBiasRows.map((l) => stats.gradB[l]), named(stats.chartedBiasRows), { scale: 'log', color: COLORS.bar, titles: titled(stats.chartedBiasRows) });
  // One colour scale for the 'before' map and the live one, so a colour is the same ‖∂C/∂b‖ in both.
  const view = flowView.value as FlowMapView;
  $('flow-map-caption').textContent = flowMapCaption(view, snapshot.settings.batchSize, snapshot.trainRows, snapshot.diagram.gradientRows);
  const live = flowMapData(history, stats, view);
  const old = before?.[view];
  const scale = heatScale(old ? [old, live] : [live]);
  if (old) drawHeatmap($<HTMLCanvasElement>('chart-heatmap-before'), old, scale);
  drawHeatmap(canvases.heatmap, live, scale);
  drawHeatmapLegend($('heatmap-legend'), scale, live.rows.length > 0 || before !== null);
  const failing = unitFailureRows(snapshot);
  drawLayerBars(canvases.saturation, failing.map((l) => stats.unitFailure[l]), named(failing), { scale: 'fraction', color: COLORS.saturation, titles: titled(failing), empty: 'No layer saturates or dies' });
  describeUnitFailure(failing.map((l) => stats.unitFailureKind[l])[0] ?? null);
  $('diagram-scale').textContent = `largest |∂C/∂w| ${fmt(drawDiagram(canvases.diagram, snapshot.diagram))}`;
  if (digits) drawDigits(canvases.boundary, digits, snapshot.predictions);
  else drawBoundary(canvases.boundary, snapshot.boundary, BOUNDARY_GRID, points);
}

/** The rows whose units can saturate or die (their activation's unitFailureMetric), the output's excepted. */
function unitFailureRows(s: Snapshot): number[] {
  return s.stats.unitFailureKind.flatMap((kind, l) => (kind !== null && l < s.stats.labels.length - 1 ? [l] : []));
}

/**
 * The panel, updated as each message arrives rather than on the next frame, so that it speaks for
 * the trace the worker holds now (and that 'Download the trace' saves) — except while a press or a
 * resting pointer holds it (PressHold), when it says it is held and shows the latest once released.
 */
function explain(s: Snapshot): void {
  showStepControl(s);
  diagnosisPanel.show(s);
  curvature.update(s, !running && document.body.dataset.state === 'ready');
}

function explainDiagnosis(s: Snapshot): void {
  const d = s.diagnosis;
  const panel = $('diagnosis');
  panel.dataset.verdict = d.verdict;
  // Undecided (no gap could be read): the neutral border, not the healthy one (Diagnosis.undecided).
  panel.toggleAttribute('data-undecided', d.undecided === true);
  panel.dataset.ratio = String(d.evidence.firstToLast.median);
  panel.dataset.records = String(d.evidence.records);
  // The answer first (newuser42 #8): the verdict, its key figure and the first remedy, then the summary in full.
  $('diagnosis-headline').replaceChildren(...proseNodes(d.headline));
  $('diagnosis-summary').replaceChildren(...paragraphNodes(pageParagraphs(d)));
  // The call that gives this diagnosis from the downloaded trace: this run's data set (the relu rates it offers are that data set's),
  // its test loss at the start and, after the first step, the mean loss's gradient at step 0 and now, which the trace does not hold.
  $('trace-note').replaceChildren(...proseNodes(traceNote(s.settings.dataset, s.heldOutAtStart, s.meanLossGradient)));
  // The bars are the batch gradient; the verdict reads each example's δ (evidence.deltaFirstToLast), and across
  // norm layers the gap δ and ‖∂C/∂W‖/‖W‖ agree on (evidence.normalisedGap).
  $('gradients-compared').textContent = d.evidence.normalisedBy ? NORMALISED_GAP_CAPTION : gradientsCaption;
  $('diagnosis-try').hidden = d.remedies.length === 0;
  // The data's widths as the worker built the network: its diagram's first and last columns.
  updateRemedyList($('diagnosis-remedies'), d.remedies, settings, { inputs: s.diagram.sizes[0], classes: s.diagram.sizes[s.diagram.sizes.length - 1] }, applyRemedy);
  showWithdrawn(withdrawn.update(d.remedies, d.verdict, s.step, s.settings));
  $('layer-rates-note').hidden = s.layerRates === null;
  $('layer-rates-from').textContent = s.layerRatesFrom;
  $('layer-rates-decay').textContent = s.weightDecayLowered;
  $('chain').classList.toggle('rates', s.layerRates !== null);
  // The factor and its bound come from one record, the latest with ‖W‖₂ (see statsFromTrace).
  const blocks = s.settings.norm !== 'none' || s.settings.residual !== 'none';
  // Before any update the one record is the probe's, which the trace counts as step 1 (gradients before update 1) while the page shows step 0.
  $('chain-step').textContent =
    s.step === 0 ? `at initialisation, on the first ${grouped(s.diagram.gradientRows)} training rows (the trace's step 1: before the first update)` : blocks ? `the latest, traced ${stepText(s.stats.chainStep)}` : `the latest with ‖W‖₂, traced ${stepText(s.stats.chainStep)}`;
  $('chain-batch').textContent = gradientColumnsNote(s.step, s.settings.batchSize, s.trainRows, d.evidence.changeWindow);
  $('chain-blocks').hidden = !blocks;
  $('cancelled-bias-note').textContent = s.stats.cancelledBiasNote;
  $('cancelled-bias-note').hidden = s.stats.cancelledBiasNote === '';
  explainResiduals(s);
  const body = document.querySelector('#chain tbody')!;
  // '–' where a row has no such quantity (an activation layer has no W, no b); a NaN that was measured shows as NaN.
  const measured = (rows: number[], l: number, v: number) => (rows.includes(l) ? CHAIN_CELL.norm(v) : '–');
  body.replaceChildren(
    ...Array.from(s.stats.gradW, (_, l) => {
      const row = document.createElement('tr');
      // Its role said, as index.html says the table's: on a narrow phone the style sheet lays the table out as a grid.
      row.setAttribute('role', 'row');
      const chain = s.stats.chainFactor[l];
      const cells = [
        s.stats.labels[l],
        Number.isFinite(chain) ? CHAIN_CELL.factor(chain) : '–',
        Number.isFinite(s.stats.chainBound[l]) ? CHAIN_CELL.factor(s.stats.chainBound[l]) : '–',
        measured(s.stats.weightRows, l, s.stats.gradW[l]),
        measured(s.stats.biasRows, l, s.stats.gradB[l]),
        Number.isFinite(s.stats.unitFailure[l]) ? `${(s.stats.unitFailure[l] * 100).toFixed(0)} % ${s.stats.unitFailureKind[l]}` : '–',
        s.layerRates ? CHAIN_CELL.rate(s.layerRates[l]) : '',
      ];
      const unitFailureColumn = cells.length - 2;
      for (const [i, text] of cells.entries()) {
        const cell = document.createElement('td');
        cell.setAttribute('role', 'cell');
        if (i === 0) cell.replaceChildren(...pathBreaks(text));
        else cell.textContent = unbrokenPercents(text);
        // Marked as shrinking the gradient when the number shown is below 1 (0.9996 is shown as 1.00, unmarked).
        if (i === 1 && Number(text) < 1) cell.className = 'small';
        // Words, not a number: on a phone its kind may go below its share (the style sheet).
        if (i === unitFailureColumn) cell.className = 'unit-failure';
        if (i === cells.length - 1) cell.className = 'rate';
        row.append(cell);
      }
      return row;
    }),
  );
}

/** The remedies no longer offered, a line each: its first choice, then until when it was offered and why not now. */
function showWithdrawn(gone: Withdrawn[]): void {
  const box = $('diagnosis-withdrawn');
  box.hidden = gone.length === 0;
  box.querySelector('ul')!.replaceChildren(
    ...gone.map(({ option, line }) => {
      const item = document.createElement('li');
      item.append(codeNode(option), ': ', ...proseNodes(line));
      return item;
    }),
  );
}

/** The learning rate is off for an optimiser that chooses its own steps (it would change nothing), and says why. */
function showStepControl(s: Snapshot): void {
  const rate = $<HTMLInputElement>('learningRate');
  rate.disabled = s.ownSteps;
  rate.title = s.ownSteps ? `${s.settings.optimizer} sets its own step sizes: no learning rate` : '';
}

/**
 * A row's name with a line break allowed after each '.' of its `layers` path (a <wbr>, which a copy of
 * the text leaves out): at a phone's 390 px "layers[3].layers[0]", one word, made the chain table's
 * first column 14 px wider than its card.
 */
function pathBreaks(name: string): Node[] {
  return name.split(/(?<=\]\.)/).flatMap((part, i) => (i === 0 ? [document.createTextNode(part)] : [document.createElement('wbr'), document.createTextNode(part)]));
}

/** The residual blocks' table: each block's skip and branch share of the gradient, and ReZero's α ('–' with gate 'none'). */
function explainResiduals(s: Snapshot): void {
  const blocks = s.stats.residuals;
  $('residuals').hidden = blocks.length === 0;
  document.querySelector('#residuals tbody')!.replaceChildren(
    ...blocks.map(({ label, skip, branch, alpha }) => {
      const row = document.createElement('tr');
      for (const text of [label, CHAIN_CELL.norm(skip), CHAIN_CELL.norm(branch), Number.isNaN(alpha) ? '–' : CHAIN_CELL.factor(alpha)]) {
        const cell = document.createElement('td');
        cell.textContent = text;
        row.append(cell);
      }
      return row;
    }),
  );
}

/** Says what the diagram leaves out (units past MAX_DRAWN_UNITS, a wide input as one bar) and where its numbers come from. */
function describeDiagram(d: DiagramSnapshot): void {
  const cut = d.sizes.map((size, l) => ({ size, l })).filter(({ size, l }) => d.shown[l] > 0 && d.shown[l] < size);
  const rows = `the first ${grouped(d.gradientRows)} training rows`;
  const parts = [
    d.cells > 1 ? 'Each unit shows its output over the input plane [−1, 1]², as the decision boundary does.' : `Each unit shows its mean output over ${rows}.`,
    `Edges: |∂C/∂w| of the mean loss over ${d.cells > 1 ? rows : 'the same rows'}, recomputed at every update.`,
  ];
  if (settings.norm !== 'none' || settings.residual !== 'none') {
    parts.push(
      'Columns are named by the entries of the network’s layers they span, as the diagnosis, the trace and the report name its rows (layers[0–2]): a dense layer with what follows it (its norm and activation), shown after the activation' +
        (settings.residual === 'none' ? '.' : '; a residual block shows x + f(x), and its edges are f’s dense weights (the skip, unit to unit, is not drawn).'),
    );
  }
  const name = (l: number) => d.names[l - 1];
  if (cut.length > 0) {
    const same = cut.every(({ size }) => size === cut[0].size);
    const layers = same ? `${cut.map(({ l }) => name(l)).join(', ')} (${cut[0].size} units each)` : cut.map(({ l, size }) => `${name(l)} (${size})`).join(', ');
    parts.push(`Showing the first ${MAX_DRAWN_UNITS} units of ${layers}.`);
  }
  if (d.shown[0] === 0) parts.push(`The ${d.sizes[0]} inputs are one bar; its edge to a unit is the RMS of the unit's ${d.sizes[0]} input gradients (grey: no single weight).`);
  $('diagram-note').textContent = parts.join(' ');
}

/** Titles the units card by what the hidden activation can suffer: saturation, or dead units. */
function describeUnitFailure(kind: 'saturated' | 'dead' | null): void {
  $('saturation-title').textContent = kind === 'dead' ? 'Dead units per layer' : kind === 'saturated' ? 'Saturated units per layer' : 'Units per layer';
  $('saturation-rule').textContent =
    kind === 'dead'
      ? 'z ≤ 0 on every row of the batch: no gradient passes'
      : kind === 'saturated'
        ? `activations within ${SATURATION_MARGIN} of their limits, where σ′ ≈ 0`
        : 'linear units neither saturate nor die';
}

/**
 * A remedy applied: the current flow map is kept (as data, redrawn) beside the live one (with what it was
 * and what the diagnosis said), the settings change, and a new network with them trains at once, from
 * step 0 as the old one did: the button says "rerun", and the two maps compare two runs from their
 * start (a smaller learning rate for dead units, say, would change nothing on the same network).
 */
function applyRemedy(change: Partial<Settings>, layerRates?: number[], stopAfterEpoch?: number): void {
  // An untrained run has no map to keep (the live one says "Press Train or Step").
  before = snapshot && history.buckets.length > 0 ? { batch: flowMapData(history, snapshot.stats, 'batch'), mean: flowMapData(history, snapshot.stats, 'mean') } : null;
  $('flow-before-caption').textContent = `before: ${describeRun(settings, snapshot?.ownSteps ?? false)}, ${unbroken(stepText(snapshot?.step ?? 0))}, ${snapshot?.diagnosis.verdict ?? ''}`;
  $('flow-before').hidden = before === null;
  // A switch that carries its optimiser's batch (Hessian-free's) sets Batch as the Optimizer control does; any other remedy leaves Batch as it makes it.
  const wanted = change.optimizer === undefined ? undefined : wantedBatchSize(change.optimizer);
  carriedBatch = wanted !== undefined && change.batchSize === wanted ? { from: carriedBatch?.from ?? settings.batchSize, to: wanted, optimizer: change.optimizer! } : null;
  showOptimizerBatch('');
  settings = { ...settings, ...change };
  writeForm(settings);
  markRefused(null);
  notice = '';
  showNotice();
  window.history.replaceState(null, '', `${location.pathname}${settingsQuery(settings)}`);
  scheduleDraw();
  runWhenReady = true;
  configure(layerRates, stopAfterEpoch);
}

/** No 'before' map: the comparison a remedy started ends with a run it did not start, or with its refusal. */
function dropBefore(): void {
  before = null;
  $('flow-before').hidden = true;
  $('flow-now-caption').textContent = '';
}

/** A run in a caption: its network, optimiser and learning rate (none for an optimiser that sets its own steps). */
const describeRun = (s: Settings, ownSteps: boolean) =>
  `${hiddenSizes(s).join('-')} ${s.activation} + ${s.init}${describeBlocks(s)}, ${s.optimizer === LAYER_RATES ? 'sgd with per-layer rates' : s.optimizer}${ownSteps ? '' : `, ${unbroken(`η ${s.learningRate}`)}`}`;

/** A symbol or word and its number on one line (no-break spaces): at a phone's 390 px the 'before' caption ended a line with "η" and began the next with "0.5". */
const unbroken = (text: string) => text.replaceAll(' ', '\u00a0');

/** The block settings in words (', batch norm, ReZero blocks'); '' for a plain dense network. */
function describeBlocks(s: Settings): string {
  const norm = { none: '', 'batch-norm': ', batch norm', 'layer-norm': ', layer norm' }[s.norm];
  const residual = { none: '', plain: ', residual blocks', rezero: ', ReZero blocks' }[s.residual];
  return norm + residual;
}

/** The status line's network: units per column, activation, init and blocks ('2 → 16 → 2 network, sigmoid + standard init, batch norm'). */
function describeNetwork(s: Snapshot): string {
  return `${s.diagram.sizes.join(' → ')} network, ${s.settings.activation} + ${s.settings.init} init${describeBlocks(s.settings)}`;
}

/**
 * The worker refused the settings asked for (the library's reason): back to those it holds, said on
 * the notice line with what was asked; before any network exists, the status line says it instead.
 */
function refuse(reason: string): void {
  // A refused remedy: no 'after' run to show beside the 'before' map.
  if (runWhenReady) dropBefore();
  runWhenReady = false;
  // The settings go back to those held: a batch an optimiser set goes with them.
  carriedBatch = null;
  showOptimizerBatch('');
  // Before any network exists (a link's settings): its step settings at their defaults, then all of them.
  const fallback = accepted ?? linkFallback(settings);
  if (!fallback) {
    document.body.dataset.state = 'ready';
    setStatus(`Stopped: ${reason}`, true);
    return;
  }
  const asked = settings;
  const keys = (Object.keys(FIELDS) as (keyof Settings)[]).filter((key) => asked[key] !== fallback[key]);
  settings = fallback;
  writeForm(settings);
  window.history.replaceState(null, '', `${location.pathname}${settingsQuery(settings)}`);
  const given = keys.map((key) => `${FIELDS[key].label} ${shownValue(asked[key])}`).join(', ');
  const kept = keys.map((key) => shownValue(settings[key])).join(', ');
  notice = `${given || 'These settings'}: refused (${reason}); ${accepted ? `kept ${kept}` : `using ${kept}`}.`;
  showNotice();
  if (!accepted) {
    configure();
    return;
  }
  $<HTMLInputElement>('noise').disabled = settings.dataset === 'mnist';
  trainButton.disabled = stepButton.disabled = false;
  document.body.dataset.state = running ? 'running' : 'ready';
}

function startRun(): void {
  runWhenReady = false;
  if (running) return;
  running = true;
  post({ type: 'run' });
  showRunning();
}

/** Offers a file's JSON from the worker as a download, under the name the worker gave it (after its run's settings: downloadName). */
function saveDownload(kind: DownloadKind, json: string, name: string): void {
  const old = downloadUrls.get(kind);
  if (old) URL.revokeObjectURL(old);
  const url = URL.createObjectURL(new Blob([json], { type: 'application/json' }));
  downloadUrls.set(kind, url);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.click();
}

/** An optimiser choice as the control shows it. */
function optimizerLabel(choice: string): string {
  return choice === LAYER_RATES ? 'sgd, per-layer rates' : choice;
}

/** Greys out the optimiser choices that cannot train the network `s` builds (denseOnlyReason: K-FAC, per-layer rates with blocks), saying so in their labels. */
function showOptimizerChoices(s: Settings): void {
  for (const option of Array.from($<HTMLSelectElement>('optimizer').options)) {
    if (option.value in UNAVAILABLE_OPTIMIZERS) continue;
    const denseOnly = denseOnlyReason(option.value, s) !== null;
    option.disabled = denseOnly;
    option.text = denseOnly ? `${optimizerLabel(option.value)} (dense layers only)` : optimizerLabel(option.value);
  }
}

function fillSelect(id: string, options: [value: string, label: string][]): void {
  $(id).replaceChildren(...options.map(([value, label]) => new Option(label, value)));
}

function writeForm(s: Settings): void {
  showOptimizerChoices(s);
  for (const key of Object.keys(FIELDS) as (keyof Settings)[]) {
    const control = form.elements.namedItem(key);
    if (control instanceof HTMLInputElement || control instanceof HTMLSelectElement) control.value = String(s[key]);
  }
  $('depth-value').textContent = String(s.depth);
}

/** The form's controls' values (a number field the browser cannot read says so), for readFormValues: the same checks as the URL's. */
function formValues(): Partial<Record<keyof Settings, FormValue>> {
  const values: Partial<Record<keyof Settings, FormValue>> = {};
  for (const key of Object.keys(FIELDS) as (keyof Settings)[]) {
    const control = form.elements.namedItem(key);
    if (control instanceof HTMLInputElement || control instanceof HTMLSelectElement) values[key] = { text: control.value, badInput: control.validity.badInput };
  }
  return values;
}

/**
 * Marks the control whose value was refused (outlined, and described by the notice that says why) until the next change; null
 * clears the mark. Not aria-invalid: the control holds the kept value again, a valid one, which a screen reader announced as
 * invalid (newuser44 #7).
 */
function markRefused(target: EventTarget | null): void {
  form.querySelectorAll(`.${REFUSED_CLASS}`).forEach((control) => {
    control.classList.remove(REFUSED_CLASS);
    control.removeAttribute('aria-describedby');
  });
  if (target instanceof HTMLElement) {
    target.classList.add(REFUSED_CLASS);
    target.setAttribute('aria-describedby', noticeLine.id);
  }
}

/** The class of a control whose value was refused (markRefused; style.css outlines it). */
const REFUSED_CLASS = 'refused';

/** What a link whose network the library refused falls back to: its step settings (CONTINUING) at their defaults, then every setting; null when `s` is that already. */
function linkFallback(s: Settings): Settings | null {
  const steps: Settings = { ...s };
  for (const key of CONTINUING) (steps as Record<keyof Settings, unknown>)[key] = DEFAULTS[key];
  if (changed(s, steps)) return steps;
  return changed(s, DEFAULTS) ? DEFAULTS : null;
}

/** Whether any setting differs. */
function changed(a: Settings, b: Settings): boolean {
  return (Object.keys(FIELDS) as (keyof Settings)[]).some((key) => a[key] !== b[key]);
}
