/**
 * The visualizer page: the controls and the URL hold the settings, a module worker trains, and
 * every message from it redraws the charts on the next animation frame.
 */
import { WEIGHT_INITS, SATURATION_MARGIN, ACTIVATIONS, optimizerNames } from '../../src/index.js';
import { drawLayerBars } from './charts/bars.js';
import { drawBoundary } from './charts/boundary.js';
import { drawDiagram } from './charts/diagram.js';
import { drawDigits } from './charts/digits.js';
import { COLORS } from './charts/canvas.js';
import { drawHeatmap } from './charts/heatmap.js';
import { drawLossChart } from './charts/line.js';
import { DATASET_LABELS, DATASETS, MNIST_SUBSET_FILE } from './datasets.js';
import { MAX_DRAWN_UNITS, type DiagramSnapshot } from './diagram-data.js';
import { fmt } from './format.js';
import { BOUNDARY_GRID, type FromWorker, type Snapshot, type ToWorker } from './protocol.js';
import { History } from './history.js';
import { remedySetting } from './remedies.js';
import {
  hiddenSizes,
  LAYER_RATES,
  LIMITS,
  needsRebuild,
  optimizerChoices,
  PARAM,
  parseSettings,
  settingsQuery,
  UNAVAILABLE_OPTIMIZERS,
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
fillSelect('init', WEIGHT_INITS.map((i) => [i, i]));
fillSelect('optimizer', optimizerChoices().map((o) => [o, o === LAYER_RATES ? 'sgd, per-layer rates' : o]));
// Shown but not selectable, so the reason is in front of whoever looks for them.
for (const name of optimizerNames().filter((n) => n in UNAVAILABLE_OPTIMIZERS)) {
  const option = new Option(`${name} (${UNAVAILABLE_OPTIMIZERS[name]})`, name);
  option.disabled = true;
  $('optimizer').append(option);
}
fillSelect('dataset', DATASETS.map((d) => [d, DATASET_LABELS[d]]));

const parsed = parseSettings(location.search);
let settings: Settings = parsed.settings;
writeForm(settings);

const history = new History();
let snapshot: Snapshot | undefined;
let points: { x: Float32Array; labels: Uint8Array } | null = null;
/** MNIST mode: the test digits shown with their predictions. */
let digits: { pixels: Float32Array; labels: Uint8Array } | null = null;
let running = false;
let drawPending = false;
/** Set by a remedy's button: train as soon as the rebuilt network is ready. */
let runWhenReady = false;

const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' });
worker.onmessage = (event: MessageEvent<FromWorker>) => receive(event.data);
worker.onerror = (event) => setStatus(`The training worker failed: ${event.message}`, true);
/**
 * A problem with the settings (the link's values that were ignored, or form values out of range),
 * on a line of its own that the status line's training progress does not overwrite; it stays until
 * the user changes the settings.
 */
let notice = parsed.problems.length > 0 ? `Ignored in the link: ${parsed.problems.join('; ')}` : '';
const noticeLine = $('notice');
showNotice();
configure();

form.addEventListener('change', (event) => {
  if (event.target === speed) return;
  const before = settings;
  notice = '';
  settings = readForm();
  showNotice();
  window.history.replaceState(null, '', `${location.pathname}${settingsQuery(settings)}`);
  if (needsRebuild(before, settings)) {
    history.clear();
    snapshot = undefined;
    configure();
  } else {
    // The step's size or rule changed: same network, the run goes on (a running run keeps running).
    post({ type: 'update', settings });
  }
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
$('reset').addEventListener('click', () => configure());
$('download-trace').addEventListener('click', () => post({ type: 'trace' }));
/** The object URL of the last downloaded trace, released when the next one is made. */
let traceUrl: string | undefined;
window.addEventListener('resize', scheduleDraw);

function post(message: ToWorker): void {
  worker.postMessage(message);
}

function configure(): void {
  running = false;
  showRunning();
  trainButton.disabled = stepButton.disabled = true;
  // Noise moves the 2-D points only: for the digits it would rebuild the network and change nothing.
  $<HTMLInputElement>('noise').disabled = settings.dataset === 'mnist';
  document.body.dataset.state = 'loading';
  post({ type: 'speed', stepsPerSecond: speed.value === 'max' ? null : Number(speed.value) });
  setStatus(settings.dataset === 'mnist' ? 'Loading the digits and building the network…' : 'Building the network…');
  post({ type: 'configure', settings, mnistUrl: new URL(MNIST_SUBSET_FILE, document.baseURI).href });
}

function receive(message: FromWorker): void {
  if (message.type === 'ready') {
    history.clear();
    snapshot = message.snapshot;
    points = message.points;
    digits = message.digits;
    $('boundary-title').textContent = digits ? 'Test digits and what the network predicts' : 'Decision boundary';
    history.addSnapshot(snapshot);
    explain(snapshot);
    describeDiagram(snapshot.diagram);
    trainButton.disabled = stepButton.disabled = false;
    document.body.dataset.state = 'ready';
    if (runWhenReady) startRun();
    setStatus(`${snapshot.sizes.join(' → ')} network, ${settings.activation} + ${settings.init} init. Press Train.`);
  } else if (message.type === 'progress') {
    history.addSteps(message.steps);
    snapshot = message.snapshot;
    if (message.steps.length > 0) history.addSnapshot(snapshot);
    explain(snapshot);
    setStatus(
      `${running ? 'Training' : 'Paused'}: step ${snapshot.step}, loss ${fmt(snapshot.loss)}, accuracy ${(snapshot.accuracy * 100).toFixed(1)} % (test: loss ${fmt(snapshot.testLoss)}, accuracy ${(snapshot.testAccuracy * 100).toFixed(1)} %)`,
    );
  } else if (message.type === 'trace') {
    saveTrace(message.json);
    return;
  } else {
    running = false;
    showRunning();
    setStatus(`Stopped: ${message.reason}`, true);
  }
  scheduleDraw();
}

function showRunning(): void {
  trainButton.textContent = running ? 'Pause' : 'Train';
  if (document.body.dataset.state !== 'loading') document.body.dataset.state = running ? 'running' : 'ready';
}

function showNotice(): void {
  noticeLine.textContent = notice;
  noticeLine.hidden = notice === '';
}

function setStatus(text: string, error = false): void {
  status.textContent = text;
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
  const L = stats.gradB.length;
  $('step').textContent = `step ${snapshot.step}`;
  $('epoch').textContent = `epoch ${snapshot.epoch.toFixed(snapshot.epoch < 10 ? 2 : 1)}`;
  drawLossChart(canvases.loss, history);
  // The same quantity as the diagnosis: ‖∂C/∂b‖ per layer.
  drawLayerBars(canvases.gradients, stats.gradB, { scale: 'log', color: COLORS.bar });
  const [first, last] = history.range;
  const rows = history.buckets.map((b) => b.gradB.map((g) => g.last));
  drawHeatmap(canvases.heatmap, { first, last, rows, layers: L }, $('heatmap-legend'));
  drawLayerBars(canvases.saturation, stats.unitFailure.subarray(0, L - 1), { scale: 'fraction', color: COLORS.saturation });
  describeUnitFailure(stats.unitFailureKind[0]);
  $('diagram-scale').textContent = `largest |∂C/∂w| ${fmt(drawDiagram(canvases.diagram, snapshot.diagram))}`;
  if (digits) drawDigits(canvases.boundary, digits, snapshot.predictions);
  else drawBoundary(canvases.boundary, snapshot.boundary, BOUNDARY_GRID, points);
}

/**
 * The panel, updated as each message arrives rather than on the next frame, so that it always
 * speaks for the trace the worker holds now (and that 'Download the trace' saves).
 */
function explain(s: Snapshot): void {
  const d = s.diagnosis;
  const panel = $('diagnosis');
  panel.dataset.verdict = d.verdict;
  panel.dataset.ratio = String(d.evidence.firstToLast.median);
  panel.dataset.records = String(d.evidence.records);
  $('diagnosis-summary').textContent = d.summary;
  $('diagnosis-try').hidden = d.remedies.length === 0;
  $('diagnosis-remedies').replaceChildren(
    ...d.remedies.map(({ option, why }) => {
      const li = document.createElement('li');
      const text = document.createElement('span');
      text.className = 'remedy';
      const code = document.createElement('code');
      code.textContent = option;
      text.append(code, `: ${why}`);
      li.append(text);
      const change = remedySetting(option, settings);
      if (change) {
        const button = document.createElement('button');
        button.type = 'button';
        button.className = 'apply';
        button.textContent = 'Apply and rerun';
        button.dataset.change = JSON.stringify(change);
        button.addEventListener('click', () => applyRemedy(change, option));
        li.append(' ', button);
      }
      return li;
    }),
  );
  $('layer-rates-note').hidden = s.layerRates === null;
  $('chain').classList.toggle('rates', s.layerRates !== null);
  // The factor and its bound come from one record, the latest with ‖W‖₂ (see statsFromTrace).
  $('chain-step').textContent = `traced step ${s.stats.chainStep}`;
  const body = document.querySelector('#chain tbody')!;
  body.replaceChildren(
    ...Array.from(s.stats.gradW, (_, l) => {
      const row = document.createElement('tr');
      const chain = s.stats.chainFactor[l];
      const cells = [
        l === s.stats.gradW.length - 1 ? `${l + 1} (output)` : String(l + 1),
        Number.isFinite(chain) ? fmt(chain) : '–',
        Number.isFinite(s.stats.chainBound[l]) ? fmt(s.stats.chainBound[l]) : '–',
        fmt(s.stats.gradW[l]),
        fmt(s.stats.gradB[l]),
        Number.isFinite(s.stats.unitFailure[l]) ? `${(s.stats.unitFailure[l] * 100).toFixed(0)} % ${s.stats.unitFailureKind[l]}` : '–',
        s.layerRates ? fmt(s.layerRates[l]) : '',
      ];
      for (const [i, text] of cells.entries()) {
        const cell = document.createElement('td');
        cell.textContent = text;
        if (i === 1 && chain < 1) cell.className = 'small';
        if (i === cells.length - 1) cell.className = 'rate';
        row.append(cell);
      }
      return row;
    }),
  );
}

/** Says what the diagram leaves out (units past MAX_DRAWN_UNITS, a wide input as one bar) and where its numbers come from. */
function describeDiagram(d: DiagramSnapshot): void {
  const cut = d.sizes.map((size, l) => ({ size, l })).filter(({ size, l }) => d.shown[l] > 0 && d.shown[l] < size);
  const rows = `the first ${d.gradientRows} training rows`;
  const parts = [
    d.cells > 1 ? 'Each unit shows its output over the input plane [−1, 1]², as the decision boundary does.' : `Each unit shows its mean output over ${rows}.`,
    `Edges: |∂C/∂w| of the mean loss over ${d.cells > 1 ? rows : 'the same rows'}, recomputed at every update.`,
  ];
  if (cut.length > 0) {
    const same = cut.every(({ size }) => size === cut[0].size);
    const layers = same ? `${cut.length > 1 ? 'layers' : 'layer'} ${cut.map(({ l }) => l).join(', ')} (${cut[0].size} units each)` : cut.map(({ l, size }) => `layer ${l} (${size})`).join(', ');
    parts.push(`Showing the first ${MAX_DRAWN_UNITS} units of ${layers}.`);
  }
  if (d.shown[0] === 0) parts.push(`The ${d.sizes[0]} inputs are one bar; its edge to a unit is the RMS of the unit's ${d.sizes[0]} input gradients (grey: no single weight).`);
  $('diagram-note').textContent = parts.join(' ');
}

/** Titles the units card by what the hidden activation can suffer: saturation, or dead units. */
function describeUnitFailure(kind: 'saturated' | 'dead' | null): void {
  $('saturation-title').textContent = kind === 'dead' ? 'Dead units per hidden layer' : kind === 'saturated' ? 'Saturated units per hidden layer' : 'Units per hidden layer';
  $('saturation-rule').textContent =
    kind === 'dead'
      ? 'z ≤ 0 on every row of the batch: no gradient passes'
      : kind === 'saturated'
        ? `activations within ${SATURATION_MARGIN} of their limits, where σ′ ≈ 0`
        : 'linear units neither saturate nor die';
}

/**
 * A remedy applied: the current flow map is kept as a picture beside the live one (with what it was
 * and what the diagnosis said), the settings change, and the new run starts training at once.
 */
function applyRemedy(change: Partial<Settings>, option: string): void {
  const before = $<HTMLCanvasElement>('chart-heatmap-before');
  const now = canvases.heatmap;
  before.width = now.width;
  before.height = now.height;
  before.getContext('2d')!.drawImage(now, 0, 0);
  $('flow-before-caption').textContent = `before: ${describeRun(settings)}, step ${snapshot?.step ?? 0}, ${snapshot?.diagnosis.verdict ?? ''}`;
  $('flow-before').hidden = false;
  const previous = settings;
  settings = { ...settings, ...change };
  writeForm(settings);
  window.history.replaceState(null, '', `${location.pathname}${settingsQuery(settings)}`);
  $('flow-now-caption').textContent = `after ${option}`;
  runWhenReady = true;
  if (needsRebuild(previous, settings)) {
    history.clear();
    snapshot = undefined;
    configure();
  } else {
    post({ type: 'update', settings });
    startRun();
  }
}

const describeRun = (s: Settings) => `${hiddenSizes(s).join('-')} ${s.activation} + ${s.init}, ${s.optimizer === LAYER_RATES ? 'sgd with per-layer rates' : s.optimizer}, η ${s.learningRate}`;

function startRun(): void {
  runWhenReady = false;
  if (running) return;
  running = true;
  post({ type: 'run' });
  showRunning();
}

/** Offers the trace JSON from the worker as a file, named after the settings. */
function saveTrace(json: string): void {
  if (traceUrl) URL.revokeObjectURL(traceUrl);
  traceUrl = URL.createObjectURL(new Blob([json], { type: 'application/json' }));
  const link = document.createElement('a');
  link.href = traceUrl;
  link.download = `gradscope-trace-${hiddenSizes(settings).join('-')}-${settings.activation}-${settings.init}-${settings.optimizer}.json`;
  link.click();
}

function fillSelect(id: string, options: [value: string, label: string][]): void {
  $(id).replaceChildren(...options.map(([value, label]) => new Option(label, value)));
}

function writeForm(s: Settings): void {
  $<HTMLInputElement>('depth').value = String(s.depth);
  $('depth-value').textContent = String(s.depth);
  $<HTMLInputElement>('width').value = String(s.width);
  $<HTMLInputElement>('widths').value = s.widths;
  $<HTMLSelectElement>('activation').value = s.activation;
  $<HTMLSelectElement>('init').value = s.init;
  $<HTMLSelectElement>('optimizer').value = s.optimizer;
  $<HTMLInputElement>('learningRate').value = String(s.learningRate);
  $<HTMLInputElement>('batchSize').value = String(s.batchSize);
  $<HTMLSelectElement>('dataset').value = s.dataset;
  $<HTMLInputElement>('trainPercent').value = String(s.trainPercent);
  $<HTMLInputElement>('noise').value = String(s.noise);
  $<HTMLInputElement>('l2').value = String(s.l2);
}

/** The form's values, through the same parser as the URL, so both accept exactly the same settings. */
function readForm(): Settings {
  const params = new URLSearchParams();
  const fields = new FormData(form);
  for (const key of Object.keys(PARAM) as (keyof Settings)[]) {
    const value = fields.get(key);
    params.set(PARAM[key], value === null ? String(settings[key]) : String(value));
  }
  const result = parseSettings(params);
  if (result.problems.length > 0) {
    notice = `Out of range (${LIMITS.width.min}–${LIMITS.width.max} units, ${LIMITS.batchSize.min}–${LIMITS.batchSize.max} rows): ${result.problems.join('; ')}`;
    writeForm(result.settings);
  }
  return result.settings;
}
