/**
 * The batches one epoch of `epochRows` rows takes in batches of `batchSize` (the last one short where they do not divide):
 * ⌈epochRows / batchSize⌉, the count train()'s loop walks (`start += size`, each batch min(batchSize, rows left)), a
 * batch onNonFinite 'skip' leaves out among them (the loop walks past it). `epochRows` is plannedEpochRows' (with dropLast, a
 * whole number of batches); a `batchSize` above the rows is one batch, as train() caps it. It sits below training/, which
 * plans a schedule's steps by it (readTrainingSettings), flow/, which counts the steps a relu rate was measured over
 * (rowRegime), and the studies, which count the steps they set beside a paper's, so none can count differently. Unchecked: its callers have read both numbers (whole, ≥ 1).
 */
export const batchesPerEpoch = (epochRows: number, batchSize: number): number => Math.ceil(epochRows / batchSize);
