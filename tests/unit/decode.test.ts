import { describe, it, expect } from 'vitest';
import { charsetOf, decodeFeed } from '#shared/domain/decode.ts';

const utf8 = (s: string) => new TextEncoder().encode(s);
const bytes = (...parts: (string | number[])[]) => Uint8Array.from(parts.flatMap((p) => (typeof p === 'string' ? [...utf8(p)] : p)));

function utf16(s: string, littleEndian: boolean, bom: boolean): Uint8Array {
  const out: number[] = bom ? (littleEndian ? [0xff, 0xfe] : [0xfe, 0xff]) : [];
  for (let i = 0; i < s.length; i++) {
    const code = s.charCodeAt(i);
    const [hi, lo] = [code >> 8, code & 0xff];
    out.push(...(littleEndian ? [lo, hi] : [hi, lo]));
  }
  return Uint8Array.from(out);
}

describe('decodeFeed', () => {
  it('decodes plain UTF-8 by default', () => {
    expect(decodeFeed(utf8('<rss>Zürich – “talks”</rss>'))).toEqual({ text: '<rss>Zürich – “talks”</rss>', encoding: 'utf-8' });
  });

  it('honours a UTF-8 BOM and strips it from the text', () => {
    const out = decodeFeed(bytes([0xef, 0xbb, 0xbf], '<rss>é</rss>'), 'text/xml; charset=windows-1252');
    expect(out).toEqual({ text: '<rss>é</rss>', encoding: 'utf-8' });
  });

  it('honours a UTF-16LE BOM', () => {
    const out = decodeFeed(utf16('<?xml version="1.0"?><rss>ایران</rss>', true, true));
    expect(out).toEqual({ text: '<?xml version="1.0"?><rss>ایران</rss>', encoding: 'utf-16le' });
  });

  it('honours a UTF-16BE BOM', () => {
    const out = decodeFeed(utf16('<rss>پاکستان</rss>', false, true));
    expect(out).toEqual({ text: '<rss>پاکستان</rss>', encoding: 'utf-16be' });
  });

  it('sniffs BOM-less UTF-16LE from the "<?" of the XML declaration', () => {
    expect(decodeFeed(utf16('<?xml version="1.0"?><rss/>', true, false)).encoding).toBe('utf-16le');
  });

  it('uses the HTTP charset: windows-1252 byte 0xE9 is é', () => {
    const out = decodeFeed(bytes('<t>caf', [0xe9], '</t>'), 'application/rss+xml; charset=windows-1252');
    expect(out).toEqual({ text: '<t>café</t>', encoding: 'windows-1252' });
  });

  it('uses the HTTP charset: windows-1252 bytes 0x93/0x94 are curly quotes and 0x80 is €', () => {
    const out = decodeFeed(bytes('<t>', [0x93], 'talks', [0x94], ' ', [0x80], '5 ', [0x96], ' done', [0x85], '</t>'), 'text/xml; charset=windows-1252');
    expect(out).toEqual({ text: '<t>“talks” €5 – done…</t>', encoding: 'windows-1252' });
  });

  it('gives the windows-1252 characters for bytes 0x80-0x9F under an iso-8859-1 XML declaration too', () => {
    const out = decodeFeed(bytes('<?xml version="1.0" encoding="iso-8859-1"?><t>', [0x91], 'x', [0x92], '</t>'));
    expect(out.text.endsWith('<t>‘x’</t>')).toBe(true);
  });

  it('lets the HTTP charset win over the XML declaration', () => {
    const out = decodeFeed(bytes('<?xml version="1.0" encoding="iso-8859-1"?><t>', [0xc3, 0xa9], '</t>'), 'text/xml; charset="UTF-8"');
    expect(out.text.endsWith('<t>é</t>')).toBe(true);
    expect(out.encoding).toBe('utf-8');
  });

  it('uses the XML declaration when there is no HTTP charset: iso-8859-1 byte 0xE9 is é', () => {
    const out = decodeFeed(bytes('<?xml version="1.0" encoding="ISO-8859-1"?><t>', [0xe9], '</t>'), 'application/xml');
    expect(out.text).toBe('<?xml version="1.0" encoding="ISO-8859-1"?><t>é</t>');
    // WHATWG maps the iso-8859-1 label to windows-1252.
    expect(out.encoding).toBe('windows-1252');
  });

  it('replaces invalid UTF-8 bytes with U+FFFD without throwing', () => {
    const input = bytes('A', [0xff], 'B', [0xc3]);
    expect(() => decodeFeed(input)).not.toThrow();
    expect(decodeFeed(input).text).toBe('A\uFFFDB\uFFFD');
  });

  it('lets an unknown HTTP charset label fall through to the XML declaration', () => {
    const out = decodeFeed(bytes('<?xml version="1.0" encoding="iso-8859-1"?><t>', [0xe9], '</t>'), 'text/xml; charset=x-no-such-charset');
    expect(out.text.endsWith('<t>é</t>')).toBe(true);
    expect(out.encoding).toBe('windows-1252');
  });

  it('lets unknown charset labels everywhere fall through to UTF-8', () => {
    const out = decodeFeed(bytes('<?xml version="1.0" encoding="klingon-7"?><t>é</t>'), 'text/xml; charset=x-bogus');
    expect(out.encoding).toBe('utf-8');
    expect(out.text.endsWith('<t>é</t>')).toBe(true);
  });

  it('decodes an empty body to an empty string', () => {
    expect(decodeFeed(new Uint8Array())).toEqual({ text: '', encoding: 'utf-8' });
  });
});

describe('charsetOf', () => {
  it('reads the charset parameter, lower-cased, with or without quotes', () => {
    expect(charsetOf('text/xml; charset=ISO-8859-1')).toBe('iso-8859-1');
    expect(charsetOf('text/xml;charset="Windows-1252"')).toBe('windows-1252');
    expect(charsetOf("text/xml; charset = 'utf-8'")).toBe('utf-8');
  });

  it('gives undefined when there is no charset', () => {
    expect(charsetOf('application/rss+xml')).toBeUndefined();
    expect(charsetOf(undefined)).toBeUndefined();
  });
});

describe('decodeFeed with a UTF-16 label on single-byte bytes', () => {
  it('ignores the mislabel and decodes UTF-8', () => {
    const bytes = new TextEncoder().encode('<?xml version="1.0" encoding="UTF-16"?><rss><channel><title>Dawn</title></channel></rss>');
    expect(decodeFeed(bytes).text).toContain('<title>Dawn</title>');
    expect(decodeFeed(bytes, 'text/xml; charset=utf-16').text).toContain('<title>Dawn</title>');
  });
});
