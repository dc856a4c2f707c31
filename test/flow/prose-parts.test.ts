import { describe, expect, it } from 'vitest';
import { proseParts } from '../../src/flow/prose-parts.js';
import { codeHtml, proseHtml } from '../../src/flow/report-html.js';

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
    expect(proseHtml('try `a < b` & "c"')).toBe(`try ${codeHtml('a < b')} &amp; &quot;c&quot;`);
    // Each word of a code span with a hyphen or a slash inside a box of its own, escaped: a line breaks between words, not after its hyphen.
    expect(codeHtml('--init he-normal <b> a/b x- 7')).toBe('<code><span class="w">--init</span> <span class="w">he-normal</span> &lt;b&gt; <span class="w">a/b</span> x- 7</code>');
    expect(proseHtml('a ` b <i>')).toBe('a ` b &lt;i&gt;');
  });
});
