/**
 * What a DIVERGED advises names train()'s options, and who prints it decides how: the API by its
 * option keys (`learningRate`, `clipNorm`, `onNonFinite 'halve'`), the command line by its flags
 * (`--learning-rate`, …). The advice is written once, here and in step-faults.ts, against AdviceTerms; an
 * option the printer has no name for is left out of the advice (a study's command has no
 * --clip-norm: it does not advise one).
 */
import { GradscopeError } from '../errors.js';
import { API_OPTION_TERMS, type OptionTerms } from '../option-refusal.js';
import type { NonFinitePolicy } from './numeric-faults.js';
import { grouped } from '../counted.js';
import { givenFloat32Text } from '../number-text.js';

/** The names of the options a DIVERGED's advice may name; absent: the printer has none for it, and the advice leaves it out. */
export interface AdviceTerms {
  /** train()'s learningRate. */
  learningRate?: string;
  /** train()'s weightDecay (the default SGD's, or the optimiser's). */
  weightDecay?: string;
  /** train()'s clipNorm. */
  clipNorm?: string;
  /** train()'s onNonFinite set to a policy. */
  onNonFinite?: (policy: Exclude<NonFinitePolicy, 'throw'>) => string;
  /** createNetwork's init (smaller initial weights). */
  init?: string;
  /** train()'s gradientNoise.eta. */
  gradientNoiseEta?: string;
  /** train()'s maxHalvings. */
  maxHalvings?: string;
  /** An optimiser's options, which its own DIVERGED may name (K-FAC's damping): by key in the API, by flag on the command line where one sets it. */
  optimizerOption?: OptionTerms;
}

/** The API's names: what a DIVERGED's message says. */
export const API_TERMS: Required<AdviceTerms> = {
  learningRate: 'learningRate',
  weightDecay: 'weightDecay',
  clipNorm: 'clipNorm',
  onNonFinite: (policy) => `onNonFinite '${policy}'`,
  init: 'init',
  gradientNoiseEta: 'gradientNoise.eta',
  maxHalvings: 'maxHalvings',
  optimizerOption: API_OPTION_TERMS,
};

/** Advice in the printer's terms ('' when none of what it would name has a name there). */
export type Advice = (terms: AdviceTerms) => string;

/** Where a DIVERGED stopped training, counted from 1 as EpochInfo and BatchInfo are: the batch and step that faulted. */
export interface StopPoint {
  epoch: number;
  /** Absent when the fault is of a whole epoch: 'skip' left out every batch, or onEpoch left a parameter out of range. */
  batch?: number;
  /** The step the faulty batch would have made (net.step + 1 at the fault), or the one after which a callback faulted; absent when 'skip' left out every batch. */
  step?: number;
}

/** 'epoch 2, batch 3 (step 35)', 'epoch 2 (step 40)' or 'epoch 2': how a DIVERGED message and the command line name a StopPoint. */
export function stopPointText({ epoch, batch, step }: StopPoint): string {
  return `epoch ${grouped(epoch)}${batch === undefined ? '' : `, batch ${grouped(batch)}`}${step === undefined ? '' : ` (step ${grouped(step)})`}`;
}

/**
 * A DIVERGED whose message can be said again in other terms (the CLI's flags): `message` is in the API's.
 * `stoppedAt`: where it stopped, which the message begins with.
 */
export class DivergedError extends GradscopeError {
  constructor(
    private readonly say: Advice,
    readonly stoppedAt: StopPoint,
  ) {
    super('DIVERGED', say(API_TERMS));
  }

  /** The message with its advice naming the options by `terms`. */
  messageFor(terms: AdviceTerms): string {
    return this.say(terms);
  }
}

/** 'a, b, or c' (an Oxford list of what to try). */
export function either(options: string[]): string {
  return options.length < 3 ? options.join(' or ') : `${options.slice(0, -1).join(', ')}, or ${options[options.length - 1]}`;
}

/**
 * What to try when a step faults: `first` (what the caller knows more of, as a layer's own rate),
 * a lower learning rate, clipping, halving; skipping for outlier batches. `learningRate` undefined:
 * the optimiser chooses its own steps (no rate to lower, no 'halve').
 */
export function learningRateAdvice(learningRate: number | undefined, terms: AdviceTerms, first: string[] = []): string {
  const tries =
    learningRate === undefined
      ? first
      : [...first, terms.learningRate && `a ${terms.learningRate} below ${givenFloat32Text(learningRate)}`, terms.clipNorm, terms.onNonFinite?.('halve')].filter((t): t is string => Boolean(t));
  const skip = terms.onNonFinite?.('skip');
  return [tries.length ? `try ${either(tries)}` : '', skip ? `${skip} if a few batches are outliers` : ''].filter(Boolean).join('; ');
}

/** `terms` without onNonFinite `policy`: the advice on a fault that policy met, which does not offer it again. */
export function withoutPolicy(terms: AdviceTerms, policy: Exclude<NonFinitePolicy, 'throw'>): AdviceTerms {
  const named = terms.onNonFinite;
  return { ...terms, onNonFinite: named && ((other) => (other === policy ? '' : named(other))) };
}

/** `text` in parentheses after a space, or nothing when it is empty. */
export const parenthesised = (text: string): string => (text ? ` (${text})` : '');
