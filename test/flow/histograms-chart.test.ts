// The report's histogram chart keeps one scale whatever the number of layers: a 2-layer network's
// labels are not drawn twice as large as a 6-layer one's (the drawing was as wide as its layers).
import { describe, expect, it } from 'vitest';
import { createNetwork } from '../../src/api/network.js';
import { diagnose } from '../../src/flow/diagnose.js';
import { renderReport } from '../../src/flow/report-html.js';
import { histograms } from '../../src/flow/svg.js';
import { Trace } from '../../src/flow/trace.js';

const layer = (l: number) => ({ label: `hidden ${l + 1}`, lo: -1, hi: 1, counts: [1, 3, 2] });
const viewBox = (svg: string) => /<svg viewBox="([^"]+)">/.exec(svg)![1].split(' ').map(Number);

describe('histograms chart', () => {
  it('is a full row wide for any number of layers, and as tall as its rows', () => {
    const [two, three, six] = [2, 3, 6].map((n) => viewBox(histograms({ id: 'h', title: 't', layers: Array.from({ length: n }, (_, l) => layer(l)) })));
    expect(two[2]).toBe(three[2]);
    expect(six[2]).toBe(three[2]);
    expect(two[3]).toBe(three[3]);
    expect(six[3]).toBe(2 * three[3]);
  });

  it('draws each layer as one outline of relative moves, a run of equal bars as one', () => {
    const svg = histograms({ id: 'h', title: 't', layers: [{ label: 'hidden 1', lo: -1, hi: 1, counts: [0, 0, 5, 5, 10, 3, 0] }] });
    // Heights in % of the tallest bar: 0, 0, 50, 50, 100, 30, 0.
    expect(/<path class="bars"[^>]* d="([^"]+)"\/>/.exec(svg)![1]).toBe('M0 0h2v-50h2v-50h1v70h1v30h1V0Z');
  });

  it("places each layer's cell by its group, writing its bars, axis and labels in the cell's coordinates", () => {
    const svg = histograms({ id: 'h', title: 't', layers: Array.from({ length: 4 }, (_, l) => ({ ...layer(l), hi: l + 1, lo: -(l + 1) })) });
    const cells = [...svg.matchAll(/<g class="histogram"([^>]*)>(.*?)<\/g>/g)];
    // Three to a row, 130 wide, the axis 10 in from the cell's left; the second row 124 below the first.
    expect(cells.map((m) => /transform="translate\(([^)]*)\)"/.exec(m[1])![1])).toEqual(['10 90', '140 90', '270 90', '10 214']);
    for (const [, , body] of cells) {
      expect(body).toMatch(/^<path class="bars" transform="(translate\([^)]*\) )?scale\([^)]*\)" d="M0 0[^"]*"\/><path class="axes" d="M0 0h110"\/><text x="55" y="14">hidden \d<\/text><text x="55" y="27">± \d<\/text>$/);
    }
  });

  // page50's question: over their own ranges every layer's bars were as wide, a vanishing layer's like the widest's, though the
  // reader compares the layers of a step side by side. One axis: each layer's bars, counted over its own range, over that range's part.
  // page52: a layer under a quarter of the axis was a sliver whose shape no one could read; it is drawn magnified above its place.
  it("draws the layers on one axis: each one's bars over its range's part of it, its bins kept, a narrow one magnified above its place", () => {
    const cells = (layers: { lo: number; hi: number }[]) =>
      [...histograms({ id: 'h', title: 't', layers: layers.map((r, l) => ({ ...layer(l), ...r, counts: [1, 3, 2, 0] })) }).matchAll(/<g class="histogram"[^>]*>(.*?)<\/g>/g)].map(([, body]) => {
        const [, x = '0', y = '', sx, sy] = /<path class="bars" transform="(?:translate\(([^ )]*) ?([^)]*)\) )?scale\(([^ ]*) ([^)]*)\)"/.exec(body)!;
        // The beam: its foot on the axis (M<start> 0h<width>), widening to the whole axis (L110-34H0Z) where the bars stand.
        const beam = /<path class="beam" d="M([^ ]+) 0h([^L]+)L110-34H0Z"\/><text x="55" y="-22">×([^<]+)<\/text>/.exec(body);
        return {
          bars: { start: Number(x), up: y ? -Number(y) : 0, width: 4 * Number(sx), height: 100 * Number(sy) },
          ...(beam && { foot: { start: Number(beam[1]), width: Number(beam[2]) }, factor: beam[3] }),
        };
      });
    // ± 1, ± 0.5 and ± 0.3 on the axis of ± 1, 110 wide: the whole, the middle half, the middle 0.3, the bars 80 high from the axis.
    const [widest, half, third] = cells([{ lo: -1, hi: 1 }, { lo: -0.5, hi: 0.5 }, { lo: -0.3, hi: 0.3 }]);
    expect(widest).toEqual({ bars: { start: 0, up: 0, width: 110, height: 80 } });
    expect(half).toEqual({ bars: { start: 27.5, up: 0, width: 55, height: 80 } });
    expect(third.bars).toEqual({ start: 38.5, up: 0, width: 33, height: 80 });
    expect(third.factor).toBeUndefined();
    // ± 0.01, a hundredth: its place the beam's foot (1.1 wide at 54.45), its bars over the whole axis above the beam, 34 up, 46 high, '×100'.
    const [, hundredth] = cells([{ lo: -1, hi: 1 }, { lo: -0.01, hi: 0.01 }]);
    expect(hundredth.foot!.start).toBeCloseTo(54.45, 1);
    expect(hundredth.foot!.width).toBeCloseTo(1.1, 1);
    expect(hundredth.bars).toEqual({ start: 0, up: 34, width: 110, height: 46 });
    expect(hundredth.factor).toBe('100');
    // A range below HISTOGRAM_MIN_SPAN's share: its foot 1 wide about where it lies, magnified 10⁶ times.
    const [, tiny] = cells([{ lo: -1, hi: 1 }, { lo: -1e-6, hi: 1e-6 }]);
    expect([tiny.foot, tiny.factor]).toEqual([{ start: 54.5, width: 1 }, '1.0e+6']);
    // A range of one value has no shape to magnify: 1 wide on the axis. Where every range is one value, each over the whole axis.
    expect(cells([{ lo: -1, hi: 1 }, { lo: 0, hi: 0 }])[1]).toEqual({ bars: { start: 54.5, up: 0, width: 1, height: 80 } });
    expect(cells([{ lo: 0, hi: 0 }, { lo: 0, hi: 0 }]).map((c) => c.bars)).toEqual([0, 1].map(() => ({ start: 0, up: 0, width: 110, height: 80 })));
    const note = (layers: { lo: number; hi: number }[]) => /<span class="note">([^<]*)<\/span>/.exec(histograms({ id: 'h', title: 't', layers: layers.map((r, l) => ({ ...layer(l), ...r })) }))![1];
    expect(note([{ lo: -1, hi: 1 }, { lo: -0.3, hi: 0.3 }])).toBe("(the layers on one axis, ± 1; each one's range written under it)");
    expect(note([{ lo: -1, hi: 1 }, { lo: -0.01, hi: 0.01 }])).toBe("(the layers on one axis, ± 1; each one's range written under it; one under 1/4 of it magnified too, by the factor in its beam)");
    expect(note([{ lo: 0, hi: 0 }])).toBe('(each layer over its own range, written under it)');
  });

  it('writes data-lo only where a range is not ± its data-hi', () => {
    const svg = histograms({ id: 'h', title: 't', layers: [layer(0), { ...layer(1), lo: -0.5, hi: 2 }] });
    expect([...svg.matchAll(/<g class="histogram"( data-lo="[^"]*")? data-hi="([^"]*)"/g)].map((m) => [m[1] ?? '', m[2]])).toEqual([
      ['', '1'],
      [' data-lo="-0.5"', '2'],
    ]);
  });

  it("writes each layer's range as plotted: '± hi' for a trace's own, 'lo to hi' for a saved trace's range that is not ± one bound", async () => {
    const net = await createNetwork({ sizes: [2, 3, 3, 1], output: 'sigmoid', loss: 'binary-cross-entropy', seed: 1, backend: 'ref' });
    net.train([[0, 1], [1, 0], [1, 1], [0, 0]], [[1], [1], [0], [0]], { epochs: 2, batchSize: 4, trace: { every: 1, histogramSteps: [1] } });
    const saved = net.trace!.toJSON();
    net.dispose();
    const cells = async (trace: Trace) => {
      const page = await renderReport({ runs: [{ id: 'run', label: 'run', trace, diagnosis: diagnose(trace) }] });
      const chart = /<figure class="chart" id="[^"]*hist-1"[^>]*>(.*?)<\/figure>/.exec(page)![1];
      return { note: /<span class="note">([^<]*)<\/span>/.exec(chart)![1], ranges: [...chart.matchAll(/<text x="[^"]*" y="27">([^<]*)<\/text>/g)].map((m) => m[1]) };
    };
    // A trace's own ranges: ± each layer's largest |δ|.
    const own = await cells(Trace.fromJSON(saved));
    expect(own.ranges).toHaveLength(3);
    for (const range of own.ranges) expect(range).toMatch(/^± \S+$/);
    expect(own.note).toMatch(/^\(the layers on one axis, ± \S+; each one's range written under it(; one under 1\/4 of it magnified too, by the factor in its beam)?\)$/);
    // Its second layer's range made asymmetric, [-0.5, 2], the bars as counted: 'lo to hi', not '± 2' (it plotted −0.5 to 2 under '± 2').
    const lopsided = structuredClone(saved);
    lopsided.histograms[0].lo[1] = -0.5;
    lopsided.histograms[0].hi[1] = 2;
    const read = await cells(Trace.fromJSON(lopsided));
    expect(read.ranges).toEqual([own.ranges[0], '-0.5 to 2', own.ranges[2]]);
    expect(read.note).toMatch(/^\(the layers on one axis, -0\.5 to 2; each one's range written under it(; one under 1\/4 of it magnified too, by the factor in its beam)?\)$/);
  });

  it("has the report's CSS set its labels' font, colour and anchor as the other charts' tick labels", async () => {
    const style = /<style>([\s\S]*?)<\/style>/.exec(await renderReport({ sections: [{ id: 's', heading: 'S' }] }))![1];
    // The declarations of the rules whose selector list names `selector` itself (not inside :is()).
    const rule = (selector: string) => [...style.matchAll(/([^{}]+)\{([^{}]*)\}/g)].filter((m) => m[1].replace(/\([^)]*\)/g, '()').split(',').includes(selector)).map((m) => m[2]);
    expect(rule('.histogram text')).toEqual([...rule('.tick'), 'text-anchor:middle']);
    expect(rule('.tick')).toEqual(['font-size:10px;fill:#444']);
    expect(style).toMatch(/:is\([^)]*\.histogram text[^)]*\)\{font-size:/);
  });
});
