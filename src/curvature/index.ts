/** The curvature and gradient-noise instruments: what the public API exports from src/curvature. */
export { measureCurvature } from './curvature.js';
export type { CurvatureOptions, CurvatureProgress, CurvatureReport, HessianSummary, GaussNewtonSummary, LayerCurvature } from './curvature.js';
export { DESCENT_STEPS, OUTWEIGHS, SADDLE_STEPS } from './critical-point.js';
export type { CurvatureVerdict, DownhillProbe, PointReading, SaddleProbe } from './critical-point.js';
export { CurvatureOperators } from './operators.js';
export type { LinearOperator, ParameterBlock } from './operators.js';
export { LANCZOS_BASIS_BYTES, lanczos, SPECTRUM_END_COUNT } from './lanczos.js';
export { MASS_PROBE_STEPS, MASS_PROBES } from './negative-mass.js';
export type { LanczosEnds, LanczosOptions, LanczosRemainder, LanczosResult, LanczosStep, UnconvergedEigenvalue } from './lanczos.js';
export { traceOf } from './matrix-trace.js';
export type { CurvatureTraceOptions, TraceEstimate, TraceResult } from './matrix-trace.js';
export { meanFieldPrediction } from './mean-field.js';
export type { MeanFieldLayer } from './mean-field.js';
export { jacobianSpectrum } from './jacobian.js';
export type { JacobianOptions, JacobianSpectrum, ExampleJacobian } from './jacobian.js';
export { curvatureEvidenceOf } from './evidence.js';
export type { CurvatureMeasured } from './evidence.js';
export { pointReadingText, pointText } from './point-text.js';
