// ReportChart (public) and lineChart's options share one definition (svg.ts's LineChartData): a
// field documented or added there is a report chart's field too. The checks are types: `tsc
// --noEmit` (part of `npm test`) fails when the two drift apart.
import { describe, expectTypeOf, it } from 'vitest';
import type { ReportChart } from '../../src/flow/report-html.js';
import type { LineChartData, LineChartOptions } from '../../src/flow/svg.js';

describe('ReportChart', () => {
  it("is lineChart's data, field for field, and lineChart's options add only how a trace's charts are drawn", () => {
    expectTypeOf<ReportChart>().toEqualTypeOf<LineChartData>();
    expectTypeOf<keyof ReportChart>().toEqualTypeOf<'id' | 'title' | 'xLabel' | 'yLabel' | 'logY' | 'logX' | 'xNames' | 'xTitles' | 'wholeX' | 'yRange' | 'series' | 'layers' | 'guides'>();
    expectTypeOf<Exclude<keyof LineChartOptions, keyof ReportChart>>().toEqualTypeOf<'time' | 'note'>();
  });
});
