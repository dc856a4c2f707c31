/**
 * Finds, compiles and instantiates the core. The only module that touches @assemblyscript/loader.
 * The `.wasm` files are found next to this package with `new URL(…, import.meta.url)`, or where
 * `setWasmLocation` says they are served from. Compilation is always asynchronous (browsers refuse
 * a synchronous compile of a large module on the main thread).
 */
import { instantiate } from '@assemblyscript/loader';
import { GradscopeError, invalidOption, shown } from '../errors.js';
import { coreContract, type Arities, type CommonExports, type Variant } from './exports.js';
import { grouped } from '../counted.js';

/**
 * The single-threaded binaries: 'simd' (f32x4, separate multiply and add), 'simd-relaxed' (the same
 * with relaxed_madd in the dense microkernel, where the engine has relaxed SIMD) and 'scalar'.
 */
export type Binary = (typeof BINARIES)[number];
/** Every single-threaded binary, as createWasmKernels' `binary` takes them (with 'fastest'). */
export const BINARIES = ['simd', 'simd-relaxed', 'scalar'] as const;

/** A minimal module using v128 (i8x16.splat + i8x16.popcnt…): it validates only where WebAssembly SIMD is available. */
const SIMD_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0, 65, 0, 253, 15, 253, 98, 11,
]);

/** Whether this engine runs WebAssembly SIMD (validates a tiny v128 module). */
export function simdSupported(): boolean {
  return WebAssembly.validate(SIMD_PROBE);
}

/** A minimal module using f32x4.relaxed_madd: it validates only where relaxed SIMD is available. */
const RELAXED_SIMD_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 19, 1, 17, 0, 65, 0, 253, 15, 65, 0, 253, 15, 65, 0,
  253, 15, 253, 133, 2, 11,
]);

/** Whether this engine runs WebAssembly relaxed SIMD as well (Node 20 needs --experimental-wasm-relaxed-simd). */
export function relaxedSimdSupported(): boolean {
  return simdSupported() && WebAssembly.validate(RELAXED_SIMD_PROBE);
}

let location: URL | undefined;

/**
 * The folder the cores compiled so far were fetched from (where setWasmLocation said, else the package's own), while a
 * compile is cached (compiled, sharedCompiled): a compiled core is not fetched again, so a later setWasmLocation
 * elsewhere would be ignored. Forgotten when no compile is cached (each failed one is dropped), so a wrong folder can be put right.
 */
let fetchedFrom: URL | undefined;

/**
 * Tell gradscope where its `.wasm` files are served from (a folder URL, e.g. '/assets/gradscope/'), before the first
 * network or dataset is made: a core compiled is not fetched again, so a call naming another folder after one was fetched
 * is refused (INVALID_OPTION, the location unchanged), as a call ignored would leave the page loading from where it did
 * not say; the same folder again is accepted.
 */
export function setWasmLocation(folder: string | URL): void {
  if (typeof folder !== 'string' && !(folder instanceof URL)) throw invalidOption(`setWasmLocation: expected a folder URL (a string or a URL), got ${shown(folder)}`);
  const base = typeof globalThis.location !== 'undefined' ? globalThis.location.href : import.meta.url;
  let url: URL;
  try {
    url = new URL(folder, base);
  } catch {
    // The URL constructor's TypeError ('Invalid URL') names neither the call nor the value.
    throw invalidOption(`setWasmLocation: ${shown(folder)} is not a URL, absolute or relative to ${base}; expected a folder URL such as '/assets/gradscope/'`);
  }
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  if (fetchedFrom !== undefined && url.href !== fetchedFrom.href) {
    throw invalidOption(
      `setWasmLocation: the core was already fetched from ${fetchedFrom.href} (a network or dataset was made before this call) and is not fetched again, so ${url.href} would not be used; call setWasmLocation before the first createNetwork or createDataset`,
    );
  }
  location = url;
}

/** Notes that a compile of `url` starts (fetchedFrom: its folder, or the URL itself where it has none, as a bundler's data: URL), and drops the note once no compile is cached. */
function fetching(url: URL, module: Promise<WebAssembly.Module>): void {
  try {
    fetchedFrom ??= new URL('.', url);
  } catch {
    fetchedFrom ??= url;
  }
  module.catch(() => {
    if (compiled.size === 0 && sharedCompiled === undefined) fetchedFrom = undefined;
  });
}

export function wasmUrl(binary: Binary): URL {
  if (location) return new URL(`gradscope.${binary}.wasm`, location);
  // Literal `new URL('…', import.meta.url)` calls, which bundlers (Vite, webpack, Parcel) recognise
  // and copy into their output as assets.
  if (binary === 'simd') return new URL('../../build/gradscope.simd.wasm', import.meta.url);
  if (binary === 'simd-relaxed') return new URL('../../build/gradscope.simd-relaxed.wasm', import.meta.url);
  return new URL('../../build/gradscope.scalar.wasm', import.meta.url);
}

const compiled = new Map<Binary, Promise<WebAssembly.Module>>();

export function compileCore(binary: Binary): Promise<WebAssembly.Module> {
  let module = compiled.get(binary);
  if (!module) {
    const url = wasmUrl(binary);
    module = compileFrom(url);
    compiled.set(binary, module);
    module.catch(() => compiled.delete(binary));
    fetching(url, module);
  }
  return module;
}

/** What the loader fetches where it is not told otherwise: the core (any binary, the shared one too). */
const CORE = 'the gradscope core';

/** `what` (CORE, or a probe: probeWords) compiled from `url`; WASM_UNAVAILABLE saying what, from where and why where it cannot be. */
async function compileFrom(url: URL, what = CORE): Promise<WebAssembly.Module> {
  try {
    if (url.protocol === 'file:') {
      // A specifier in a variable, marked ignore, so bundlers building for browsers neither follow
      // nor stub node:fs (file: URLs only occur in Node, where this import runs).
      const fsModule = 'node:fs/promises';
      const { readFile } = (await import(/* @vite-ignore */ /* webpackIgnore: true */ fsModule)) as typeof import('node:fs/promises');
      return await WebAssembly.compile(await readFile(url));
    }
    const response = await fetch(url);
    // A 404 page or a dev server's index.html fallback would otherwise reach the compiler, whose
    // "expected magic word 00 61 73 6d" names neither the status nor what was sent.
    if (!response.ok) throw new GradscopeError('WASM_UNAVAILABLE', `could not load ${what}: HTTP ${response.status} for ${urlWords(url)}${WHERE_FROM}`);
    if (typeof WebAssembly.compileStreaming === 'function') {
      try {
        return await WebAssembly.compileStreaming(response.clone());
      } catch {
        // Served with the wrong MIME type, or not a module: compile the bytes, or say what they are.
      }
    }
    const bytes = new Uint8Array(await response.arrayBuffer());
    if (!WASM_MAGIC.every((byte, i) => bytes[i] === byte)) {
      const start = new TextDecoder().decode(bytes.subarray(0, 16)).replace(/\s+/g, ' ').trim();
      throw new GradscopeError(
        'WASM_UNAVAILABLE',
        `could not load ${what}: ${urlWords(url)} is not a WebAssembly module (the server sent ${response.headers.get('content-type') ?? 'no content type'}, ${grouped(bytes.length)} bytes starting ${shown(start)})${WHERE_FROM}`,
      );
    }
    return await WebAssembly.compile(bytes);
  } catch (cause) {
    if (cause instanceof GradscopeError) throw cause;
    throw loadFailure(what, url, cause);
  }
}

/**
 * The WASM_UNAVAILABLE of `what` that could not be read or fetched from `url`, with the likely cause: for a file (Node),
 * a build not run or a wrong setWasmLocation; for a data: URL (a bundler inlined a small file: Vite inlines the probes,
 * under its 4 KiB build.assetsInlineLimit), a Content-Security-Policy that leaves data: out of connect-src, which
 * blocks its fetch (docs/browser.md); else a wrong setWasmLocation or a server that does not serve the files.
 */
export function loadFailure(what: string, url: URL, cause: unknown): GradscopeError {
  const likely =
    url.protocol === 'file:'
      ? '; did `npm run build` run? is setWasmLocation right?'
      : url.protocol === 'data:'
        ? "; likely a Content-Security-Policy that leaves data: out of connect-src (or default-src), which blocks the fetch of a data: URL: allow connect-src 'self' data:, or have the bundler emit the .wasm files as files (Vite: build: { assetsInlineLimit: 0 })"
        : WHERE_FROM;
  return new GradscopeError('WASM_UNAVAILABLE', `could not load ${what} from ${urlWords(url)}: ${String(cause)}${likely}`);
}

/** `url` as a message says it: a data: URL (a whole file, base64) by its length alone, after its media type; any other whole. */
function urlWords(url: URL): string {
  if (url.protocol !== 'data:') return url.href;
  const type = url.href.slice('data:'.length, url.href.indexOf(','));
  return `a data: URL (${type === '' ? 'no media type' : type}, ${grouped(url.href.length)} characters)`;
}

/** A probe as a message names it: what it is for, and the file it was built as (a data: URL names none). */
function probeWords(binary: 'simd' | 'simd-relaxed'): string {
  return `the ${binary} timing probe of binary: 'fastest' (${binary === 'simd' ? 'gradscope.probe.wasm' : 'gradscope.probe-relaxed.wasm'})`;
}

/** The four bytes every WebAssembly module starts with: "\0asm". */
const WASM_MAGIC = [0x00, 0x61, 0x73, 0x6d];
const WHERE_FROM = '; is setWasmLocation right, and are the .wasm files served from there?';

/**
 * The SIMD core built on an imported shared memory (asconfig target 'threads'): one module that
 * the main thread and every worker of a thread pool instantiate over the same memory.
 */
export function sharedCoreUrl(): URL {
  if (location) return new URL('gradscope.simd-shared.wasm', location);
  return new URL('../../build/gradscope.simd-shared.wasm', import.meta.url);
}

let sharedCompiled: Promise<WebAssembly.Module> | undefined;

export function compileSharedCore(): Promise<WebAssembly.Module> {
  if (!sharedCompiled) {
    const url = sharedCoreUrl();
    sharedCompiled = compileFrom(url);
    sharedCompiled.catch(() => (sharedCompiled = undefined));
    fetching(url, sharedCompiled);
  }
  return sharedCompiled;
}

/**
 * A fresh instance of the core, with its own memory: the instance's own exports, not the loader's
 * demangled copies. The loader wraps every exported function in a rest-args closure
 * (`(...args) => { setArgumentsLength(args.length); return elem(...args); }`) that a kernel call
 * then goes through, spread call and all: 1.0–1.5 % of a train() call at batches 1 and 8 of
 * [784,100,100,10] (2.3–2.8 µs of 125–215 µs; paired calls, AMD EPYC Zen 3, 2026-12-01, load 16).
 * The core takes no imports and exports no classes or strings, so the wrappers add nothing else.
 */
export async function instantiateCore(binary: Binary): Promise<CommonExports & Record<string, unknown>> {
  const { instance } = await instantiate<Record<string, unknown>>(await checkedCompile(binary), {});
  checkContract(instance.exports, coreContract(BINARY_VARIANTS[binary]), CORE, wasmUrl(binary));
  return instance.exports as unknown as CommonExports & Record<string, unknown>;
}

/** The kernel variants each binary holds: a SIMD binary both, the scalar one (built without SIMD) its own. */
const BINARY_VARIANTS: Readonly<Record<Binary, readonly Variant[]>> = { simd: ['simd', 'scalar'], 'simd-relaxed': ['simd', 'scalar'], scalar: ['scalar'] };

/**
 * An instance of the shared core (built like 'simd', on an imported shared memory) on `memory`,
 * and its module, which each worker of a thread pool instantiates on the same memory: the
 * instance checked against the sources' contract as instantiateCore's is, so the workers' is too.
 */
export async function instantiateSharedCore(memory: WebAssembly.Memory): Promise<{ module: WebAssembly.Module; exports: CommonExports & Record<string, unknown> }> {
  const module = await compileSharedCore();
  const instance = await WebAssembly.instantiate(module, { env: { memory } });
  checkContract(instance.exports, coreContract(BINARY_VARIANTS.simd), CORE, sharedCoreUrl());
  return { module, exports: instance.exports as unknown as CommonExports & Record<string, unknown> };
}

/** Mismatches a refusal names before it counts the rest. */
const MISMATCHES_NAMED = 3;

/**
 * Refuses (WASM_UNAVAILABLE) `what`, instantiated from `url`, where it was built from other sources
 * than these: where it lacks an export of `contract` or an export takes another number of
 * parameters. WebAssembly drops the arguments a function does not declare, so a build/ left from
 * before a kernel gained one would otherwise run without a word and compute something else
 * (review44 #2: ∂W accumulated over every step).
 */
function checkContract(exports: WebAssembly.Exports, contract: ReadonlyMap<string, number>, what: string, url: URL): void {
  const mismatches: string[] = [];
  for (const [name, expected] of contract) {
    const found = exports[name];
    if (typeof found !== 'function') mismatches.push(`it exports no function ${name} (expected one of ${expected} parameters)`);
    else if (found.length !== expected) mismatches.push(`its ${name} takes ${found.length} parameters, expected ${expected}`);
  }
  if (mismatches.length === 0) return;
  const rest = mismatches.length - MISMATCHES_NAMED;
  throw new GradscopeError(
    'WASM_UNAVAILABLE',
    `could not load ${what}: ${urlWords(url)} was built from other sources than this gradscope's: ${mismatches.slice(0, MISMATCHES_NAMED).join('; ')}${rest > 0 ? `; and ${rest} more` : ''}; rebuild with \`npm run build\` (node scripts/build.mjs)${location ? ', and serve the .wasm files it writes from the folder setWasmLocation names' : ''}`,
  );
}

/**
 * The microkernel probe of a SIMD binary (assembly/probe.ts, built like it: ~550 bytes), which
 * `binary: 'fastest'` times (src/wasm/calibrate.ts): found beside the core, instantiated as the
 * engine gives it (one function called with numbers needs none of the loader's wrappers, which
 * cost 0.5–5.7 ms an instance of the core at load 18).
 */
export async function instantiateProbe(binary: 'simd' | 'simd-relaxed'): Promise<ProbeExports> {
  const url = probeUrl(binary);
  // In Node the probe is read, compiled and instantiated synchronously (0.05–0.14 ms at load 17),
  // where each asynchronous step waited 1–14 ms for a thread of a loaded host (AMD EPYC Zen 3,
  // 2026-12-01); browsers allow synchronous compiles of modules this small (under 4 KiB).
  const module = url.protocol === 'file:' ? new WebAssembly.Module(await readFileNow(url, probeWords(binary))) : await compileFrom(url, probeWords(binary));
  const { exports } = new WebAssembly.Instance(module, {});
  checkContract(exports, PROBE_CONTRACT, probeWords(binary), url);
  return exports as unknown as ProbeExports;
}

/**
 * A local file's bytes, read synchronously. node:fs comes from process.getBuiltinModule where Node
 * has it (20.16 on): it hands the module over at once (0.04–0.13 ms), where a first
 * `import('node:fs')` took 0.9–7.8 ms of the calibration's budget (AMD EPYC Zen 3, 2026-12-01
 * 19:08, load 8.3). Older Nodes import it as compileFrom imports node:fs/promises. `process` is
 * read through globalThis, so that no bundler adds a polyfill of it for browsers (where this never runs).
 */
async function readFileNow(url: URL, what: string): Promise<Uint8Array<ArrayBuffer>> {
  const fsModule = 'node:fs';
  const { readFileSync } = (globalThis.process?.getBuiltinModule?.(fsModule) ??
    (await import(/* @vite-ignore */ /* webpackIgnore: true */ fsModule))) as typeof import('node:fs');
  try {
    return new Uint8Array(readFileSync(url));
  } catch (cause) {
    throw loadFailure(what, url, cause);
  }
}

/** What a probe binary exports. */
export interface ProbeExports {
  memory: WebAssembly.Memory;
  heap_base(): number;
  /**
   * `reps` runs of the dense 4×8 microkernel over a packed A panel (ap: kc × 4 values, each
   * broadcast to an f32x4) and B panel (bp: kc × 8 floats), the tile stored to c (4 rows of 8
   * floats). Returns the flops.
   */
  f32_microkernel_rounds(c: number, ap: number, bp: number, kc: number, reps: number): number;
}

/** What instantiateProbe checks a probe binary against (checkContract). */
const PROBE_CONTRACT: ReadonlyMap<string, number> = new Map(Object.entries({ heap_base: 0, f32_microkernel_rounds: 5 } as const satisfies Arities<Omit<ProbeExports, 'memory'>>));

function probeUrl(binary: 'simd' | 'simd-relaxed'): URL {
  if (location) return new URL(binary === 'simd' ? 'gradscope.probe.wasm' : 'gradscope.probe-relaxed.wasm', location);
  // Literal URLs, as in wasmUrl, for bundlers to copy.
  if (binary === 'simd') return new URL('../../build/gradscope.probe.wasm', import.meta.url);
  return new URL('../../build/gradscope.probe-relaxed.wasm', import.meta.url);
}

/** The compiled core, after the engine was checked to run it (WASM_UNAVAILABLE if not). */
function checkedCompile(binary: Binary): Promise<WebAssembly.Module> {
  if (binary === 'simd' && !simdSupported()) {
    throw new GradscopeError('WASM_UNAVAILABLE', 'this engine does not support WebAssembly SIMD; use the scalar binary');
  }
  if (binary === 'simd-relaxed' && !relaxedSimdSupported()) {
    throw new GradscopeError(
      'WASM_UNAVAILABLE',
      "this engine does not support relaxed SIMD (Node 20 needs --experimental-wasm-relaxed-simd); use binary 'simd'",
    );
  }
  return compileCore(binary);
}
