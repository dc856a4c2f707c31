/** gradscope convert IN OUT: a model from one file format to another (rule in io/model-formats.ts). */
import { ACTIVATIONS, LOSSES, OUTPUT_ACTIVATIONS, type Activation, type Loss, type OutputActivation } from '../../kernels.js';
import { INTEROP_FORMATS, outputFormatOf, READABLE_INPUT_FORMATS, readModelFile, writeModelFile, type InputFormat, type InteropFormat } from '../../io/model-formats.js';
import { choiceFlag, command, listFlag, stringFlag, UsageError } from '../command.js';
import { ClashingImportOptions, ContradictedImportOption, MistakenImportOption, UnreadImportOption } from '../../io/import-options.js';
import { exportNotes } from '../../io/export-notes.js';
import { print } from '../terminal.js';
import { COMMAND_POSITIONALS } from '../command-positionals.js';
import { leftBehindNote } from '../training-left-behind.js';
import { layerSpecsText } from '../../layers/spec-text.js';
import { shellWord } from '../../shell-word.js';
import { activationsText, sizesText } from '../../layer-runs.js';

export const convertCommand = command({
  words: ['convert'],
  summary: 'convert a model (gradscope .json or binary, .safetensors, tfjs) to gradscope .json, .safetensors, tfjs or .onnx',
  positionals: COMMAND_POSITIONALS.convert,
  flags: [
    { name: 'from', value: 'F', about: `IN's format, overriding what its content says: ${READABLE_INPUT_FORMATS.join(', ')} (ONNX is written only)` },
    { name: 'to', value: 'F', about: `OUT's format where its name says none (one it contradicts is refused): ${INTEROP_FORMATS.join(', ')}` },
    { name: 'activation', value: 'A', about: `a safetensors import's hidden activation: ${ACTIVATIONS.join(', ')}` },
    { name: 'output', value: 'A', about: `a safetensors import's output activation: ${OUTPUT_ACTIVATIONS.join(', ')}` },
    { name: 'loss', value: 'L', about: `a safetensors or tfjs import's loss: ${LOSSES.join(', ')}` },
    { name: 'layers', value: 'fc1,fc2', about: "a safetensors import's dense layers by name, input first, comma-separated" },
    { name: 'pytorch', value: 'EXPR', about: "a safetensors import's PyTorch module expression (nn.Sequential(…), or torch.nn.Sequential(…); parsed as data, never run)" },
  ],
  example: 'convert model.json model.safetensors',
  async run(args, terminal) {
    const [input, output] = args.positional;
    const from = choiceFlag<InputFormat>(args, 'from', READABLE_INPUT_FORMATS);
    const to = choiceFlag<InteropFormat>(args, 'to', INTEROP_FORMATS);
    // OUT's format before IN is read: a name --to contradicts, or one that says no format, is refused with nothing done.
    const format = await outputFormatOf(output, to, '--to');
    const options = {
      activation: choiceFlag<Activation>(args, 'activation', ACTIVATIONS),
      output: choiceFlag<OutputActivation>(args, 'output', OUTPUT_ACTIVATIONS),
      loss: choiceFlag<Loss>(args, 'loss', LOSSES),
      layers: listFlag(args, 'layers', undefined, 'each layer is imported once'),
      pytorch: stringFlag(args, 'pytorch'),
    };
    const model = await readModelFile(input, { format: from, ...options }).catch((error: unknown) => {
      // A flag the file's format does not read would be ignored: the command line is wrong for this file.
      if (error instanceof UnreadImportOption) throw new UsageError(`--${error.option} does not apply to ${shellWord(input)}: ${error.why}`);
      // A flag the file's own metadata contradicts would be overridden or would override it: refused, both values named.
      if (error instanceof ContradictedImportOption) {
        const agreeing = error.single ? `, or give --${error.option} ${error.recorded}` : '';
        throw new UsageError(`--${error.option} ${error.given} contradicts ${shellWord(input)}: its ${error.field} is ${error.recorded} (leave --${error.option} out${agreeing})`);
      }
      // --output beside a loss it does not go with: the flags named (it was called a fault of the file's __metadata__).
      if (error instanceof ClashingImportOptions) {
        const loss = error.lossGiven ? `--loss ${error.loss}` : `${shellWord(input)}'s __metadata__.loss ${error.loss}`;
        throw new UsageError(`--output ${error.output} with ${loss}: ${error.why}${error.logits ? `; ${error.logits}` : ''}`);
      }
      // A flag whose value is wrong (a layer the file lacks, an expression that does not parse or fit): a usage error like any other.
      if (error instanceof MistakenImportOption) {
        const own = `${error.option} option`;
        if (error.where.startsWith(own)) throw new UsageError(`--${error.option}${error.where.slice(own.length)}: ${error.problem}`);
        throw new UsageError(`--${error.option} does not fit ${shellWord(input)}: ${error.where}: ${error.problem}`);
      }
      throw error;
    });
    // A checkpoint's training section has no place in OUT (its record of the training rows has, in every format): refused where OUT would overwrite IN, else said.
    const leftBehind = await leftBehindNote(input, output, format, model.trainedOn);
    const written = await writeModelFile(model, output, format);
    const target = `${shellWord(input)} → ${written.map(shellWord).join(', ')} (${format})`;
    if ('kind' in model) {
      print(terminal, `${target}: ${layerSpecsText(model.inputs, model.layers)}, loss ${model.loss}`);
    } else {
      print(terminal, `${target}: ${sizesText(model.sizes)} ${activationsText(model.activations)}, loss ${model.loss}`);
    }
    if (model.imported) {
      print(terminal, `  loss ${model.loss} from ${model.imported.lossFrom}`);
      for (const note of model.imported.notes) print(terminal, `  ${note}`);
    }
    if (leftBehind) print(terminal, `  ${leftBehind}`);
    // What OUT does not keep or say otherwise (exportNotes): a safetensors module expression that ends in the softmax (sigmoid) a
    // PyTorch logits loss applies itself, or is missing; ONNX and tfjs have no place for the PyTorch module's record (session 46 left-alone 5).
    if (format !== 'gradscope') for (const note of exportNotes(model, format)) print(terminal, `  ${note}`);
  },
});
