// bench/cpu.ts on sample /proc/cpuinfo texts: no machine is read.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cpuShortText, cpuText, cpuVendor, microarchitecture, parseCpuinfo, thisCpu } from '../../bench/cpu.js';

const x86 = (vendor: string, family: number, model: number, name: string, stepping = '1') =>
  `processor\t: 0\nvendor_id\t: ${vendor}\ncpu family\t: ${family}\nmodel\t\t: ${model}\nmodel name\t: ${name}\nstepping\t: ${stepping}\nflags\t\t: fpu sse2 avx2\n\n` +
  `processor\t: 1\nvendor_id\t: SecondVendor\ncpu family\t: 99\nmodel\t\t: 99\nmodel name\t: second\n\n`;

// This session's host (2026-12-01), first block verbatim but for the flags.
const ZEN3 = x86('AuthenticAMD', 25, 1, 'AMD EPYC');
const ZEN5 = x86('AuthenticAMD', 26, 2, 'AMD EPYC', '0');
const SAPPHIRE = x86('GenuineIntel', 6, 143, 'Intel(R) Xeon(R) Platinum 8488C', '8');
// Session 19's host (2026-12-02): AMD EPYC Zen 4 "Genoa", family 25 model 17 (0x11).
const GENOA = x86('AuthenticAMD', 25, 17, 'AMD EPYC');
// The Intel Xeon the bench ran on in session 18 (bench/RESULTS.md of 2026-12-02 11:58: family 0x06 model 0xa7, 'microarchitecture unknown').
const ROCKET_LAKE = x86('GenuineIntel', 6, 167, 'Intel(R) Xeon(R) Processor');
const ARM = 'processor\t: 0\nBogoMIPS\t: 243.75\nFeatures\t: fp asimd\nCPU implementer\t: 0x41\nCPU part\t: 0xd0c\n\n';

describe('parseCpuinfo', () => {
  it('reads the first processor block only', () => {
    expect(parseCpuinfo(ZEN3)).toEqual({ vendor: 'AuthenticAMD', family: 25, model: 1, stepping: 1, modelName: 'AMD EPYC' });
  });

  it('is undefined without vendor, family or model (an Arm host, a text that is not cpuinfo)', () => {
    expect(parseCpuinfo(ARM)).toBeUndefined();
    expect(parseCpuinfo('')).toBeUndefined();
    expect(parseCpuinfo('vendor_id : AuthenticAMD\ncpu family : 25\nmodel : Zen\n')).toBeUndefined();
  });

  it('leaves a stepping the kernel could not read undefined', () => {
    expect(parseCpuinfo(x86('AuthenticAMD', 25, 1, 'AMD EPYC', 'unknown'))!.stepping).toBeUndefined();
  });
});

describe('microarchitecture (the kernel’s Zen ranges, intel-family.h’s Xeons)', () => {
  const amd = (family: number, model: number) => microarchitecture({ vendor: 'AuthenticAMD', family, model });
  it.each([
    [0x17, 0x01, 'Zen or Zen+'],
    [0x17, 0x31, 'Zen 2'],
    [0x17, 0x71, 'Zen 2'],
    [0x19, 0x01, 'Zen 3'],
    [0x19, 0x21, 'Zen 3'],
    [0x19, 0x11, 'Zen 4'],
    [0x19, 0x61, 'Zen 4'],
    [0x1a, 0x02, 'Zen 5'],
    [0x1a, 0x44, 'Zen 5'],
  ])('AMD family %i model %i is %s', (family, model, name) => expect(amd(family, model)).toBe(name));

  it('is unknown outside the ranges, for other vendors and for Intel parts not in the table', () => {
    expect(amd(0x19, 0xf0)).toBeUndefined();
    expect(amd(0x1a, 0x30)).toBeUndefined();
    expect(amd(0x15, 0x02)).toBeUndefined();
    expect(microarchitecture({ vendor: 'HygonGenuine', family: 0x18, model: 0 })).toBeUndefined();
    expect(microarchitecture({ vendor: 'GenuineIntel', family: 6, model: 0x8f })).toBe('Sapphire Rapids');
    expect(microarchitecture({ vendor: 'GenuineIntel', family: 6, model: 0x97 })).toBeUndefined(); // Alder Lake: not a Xeon
    expect(microarchitecture({ vendor: 'GenuineIntel', family: 19, model: 0x01 })).toBeUndefined();
  });
});

describe('how the bench names the CPU', () => {
  it('tells a Zen 3 and a Zen 5 apart where the model name does not', () => {
    expect(cpuText(parseCpuinfo(ZEN3))).toBe('AMD EPYC (AuthenticAMD family 0x19 model 0x01 stepping 1: Zen 3)');
    expect(cpuText(parseCpuinfo(ZEN5))).toBe('AMD EPYC (AuthenticAMD family 0x1a model 0x02 stepping 0: Zen 5)');
    expect(cpuShortText(parseCpuinfo(ZEN3))).toBe('AMD Zen 3');
    expect(cpuShortText(parseCpuinfo(ZEN5))).toBe('AMD Zen 5');
    expect(cpuShortText(parseCpuinfo(SAPPHIRE))).toBe('Intel Sapphire Rapids');
  });

  it('names the hosts of sessions 18 and 19: an Intel family 6 model 0xa7 (Rocket Lake) and an AMD family 0x19 model 0x11 (Zen 4)', () => {
    expect(cpuText(parseCpuinfo(ROCKET_LAKE))).toBe('Intel(R) Xeon(R) Processor (GenuineIntel family 0x06 model 0xa7 stepping 1: Rocket Lake)');
    expect(cpuShortText(parseCpuinfo(ROCKET_LAKE))).toBe('Intel Rocket Lake');
    expect(cpuText(parseCpuinfo(GENOA))).toBe('AMD EPYC (AuthenticAMD family 0x19 model 0x11 stepping 1: Zen 4)');
    expect(cpuShortText(parseCpuinfo(GENOA))).toBe('AMD Zen 4');
  });

  it('says unknown rather than guess', () => {
    const odd = parseCpuinfo(x86('AuthenticAMD', 25, 0xf0, 'AMD Ryzen'));
    expect(cpuText(odd)).toBe('AMD Ryzen (AuthenticAMD family 0x19 model 0xf0 stepping 1: microarchitecture unknown)');
    expect(cpuShortText(odd)).toBe('AMD family 0x19 model 0xf0');
    expect(cpuText(undefined, 'Apple M2')).toBe('Apple M2, unknown CPU (no /proc/cpuinfo: family, model and microarchitecture unknown)');
    expect(cpuShortText(undefined)).toBe('unknown CPU');
  });

  it('gives the goals’ family, AMD or Intel, and nothing for others', () => {
    expect(cpuVendor(parseCpuinfo(ZEN3))).toBe('AMD');
    expect(cpuVendor(parseCpuinfo(SAPPHIRE))).toBe('Intel');
    expect(cpuVendor(parseCpuinfo(x86('CentaurHauls', 7, 59, 'Zhaoxin')))).toBeUndefined();
    expect(cpuVendor(undefined)).toBeUndefined();
  });

  it('reads a cpuinfo file, and is undefined where there is none', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cpuinfo-'));
    writeFileSync(join(dir, 'cpuinfo'), ZEN5);
    expect(thisCpu(join(dir, 'cpuinfo'))?.family).toBe(26);
    expect(thisCpu(join(dir, 'missing'))).toBeUndefined();
  });
});
