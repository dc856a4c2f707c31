// Helpers shared by optim.scalar.ts and optim.simd.ts; not exported from the module.

/** Step size lr / (1 − β1^t) and 1/√(1 − β2^t) of Adam's bias correction, in f64 then rounded once. */
@inline export function adamStepSize(learningRate: f64, beta1: f64, step: i32): f32 {
  return <f32>(learningRate / (1 - Math.pow(beta1, <f64>step)));
}
@inline export function adamInverseRoot(beta2: f64, step: i32): f32 {
  return <f32>(1 / Math.sqrt(1 - Math.pow(beta2, <f64>step)));
}
