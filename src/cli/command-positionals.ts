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
