import { describe, expect, it } from 'vitest';
import { proseHtml, proseParts } from '../../src/flow/report-html.js';

describe('prose: backticked spans as code, in the report and on the page', () => {
  it('sets each backticked span as code and drops the backticks, as the report does', () => {
    expect(proseParts('use `layerRates: [4, 1]` with `sgd`.')).toEqual([
      { text: 'use ', code: false },
      { text: 'layerRates: [4, 1]', code: true },
      { text: ' with ', code: false },
      { text: 'sgd', code: true },
      { text: '.', code: false },
    ]);
  });

  it('keeps text without backticks whole, and a lone backtick as text', () => {
    expect(proseParts('plain <b>text</b>')).toEqual([{ text: 'plain <b>text</b>', code: false }]);
    expect(proseParts('a ` b')).toEqual([{ text: 'a ` b', code: false }]);
  });

  it("is the rule the report's HTML follows: code spans and the text around them escaped", () => {
    expect(proseHtml('try `a < b` & "c"')).toBe('try <code>a &lt; b</code> &amp; &quot;c&quot;');
    expect(proseHtml('a ` b <i>')).toBe('a ` b &lt;i&gt;');
  });
});
