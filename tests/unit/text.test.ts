import { describe, it, expect } from 'vitest';
import { fieldToString, splitSentences, toPlainText, truncate } from '#shared/domain/text.ts';

describe('toPlainText', () => {
  it('strips tags and keeps the words apart at block boundaries', () => {
    expect(toPlainText('<p>Envoys to return</p><p>Minister to <b>visit</b></p>', 200)).toBe('Envoys to return Minister to visit');
  });

  it('drops the content of <script> and <style> elements', () => {
    expect(toPlainText('Before<script type="text/javascript">alert("x")</script><style>.a{color:red}</style> after', 200)).toBe('Before after');
  });

  it('drops an element never closed to the end, and reads hostile runs of open tags in linear time', () => {
    expect(toPlainText('News <script>var x = 1; and more', 100)).toBe('News');
    expect(toPlainText('<p>A</p><SCRIPT type="x">evil()</Script ><p>B</p>', 100)).toBe('A B');
    // 200,000 unclosed tags: a backtracking pattern would rescan the rest from each one (hours);
    // a linear reader returns. The test's timeout is the only clock here.
    const hostile = `${'<script '.repeat(200_000)}`;
    expect(toPlainText(`Lead ${hostile}`, 100)).toBe('Lead');
    expect(toPlainText(`Lead ${'<p class="a" '.repeat(200_000)}`, 100)).toMatch(/^Lead/);
  });

  it('drops HTML comments', () => {
    expect(toPlainText('Talks <!-- tracking pixel --> resume', 200)).toBe('Talks resume');
  });

  it('decodes named and numeric entities', () => {
    expect(toPlainText('Iran &amp; Pakistan &#8211; talks &ldquo;cordial&rdquo;', 200)).toBe('Iran & Pakistan – talks “cordial”');
  });

  it('strips markup that arrives double-escaped (&lt;b&gt;)', () => {
    expect(toPlainText('&lt;b&gt;Envoys&lt;/b&gt; return &lt;br/&gt;to posts', 200)).toBe('Envoys return to posts');
  });

  it('drops a script that arrives escaped', () => {
    expect(toPlainText('Headline &lt;script&gt;steal()&lt;/script&gt; text', 200)).toBe('Headline text');
  });

  it('unwraps CDATA sections', () => {
    expect(toPlainText('<![CDATA[<p>Border &amp; trade</p>]]>', 200)).toBe('Border & trade');
  });

  it('folds runs of whitespace, newlines and non-breaking spaces into single spaces', () => {
    expect(toPlainText('  Iran\n\n\tand&nbsp;&nbsp;Pakistan   agree  ', 200)).toBe('Iran and Pakistan agree');
  });

  it('removes control and zero-width characters', () => {
    expect(toPlainText('Iran\u0000\u200B and\u0007 Pakistan', 200)).toBe('Iran and Pakistan');
  });

  it('caps the length with an ellipsis', () => {
    const out = toPlainText('word '.repeat(100), 50);
    expect(out.length).toBeLessThanOrEqual(50);
    expect(out.endsWith('…')).toBe(true);
  });

  it("returns '' for objects without `_` instead of leaking [object Object]", () => {
    expect(toPlainText({ $: { type: 'html' } }, 100)).toBe('');
    expect(toPlainText({ foo: 'bar' }, 100)).toBe('');
  });

  it('takes the `_` text of xml2js-style objects', () => {
    expect(toPlainText({ _: '<b>Envoys</b> return', $: { type: 'html' } }, 100)).toBe('Envoys return');
  });

  it('joins arrays of fields with spaces', () => {
    expect(toPlainText(['Iran', { _: 'and' }, 'Pakistan'], 100)).toBe('Iran and Pakistan');
  });

  it("returns '' for null, undefined, booleans and NaN", () => {
    for (const value of [null, undefined, true, Number.NaN]) expect(toPlainText(value, 100)).toBe('');
  });

  it.each([
    '<img src=x onerror=alert(1)>Text',
    '&lt;img src=x onerror=alert(1)&gt;Text',
    '&amp;lt;script&amp;gt;x()&amp;lt;/script&amp;gt;',
    '&amp;amp;lt;b&amp;amp;gt;triple',
    'a < b > c',
    '<<b>>nested<</b>>',
    '<a href="x>y">link</a>',
    '<script>unclosed',
    '&#60;b&#62;numeric&#x3c;/b&#x3e;',
  ])('never lets "<" or ">" through: %s', (input) => {
    const out = toPlainText(input, 500);
    expect(out).not.toMatch(/[<>]/);
  });
});

describe('fieldToString', () => {
  it('passes strings through untouched', () => {
    expect(fieldToString(' <b>x</b> ')).toBe(' <b>x</b> ');
  });

  it('turns finite numbers into strings', () => {
    expect(fieldToString(42)).toBe('42');
    expect(fieldToString(Number.POSITIVE_INFINITY)).toBe('');
  });

  it('follows nested `_` fields and arrays', () => {
    expect(fieldToString([{ _: { _: 'deep' } }, 'x'])).toBe('deep x');
  });
});

describe('truncate', () => {
  it('returns text that fits unchanged', () => {
    expect(truncate('short', 10)).toBe('short');
    expect(truncate('exactly10!', 10)).toBe('exactly10!');
  });

  it('cuts at a word boundary and marks the cut with an ellipsis', () => {
    expect(truncate('alpha beta gamma delta epsilon', 12)).toBe('alpha beta…');
  });

  it('cuts inside a word when there is no late enough space', () => {
    expect(truncate('Supercalifragilistic', 8)).toBe('Superca…');
  });

  it('drops trailing punctuation before the ellipsis', () => {
    expect(truncate('Iran, Pakistan, China, and others', 16)).toBe('Iran, Pakistan…');
  });

  it('never exceeds max', () => {
    const text = 'The two neighbours agreed, after a call, to return ambassadors; a visit follows. '.repeat(5);
    for (let max = 0; max <= text.length + 2; max++) {
      expect(truncate(text, max).length).toBeLessThanOrEqual(max);
    }
  });

  it('handles max of 0 and 1 without an ellipsis', () => {
    expect(truncate('abc', 0)).toBe('');
    expect(truncate('abc', 1)).toBe('a');
  });
});

describe('splitSentences', () => {
  it('splits on sentence ends followed by a capital', () => {
    expect(splitSentences('Envoys return. The minister will visit! Talks? Yes.')).toEqual(['Envoys return.', 'The minister will visit!', 'Talks?', 'Yes.']);
  });

  it('does not split inside numbers or before lower-case words', () => {
    expect(splitSentences('Trade rose 3.5 per cent. e.g. more fuel.')).toEqual(['Trade rose 3.5 per cent. e.g. more fuel.']);
  });

  it('splits on newlines and drops empty pieces', () => {
    expect(splitSentences('Headline\n\nStandfirst here')).toEqual(['Headline', 'Standfirst here']);
  });
});
