/** gradscope gradients --model M [--data D.json | --train N] [--backend wasm|ref] [--json]: on the digits unless --data, as curvature and train. */
import { denseLayerName } from '../../layer-names.js';
import { euclideanNorm } from '../../norm.js';
import { shapeText } from '../../shape-text.js';
import { networkFromModel } from '../../io/model-data.js';
import { readModelFile } from '../../io/model-formats.js';
import type { Gradients } from '../../api/network.js';
import { BACKEND_FLAG, booleanFlag, choiceFlag, command, JSON_FLAG, jsonLine, MODEL_FLAG, readingFlag, stringFlag, withFile } from '../command.js';
import { checkRowsFitModel, MEASURED_ROWS_FLAGS, measuredRows } from '../training-rows.js';
import { lossText } from '../../loss-text.js';
import { formatTable, ratioColumn } from '../table.js';
import { sci } from '../../sci-text.js';
import { print } from '../terminal.js';
import { layerSpecsText } from '../../layers/spec-text.js';
import { shellWord } from '../../shell-word.js';
import { gradscopeLine } from '../invocation.js';
import { sizesList } from '../../layer-runs.js';

/** Per layer: its shape and activation, ‖∂C/∂W‖, ‖∂C/∂b‖ and ‖∂C/∂b‖ as a multiple of the last hidden layer's; fit to `width` (the terminal's: formatTable). */
export function gradientTable(gradients: Gradients, activations: readonly string[], width?: number): string {
  const layers = gradients.layers;
  const lastHidden = Math.max(0, layers.length - 2);
  const ratios = ratioColumn(layers.map((layer, l) => (l === layers.length - 1 ? undefined : layer.biasNorm / layers[lastHidden].biasNorm)));
  return formatTable(
    ['layer', 'units × inputs', '‖∂C/∂W‖', '‖∂C/∂b‖', '‖∂C/∂b‖ ÷ last hidden'],
    layers.map((layer, l) => [
      `${denseLayerName(l, layers.length)} (${activations[l]})`,
      `${layer.units} × ${layer.inputs}`,
      sci(layer.weightNorm),
      sci(layer.biasNorm),
      ratios[l],
    ]),
    width,
  );
}

/**
 * The line under gradientTable that says what its ratio column is, naming `study --model` as the user runs gradscope
 * (`invoked`: Terminal.invokedAs); undefined for a network without a hidden layer, whose table has no ratio. The table
 * gave the column unexplained, where `study --model`'s diagnosis reads the same gap in words (newuser40, F11).
 */
export function gradientRatioKey(gradients: Gradients, invoked: string | undefined): string | undefined {
  const layers = gradients.layers.length;
  if (layers < 2) return undefined;
  const lastHidden = denseLayerName(layers - 2, layers);
  return (
    `‖∂C/∂b‖ ÷ last hidden: each layer's ‖∂C/∂b‖ divided by ${lastHidden}'s, the last hidden layer's (plain SGD moves a bias by η·∂C/∂b, so it is how far a step moves the layer's biases beside that layer's); ` +
    `the first hidden layer's is the gap over depth that \`${gradscopeLine(invoked, 'study --model')}\`'s diagnosis reads, there over a training run's records, here at the model's weights.`
  );
}

/** A block network's gradients: one row per tensor by its PyTorch name, with its shape and norm; fit to `width` (formatTable). */
export function namedGradientTable(gradients: Gradients, shapes: ReadonlyMap<string, readonly number[]>, width?: number): string {
  return formatTable(
    ['tensor', 'shape', '‖∂C/∂θ‖'],
    Object.entries(gradients.parameters).map(([name, g]) => [name, shapeText(shapes.get(name)!), sci(euclideanNorm(g))]),
    width,
  );
}

export const gradientsCommand = command({
  words: ['gradients'],
  summary: 'the gradients of the mean loss of a model on the digits (as train) or your data: a table of norms per layer (per tensor by name for a block network; everything with --json)',
  flags: [MODEL_FLAG, ...MEASURED_ROWS_FLAGS, BACKEND_FLAG, { ...JSON_FLAG, about: 'print every gradient entry and norm as one JSON object instead of the table' }],
  example: 'gradients --model model.json --train 1000 --backend ref',
  async run(args, terminal) {
    const modelPath = stringFlag(args, 'model', true);
    const backend = choiceFlag<'wasm' | 'ref'>(args, 'backend')!;
    const model = await readingFlag('model', modelPath, () => readModelFile(modelPath));
    const rows = await measuredRows(args);
    const net = await withFile(shellWord(modelPath), () => networkFromModel(model, { backend }));
    try {
      checkRowsFitModel(modelPath, net, rows, rows.y);
      const gradients = await withFile(rows.file, async () => net.gradients(rows.x, rows.y));
      const json = booleanFlag(args, 'json');
      if (net.kind === 'blocks') {
        if (json) terminal.out(jsonLine({ loss: gradients.loss, parameters: Object.fromEntries(Object.entries(gradients.parameters).map(([name, g]) => [name, Array.from(g)])) }));
        else {
          print(terminal, `${layerSpecsText(net.inputSize, net.layers)}, loss ${model.loss}: mean loss ${lossText(gradients.loss)} on ${rows.source}.`, '');
          print(terminal, namedGradientTable(gradients, new Map(net.parameters().map((p) => [p.name, p.shape])), terminal.columns));
        }
        return;
      }
      if (!json) {
        print(terminal, `${sizesList(net.sizes)}, loss ${model.loss}: mean loss ${lossText(gradients.loss)} on ${rows.source}.`, '');
        print(terminal, gradientTable(gradients, net.activationFunctions, terminal.columns));
        const key = gradientRatioKey(gradients, terminal.invokedAs);
        if (key) print(terminal, key);
        return;
      }
      const layers = gradients.layers.map((layer) => ({
        weights: Array.from({ length: layer.units }, (_, j) => Array.from(layer.weights.subarray(j * layer.inputs, (j + 1) * layer.inputs))),
        biases: Array.from(layer.biases),
        weightNorm: layer.weightNorm,
        biasNorm: layer.biasNorm,
      }));
      terminal.out(jsonLine({ loss: gradients.loss, layers }));
    } finally {
      net.dispose();
    }
  },
});
