/**
 * gradscope for Node (`import … from 'gradscope/node'`): everything in the browser-safe entry, plus
 * what needs the file system: the MNIST digits (loadMnist, from the optional package mnist), saving and loading models and checkpoints,
 * other formats' files, the HTML report on disk and the built-in studies.
 */
export * from './index.js';
export { loadMnist, MNIST_PIXELS, MNIST_CLASSES, MNIST_TRAIN_DIGITS, type MnistOptions, type MnistTake } from './data/mnist.js';
export type { Digits, MnistSplit } from './data/mnist.js';
export { saveModel, loadModel, loadCheckpoint, readCheckpoint } from './io/files.js';
export { writeFileAtomic } from './io/file-access.js';
export type { CheckpointEncoding, LoadModelOptions, SaveOptions } from './io/files.js';
export { readModelFile, readTfjsLayersFile, writeModelFile, interopFormatOf, INTEROP_FORMATS, INPUT_FORMATS } from './io/model-formats.js';
export type { InteropFormat, ImportOptions, InputFormat, ReadModelOptions } from './io/model-formats.js';
export { writeReport } from './io/report-file.js';
export { runDepthStudy } from './studies/depth.js';
export type { DepthStudyOptions, DepthStudyResult, DepthNetworkResult } from './studies/depth.js';
export { depthReportSection } from './studies/depth-report.js';
export { runActivationStudy, activationProfile } from './studies/activations.js';
export type { ActivationStudyOptions, ActivationStudyResult, ActivationRun, ActivationProfile } from './studies/activations.js';
export { activationsReportSection } from './studies/activations-report.js';
export { runRemediesStudy } from './studies/remedies.js';
export type { RemediesOptions, RemediesResult, RemediesRun } from './studies/remedies.js';
export { runAutoencoderStudy, AUTOENCODER_SIZES } from './studies/autoencoder.js';
export type { AutoencoderStudyOptions, AutoencoderStudyResult, AutoencoderRun, AutoencoderStep, CurvePoint } from './studies/autoencoder.js';
export type { StudyBudget } from './studies/study-budget.js';
export { runPlateauStudy, CURVATURE_OF, PLATEAU_SIZES, PLATEAU_DEFAULTS } from './studies/plateau.js';
export { STUDY_SEED } from './studies/study-defaults.js';
export type { PlateauOptions, PlateauResult, PlateauPoint, CurvatureOf } from './studies/plateau.js';
export { runTrainableDepthStudy, deepestTrainable, TRAINABLE_DEPTHS, TRAINABLE_WIDTH, TRAINABLE_EPOCHS, ACCURACY_GOAL } from './studies/trainable-depth.js';
export type { TrainableDepthOptions, TrainableDepthResult, TrainableDepthRow, DeepestTrainable, GoalCheck, GoalVerdict } from './studies/trainable-depth.js';
export { TRAINABLE_DEPTH_REMEDIES } from './studies/trainable-depth-remedies.js';
export type { TrainableDepthRemedy, RemedyTraining } from './studies/trainable-depth-remedies.js';
export { trainableDepthReportSection } from './studies/trainable-depth-report.js';
export type { ZeroCause } from './studies/gradient-ratios.js';
export { runPaperExperiments } from './studies/paper-experiments.js';
export type { PaperExperimentsOptions } from './studies/paper-experiments.js';
export type { PaperExperiment, PaperOptions, PaperProgress } from './studies/paper-experiment.js';
