// Entry of the probe binaries (asconfig targets 'probe' and 'probe-relaxed'): the dense
// microkernel alone, built like the core's SIMD binaries (madd.simd.ts fuses it into relaxed_madd
// in the relaxed one), which is what `binary: 'fastest'` times (src/wasm/calibrate.ts). A module
// of one kernel compiles in a fraction of a millisecond, where compiling the whole relaxed core
// took 2–21 ms at load 14–18 (AMD EPYC Zen 3, 2026-12-01) and left little of a 15 ms budget to
// time anything in; the core is compiled only once the relaxed binary has won.
export { f32_microkernel_rounds } from './dense.simd';
export { heap_base } from './common';
