/**
 * The greatest value of each study option that sets how long a study runs, and why: without one, a
 * typo (an extra zero or two) starts a run of days. The library's check of the option and its CLI
 * flag (rule, refusal, --help) both read the bound here.
 */
import { MAX_UNITS, type Bound } from '../checks.js';
import { grouped } from '../counted.js';
import { MODEL_LIMITS } from '../model-limits.js';
import { ACTIVATIONS_DEFAULTS, BUDGET_MULTIPLES, DEPTH_NETWORKS, DEPTH_ROWS, NIELSEN_TRAINING, TRAIN_ERROR_ROWS, TRAINABLE_EPOCHS } from './study-defaults.js';

const LONGEST_BUDGET = Math.max(...BUDGET_MULTIPLES);

/**
 * Hidden layers of a trainable-depth network: with its output layer, the most weight layers
 * createNetwork makes (MODEL_LIMITS.maxLayers). Checked before any network's specs are built: a
 * depth of 10⁹ built a list of 10⁹ layer specs to check and ran Node out of memory.
 */
export const DEPTH_BOUND: Bound = { max: MODEL_LIMITS.maxLayers - 1, why: `with the output layer, the ${grouped(MODEL_LIMITS.maxLayers)} weight layers createNetwork makes at most` };

/** Units per hidden layer of a study's networks (the activations and trainable-depth studies). */
export const WIDTH_BOUND: Bound = { max: MAX_UNITS, why: 'the most units of a layer createNetwork makes' };

/** Training time per optimiser of the remedies and autoencoder studies, in seconds. */
export const SECONDS_BOUND: Bound = { max: 3600, why: 'an hour per optimiser; the optimisers train one after another' };

/** Optimiser steps per optimiser of the remedies and autoencoder studies, their budget in steps (study-budget.ts). */
export const STEPS_BOUND: Bound = { max: 1_000_000, why: "days for the slowest optimiser (the autoencoder study's Hessian-free takes about a CPU second a step); the optimisers train one after another" };

/** Epochs of Nielsen's full-batch training in the depth and plateau studies (his are 500). */
export const NIELSEN_EPOCHS_BOUND: Bound = { max: 10_000, why: `${10_000 / NIELSEN_TRAINING.epochs}× Nielsen's ${NIELSEN_TRAINING.epochs}, for every network trained` };

/** Epochs of SGD per run of the activations study (default ACTIVATIONS_DEFAULTS.epochs). */
export const ACTIVATION_EPOCHS_BOUND: Bound = { max: 100, why: `${100 / ACTIVATIONS_DEFAULTS.epochs}× the default ${ACTIVATIONS_DEFAULTS.epochs}, for each of the runs of the activation × initialisation grid` };

/** The trainable-depth study's step budget in epochs (default TRAINABLE_EPOCHS). */
export const TRAINABLE_EPOCHS_BOUND: Bound = {
  max: 1000,
  why: `${1000 / TRAINABLE_EPOCHS}× the default ${TRAINABLE_EPOCHS}, for every remedy and depth; the budget sweep trains multiples of it, up to ${LONGEST_BUDGET}× by default`,
};

/** Epochs of every paper experiment of the trainable-depth study, where one number is given for all (PaperOptions.epochs, --paper-epochs). */
export const PAPER_EPOCHS_BOUND: Bound = { max: 1000, why: "every network of every paper's experiment trains that many epochs, one after another" };

/** The budget sweep's budgets, as multiples of the step budget (default BUDGET_MULTIPLES). */
export const BUDGET_MULTIPLE_BOUND: Bound = {
  max: 256,
  why: `${256 / LONGEST_BUDGET}× the default longest ${LONGEST_BUDGET}; the longest budget trains every network of the sweep for that many times the step budget`,
};

/**
 * Seeds at initialisation of the depth study (and the main job). Its cost, measured: `gradscope study depth --seeds 1000
 * --epochs 0` took 33.7 s of CPU time (32.5 user, 1.3 system; one seed 2.4 s, the start-up), 634 s of wall-clock time at load
 * ~24 on the 2-vCPU AMD EPYC Zen 5 (2026-12-07, auditor54 #7f: it said 'already take minutes').
 */
export const DEPTH_SEEDS_BOUND: Bound = {
  max: 1000,
  why: `each seed builds and measures the ${DEPTH_NETWORKS.length} networks on ${grouped(DEPTH_ROWS)} digits; ${grouped(1000)} seeds take about half a minute of CPU time`,
};

/**
 * Epochs of `gradscope study`, a model trained on the user's data: train() itself takes any number (a
 * program may train for long), but this command also keeps the whole trace for its report.
 */
export const MODEL_EPOCHS_BOUND: Bound = { max: 10_000, why: 'every traced step (--every) of every epoch is kept in memory for the report' };

/** Points of each autoencoder error curve. */
export const AUTOENCODER_POINTS_BOUND: Bound = { max: 1000, why: `each point pauses the training to measure the reconstruction error of up to ${TRAIN_ERROR_ROWS} training digits and of the held-out ones` };

/** Points of the plateau study's training where the curvature is measured. */
export const PLATEAU_POINTS_BOUND: Bound = { max: 100, why: 'each point runs Lanczos twice, up to maxSteps Hessian and Gauss-Newton products over all the rows' };
