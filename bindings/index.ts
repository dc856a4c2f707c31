/** gradscope's public API, the same in browsers and Node. Node-only additions (files, the bundled digits, the studies) are in './node.js'. */
export { createNetwork, Network } from './network/network.js';
export type { Evaluation, Gradients, LayerGradient, Parameter } from './network/network.js';
export type { LayerOptions, NetworkOptions } from './network/config.js';
export type { BatchInfo, EpochInfo, TrainOptions, TrainResult } from './network/train.js';
export { modelFromJSON, MODEL_FORMAT, MODEL_VERSION, MODEL_LIMITS } from './network/model-file.js';
export type { ModelFile, ModelData } from './network/model-file.js';
export { GradscopeError } from './errors.js';
export type { ErrorCode } from './errors.js';
export { ACTIVATIONS, OUTPUT_ACTIVATIONS, LOSSES, LEAKY_RELU_SLOPE } from './kernels.js';
export type { Activation, OutputActivation, Loss, Kernels, Tensor } from './kernels.js';
export { createRefKernels } from './ref/ref-kernels.js';
export { createWasmKernels } from './wasm/wasm-kernels.js';
export type { WasmKernels, WasmOptions } from './wasm/wasm-kernels.js';
export { simdSupported, setWasmLocation } from './wasm/loader.js';
export { WEIGHT_INITS } from './init/initializers.js';
export type { WeightInit, BiasInit } from './init/initializers.js';
export { Rng } from './init/rng.js';
export type { Rows, Matrix } from './data/matrix.js';
export { toMatrix } from './data/matrix.js';
export { Sgd } from './optim/sgd.js';
export type { Optimizer } from './optim/optimizer.js';
export { createOptimizer, registerOptimizer, optimizerNames, OPTIMIZERS, clipGradientNorm } from './optim/index.js';
export { Adagrad, Adam, AdamW, Lars, Lbfgs, LevenbergMarquardt, Rmsprop } from './optim/index.js';
export type { OptimizerSpec, OptimizerDefinition, OptimizerState } from './optim/index.js';
export { modelOf, networkFromModel } from './io/model-data.js';
export { toSafetensors, fromSafetensors } from './io/safetensors.js';
export type { SafetensorsImportOptions } from './io/safetensors.js';
export { toOnnx, ONNX_OPSET } from './io/onnx.js';
export { toTfjsLayers, fromTfjsLayers, TFJS_WEIGHTS_FILE } from './io/tfjs-layers.js';
export type { TfjsLayersModel, TfjsModelJson, TfjsWeightSpec, TfjsImportOptions } from './io/tfjs-layers.js';
export { HessianFree, HESSIAN_FREE_DEFAULTS } from './optim/hessian-free.js';
export type { HessianFreeOptions, HessianFreeReport } from './optim/hessian-free.js';
export {
  checkpointOf, checkpointToJSON, checkpointFromJSON, encodeBinary, decodeBinary, networkFromCheckpoint, restoreOptimizer,
  BINARY_LIMITS, BINARY_VERSION,
} from './io/checkpoint.js';
export type { Checkpoint, CheckpointFile } from './io/checkpoint.js';
export { NON_FINITE_POLICIES } from './network/numeric-faults.js';
export type { NonFinitePolicy } from './network/numeric-faults.js';
export { Trace } from './flow/trace.js';
export type { TraceJSON, GradientHistogram } from './flow/trace.js';
export type { TraceOptions } from './flow/recorder.js';
export { LAYER_METRICS, SATURATION_FRACTION, PRIME_MAX } from './flow/metrics.js';
export type { LayerMetric } from './flow/metrics.js';
export { diagnose } from './flow/diagnose.js';
export type { Diagnosis, Verdict, LayerEvidence } from './flow/diagnose.js';
export { renderReport } from './flow/report-html.js';
export type { ReportInput, ReportRun } from './flow/report-html.js';
