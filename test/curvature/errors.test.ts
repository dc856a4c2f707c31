// Bad input to the curvature instruments gets a typed GradscopeError before anything held changes;
// measuring changes nothing the network holds for training.
import { describe, expect, it } from 'vitest';
import { measureCurvature } from '../../src/curvature/curvature.js';
import { CurvatureOperators } from '../../src/curvature/operators.js';
import { createNetwork } from '../../src/api/network.js';

const x = [[0.1, 0.2], [0.3, -0.4], [1, 0]];
const y = [[1], [0], [1]];
const make = (backend: 'ref' | 'wasm') => createNetwork({ sizes: [2, 3, 1], loss: 'binary-cross-entropy', backend, seed: 4 });

describe.each(['ref', 'wasm'] as const)('curvature on %s: bad input', (backend) => {
  it('non-finite data: NON_FINITE_INPUT naming the row and column', async () => {
    const net = await make(backend);
    expect(() => measureCurvature(net, [[0, Number.NaN], ...x.slice(1)], y)).toThrow(expect.objectContaining({ code: 'NON_FINITE_INPUT', message: expect.stringMatching(/row 0, column 1/) }));
    expect(() => measureCurvature(net, x, [[Infinity], [0], [1]])).toThrow(expect.objectContaining({ code: 'NON_FINITE_INPUT' }));
    net.dispose();
  });

  // In train's words, where it said "targets: expected an array of rows …, got undefined" (edges47 #7).
  it('rows left out: SHAPE_MISMATCH saying which, as train does', async () => {
    const net = await make(backend);
    expect(() => measureCurvature(net, x, undefined as never)).toThrow(expect.objectContaining({ code: 'SHAPE_MISMATCH', message: 'targets: missing (pass x and y, or a Dataset)' }));
    expect(() => measureCurvature(net, undefined as never, y)).toThrow(expect.objectContaining({ code: 'SHAPE_MISMATCH', message: 'inputs: missing (pass x and y, or a Dataset)' }));
    expect(() => net.train(x, undefined as never)).toThrow(expect.objectContaining({ message: 'targets: missing (pass x and y, or a Dataset)' }));
    net.dispose();
  });

  // As validation takes them, or a loadMnist split: it said "inputs: expected an array of rows …, got an object" (researcher53 F8).
  it('x and y as one { x, y } object: SHAPE_MISMATCH saying to pass them as two arguments', async () => {
    const net = await make(backend);
    const said = "measureCurvature: the rows came as one { x, y } object (the form train()'s validation takes); pass them as two arguments, measureCurvature(net, rows.x, rows.y, options), or a Dataset";
    expect(() => measureCurvature(net, { x, y } as never, { k: 1 } as never)).toThrow(expect.objectContaining({ code: 'SHAPE_MISMATCH', message: said }));
    expect(() => measureCurvature(net, { x, y, labels: [1, 0, 1] } as never)).toThrow(expect.objectContaining({ code: 'SHAPE_MISMATCH', message: said }));
    net.dispose();
  });

  it('k larger than the parameter count, or not a whole number: INVALID_OPTION', async () => {
    const net = await make(backend);
    expect(net.parameterCount).toBe(13);
    expect(() => measureCurvature(net, x, y, { k: 14 })).toThrow(expect.objectContaining({ code: 'INVALID_OPTION', message: expect.stringMatching(/parameter count 13/) }));
    for (const k of [0, 2.5, Number.NaN]) expect(() => measureCurvature(net, x, y, { k })).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
    expect(() => measureCurvature(net, x, y, { probes: 1 })).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
    net.dispose();
  });

  it('one row through a batch-norm network: INVALID_OPTION naming measureCurvature and its rows, the weights unchanged', async () => {
    const net = await createNetwork({ inputs: 2, layers: [{ type: 'dense', units: 3 }, { type: 'batch-norm' }, { type: 'dense', units: 1, activation: 'sigmoid' }], loss: 'binary-cross-entropy', backend, seed: 4 });
    const before = JSON.stringify(net.toJSON());
    expect(() => measureCurvature(net, x.slice(0, 1), y.slice(0, 1))).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTION', message: expect.stringMatching(/^measureCurvature: x has 1 row, but batch norm in training needs at least 2 per batch .*; give at least 2 rows$/) }),
    );
    expect(JSON.stringify(net.toJSON())).toBe(before);
    expect(measureCurvature(net, x.slice(0, 2), y.slice(0, 2), { k: 1 }).rows).toBe(2);
    net.dispose();
  });

  it('a disposed network: DISPOSED, also for operators made before the dispose', async () => {
    const net = await make(backend);
    const ops = new CurvatureOperators(net, x, y);
    net.dispose();
    expect(() => measureCurvature(net, x, y)).toThrow(expect.objectContaining({ code: 'DISPOSED' }));
    expect(() => ops.hessian!(new Float64Array(13), new Float64Array(13))).toThrow(expect.objectContaining({ code: 'DISPOSED' }));
    ops.dispose();
  });

  it('measuring leaves the weights and the RNG as they were', async () => {
    const net = await make(backend);
    const before = JSON.stringify(net.toJSON());
    const rng = net.rng.getState();
    const report = measureCurvature(net, x, y, { k: 3 });
    expect(report.parameters).toBe(13);
    expect(report.hessian!.largest).toHaveLength(3);
    expect(JSON.stringify(net.toJSON())).toBe(before);
    expect(net.rng.getState()).toEqual(rng);
    net.dispose();
  });
});
