/** gradscope convert IN OUT: a model from one file format to another (rule in io/model-formats.ts). */
import { ACTIVATIONS, LOSSES, OUTPUT_ACTIVATIONS, type Activation, type Loss, type OutputActivation } from '../../kernels.js';
import { INTEROP_FORMATS, readModelFile, writeModelFile, type InteropFormat } from '../../io/model-formats.js';
import { stringFlag, UsageError, type Command, type ParsedArgs } from '../command.js';

function choiceFlag<T extends string>(args: ParsedArgs, name: string, allowed: readonly T[]): T | undefined {
  const value = stringFlag(args, name);
  if (value !== undefined && !(allowed as readonly string[]).includes(value)) throw new UsageError(`--${name} must be one of ${allowed.join(', ')}, got '${value}'`);
  return value as T | undefined;
}

export const convertCommand: Command = {
  words: ['convert'],
  summary: 'convert a model between gradscope .json, .safetensors, tfjs and .onnx (export only)',
  usage: 'gradscope convert IN OUT [--from F] [--to F] [--activation A --output A --loss L] [--layers fc1,fc2]',
  async run(args) {
    if (args.positional.length !== 2) throw new UsageError(`convert needs an input and an output path, got ${args.positional.length}`);
    const [input, output] = args.positional;
    const from = choiceFlag<InteropFormat>(args, 'from', INTEROP_FORMATS);
    const to = choiceFlag<InteropFormat>(args, 'to', INTEROP_FORMATS);
    const model = await readModelFile(input, {
      format: from,
      activation: choiceFlag<Activation>(args, 'activation', ACTIVATIONS),
      output: choiceFlag<OutputActivation>(args, 'output', OUTPUT_ACTIVATIONS),
      loss: choiceFlag<Loss>(args, 'loss', LOSSES),
      layers: stringFlag(args, 'layers')?.split(','),
    });
    const written = await writeModelFile(model, output, to);
    process.stdout.write(`${input} → ${written.join(', ')}: [${model.sizes.join(', ')}] ${model.activations.join(', ')}, loss ${model.loss}\n`);
    if (model.imported) {
      process.stdout.write(`  loss ${model.loss} from ${model.imported.lossFrom}\n`);
      for (const note of model.imported.notes) process.stdout.write(`  ${note}\n`);
    }
  },
};
