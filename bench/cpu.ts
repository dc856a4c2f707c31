/**
 * The CPU a benchmark ran on, named truly: vendor, family, model and stepping from Linux's
 * /proc/cpuinfo, and the microarchitecture where a table below knows it. os.cpus() gives only the
 * model name, which a cloud host may cut to "AMD EPYC" on a Zen 3 and a Zen 5 alike, and the two
 * differ where gradscope's choices do (relaxed_madd ran in 0.68× the mul+add time on the Zen 3 and
 * 1.03× on the Zen 5, src/wasm/calibrate.ts), so runs on different generations must be told apart.
 * Where /proc/cpuinfo cannot be read (another OS, a browser page) the CPU is unknown, never guessed.
 */
import { readFileSync } from 'node:fs';

/** The first processor of /proc/cpuinfo. */
export interface Cpu {
  /** `vendor_id`: 'AuthenticAMD', 'GenuineIntel', … */
  vendor: string;
  /** `cpu family` (the kernel's x86 family, extended family included: 25 = 0x19). */
  family: number;
  /** `model` (extended model included: 1 = 0x01). */
  model: number;
  /** `stepping`; undefined where the kernel printed none (or 'unknown'). */
  stepping: number | undefined;
  /** `model name` as the host reports it (os.cpus()'s model). */
  modelName: string;
}

type ModelRange = readonly [first: number, last: number];

/**
 * AMD's Zen generations by family and model, as the Linux kernel sets its ZEN1…ZEN5 feature flags
 * (arch/x86/kernel/cpu/amd.c, bsp_init_amd, "Figure out Zen generations"; models outside these
 * ranges make the kernel warn, and read as unknown here). The kernel's ZEN1 covers Zen and Zen+.
 */
const AMD_GENERATIONS: readonly { family: number; models: readonly ModelRange[]; name: string }[] = [
  { family: 0x17, models: [[0x00, 0x2f], [0x50, 0x5f]], name: 'Zen or Zen+' },
  { family: 0x17, models: [[0x30, 0x4f], [0x60, 0x7f], [0x90, 0x91], [0xa0, 0xaf]], name: 'Zen 2' },
  { family: 0x19, models: [[0x00, 0x0f], [0x20, 0x5f]], name: 'Zen 3' },
  { family: 0x19, models: [[0x10, 0x1f], [0x60, 0xaf]], name: 'Zen 4' },
  { family: 0x1a, models: [[0x00, 0x2f], [0x40, 0x4f], [0x70, 0x7f]], name: 'Zen 5' },
];

/**
 * Intel's parts of family 6 that Xeons are built on, by model number, from the Linux kernel's
 * arch/x86/include/asm/intel-family.h (INTEL_FAM6_*_X / _D and its comments). Model 0x55 is shared
 * by three generations told apart by stepping, which this table does not guess at. 0xa7 is the
 * kernel's ROCKETLAKE (Cypress Cove cores), a desktop part and the Xeon E-2300's: a host this
 * project's bench ran on reported it as an Intel Xeon (family 6 model 167, 2 vCPUs). Under a
 * hypervisor the model is the one the host reports to the guest.
 */
const INTEL_XEONS: ReadonlyMap<number, string> = new Map([
  [0x3f, 'Haswell-X'],
  [0x4f, 'Broadwell-X'],
  [0x56, 'Broadwell-D'],
  [0x55, 'Skylake-X, Cascade Lake or Cooper Lake'],
  [0x6a, 'Ice Lake-X'],
  [0x6c, 'Ice Lake-D'],
  [0xa7, 'Rocket Lake'],
  [0x8f, 'Sapphire Rapids'],
  [0xcf, 'Emerald Rapids'],
  [0xad, 'Granite Rapids-X'],
  [0xae, 'Granite Rapids-D'],
  [0xaf, 'Sierra Forest'],
]);

/** The microarchitecture of `cpu` where the tables above know it, else undefined. */
export function microarchitecture(cpu: Pick<Cpu, 'vendor' | 'family' | 'model'>): string | undefined {
  if (cpu.vendor === 'AuthenticAMD') {
    const inRange = ([first, last]: ModelRange) => cpu.model >= first && cpu.model <= last;
    return AMD_GENERATIONS.find((g) => g.family === cpu.family && g.models.some(inRange))?.name;
  }
  if (cpu.vendor === 'GenuineIntel' && cpu.family === 6) return INTEL_XEONS.get(cpu.model);
  return undefined;
}

/** The first processor block of a /proc/cpuinfo text; undefined when it lacks vendor, family or model (not x86, or not cpuinfo). */
export function parseCpuinfo(text: string): Cpu | undefined {
  const fields = new Map<string, string>();
  for (const line of text.split('\n')) {
    if (line.trim() === '' && fields.size > 0) break; // the first processor only
    const colon = line.indexOf(':');
    if (colon > 0) fields.set(line.slice(0, colon).trim(), line.slice(colon + 1).trim());
  }
  const integer = (key: string) => {
    const value = fields.get(key);
    return value !== undefined && /^\d+$/.test(value) ? Number(value) : undefined;
  };
  const [vendor, family, model] = [fields.get('vendor_id'), integer('cpu family'), integer('model')];
  if (!vendor || family === undefined || model === undefined) return undefined;
  return { vendor, family, model, stepping: integer('stepping'), modelName: fields.get('model name') ?? '' };
}

const VENDOR_NAMES: Readonly<Record<string, string>> = { AuthenticAMD: 'AMD', GenuineIntel: 'Intel' };

/** 'AMD' or 'Intel' (the goals' CPU families, issue #16), else undefined. */
export function cpuVendor(cpu: Cpu | undefined): 'AMD' | 'Intel' | undefined {
  const name = cpu && VENDOR_NAMES[cpu.vendor];
  return name === 'AMD' || name === 'Intel' ? name : undefined;
}

const hex = (n: number) => `0x${n.toString(16).padStart(2, '0')}`;

/**
 * `AMD EPYC (AuthenticAMD family 0x19 model 0x01 stepping 1: Zen 3)`; the microarchitecture reads
 * 'microarchitecture unknown' where the tables do not know it, and an unreadable CPU `unknown CPU`
 * after `fallbackName` (os.cpus()'s model name) when one is given.
 */
export function cpuText(cpu: Cpu | undefined, fallbackName?: string): string {
  if (!cpu) return `${fallbackName ? `${fallbackName}, ` : ''}unknown CPU (no /proc/cpuinfo: family, model and microarchitecture unknown)`;
  const stepping = cpu.stepping === undefined ? '' : ` stepping ${cpu.stepping}`;
  const id = `${cpu.vendor} family ${hex(cpu.family)} model ${hex(cpu.model)}${stepping}`;
  return `${cpu.modelName || 'unnamed CPU'} (${id}: ${microarchitecture(cpu) ?? 'microarchitecture unknown'})`;
}

/** Short: `AMD Zen 3`, `Intel Sapphire Rapids`, or the vendor with its family and model where the tables stop. */
export function cpuShortText(cpu: Cpu | undefined): string {
  if (!cpu) return 'unknown CPU';
  const vendor = cpuVendor(cpu) ?? cpu.vendor;
  return `${vendor} ${microarchitecture(cpu) ?? `family ${hex(cpu.family)} model ${hex(cpu.model)}`}`;
}

/** This machine's CPU from /proc/cpuinfo; undefined where there is none (not Linux, not x86). */
export function thisCpu(path = '/proc/cpuinfo'): Cpu | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
  return parseCpuinfo(text);
}
