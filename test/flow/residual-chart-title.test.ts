// The report's chart of a residual block names the block once: its row's name already says 'residual'
// ("layers[1] ('2', residual)"), so the title says 'Block' before it, not 'Residual block' again.
import { describe, expect, it } from 'vitest';
import { createNetwork } from '../../src/api/network.js';
import { diagnose } from '../../src/flow/diagnose.js';
import { renderReport } from '../../src/flow/report-html.js';

describe("the report's residual block charts", () => {
  it("title each block by its row's name, the word 'residual' once, and a ReZero block's gate after it", async () => {
    const net = await createNetwork({
      inputs: 3,
      layers: [
        { type: 'dense', units: 4, activation: 'tanh' },
        { type: 'residual', gate: 'rezero', layers: [{ type: 'dense', units: 4, activation: 'tanh' }] },
        { type: 'dense', units: 2, activation: 'softmax' },
      ],
      seed: 2,
      backend: 'ref',
    });
    net.train([[0, 1, 2], [1, 0, -1], [2, 2, 0], [-1, 1, 1]], [[1, 0], [0, 1], [1, 0], [0, 1]], { epochs: 2, batchSize: 2, trace: { every: 1 } });
    const trace = net.trace!;
    net.dispose();
    const page = await renderReport({ runs: [{ label: 'run', trace, diagnosis: diagnose(trace) }] });
    const captions = [...page.matchAll(/<figure class="chart" id="[^"]*-residual-\d+"[^>]*><figcaption>([^<]*)</g)].map((m) => m[1]);
    expect(captions).toEqual([`Block ${trace.residualLabel(0)} (ReZero): per-example RMS ‖∂C/∂x‖ through the skip and through the branch (log scale)`]);
    expect(captions[0]).toMatch(/^Block layers\[1\] \('2', residual\) \(ReZero\)/);
  });
});
