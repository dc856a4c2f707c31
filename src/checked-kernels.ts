/**
 * A checking layer over the kernels of every backend that records its tensors' owners (wasm's, ref's:
 * src/tensor-owners.ts), written once: each call is held to its
 * kernel's entry in KERNEL_SIZES (src/kernel-sizes.ts) before it runs, and refused with a typed
 * error naming the backend, the kernel, the argument and the sizes, so nothing is written (the
 * kernels themselves trust their sizes: a batch of 1000 on tensors of 4 wrote thousands of floats
 * over other tensors on wasm, and a handle not made by alloc trapped with "memory access out of
 * bounds"). The package hands users kernels through this (src/public-kernels.ts, and net.kernels,
 * dataset.kernels: kernelsForUsers); the library's own layers call the unchecked kernels, whose
 * sizes come from one checked config, so training pays nothing for it. A checked call costs tens to
 * hundreds of nanoseconds more (axpy of 16: +55 to +308 ns over 20–37 ns in three runs; copyRows of 8
 * rows +161 to +394 ns; bench/checked-call-cost.ts, AMD EPYC Zen 5, 2026-12-04, load 13.5–14.6),
 * most of it the checks: of a small step's 4.0 µs extra (12.8 checked against 8.8 unwrapped, µs p10),
 * the wrapping alone (rest parameters and an apply) is 0.7 (17.5 %) and the checks 3.3 (82.5 %); this
 * object's dictionary-mode properties cost nothing measurable (bench/checked-backend-step.ts' header).
 */
import { grouped } from './counted.js';
import { GradscopeError, shown } from './errors.js';
import type { Kernels } from './kernels.js';
import { isFreedTensor, ownerOf, recordingOwners } from './tensor-owners.js';
import { usedAfterFree } from './used-after-free.js';
import { KERNEL_SIZES, type ArgumentFault, type KernelArgs, type KernelEntry, type KernelMethod } from './kernel-sizes.js';

/** A size parameter of a signature: a whole number ≥ 0 (left out, when optional). */
interface SizeParameter {
  readonly index: number;
  readonly name: string;
  readonly optional: boolean;
}

/** A tensor parameter of a signature and the product of sizes (parameter indices) or constants it must hold. */
interface TensorParameter {
  readonly index: number;
  readonly name: string;
  /** Whether it is a Float64Array of the caller's (an output of statistics), not a tensor of the backend's. */
  readonly float64: boolean;
  /** The factors of its least length: a number is a constant, a string a size parameter's name. */
  readonly factors: readonly (number | string)[];
  /** The factors' parameter indices (−1 for a constant). */
  readonly factorIndices: readonly number[];
}

/** A kernel's signature, parsed once. */
interface Plan {
  readonly sizes: readonly SizeParameter[];
  readonly tensors: readonly TensorParameter[];
  readonly also: KernelEntry['also'];
}

const TENSOR_TOKEN = /^(\w+)(:f64)?\[([\w·]*)\]$/;
const SIZE_TOKEN = /^(\w+)(\?)?$/;

/** The plan of one signature (see src/kernel-sizes.ts for its notation). */
export function parseSignature(signature: string): { names: string[]; plan: Omit<Plan, 'also'> } {
  const tokens = signature.split(' ').filter((token) => token !== '');
  const names = tokens.map((token) => /^~?(\w+)/.exec(token)![1]);
  const sizes: SizeParameter[] = [];
  const tensors: TensorParameter[] = [];
  tokens.forEach((token, index) => {
    if (token.startsWith('~')) return;
    const tensor = TENSOR_TOKEN.exec(token);
    if (tensor) {
      const factors = tensor[3] === '' ? [] : tensor[3].split('·').map((factor) => (/^\d+$/.test(factor) ? Number(factor) : factor));
      const factorIndices = factors.map((factor) => (typeof factor === 'number' ? -1 : names.indexOf(factor)));
      if (factorIndices.some((at, i) => at < 0 && typeof factors[i] !== 'number')) throw new Error(`kernel signature '${signature}': ${token} names a size it does not have`);
      tensors.push({ index, name: tensor[1], float64: tensor[2] !== undefined, factors, factorIndices });
      return;
    }
    const size = SIZE_TOKEN.exec(token);
    if (!size) throw new Error(`kernel signature '${signature}': cannot read ${token}`);
    sizes.push({ index, name: size[1], optional: size[2] !== undefined });
  });
  return { names, plan: { sizes, tensors } };
}

const PLANS = new Map<string, Plan>(
  (Object.entries(KERNEL_SIZES) as [KernelMethod, KernelEntry][]).map(([method, entry]) => [method, { ...parseSignature(entry.signature).plan, also: entry.also }]),
);

/** The first fault of `args` against `plan`, or undefined. */
function faultOf(plan: Plan, args: KernelArgs, kernels: Kernels): ArgumentFault | undefined {
  for (const size of plan.sizes) {
    const value = args[size.index];
    if (value === undefined && size.optional) continue;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) return { argument: size.name, problem: `expected a whole number ≥ 0, got ${shown(value)}` };
  }
  for (const tensor of plan.tensors) {
    const value = args[tensor.index];
    // One owner lookup per tensor on the way through (a freed handle's owner is not `kernels` either).
    if (tensor.float64 ? !(value instanceof Float64Array) : ownerOf(value) !== kernels) {
      // A freed handle is not shown (wasm's throws DISPOSED on reading it): the caller refuses it as DISPOSED.
      if (!tensor.float64 && isFreedTensor(value)) return { argument: tensor.name, problem: 'used after free()' };
      return { argument: tensor.name, problem: `expected ${tensor.float64 ? 'a Float64Array' : `a tensor this ${kernels.name} kernels object allocated`}, got ${shown(value)}` };
    }
    // No factors (`t[]`): any length.
    let need = tensor.factors.length === 0 ? 0 : 1;
    for (let i = 0; i < tensor.factors.length; i++) need *= tensor.factorIndices[i] < 0 ? (tensor.factors[i] as number) : (args[tensor.factorIndices[i]] as number);
    // An optional size left out (zero's n) asks nothing: need is NaN.
    const length = (value as { length: number }).length;
    if (length < need) return { argument: tensor.name, problem: `holds ${grouped(length)} elements, fewer than the ${needText(tensor, args, need)} it needs`, shape: true };
  }
  return plan.also?.(args);
}

/** 'batch·nOut = 1,000·2 = 2,000', or '8' for a constant. */
function needText(tensor: TensorParameter, args: KernelArgs, need: number): string {
  if (tensor.factorIndices.every((at) => at < 0)) return grouped(need);
  const values = tensor.factorIndices.map((at, i) => grouped(at < 0 ? (tensor.factors[i] as number) : (args[at] as number)));
  return tensor.factors.length === 1 ? `${tensor.factors[0]} = ${values[0]}` : `${tensor.factors.join('·')} = ${values.join('·')} = ${grouped(need)}`;
}

/** The kernels each checkedKernels result wraps (a second wrapping would check every call twice). */
const UNCHECKED = new WeakMap<object, Kernels>();
/** Each kernels object's checked kernels: one per kernels object, so net.kernels is the object a network was given. */
const CHECKED = new WeakMap<object, Kernels>();

/**
 * The kernels `kernels` checks, if it is checkedKernels' result, else `kernels` itself: what a
 * network given the exported kernels as its backend runs on (src/backend.ts), so that its steps,
 * whose sizes come from its checked config, do not pay the check on every call. Tensors are the
 * same handles either way (checked alloc returns the unchecked kernels' own).
 */
export function uncheckedKernels<K extends Kernels>(kernels: K): K {
  return (UNCHECKED.get(kernels) as K | undefined) ?? kernels;
}

/**
 * `kernels` with every call checked against KERNEL_SIZES first, one checked object per kernels
 * object; every other member (a wasm backend's bytesInUse, a threaded one's close()) is the kernels'
 * own. A tensor passes if `kernels` made it (src/tensor-owners.ts: wasm's and ref's record it).
 */
export function checkedKernels<K extends Kernels>(kernels: K): K {
  if (UNCHECKED.has(kernels)) return kernels;
  const made = CHECKED.get(kernels) as K | undefined;
  if (made) return made;
  const checked: Record<string, unknown> = {};
  for (const [method, plan] of PLANS) {
    const call = (kernels as unknown as Record<string, unknown>)[method];
    if (typeof call !== 'function') continue; // an optional kernel this backend has not (bytesAvailable)
    checked[method] = (...args: unknown[]) => {
      const fault = faultOf(plan, args, kernels);
      if (fault) {
        // A freed tensor among them is DISPOSED first, whatever its sizes, as the backend says it; free() of one does nothing (the contract).
        const freed = args.find(isFreedTensor) as { length: number } | undefined;
        if (freed === undefined) {
          throw new GradscopeError(fault.shape ? 'SHAPE_MISMATCH' : 'INVALID_OPTION', `${kernels.name}: ${method}: ${fault.argument}: ${fault.problem}; nothing was run`);
        }
        if (method !== 'free') throw usedAfterFree(kernels.name, freed.length);
      }
      return call.apply(kernels, args) as unknown;
    };
  }
  for (const key of memberNames(kernels)) {
    if (key in checked) continue;
    Object.defineProperty(checked, key, {
      enumerable: true,
      get: () => {
        const value: unknown = (kernels as unknown as Record<PropertyKey, unknown>)[key];
        return typeof value === 'function' ? value.bind(kernels) : value;
      },
    });
  }
  UNCHECKED.set(checked, kernels);
  CHECKED.set(kernels, checked as unknown as Kernels);
  return checked as K;
}

/**
 * The kernels to hand a user for `kernels` (a network's net.kernels): checked, where the backend
 * records which kernels object made each tensor (wasm's, ref's: src/tensor-owners.ts), so that the
 * tensors the network allocated unchecked pass; a Kernels object of the user's own as it is.
 */
export function kernelsForUsers<K extends Kernels>(kernels: K): K {
  return recordingOwners(kernels) ? checkedKernels(kernels) : kernels;
}

/** The names of an object's members, its own and its classes' (not Object's, nor constructor). */
function memberNames(object: object): Set<PropertyKey> {
  const names = new Set<PropertyKey>();
  for (let at: object | null = object; at !== null && at !== Object.prototype; at = Object.getPrototypeOf(at) as object | null) {
    for (const key of Reflect.ownKeys(at)) if (key !== 'constructor') names.add(key);
  }
  return names;
}
