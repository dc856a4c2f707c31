/** gradscope gradients --model M.json --data D.json [--backend wasm|ref] */
import { GradscopeError } from '../../errors.js';
import { dataFromJSON } from '../../io/data-file.js';
import { Network } from '../../api/network.js';
import { readJsonFile, stringFlag, UsageError, type Command } from '../command.js';

export const gradientsCommand: Command = {
  words: ['gradients'],
  summary: 'print the gradients of the mean loss of a model on a data set, as JSON',
  usage: 'gradscope gradients --model M.json --data D.json [--backend wasm|ref]',
  async run(args) {
    const modelPath = stringFlag(args, 'model', true);
    const dataPath = stringFlag(args, 'data', true);
    const backend = stringFlag(args, 'backend') ?? 'wasm';
    if (backend !== 'wasm' && backend !== 'ref') throw new UsageError(`--backend must be wasm or ref, got '${backend}'`);
    const model = await readJsonFile(modelPath, 'BAD_MODEL_FILE');
    const data = dataFromJSON(await readJsonFile(dataPath, 'BAD_DATA_FILE'), dataPath);
    const net = await withFile(modelPath, () => Network.fromJSON(model, { backend }));
    const gradients = await withFile(dataPath, async () => net.gradients(data.inputs, data.targets));
    net.dispose();
    const layers = gradients.layers.map((layer) => ({
      weights: Array.from({ length: layer.units }, (_, j) => Array.from(layer.weights.subarray(j * layer.inputs, (j + 1) * layer.inputs))),
      biases: Array.from(layer.biases),
    }));
    process.stdout.write(JSON.stringify({ loss: gradients.loss, layers }) + '\n');
  },
};

/** Prefixes a GradscopeError's message with the file it came from. */
export async function withFile<T>(path: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof GradscopeError && !error.message.startsWith(path)) {
      throw new GradscopeError(error.code, `${path}: ${error.message}`);
    }
    throw error;
  }
}
