// measureCurvature names each layer of a block network as its trace tables do (Trace.layerLabel):
// the report's `label`, its progress' and the curvature command's rows, on block-trace's shapes (a
// batch norm, a ReZero block around a layer norm and a dense layer, an activation layer, a plain
// residual block). They named it by module alone ('module 3.branch.1'), which no trace row shows.
import { describe, expect, it } from 'vitest';
import { createNetwork } from '../../src/api/network.js';
import { curvatureTable } from '../../src/cli/commands/curvature.js';
import { grouped } from '../../src/counted.js';
import { measureCurvature } from '../../src/curvature/curvature.js';
import { blobs } from '../util/blobs.js';
import { EVERY_BLOCK_KIND } from '../util/every-block-kind.js';


describe("curvature's layer names in a block network", () => {
  it("are the trace's row names: in the report, its progress and the command's table", async () => {
    const data = blobs(24, 3);
    const net = await createNetwork({ inputs: 4, layers: EVERY_BLOCK_KIND, seed: 2, backend: 'ref' });
    net.train(data.x, data.y, { epochs: 1, batchSize: 12, trace: { every: 1 } });
    const trace = net.trace!;
    const rowOf = (module: string) => trace.blocks!.layers.findIndex((row) => row.name === module);
    const progressLabels = new Map<number, string | undefined>();
    const report = measureCurvature(net, data.x, data.y, { k: 1, onProgress: (p) => p.layer !== undefined && progressLabels.set(p.layer, p.label) });
    net.dispose();
    // Every row with parameters (all but the activation layer) is a curvature layer, in the same order.
    expect(report.layers.map((l) => l.module)).toEqual(trace.blocks!.layers.filter((row) => row.type !== 'activation').map((row) => row.name));
    const labels = report.layers.map((l) => trace.layerLabel(rowOf(l.module)));
    expect(report.layers.map((l) => l.label)).toEqual(labels);
    // Worked out from EVERY_BLOCK_KIND: the ReZero block is layers[2] (its α its row), its branch's dense layer 2.
    expect(labels[2]).toBe("layers[2] ('3', residual)");
    expect(labels[4]).toBe("layers[2].layers[1] ('3.branch.1', dense)");
    expect(labels[5]).toBe("layers[4].layers[0] ('5.branch.0', dense)");
    expect([...progressLabels.entries()].sort(([a], [b]) => a - b).map(([, label]) => label)).toEqual(labels);
    const table = curvatureTable(report);
    for (const layer of report.layers) {
      expect(table).toContain(`\n${layer.label} (${grouped(layer.parameters)}) H `);
      expect(table).toContain(`\n${layer.label} (${grouped(layer.parameters)}) G `);
    }
  });
});
