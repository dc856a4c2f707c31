// Where a run's diagnosis asks "minimum, saddle or slope?", the HTML report's pointer must name what its reader can run: the
// report offers a study run's trace, not its network, so FILE (a saved network) is for a network saved elsewhere (train's
// --out, study --model's --save), and the study that measures its own network is named (newuser44 #3: the report of
// npm start named only a FILE it does not give). Given the curvature, the report's paragraph answers instead.
import { describe, expect, it } from 'vitest';
import { createNetwork } from '../../src/api/network.js';
import { diagnose } from '../../src/flow/diagnose.js';
import { codeHtml, proseHtml, renderReport } from '../../src/flow/report-html.js';

describe("the report's curvature pointer", async () => {
  const net = await createNetwork({ sizes: [4, 6, 6, 2], loss: 'cross-entropy', backend: 'ref', seed: 3 });
  const x = Array.from({ length: 8 }, (_, r) => [r % 2, (r >> 1) % 2, 0.5, -0.5]);
  const y = x.map((_, r) => (r % 2 ? [0, 1] : [1, 0]));
  const { trace } = net.train(x, y, { epochs: 3, batchSize: 4, trace: {} });
  net.dispose();
  const asked = diagnose(trace!);
  const section = async (diagnosis = asked) => {
    const html = await renderReport({ runs: [{ label: "a study's run", trace: trace!, diagnosis }] });
    return /<section class="run"[^]*?<\/section>/.exec(html)![0];
  };

  it('names, in a study run, what its reader can run: the study that measures its own network, and where else a FILE comes from', async () => {
    expect(asked.evidence.training?.state).toBe('plateau');
    const html = await section();
    expect(html).toContain(proseHtml(asked.summary));
    expect(html).toContain(`the other studies save no network, and ${codeHtml('gradscope study plateau')} measures its own)`);
    expect(html).toContain(`${codeHtml('gradscope curvature --model FILE')} measures a saved network's Hessian (FILE: JSON.stringify(net.toJSON()), train's --out, study --model's --save, or the visualizer's model download;`);
  });

  it('answers instead where the diagnosis is given the curvature', async () => {
    const answered = diagnose(trace!, { curvature: { lambdaMin: -3e-4, lambdaMax: 1.2, confirmed: true, exploitable: true, critical: true, lowered: true } });
    const html = await section(answered);
    expect(html).not.toContain(codeHtml('gradscope curvature --model FILE'));
    expect(html).toContain('Curvature where the run stopped: a saddle (λ_min = -3.00e-4 against λ_max = 1.20e+0)');
  });
});
