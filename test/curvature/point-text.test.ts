// The point's lines (src/curvature/point-text.ts) say what an Infinity is wherever one is printed: among the ±v probes, and
// in the reading's step down the gradient (DownhillProbe.change is Infinity where the loss there is beyond float32's range,
// as a probe's side is; review42 finding 4: the note read only the probes).
import { afterAll, describe, expect, it } from 'vitest';
import { createNetwork } from '../../src/api/network.js';
import { measureCurvature, type CurvatureReport } from '../../src/curvature/curvature.js';
import { pointText } from '../../src/curvature/point-text.js';

const NOTE = "(Infinity: the loss there is beyond float32's range, so the network cannot take it)";

describe('pointText: the overflow note', async () => {
  const net = await createNetwork({ sizes: [2, 3, 2], activation: 'tanh', loss: 'cross-entropy', seed: 3, backend: 'ref' });
  afterAll(() => net.dispose());
  const measured = measureCurvature(net, [[0.5, -1], [1, 0.25], [-0.5, 0.75]], [[1, 0], [0, 1], [1, 0]], { k: 1, layers: false });
  // Every probe rising and finite: a minimum-like point whose reading prints the step down the gradient.
  const rising = measured.probes.map((p) => ({ ...p, plus: 1e-3, minus: 2e-3, curvature: 0.3 }));
  const at = (downChange: number, probes = rising): CurvatureReport => ({ ...measured, verdict: 'minimum-like', reading: 'minimum', hessian: { ...measured.hessian, smallest: [0.5] }, probes, downhill: { step: 9.765625e-5, change: downChange } });
  const lines = (report: CurvatureReport) => pointText(report, 'gradscope study plateau').split('\n');

  it('follows the step down the gradient when its change is Infinity, the probes finite', () => {
    const [, , , probesLine, , reading] = lines(at(Infinity));
    expect(probesLine).not.toContain(NOTE);
    expect(reading).toContain(`it changes by Infinity ${NOTE})`);
  });

  it('follows the probes when a side is Infinity, and not a finite step down the gradient', () => {
    const probes = rising.map((p, i) => (i === rising.length - 1 ? { ...p, plus: Infinity } : p));
    const [, , , probesLine, , reading] = lines(at(2e-3, probes));
    expect(probesLine).toContain('Infinity / ');
    expect(probesLine.endsWith(` ${NOTE}.`)).toBe(true);
    expect(reading).not.toContain(NOTE);
  });

  it('is absent where every number is finite', () => {
    expect(lines(at(2e-3)).join('\n')).not.toContain(NOTE);
  });
});
