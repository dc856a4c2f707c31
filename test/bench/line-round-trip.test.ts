import { describe, expect, it } from 'vitest';
import { measureLineRoundTrip } from '../../bench/line-round-trip.js';
import { lineRoundTripText } from '../../bench/threads.bench.js';

describe('bench/line-round-trip', () => {
  it('times a round trip between two threads: finite, positive, the tenth percentile at most the median', async () => {
    const trip = await measureLineRoundTrip();
    expect(Number.isFinite(trip.p10Ns) && trip.p10Ns > 0).toBe(true);
    expect(trip.p10Ns).toBeLessThanOrEqual(trip.medianNs);
    // Far below a millisecond: a trip that waited on a sleeping thread or a timer would not be one line's moves.
    expect(trip.medianNs).toBeLessThan(1e6);
  });

  it('prints both readings in whole nanoseconds', () => {
    const text = lineRoundTripText([{ p10Ns: 433.6, medianNs: 448.2 }, { p10Ns: 114.4, medianNs: 120.5 }]);
    expect(text).toBe('434 ns (median 448) before the rows, 114 ns (median 121) after (tenth percentiles)');
  });
});
