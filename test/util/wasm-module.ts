/**
 * A WebAssembly module written byte by byte: it exports a memory (its own, or with `sharedMemory` an
 * imported shared one, as the threads' core imports env.memory) and functions of i32 parameters that
 * do nothing, each with the number of parameters asked. What the loader's check of a build against
 * the sources reads (src/wasm/loader.ts checkContract), without building a core.
 */

/** n as unsigned LEB128, WebAssembly's integer encoding. */
function leb(n: number): number[] {
  const bytes: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    bytes.push(byte);
  } while (n !== 0);
  return bytes;
}

const name = (text: string) => [...leb(text.length), ...new TextEncoder().encode(text)];
const vector = (items: number[][]) => [...leb(items.length), ...items.flat()];
const section = (id: number, body: number[]) => [id, ...leb(body.length), ...body];

const I32 = 0x7f;
const FUNCTION_TYPE = 0x60;
const EXPORT_FUNCTION = 0x00;
const EXPORT_MEMORY = 0x02;

/** The module's bytes: `functions` exported by name, each taking that many i32 parameters; a memory exported as 'memory'. */
export function moduleExporting(functions: Iterable<[string, number]>, { sharedMemory = false } = {}): Uint8Array<ArrayBuffer> {
  const list = [...functions];
  const arities = [...new Set(list.map(([, arity]) => arity))];
  const types = arities.map((arity) => [FUNCTION_TYPE, ...leb(arity), ...Array<number>(arity).fill(I32), 0]);
  // Limits: 0x01 min max; 0x03 min max, shared. The threads' core is given 16 pages, at most 65,536.
  const memoryType = sharedMemory ? [0x03, ...leb(1), ...leb(65536)] : [0x00, ...leb(1)];
  const bytes = [
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, vector(types)),
    ...(sharedMemory ? section(2, vector([[...name('env'), ...name('memory'), 0x02, ...memoryType]])) : []),
    ...section(3, vector(list.map(([, arity]) => leb(arities.indexOf(arity))))),
    ...(sharedMemory ? [] : section(5, vector([memoryType]))),
    ...section(7, vector([[...name('memory'), EXPORT_MEMORY, 0], ...list.map(([fn], i) => [...name(fn), EXPORT_FUNCTION, ...leb(i)])])),
    // Each body: its size, no locals, `end`.
    ...section(10, vector(list.map(() => [2, 0, 0x0b]))),
  ];
  return new Uint8Array(bytes);
}
