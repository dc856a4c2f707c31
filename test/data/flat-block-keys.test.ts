// A flat block of rows is { data, rows, cols } and nothing else: a key beside them ({ …, extra },
// { …, row: 5 } for rows) was ignored wherever a matrix is taken; it is refused (SHAPE_MISMATCH)
// naming the key, as options refuse theirs (unknownKey), before any network or memory changes.
import { describe, expect, it } from 'vitest';
import { createNetwork } from '../../src/api/network.js';
import { createDataset } from '../../src/api/dataset.js';
import { toMatrix } from '../../src/data/matrix.js';
import { expectError } from '../util/expect-error.js';

const good = () => ({ data: new Float32Array([1, 2, 3, 4]), rows: 2, cols: 2 });
const targets = () => ({ data: new Float32Array([1, 0, 0, 1]), rows: 2, cols: 2 });
const extra = { ...good(), extra: 1 } as never;
const extraTargets = { ...targets(), extra: 1 } as never;
const EXTRA = /: unknown field 'extra' \(known: data, rows, cols\)$/;

describe('{ data, rows, cols } with another key', () => {
  it('is refused, naming the key, by every call that takes rows', async () => {
    const net = await createNetwork({ sizes: [2, 3, 2], seed: 1, backend: 'ref' });
    const before = JSON.stringify(net.toJSON());
    const calls: [string, () => unknown][] = [
      ['toMatrix', () => toMatrix(extra)],
      ['inputs', () => net.predict(extra)],
      ['inputs', () => net.train(extra, targets(), { epochs: 1 })],
      ['targets', () => net.train(good(), extraTargets, { epochs: 1 })],
      ['inputs', () => net.evaluate(extra, targets())],
      ['inputs', () => net.gradients(extra, targets())],
      ['inputs', () => net.layerOutputs(extra)],
      ['inputs', () => createDataset(extra, targets(), { backend: 'ref' })],
      ['targets', () => createDataset(good(), extraTargets, { backend: 'ref' })],
    ];
    for (const [label, call] of calls) await expectError(call, 'SHAPE_MISMATCH', new RegExp(`^${label}${EXTRA.source}`));
    expect(JSON.stringify(net.toJSON())).toBe(before);
    net.dispose();
  });

  it("suggests the key meant, with plain arrays too: 'row' for rows", async () => {
    await expectError(() => toMatrix({ data: [1, 2, 3, 4], rows: 2, cols: 2, row: 5 } as never), 'SHAPE_MISMATCH', /^toMatrix: unknown field 'row'; did you mean 'rows'\? \(known: data, rows, cols\)$/);
  });

  it('says what it got where a block has no data', async () => {
    await expectError(() => toMatrix({ rows: 2, cols: 2 } as never), 'SHAPE_MISMATCH', /^toMatrix: expected an array of rows or \{ data, rows, cols \}, got an object$/);
    await expectError(() => createDataset({ rows: 2 } as never, targets()), 'SHAPE_MISMATCH', /^inputs: expected an array of rows or \{ data, rows, cols \}, got an object$/);
  });
});
