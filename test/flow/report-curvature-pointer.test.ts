// Where a run's diagnosis asks "minimum, saddle or slope?", the HTML report's pointer must name what its reader can run: the
// report offers a study run's trace, not its network, so FILE (a saved network) is for a network saved elsewhere (train's
// --out, study --model's --save), and the study that measures its own network is named (newuser44 #3: the report of
// npm start named only a FILE it does not give). Given the curvature, the report's paragraph answers instead. The how-to is
// said once, in a section of its own that each asking diagnosis links to (newuser49 #7: ~180 words repeated per network).
import { describe, expect, it } from 'vitest';
import { createNetwork } from '../../src/api/network.js';
import { diagnose } from '../../src/flow/diagnose.js';
import { CURVATURE_ASKS, CURVATURE_QUESTION } from '../../src/flow/diagnosis/progress-sentences.js';
import { codeHtml, proseHtml, renderReport } from '../../src/flow/report-html.js';

describe("the report's curvature pointer", async () => {
  const net = await createNetwork({ sizes: [4, 6, 6, 2], loss: 'cross-entropy', backend: 'ref', seed: 3 });
  const x = Array.from({ length: 8 }, (_, r) => [r % 2, (r >> 1) % 2, 0.5, -0.5]);
  const y = x.map((_, r) => (r % 2 ? [0, 1] : [1, 0]));
  const { trace } = net.train(x, y, { epochs: 3, batchSize: 4, trace: {} });
  net.dispose();
  const asked = diagnose(trace!);
  const report = (diagnosis = asked, runs = 1) => renderReport({ runs: Array.from({ length: runs }, (_, i) => ({ label: `a study's run ${i}`, trace: trace!, diagnosis })) });
  const section = async (diagnosis = asked) => /<section class="run"[^]*?<\/section>/.exec(await report(diagnosis))![0];
  /** The report's section on how to measure the curvature, that the asking diagnoses link to. */
  const howTo = (html: string) => /<section class="study" id="curvature-how-to">[^]*?<\/section>/.exec(html)?.[0];

  it('names, in a study run, what its reader can run: the study that measures its own network, and where else a FILE comes from', async () => {
    expect(asked.evidence.training?.state).toBe('plateau');
    expect(asked.paragraphs).toContain(CURVATURE_QUESTION);
    const html = howTo(await report())!;
    expect(html).toContain(proseHtml(CURVATURE_QUESTION));
    expect(html).toContain(`the other studies save no network). `);
    expect(html).toContain(`${codeHtml('gradscope study plateau')}, which measures its own network, found`);
    expect(html).toContain(`${codeHtml('gradscope curvature --model FILE')} measures a saved network's Hessian on your rows (--data) or the digits (FILE: JSON.stringify(net.toJSON()), train's --out, study --model's --save, or the visualizer's model download;`);
  });

  it('says the how-to once in a report, each asking diagnosis a paragraph to each of its paragraphs and a link to it in place of the how-to', async () => {
    const html = await report(asked, 3);
    expect(html.split(codeHtml('gradscope curvature --model FILE'))).toHaveLength(2);
    expect(html.split(`${proseHtml(CURVATURE_ASKS)}: how to measure it is under <a href="#curvature-how-to">Measuring the curvature where a run stopped</a>, at the end of this report.`)).toHaveLength(4);
    expect(html).toContain('<li><a href="#curvature-how-to">Measuring the curvature where a run stopped</a></li>');
    const run = await section();
    for (const paragraph of asked.paragraphs.filter((p) => p !== CURVATURE_QUESTION)) expect(run).toContain(`${proseHtml(paragraph)}</p>`);
    expect(asked.paragraphs.join(' ')).toBe(asked.summary);
    // A diagnosis saved before it had paragraphs: its summary, the how-to in it, in one paragraph, and no section.
    const { paragraphs: _, ...saved } = asked;
    const old = await report(saved as typeof asked);
    expect(old).toContain(`${proseHtml(asked.summary)}</p>`);
    expect(howTo(old)).toBeUndefined();
    // One whose summary was edited after diagnose() (review50 #2): the summary the terminal prints, not the stale paragraphs.
    const edited = await report({ ...asked, summary: 'Vanishing, said otherwise.' });
    expect(edited).toContain('Vanishing, said otherwise.</p>');
    expect(edited).not.toContain(proseHtml(asked.paragraphs[0]));
    expect(howTo(edited)).toBeUndefined();
  });

  it('answers instead where the diagnosis is given the curvature', async () => {
    const answered = diagnose(trace!, { curvature: { lambdaMin: -3e-4, lambdaMax: 1.2, confirmed: true, exploitable: true, critical: true, lowered: true } });
    const html = await section(answered);
    expect(howTo(await report(answered))).toBeUndefined();
    expect(html).not.toContain(codeHtml('gradscope curvature --model FILE'));
    expect(html).toContain('Curvature where the run stopped: a saddle (λ_min = -3.00e-4 against λ_max = 1.20e+0)');
  });
});
