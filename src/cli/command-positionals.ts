/**
 * Every command's words after `gradscope` (`train`, `study plateau`; `study` is study --model's), joined by spaces: prose
 * wrapping (proseWords) reads a word after `gradscope` as a command word only where it continues one of these, so that
 * "gradscope is a" stays prose. The commands' specs (CommandSpec.words) are the source; test/cli/prose-width checks this
 * list against them (a leaf module: prose.ts, below the commands, cannot import their specs).
 */
export const COMMAND_NAMES: readonly string[] = [
  'train',
  'gradients',
  'curvature',
  'convert',
  'study',
  'study activations',
  'study autoencoder',
  'study depth',
  'study plateau',
  'study remedies',
  'study trainable-depth',
];

/**
 * The positional words each command takes after its command words (`gradscope convert IN OUT`), by
 * those words joined by spaces: the one table the commands' specs read (CommandSpec.positionals) and
 * prose wrapping reads (proseWords, which keeps a command line's positional words with it by their
 * count, not by their shape). A leaf module: prose.ts, below the commands, cannot import their specs.
 */
export const COMMAND_POSITIONALS: Readonly<Record<string, readonly { name: string; about: string }[]>> = {
  convert: [
    { name: 'IN', about: 'the model to read; its content decides its format' },
    { name: 'OUT', about: 'the file to write, its format by its name: .json gradscope, .safetensors, .onnx, a folder (ending in /) tfjs' },
  ],
};
