// The visualizer's "Measure the curvature here" (demo/src/curvature-measure.ts) asks measureCurvature for the whole network
// alone, with no exact trace: the point's reading it shows rests on the whole Hessian's Lanczos run and the probes, so it
// must read as `gradscope curvature` does with its defaults on the same network and rows, for far fewer products.
import { afterAll, describe, expect, it } from 'vitest';
import { createNetwork } from '../../src/api/network.js';
import { measureCurvature, type CurvatureOptions } from '../../src/curvature/curvature.js';
import { pointText } from '../../src/curvature/point-text.js';
import { PAGE_CURVATURE_OPTIONS, STUDY_PLATEAU_COMMAND } from '../../demo/src/curvature-measure.js';
import { planarDataset, probeOf, splitDataset } from '../../demo/src/datasets.js';
import { networkOptions } from '../../demo/src/architecture.js';
import { DEFAULTS } from '../../demo/src/settings.js';

describe("the visualizer's curvature measurement", async () => {
  // The page's default network and rows, trained by SGD at its rate into the plateau newuser44 measured.
  const settings = { ...DEFAULTS, dataset: 'spirals' } as const;
  const { train } = splitDataset(planarDataset(settings.dataset, settings.seed, settings.noise), settings.trainPercent);
  const net = await createNetwork(networkOptions(settings, train.x.cols, train.classes));
  afterAll(() => net.dispose());
  net.train(train.x, train.y, { epochs: 100, batchSize: settings.batchSize, learningRate: settings.learningRate });
  const probe = probeOf(train);
  const measured = (options: CurvatureOptions) => {
    let products = 0;
    const report = measureCurvature(net, probe.x, probe.y, { ...options, onProgress: (p) => (products = p.done) });
    return { text: pointText(report, STUDY_PLATEAU_COMMAND), products };
  };

  it("reads the point in the words gradscope curvature prints with its defaults, for a tenth of the products or fewer", () => {
    const page = measured(PAGE_CURVATURE_OPTIONS);
    const command = measured({});
    expect(page.text).toBe(command.text);
    expect(page.text).toMatch(/\nReading: a (saddle|slope|minimum)/);
    expect(page.products * 10).toBeLessThanOrEqual(command.products);
  });
});
