/**
 * How the autoencoder study differs from the experiment of Martens (2010) it scales down, as his
 * `nnet_train_2.m` and its MNIST set-up run it: one text, built from the study's own settings, which
 * `gradscope study autoencoder --help` prints and docs/studies.md and docs/second-order.md state
 * (test/studies/autoencoder-paper.test.ts holds them to it).
 */
import { curvatureRows } from '../optim/gauss-newton.js';
import { HESSIAN_FREE_DEFAULTS } from '../optim/hessian-free.js';
import { AUTOENCODER_OPTIMIZERS, AUTOENCODER_SIZES, TRAIN_ERROR_ROWS } from './autoencoder.js';
import { MNIST_SOURCE } from '../data/mnist.js';
import { grouped } from '../counted.js';
import { AUTOENCODER_DEFAULTS } from './study-defaults.js';

/** Hessian-free's gradient batch in the study, and the curvature rows it takes of it. */
const hfBatch = AUTOENCODER_OPTIMIZERS['hessian-free'].batchSize;
const hfCurvature = curvatureRows(hfBatch, HESSIAN_FREE_DEFAULTS.curvatureFraction);

/** The code layer: the narrowest of the study's layers (a sigmoid, as every layer of its network). */
const codeUnits = Math.min(...AUTOENCODER_SIZES);

/**
 * Where the autoencoder study departs from Martens (2010), in one paragraph: the network (his is
 * Hinton & Salakhutdinov's, with linear code units), the data, the batches, the weight cost, and
 * the rows its training error is measured on.
 */
export const MARTENS_DIFFERENCES =
  `Where it differs from Martens (2010) and his nnet_train_2.m: the network is ${AUTOENCODER_SIZES.join('-')} with a sigmoid code layer of ${codeUnits}, ` +
  `where his (Hinton & Salakhutdinov's) is 784-1000-500-250-30-250-500-1000-784 with a linear code layer of 30; ` +
  `it trains on ${grouped(AUTOENCODER_DEFAULTS.trainRows)} of ${MNIST_SOURCE} (--train), where he trains on MNIST's 60,000; ` +
  `each Hessian-free step takes its gradient over a ${grouped(hfBatch)}-row batch of them in turn (curvature over ${grouped(hfCurvature)} of those rows), ` +
  `where his code takes each step's gradient, its CG backtracking and its line search over the whole training set (the curvature over one of its chunks); ` +
  `his objective adds an L2 weight cost of 2e-5 (weightcost, on weights and biases), where gradscope's Hessian-free has no weight decay; ` +
  `and the training error shown is over the first ${grouped(TRAIN_ERROR_ROWS)} training digits, where he reports it over the whole training set.`;
