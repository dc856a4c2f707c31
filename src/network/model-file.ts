/**
 * gradscope's JSON model format, version 1:
 * { "format": "gradscope.model", "version": 1, "loss": "...",
 *   "layers": [ { "inputs": n, "units": m, "activation": "...", "weights": [[m rows of n]], "biases": [m] } ] }
 * The output activation is the last layer's. Reading checks every field and names the first bad one.
 */
import { GradscopeError } from '../errors.js';
import type { FloatArray, Loss, OutputActivation } from '../kernels.js';
import { checkActivation, checkLoss, checkLossPairing, checkUnits } from './config.js';

export const MODEL_FORMAT = 'gradscope.model';
export const MODEL_VERSION = 1;
/** Limits enforced on load, so a hostile file cannot ask for unbounded memory. */
export const MODEL_LIMITS = { maxLayers: 1024, maxParameters: 1 << 28 } as const;

export interface ModelFileLayer {
  inputs: number;
  units: number;
  activation: OutputActivation;
  weights: number[][];
  biases: number[];
}

export interface ModelFile {
  format: typeof MODEL_FORMAT;
  version: typeof MODEL_VERSION;
  loss: Loss;
  layers: ModelFileLayer[];
}

/** A model's contents in memory: flat float32 weights `[units][inputs]` per layer. */
export interface ModelData {
  loss: Loss;
  sizes: number[];
  activations: OutputActivation[];
  weights: Float32Array[];
  biases: Float32Array[];
}

export function modelToJSON(model: {
  loss: Loss;
  sizes: readonly number[];
  activations: readonly OutputActivation[];
  weights: FloatArray[];
  biases: FloatArray[];
}): ModelFile {
  return {
    format: MODEL_FORMAT,
    version: MODEL_VERSION,
    loss: model.loss,
    layers: model.activations.map((activation, l) => {
      const inputs = model.sizes[l];
      const units = model.sizes[l + 1];
      const w = model.weights[l];
      return {
        inputs,
        units,
        activation,
        weights: Array.from({ length: units }, (_, j) => Array.from(w.subarray(j * inputs, (j + 1) * inputs))),
        biases: Array.from(model.biases[l]),
      };
    }),
  };
}

function bad(where: string, message: string): GradscopeError {
  return new GradscopeError('BAD_MODEL_FILE', `${where}: ${message}`);
}

function rethrowAsBad<R>(where: string, check: () => R): R {
  try {
    return check();
  } catch (error) {
    if (error instanceof GradscopeError) throw bad(where, error.message);
    throw error;
  }
}

/** JSON text parsed, or parsed JSON taken as it is; a BAD_MODEL_FILE error at `where` unless it is an object. */
export function parseModelJson(json: unknown, where: string): Record<string, unknown> {
  if (typeof json === 'string') {
    try {
      json = JSON.parse(json);
    } catch (error) {
      throw bad(where, `not valid JSON (${(error as Error).message})`);
    }
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw bad(where, 'expected a JSON object');
  return json as Record<string, unknown>;
}

/** Reads and checks a model (parsed JSON or its text). */
export function modelFromJSON(json: unknown): ModelData {
  const file = parseModelJson(json, 'model');
  if (file.format !== MODEL_FORMAT) throw bad('format', `expected "${MODEL_FORMAT}", got ${JSON.stringify(file.format)}`);
  if (file.version !== MODEL_VERSION) throw bad('version', `this gradscope reads version ${MODEL_VERSION}, got ${JSON.stringify(file.version)}`);
  const loss = rethrowAsBad('loss', () => checkLoss(file.loss));
  const layers = file.layers;
  if (!Array.isArray(layers) || layers.length === 0) throw bad('layers', 'expected a non-empty array');
  if (layers.length > MODEL_LIMITS.maxLayers) throw bad('layers', `${layers.length} layers exceeds the limit of ${MODEL_LIMITS.maxLayers}`);

  const sizes: number[] = [];
  const activations: OutputActivation[] = [];
  let parameters = 0;
  layers.forEach((layer: unknown, l) => {
    const where = `layers[${l}]`;
    if (typeof layer !== 'object' || layer === null) throw bad(where, 'expected an object');
    const { inputs, units, activation } = layer as Record<string, unknown>;
    const nIn = rethrowAsBad(`${where}.inputs`, () => checkUnits(inputs, 'inputs'));
    const nOut = rethrowAsBad(`${where}.units`, () => checkUnits(units, 'units'));
    if (l === 0) sizes.push(nIn);
    else if (nIn !== sizes[l]) throw bad(`${where}.inputs`, `is ${nIn} but the previous layer has ${sizes[l]} units`);
    sizes.push(nOut);
    activations.push(rethrowAsBad(`${where}.activation`, () => checkActivation(activation, 'activation')));
    parameters += nIn * nOut + nOut;
    if (parameters > MODEL_LIMITS.maxParameters) throw bad(where, `more than ${MODEL_LIMITS.maxParameters} parameters`);
  });
  rethrowAsBad('loss', () => checkLossPairing(loss, activations));

  const weights = layers.map((layer: Record<string, unknown>, l) => {
    const where = `layers[${l}].weights`;
    const rows = layer.weights;
    const nIn = sizes[l];
    const nOut = sizes[l + 1];
    if (!Array.isArray(rows) || rows.length !== nOut) throw bad(where, `expected ${nOut} rows (one per unit)`);
    // Every row's length before the allocation: a file of empty rows must not buy nIn·nOut floats.
    rows.forEach((row: unknown, j) => {
      if (!Array.isArray(row) || row.length !== nIn) throw bad(`${where}[${j}]`, `expected ${nIn} numbers (one per input)`);
    });
    const flat = new Float32Array(nIn * nOut);
    rows.forEach((row: unknown[], j) => copyFinite(flat, j * nIn, row, `${where}[${j}]`));
    return flat;
  });
  const biases = layers.map((layer: Record<string, unknown>, l) => {
    const where = `layers[${l}].biases`;
    const values = layer.biases;
    if (!Array.isArray(values) || values.length !== sizes[l + 1]) throw bad(where, `expected ${sizes[l + 1]} numbers`);
    const flat = new Float32Array(values.length);
    copyFinite(flat, 0, values, where);
    return flat;
  });
  return { loss, sizes, activations, weights, biases };
}

function copyFinite(target: Float32Array, offset: number, values: unknown[], where: string): void {
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v !== 'number' || !Number.isFinite(v)) throw bad(`${where}[${i}]`, `${JSON.stringify(v)} is not a finite number`);
    target[offset + i] = v;
    if (!Number.isFinite(target[offset + i])) throw bad(`${where}[${i}]`, `${v} is beyond the float32 range`);
  }
}
