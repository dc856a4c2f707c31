/**
 * What study --model trains a saved model with: a fresh optimiser named as the user chose it (--optimizer's name, as
 * sgd-momentum, not the optimiser's own "sgd"), never the optimiser state saved in the file, which it does not resume.
 * train's hint after saving, study --model's notice and its worse-run warning say it alike (train said "a fresh sgd"
 * where the study --model it printed said "a fresh sgd-momentum").
 */
export const freshOptimizerText = (choiceName: string): string => `a fresh ${choiceName}`;
