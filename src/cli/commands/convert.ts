/** gradscope convert IN OUT: a model from one file format to another (rule in io/model-formats.ts). */
import { ACTIVATIONS, LOSSES, OUTPUT_ACTIVATIONS, type Activation, type Loss, type OutputActivation } from '../../kernels.js';
import { shorten } from '../../errors.js';
import { INPUT_FORMATS, INTEROP_FORMATS, readModelFile, UnreadImportOption, writeModelFile, type InputFormat, type InteropFormat } from '../../io/model-formats.js';
import { listFlag, stringFlag, UsageError, type Command, type ParsedArgs } from '../command.js';
import { print } from '../terminal.js';

function choiceFlag<T extends string>(args: ParsedArgs, name: string, allowed: readonly T[]): T | undefined {
  const value = stringFlag(args, name);
  if (value !== undefined && !(allowed as readonly string[]).includes(value)) throw new UsageError(`--${name} must be one of ${allowed.join(', ')}, got '${shorten(value)}'`);
  return value as T | undefined;
}

export const convertCommand: Command = {
  words: ['convert'],
  summary: 'convert a model (gradscope .json or binary, .safetensors, tfjs) to gradscope .json, .safetensors, tfjs or .onnx',
  usage: 'gradscope convert IN OUT [--from F] [--to F] [--activation A --output A --loss L] [--layers fc1,fc2] [--pytorch EXPR]',
  async run(args, terminal) {
    const [input, output] = args.positional;
    const from = choiceFlag<InputFormat>(args, 'from', INPUT_FORMATS);
    const to = choiceFlag<InteropFormat>(args, 'to', INTEROP_FORMATS);
    const options = {
      activation: choiceFlag<Activation>(args, 'activation', ACTIVATIONS),
      output: choiceFlag<OutputActivation>(args, 'output', OUTPUT_ACTIVATIONS),
      loss: choiceFlag<Loss>(args, 'loss', LOSSES),
      layers: listFlag(args, 'layers'),
      pytorch: stringFlag(args, 'pytorch'),
    };
    const model = await readModelFile(input, { format: from, ...options }).catch((error: unknown) => {
      // A flag the file's format does not read would be ignored: the command line is wrong for this file.
      if (error instanceof UnreadImportOption) throw new UsageError(`--${error.option} does not apply to ${input}: ${error.why}`);
      throw error;
    });
    const written = await writeModelFile(model, output, to);
    if ('kind' in model) {
      print(terminal, `${input} → ${written.join(', ')}: ${model.inputs} inputs → ${model.layers.map((spec) => spec.type).join(' → ')}, loss ${model.loss}`);
      return;
    }
    print(terminal, `${input} → ${written.join(', ')}: [${model.sizes.join(', ')}] ${model.activations.join(', ')}, loss ${model.loss}`);
    if (model.imported) {
      print(terminal, `  loss ${model.loss} from ${model.imported.lossFrom}`);
      for (const note of model.imported.notes) print(terminal, `  ${note}`);
    }
  },
};
