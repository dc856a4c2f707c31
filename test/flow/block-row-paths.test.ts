// A block network's rows are named in sentences by where they sit in the `layers` the network was made from, then by
// their module name: a dense layer takes two module indices, so '20' is layers[15] of fresh21's engineer's batch-norm net.
import { describe, expect, it } from 'vitest';
import { specPaths } from '../../src/layer-names.js';
import { moduleIndices } from '../../src/layers/block-layout.js';

describe('specPaths', () => {
  it("6 × (dense, batch norm, sigmoid) and an output dense: the modules' names map to their layers[i]", () => {
    const specs = [...Array.from({ length: 6 }, () => [{ type: 'dense' }, { type: 'batch-norm' }, { type: 'activation' }]).flat(), { type: 'dense' }];
    const names = moduleIndices(specs).map(String);
    const paths = specPaths(names);
    expect([paths.get('0'), paths.get('2'), paths.get('3'), paths.get('20'), paths.get('24')]).toEqual(['layers[0]', 'layers[1]', 'layers[2]', 'layers[15]', 'layers[18]']);
  });

  it("residual blocks: a branch's modules under their block's path, plain blocks (no row of their own) counted among their siblings", () => {
    // [dense sigmoid, 5 × residual [dense sigmoid], dense softmax]: modules 0, 2–6, 7; the rows carry no name for a plain block, the residuals do.
    const rows = ['0', ...[2, 3, 4, 5, 6].map((b) => `${b}.branch.0`), '7'];
    const paths = specPaths([...rows, '2', '3', '4', '5', '6']);
    expect([paths.get('0'), paths.get('2.branch.0'), paths.get('6.branch.0'), paths.get('7')]).toEqual(['layers[0]', 'layers[1].layers[0]', 'layers[5].layers[0]', 'layers[6]']);
  });
});
