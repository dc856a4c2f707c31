// An optimiser setting a checkpoint records outside the range its constructor takes (adam's beta1 1.5, −1 or 1e308,
// sgd's momentum 1, L-BFGS's memory 2.5; sgd's nesterov recorded as 2, where true and false are 1 and 0) is refused
// where the file is read (JSON and binary alike), BAD_MODEL_FILE naming the key, as restoreOptimizer words it: before,
// the readers took it, a network was built from the file, and only the restore refused it. A scalar that is state (a
// step count, L-BFGS's pairs, K-FAC's and Hessian-free's λ, Levenberg–Marquardt's μ) is held to the range its restore
// holds it to (STATE_RANGES), said as state; so is one beyond the bound a setting the state records sets (pairs ≤
// memory, μ ≤ muMax), and a K-FAC state without its step count (before, all three were refused only by the restore);
// so is a state whose settings break a rule across them that its constructor and restore read (L-BFGS's c1 < c2,
// Hessian-free's minIterations ≤ maxIterations, K-FAC's rescale beside its momentum, SGD's nesterov with momentum).
// A bound or rule whose setting the state does not record, and a plugin's scalars, are left to what reads them.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createNetwork } from '../../src/api/network.js';
import { OptimizerStateRefused } from '../../src/io/optimizer-state-refused.js';
import { checkpointBytes, checkpointFileOf, checkpointFromJSON, checkpointOf, checkpointToJSON, decodeCheckpoint, encodeCheckpoint, networkFromCheckpoint, restoreOptimizer, type Checkpoint } from '../../src/io/checkpoint.js';
import { readCheckpoint } from '../../src/io/files.js';
import { copiedNumbers } from '../../src/network/file-numbers.js';
import { createOptimizer } from '../../src/optim/index.js';
import { shellWord } from '../../src/shell-word.js';
import { expectError } from '../util/expect-error.js';
import { stateHash } from '../util/state-hash.js';

const folder = mkdtempSync(join(tmpdir(), 'gradscope-setting-ranges-'));
const escaped = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const NET = { sizes: [3, 4, 2], activation: 'tanh', output: 'softmax', backend: 'ref', seed: 7 } as const;
const x = [Float32Array.of(0.1, -0.4, 0.9), Float32Array.of(0.7, 0.2, -0.3)];
const y = [Float32Array.of(1, 0), Float32Array.of(0, 1)];

/** A real checkpoint of a network trained a step by optimiser `spec`, with `scalars` changed. */
async function saved(spec: { name: string }, scalars: Record<string, number>): Promise<Checkpoint> {
  // Levenberg–Marquardt takes the quadratic cost only.
  const net = await createNetwork(spec.name === 'levenberg-marquardt' ? { ...NET, output: 'linear', loss: 'mse' } : NET);
  const optimizer = createOptimizer(net, spec as never);
  net.train(x, y, { epochs: 1, batchSize: 2, optimizer });
  const checkpoint = checkpointOf(net, optimizer);
  net.dispose();
  return { ...checkpoint, optimizer: { ...checkpoint.optimizer!, scalars: { ...checkpoint.optimizer!.scalars, ...scalars } } };
}

/** The checkpoint as a JSON file's text, as the writer would give it unchecked. */
function jsonText(checkpoint: Checkpoint, scalars: Record<string, number>): string {
  const file = checkpointFileOf(checkpoint, copiedNumbers);
  file.training.optimizer!.scalars = { ...checkpoint.optimizer!.scalars, ...scalars };
  return JSON.stringify(file);
}

/**
 * `read` (decodeCheckpoint or checkpointFromJSON) refusing a damaged optimiser state, the network reading whole: an
 * OptimizerStateRefused naming the reader's skipOptimizer, whose refusal of the state is `^section.optimizer.said`.
 */
async function expectStateRefused(read: () => unknown, section: 'training' | 'header', said: string): Promise<void> {
  const reader = section === 'header' ? 'decodeCheckpoint\\(bytes' : 'checkpointFromJSON\\(json';
  const error = await expectError(read, 'BAD_MODEL_FILE', new RegExp(`; the network's weights, step and RNG state read whole: ${reader}, \\{ skipOptimizer: true \\}\\) reads them without the optimiser state$`));
  expect(error).toBeInstanceOf(OptimizerStateRefused);
  expect((error as OptimizerStateRefused).refusal).toMatch(new RegExp(`^${section}\\.optimizer\\.${said}`));
}

/**
 * `bad` (`good` with scalars[key] = value) refused by both readers with BAD_MODEL_FILE, and by both writers with
 * INVALID_OPTION writing nothing (nothing is made that its reader refuses), each naming the field as `said` ends.
 */
async function expectRefusedByReadersAndWriters(good: Checkpoint, bad: Checkpoint, key: string, value: number, said: string): Promise<void> {
  await expectStateRefused(() => checkpointFromJSON(jsonText(good, { [key]: value })), 'training', said);
  await expectStateRefused(() => decodeCheckpoint(checkpointBytes(bad)), 'header', said);
  for (const [who, write] of [['encodeCheckpoint', encodeCheckpoint], ['checkpointToJSON', checkpointToJSON]] as const) {
    let written: unknown;
    await expectError(() => (written = write(bad)), 'INVALID_OPTION', new RegExp(`^${who}: checkpoint\\.optimizer\\.${said}`));
    expect(written).toBeUndefined();
  }
}

describe('a checkpoint recording a setting outside its range is refused when read', () => {
  it.each([
    ['adam', 'beta1', 1.5, 'expected a finite number ≥ 0 and < 1'],
    ['adam', 'beta1', -1, 'expected a finite number ≥ 0 and < 1'],
    ['adam', 'beta1', 1e308, 'expected a finite number ≥ 0 and < 1'],
    ['adam', 'epsilon', 0, 'expected a finite number > 0'],
    ['sgd', 'momentum', 1, 'expected a finite number ≥ 0 and < 1'],
    ['lbfgs', 'memory', 2.5, 'expected a finite whole number ≥ 1 and ≤ 1,000'],
    // A true-or-false setting is recorded as 1 or 0.
    ['sgd', 'nesterov', 2, 'expected 1 or 0 \\(nesterov true or false\\)'],
    ['adam', 'decayBiases', 0.5, 'expected 1 or 0 \\(decayBiases true or false\\)'],
  ] as const)('%s %s %s', async (name, key, value, expected) => {
    const good = await saved({ name }, {});
    const bad = { ...good, optimizer: { ...good.optimizer!, scalars: { ...good.optimizer!.scalars, [key]: value } } };
    // The field named as a non-finite scalar's is (…scalars.KEY), the words as restore's.
    const said = `scalars\\.${key}: ${expected}, got ${value === 1e308 ? '1e\\+308' : value}: the ${key} option refuses it too, so no ${name} can resume this state \\(it is damaged\\)$`;
    await expectRefusedByReadersAndWriters(good, bad, key, value, said);
  });

  it('reads the same setting within its range, and the restore takes it', async () => {
    const good = await saved({ name: 'adam' }, {});
    const read = checkpointFromJSON(jsonText(good, {}));
    expect(read.optimizer!.scalars.beta1).toBe(good.optimizer!.scalars.beta1);
    expect(Array.from(decodeCheckpoint(encodeCheckpoint(good)).optimizer!.tensors[0])).toEqual(Array.from(good.optimizer!.tensors[0]));
    const net = await networkFromCheckpoint(read);
    restoreOptimizer(createOptimizer(net, { name: 'adam' }), read.optimizer);
    expect(net.step).toBe(good.step);
    net.dispose();
  });

  it("holds Levenberg–Marquardt's mu, which is state, to its own range as state", async () => {
    // μ moved far below the mu option by steps that decreased the loss (its floor is the smallest double): a state, read as it is.
    const lm = await saved({ name: 'levenberg-marquardt' }, { mu: Number.MIN_VALUE });
    expect(decodeCheckpoint(checkpointBytes(lm)).optimizer!.scalars.mu).toBe(Number.MIN_VALUE);
    expect(checkpointFromJSON(jsonText(lm, {})).optimizer!.scalars.mu).toBe(Number.MIN_VALUE);
    // A μ ≤ 0 no state holds: refused where the file is read, said as state.
    const negative = await saved({ name: 'levenberg-marquardt' }, { mu: -1 });
    await expectStateRefused(() => decodeCheckpoint(checkpointBytes(negative)), 'header', 'scalars\\.mu: expected a finite number > 0, got -1: no levenberg-marquardt state holds it \\(it is damaged\\)$');
  });
  it("leaves a plugin's scalars to their readers", async () => {
    // No scalar of a built-in: a plugin's beta1, a key named like Object's members (adam's step count 12 is within its range).
    const adam = await saved({ name: 'adam' }, {});
    const plugin = { ...adam, optimizer: { ...adam.optimizer!, name: 'my-adam', scalars: { beta1: 1.5 } } };
    expect(decodeCheckpoint(checkpointBytes(plugin)).optimizer!.scalars.beta1).toBe(1.5);
    expect(checkpointFromJSON(jsonText(adam, { step: 12, constructor: 3 })).optimizer!.scalars.constructor).toBe(3);
    // A plugin named like Object's members is no built-in: none of the four tables by optimiser name has an entry for it.
    for (const name of ['constructor', 'toString', '__proto__']) {
      const named = { ...adam, optimizer: { ...adam.optimizer!, name, scalars: { step: -1, beta1: 1.5, nesterov: 2, length: 0 } } };
      expect(decodeCheckpoint(checkpointBytes(named)).optimizer!.scalars).toEqual({ step: -1, beta1: 1.5, nesterov: 2, length: 0 });
    }
  });
});

describe("a checkpoint holding a state's counter or damping outside its range is refused when read, as its restore refuses it", () => {
  const STEP_COUNT = 'expected a whole number from 0 to 9,007,199,254,740,991 \\(2⁵³ − 1, the largest whole number a float64 counts exactly\\)';
  it.each([
    ['adam', 'step', -3, STEP_COUNT],
    ['adam', 'step', 2.5, STEP_COUNT],
    ['sgd', 'step', 2 ** 53, STEP_COUNT],
    // K-FAC's steps count as the network's steps do: a JavaScript number counts exactly to 2⁵³ − 1.
    ['kfac', 'steps', -1, STEP_COUNT],
    ['kfac', 'steps', 1.5, STEP_COUNT],
    ['kfac', 'steps', 2 ** 53, STEP_COUNT],
    ['kfac', 'lambda', 0, 'expected a finite number ≥ 1e-12 and ≤ 1,000,000'],
    // The restore bounds pairs by its memory (10) too.
    ['lbfgs', 'pairs', 0.5, 'expected a finite whole number ≥ 0', ' and ≤ 10'],
    ['lbfgs', 'pairs', -1, 'expected a finite whole number ≥ 0', ' and ≤ 10'],
    ['hessian-free', 'lambda', 1e9, 'expected a finite number ≥ 1e-8 and ≤ 100,000,000'],
    ['hessian-free', 'lambda', -1, 'expected a finite number ≥ 1e-8 and ≤ 100,000,000'],
  ] as [string, string, number, string, string?][])('%s %s %s', async (name, key, value, expected, restoreBound = '') => {
    const good = await saved({ name }, {});
    const bad = { ...good, optimizer: { ...good.optimizer!, scalars: { ...good.optimizer!.scalars, [key]: value } } };
    const got = `, got ${String(value).replace('.', '\\.')}`;
    const words = `${expected}${got}`;
    const said = `scalars\\.${key}: ${words}: no ${name} state holds it \\(it is damaged\\)$`;
    await expectRefusedByReadersAndWriters(good, bad, key, value, said);
    // The restore holds the same scalar to the same range (one table), in the same words: a bound another scalar sets is its own.
    const net = await networkFromCheckpoint(good);
    await expectError(() => restoreOptimizer(createOptimizer(net, { name } as never), bad.optimizer), 'INVALID_OPTION', new RegExp(`^${name}: restore: scalars\\.${key}: ${expected}${restoreBound}${got}$`));
    net.dispose();
  });

  it("reads a counter and a damping at their range's ends, and the restore takes them", async () => {
    const kfac = await saved({ name: 'kfac' }, { steps: 0, lambda: 1e-12 });
    const read = checkpointFromJSON(jsonText(kfac, {}));
    expect(decodeCheckpoint(checkpointBytes(kfac)).optimizer!.scalars.lambda).toBe(1e-12);
    const net = await networkFromCheckpoint(read);
    const optimizer = createOptimizer(net, { name: 'kfac' });
    restoreOptimizer(optimizer, read.optimizer);
    expect(optimizer.state().scalars).toMatchObject({ steps: 0, lambda: 1e-12 });
    net.dispose();
  });

  it.each([
    // Above the memory the state records (2): no L-BFGS keeps more pairs than its memory.
    ['lbfgs', { name: 'lbfgs', memory: 2 }, 'pairs', 3, 'expected a finite whole number ≥ 0 and ≤ 2, got 3 \\(2 is its scalars\\.memory\\)'],
    // Above the muMax the state records (the default 1e10): its steps cap the current μ there.
    ['levenberg-marquardt', { name: 'levenberg-marquardt' }, 'mu', 1e12, 'expected a finite number > 0 and ≤ 10,000,000,000, got 1000000000000 \\(10000000000 is its scalars\\.muMax\\)'],
  ] as const)("refuses %s's state beyond the bound the setting it records sets, where the file is read, from the bound its restore holds", async (name, spec, key, value, words) => {
    const good = await saved(spec, {});
    const bad = { ...good, optimizer: { ...good.optimizer!, scalars: { ...good.optimizer!.scalars, [key]: value } } };
    await expectRefusedByReadersAndWriters(good, bad, key, value, `scalars\\.${key}: ${words}: no ${name} state holds it \\(it is damaged\\)$`);
    // The restore holds it to the same bound (one table, STATE_RANGES' maxSetting), read against its own setting.
    const net = await networkFromCheckpoint(good);
    const optimizer = createOptimizer(net, spec as never);
    const before = stateHash(net, optimizer);
    const bound = words.slice(0, words.indexOf(' \\('));
    await expectError(() => restoreOptimizer(optimizer, bad.optimizer), 'INVALID_OPTION', new RegExp(`^${name}: restore: scalars\\.${key}: ${bound}$`));
    expect(stateHash(net, optimizer)).toBe(before);
    net.dispose();
  });

  it.each([
    ['lbfgs', { name: 'lbfgs', memory: 2 }, 'pairs', 3, 'memory', /^lbfgs: restore: scalars\.pairs: expected a finite whole number ≥ 0 and ≤ 2, got 3$/],
    ['levenberg-marquardt', { name: 'levenberg-marquardt' }, 'mu', 1e12, 'muMax', /^levenberg-marquardt: restore: scalars\.mu: expected a finite number > 0 and ≤ 10,000,000,000, got 1000000000000$/],
  ] as const)("leaves %s's bound to the restore where the state records no setting to read it from", async (_name, spec, key, value, setting, restored) => {
    // A state saved before its settings were recorded: its restore reads the bound from its own settings.
    const good = await saved(spec, { [key]: value });
    delete good.optimizer!.scalars[setting];
    const read = decodeCheckpoint(checkpointBytes(good));
    expect(read.optimizer!.scalars[key]).toBe(value);
    expect(checkpointFromJSON(jsonText(good, {})).optimizer!.scalars[key]).toBe(value);
    const net = await networkFromCheckpoint(read);
    await expectError(() => restoreOptimizer(createOptimizer(net, spec as never), read.optimizer), 'INVALID_OPTION', restored);
    net.dispose();
  });
});

describe("a K-FAC checkpoint's step count", () => {
  it('is refused where the file is read when it is missing, as its restore refuses it', async () => {
    const good = await saved({ name: 'kfac' }, {});
    const scalars = { ...good.optimizer!.scalars };
    delete scalars.steps;
    const bad = { ...good, optimizer: { ...good.optimizer!, scalars } };
    const said = 'scalars\\.steps: missing: every kfac state records it \\(it is damaged\\)$';
    const file = JSON.parse(jsonText(good, {}));
    delete file.training.optimizer.scalars.steps;
    await expectStateRefused(() => checkpointFromJSON(file), 'training', said);
    await expectStateRefused(() => decodeCheckpoint(checkpointBytes(bad)), 'header', said);
    await expectError(() => encodeCheckpoint(bad), 'INVALID_OPTION', new RegExp(`^encodeCheckpoint: checkpoint\\.optimizer\\.${said}`));
    const net = await networkFromCheckpoint(good);
    const optimizer = createOptimizer(net, { name: 'kfac' });
    restoreOptimizer(optimizer, good.optimizer);
    const before = stateHash(net, optimizer);
    await expectError(() => restoreOptimizer(optimizer, bad.optimizer), 'INVALID_OPTION', /^kfac: restore: scalars\.steps: missing: every kfac state records it$/);
    expect(stateHash(net, optimizer)).toBe(before);
    net.dispose();
  });
});

// The reader names every setting of each broken rule (it has no options of its own to compare the state with); the
// restore of the same state into a default optimiser names the rules alike, but as options only those the state records
// otherwise than the optimiser given (`restored`).
describe('a checkpoint whose settings break a rule across them is refused when read, by the rule its restore reads', () => {
  it.each([
    // Each value within its own range, the pair not: the constructor refuses c1 0.95 beside c2 0.5.
    ['lbfgs', { c1: 0.95, c2: 0.5 }, 'c1 0\\.95 and c2 0\\.5: expected c1 < c2: the c1 and c2 options refuse them too', 'the c1 and c2 options refuse them too'],
    ['hessian-free', { minIterations: 300, maxIterations: 250 }, 'minIterations 300 and maxIterations 250: expected minIterations ≤ maxIterations: the minIterations and maxIterations options refuse them too', 'the minIterations option refuses it too'],
    ['kfac', { momentum: 0.5 }, 'momentum 0\\.5 and rescale 1: expected momentum 0 with rescale \\(a fixed momentum applies to the unscaled step only\\): the momentum and rescale options refuse them too', 'the momentum option refuses it too'],
    // Both rules that need the rescaled step, named at once.
    [
      'kfac',
      { rescale: 0 },
      'quadraticMomentum 1 and rescale 0: expected rescale with quadraticMomentum \\(it needs the quadratic model\\); adaptDamping 1 and rescale 0: expected rescale with adaptDamping \\(it needs the quadratic model\\): the quadraticMomentum, rescale and adaptDamping options refuse them too',
      'the rescale option refuses it too',
    ],
    ['sgd', { nesterov: 1 }, 'nesterov 1 and momentum 0: expected momentum > 0 with nesterov \\(Nesterov momentum needs one\\): the nesterov and momentum options refuse them too', 'the nesterov option refuses it too'],
  ] as const)('%s %j', async (name, scalars, words, restored) => {
    const good = await saved({ name }, {});
    const bad = { ...good, optimizer: { ...good.optimizer!, scalars: { ...good.optimizer!.scalars, ...scalars } } };
    const said = `scalars: ${words}, so no ${name} can resume this state \\(it is damaged\\)$`;
    await expectStateRefused(() => checkpointFromJSON(jsonText(good, scalars)), 'training', said);
    await expectStateRefused(() => decodeCheckpoint(checkpointBytes(bad)), 'header', said);
    for (const [who, write] of [['encodeCheckpoint', encodeCheckpoint], ['checkpointToJSON', checkpointToJSON]] as const) {
      let written: unknown;
      await expectError(() => (written = write(bad)), 'INVALID_OPTION', new RegExp(`^${who}: checkpoint\\.optimizer\\.${said}`));
      expect(written).toBeUndefined();
    }
    // A file on disk: its path named first, and the network said to read whole without the state.
    const path = join(folder, `${name}-rule.bin`);
    writeFileSync(path, checkpointBytes(bad));
    await expectError(() => readCheckpoint(path), 'BAD_MODEL_FILE', new RegExp(`^${escaped(shellWord(path))}: header\\.optimizer\\.${said.slice(0, -1)}; the network's weights`));
    // The restore refuses the same state by the same rules, each said as the reader says it (its values as scalars.KEY), nothing changed.
    const net = await networkFromCheckpoint(good);
    const optimizer = createOptimizer(net, { name } as never);
    const before = stateHash(net, optimizer);
    const restoreRule = words.slice(0, words.lastIndexOf(': the ')).replace(/(^|; )(\w+) ([\d\\.]+) and (\w+) ([\d\\.]+)/g, '$1scalars\\.$2 $3 and scalars\\.$4 $5');
    await expectError(() => restoreOptimizer(optimizer, bad.optimizer), 'INVALID_OPTION', new RegExp(`^${name}: restore: ${restoreRule}: ${restored}, so no ${name} can resume this state \\(it is damaged\\)$`));
    expect(stateHash(net, optimizer)).toBe(before);
    net.dispose();
  });

  it('reads a state whose rule reads a setting it does not record, and leaves the rule to the restore, read with its own settings', async () => {
    // An L-BFGS state saved before c2 was recorded: its c1 0.95 is read, and the restore reads c1 < c2 against its own c2 0.9.
    const good = await saved({ name: 'lbfgs' }, { c1: 0.95 });
    delete good.optimizer!.scalars.c2;
    expect(decodeCheckpoint(checkpointBytes(good)).optimizer!.scalars.c1).toBe(0.95);
    expect(checkpointFromJSON(jsonText(good, {})).optimizer!.scalars.c1).toBe(0.95);
    const net = await networkFromCheckpoint(good);
    await expectError(() => restoreOptimizer(createOptimizer(net, { name: 'lbfgs' }), good.optimizer), 'INVALID_OPTION', /^lbfgs: restore: scalars\.c1 0\.95 and c2 0\.9 \(this optimiser's\): expected c1 < c2: the c1 option refuses it too, so no lbfgs can resume this state \(it is damaged\)$/);
    net.dispose();
  });
});
