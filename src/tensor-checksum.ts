/**
 * A checksum of tensors' stored values, bit for bit: what net.trainedOn (src/api/trained-on-record.ts)
 * compares to tell whether the weights are still the ones its record describes, however they were
 * changed (a write into a view leaves no other trace).
 *
 * Two 32-bit hashes over the tensors' 32-bit words, in one pass: FNV-1a taking a word at a time,
 * and MurmurHash3's block mix. Each step of either maps its running hash one-to-one for a given word,
 * and a word to the next hash one-to-one for a given running hash, so a change of one word always
 * changes both; changes of several words escape only where both hashes collide at once.
 */
import type { Kernels, Tensor } from './kernels.js';

/** The checksum of `tensors`' values as `kernels` hold them now, as 16 hex digits. */
export function tensorsChecksum<T extends Tensor>(kernels: Kernels<T>, tensors: readonly T[]): string {
  let fnv = 0x811c9dc5; // FNV-1a's offset basis
  let murmur = 0; // MurmurHash3's seed
  for (const tensor of tensors) {
    const values = kernels.view(tensor);
    const words = new Int32Array(values.buffer, values.byteOffset, values.byteLength >>> 2);
    for (let i = 0; i < words.length; i++) {
      const word = words[i];
      fnv = Math.imul(fnv ^ word, 0x01000193);
      let k = Math.imul(word, 0xcc9e2d51);
      k = Math.imul((k << 15) | (k >>> 17), 0x1b873593);
      murmur ^= k;
      murmur = (Math.imul((murmur << 13) | (murmur >>> 19), 5) + 0xe6546b64) | 0;
    }
  }
  return hex8(fnv) + hex8(murmur);
}

/** A 32-bit word as 8 hex digits. */
function hex8(word: number): string {
  return (word >>> 0).toString(16).padStart(8, '0');
}
