// Every study checks its callback option (onProgress, onRun, onPoint, onStep, onRow) before any work, and the
// trainable-depth study its depths against the layers createNetwork makes: a callback that is not a
// function threw a raw TypeError at its first call, after the work before it, and depths [1e9] built
// a list of 10⁹ layer specs to check and ran Node out of memory ("FATAL ERROR: … heap out of memory").
import { describe, it } from 'vitest';
import { runActivationStudy } from '../../src/studies/activations.js';
import { runAutoencoderStudy } from '../../src/studies/autoencoder.js';
import { runDepthStudy } from '../../src/studies/depth.js';
import { runPlateauStudy } from '../../src/studies/plateau.js';
import { runRemediesStudy } from '../../src/studies/remedies.js';
import { runBudgetSweep } from '../../src/studies/trainable-depth-budget.js';
import { runTrainableDepthStudy } from '../../src/studies/trainable-depth.js';
import { expectError } from '../util/expect-error.js';

describe('study callbacks and depths', () => {
  it.each<[string, () => Promise<unknown>, RegExp]>([
    ['depth onProgress', () => runDepthStudy({ onProgress: 1 as never }), /^depth study: onProgress: expected a function, got 1$/],
    ['plateau onProgress', () => runPlateauStudy({ onProgress: 'x' as never }), /^plateau study: onProgress: expected a function, got "x"$/],
    ['activations onRun', () => runActivationStudy({ onRun: {} as never }), /^activations study: onRun: expected a function, got \{\}$/],
    ['remedies onRun', () => runRemediesStudy({ onRun: true as never }), /^onRun: expected a function, got true$/],
    ['autoencoder onPoint', () => runAutoencoderStudy({ onPoint: null as never }), /^autoencoder onPoint: expected a function, got null$/],
    ['autoencoder onStep', () => runAutoencoderStudy({ onStep: 1 as never }), /^autoencoder onStep: expected a function, got 1$/],
    ['trainable-depth onRow', () => runTrainableDepthStudy({ onRow: 1 as never }), /^onRow: expected a function, got 1$/],
    ['trainable-depth depths [10⁹]', () => runTrainableDepthStudy({ depths: [2, 1e9] }), /^depths\[1\]: at most 1,023 \(with the output layer, the 1,024 weight layers createNetwork makes at most\), got 1000000000$/],
    ['trainable-depth depths [1024]', () => runTrainableDepthStudy({ depths: [1024] }), /^depths\[0\]: at most 1,023 /],
    ['budget sweep depths [10⁹]', () => runBudgetSweep({ depths: [1e9] }), /^depths\[0\]: at most 1,023 /],
  ])('%s: INVALID_OPTION before any work', async (_name, run, message) => {
    await expectError(run, 'INVALID_OPTION', message);
  });

  // An async callback: each study calls it without waiting for its promise, so a rejection in it went
  // unhandled (a Node process ends on one) while the study went on; refused before any work, as train() refuses one.
  const rejecting = async () => {
    throw new Error('async');
  };
  it.each<[string, () => Promise<unknown>, string]>([
    ['depth onProgress', () => runDepthStudy({ onProgress: rejecting }), 'depth study: onProgress'],
    ['plateau onProgress', () => runPlateauStudy({ onProgress: rejecting }), 'plateau study: onProgress'],
    ['activations onRun', () => runActivationStudy({ onRun: rejecting }), 'activations study: onRun'],
    ['remedies onRun', () => runRemediesStudy({ onRun: rejecting }), 'onRun'],
    ['autoencoder onPoint', () => runAutoencoderStudy({ onPoint: rejecting }), 'autoencoder onPoint'],
    ['autoencoder onStep', () => runAutoencoderStudy({ onStep: rejecting }), 'autoencoder onStep'],
    ['trainable-depth onRow', () => runTrainableDepthStudy({ onRow: rejecting }), 'onRow'],
    ['budget sweep onNetwork', () => runBudgetSweep({ onNetwork: rejecting }), 'onNetwork'],
  ])('an async %s: INVALID_OPTION before any work', async (_name, run, where) => {
    await expectError(run, 'INVALID_OPTION', new RegExp(`^${where}: an async function; it is called without waiting for the promise it returns \\(its work would run later, and a rejection would go unhandled\\): give a plain function$`));
  });
});
