/**
 * What `torch.save` writes, told by its first bytes so that a reader refuses it with the way on (newuser45 #9): PyTorch's
 * zip format (since 1.6: a zip whose first entry is `<name>/data.pkl`, the pickle) and its legacy format, a bare pickle
 * (protocol 2 and up, as `pickle.dump` writes too). gradscope parses no pickle: unpickling runs whatever code the file names.
 */
import { basename, extname } from 'node:path';

/** A zip's local file header: "PK\x03\x04". */
const ZIP_ENTRY = [0x50, 0x4b, 0x03, 0x04];
/** Where a zip's local file header holds its name's length (u16) and its name. */
const ZIP_NAME_LENGTH = 26;
const ZIP_NAME = 30;
/** Pickle's PROTO opcode, which starts every pickle of protocol 2 and up. */
const PICKLE_PROTO = 0x80;

/** Whether `bytes` are a torch.save file (see the module comment): a zip whose first entry's name ends in data.pkl, or a pickle of protocol 2 to 5. */
export function isTorchSave(bytes: Uint8Array): boolean {
  if (bytes.length >= ZIP_NAME && ZIP_ENTRY.every((b, i) => bytes[i] === b)) {
    const length = bytes[ZIP_NAME_LENGTH] | (bytes[ZIP_NAME_LENGTH + 1] << 8);
    const name = new TextDecoder().decode(bytes.subarray(ZIP_NAME, ZIP_NAME + length));
    return name === 'data.pkl' || name.endsWith('/data.pkl');
  }
  return bytes.length >= 2 && bytes[0] === PICKLE_PROTO && bytes[1] >= 2 && bytes[1] <= 5;
}

/**
 * The refusal's words for a torch.save file at `path`: what it is, why gradscope does not read it, and the Python lines
 * (docs/interop.md's) that write its state_dict as safetensors beside it, which gradscope reads.
 */
export function torchSaveWords(path: string): string {
  const stem = basename(path, extname(path));
  const target = JSON.stringify(`${stem}.safetensors`);
  return (
    'a PyTorch torch.save file (a pickle, zipped or not), which gradscope does not read: unpickling runs whatever code the file names. ' +
    `Write its state_dict as safetensors in Python, where the model is loaded: from safetensors.torch import save_file; save_file(model.state_dict(), ${target}) ` +
    `(a file of torch.save(model.state_dict()): save_file(torch.load(${JSON.stringify(basename(path))}, weights_only=True), ${target})), then read that`
  );
}
