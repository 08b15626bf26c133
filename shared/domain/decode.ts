/**
 * Bytes of a feed to text. The order follows the XML spec's appendix F and what browsers do:
 * a byte-order mark wins, then the HTTP charset, then the XML declaration, then UTF-8.
 * Invalid bytes become U+FFFD; decoding never throws.
 */
export function decodeFeed(bytes: Uint8Array, contentType?: string): { text: string; encoding: string } {
  const bom = sniffBom(bytes);
  const sniffed = sniffUtf16(bytes);
  const encoding = bom?.encoding ?? sniffed ?? singleByteSafe(usable(charsetOf(contentType))) ?? singleByteSafe(usable(xmlDeclaredEncoding(bytes))) ?? 'utf-8';
  const decoder = new TextDecoder(encoding, { fatal: false, ignoreBOM: false });
  const text = decoder.decode(bytes);
  return { text: decoder.encoding === 'windows-1252' ? fixCp1252(text) : text, encoding: decoder.encoding };
}

/**
 * windows-1252 bytes 0x80-0x9F (curly quotes, dashes, the euro sign). Node 20.18.3+ and 22.13+
 * decode the label as ISO-8859-1 and leave C1 control characters there (nodejs/node#56542);
 * latin1 and iso-8859-1 labels mean windows-1252 too (WHATWG Encoding), so both get this table.
 */
const CP1252: Record<number, string> = {
  0x80: '€', 0x82: '‚', 0x83: 'ƒ', 0x84: '„', 0x85: '…', 0x86: '†', 0x87: '‡', 0x88: 'ˆ', 0x89: '‰', 0x8a: 'Š', 0x8b: '‹', 0x8c: 'Œ', 0x8e: 'Ž',
  0x91: '‘', 0x92: '’', 0x93: '“', 0x94: '”', 0x95: '•', 0x96: '–', 0x97: '—', 0x98: '˜', 0x99: '™', 0x9a: 'š', 0x9b: '›', 0x9c: 'œ', 0x9e: 'ž', 0x9f: 'Ÿ',
};

function fixCp1252(text: string): string {
  return text.replace(/[\u0080-\u009f]/g, (c) => CP1252[c.charCodeAt(0)] ?? c);
}

function sniffBom(bytes: Uint8Array): { encoding: string } | null {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return { encoding: 'utf-8' };
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { encoding: 'utf-16le' };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { encoding: 'utf-16be' };
  return null;
}

/** "<?xml" in UTF-16 without a BOM. */
function sniffUtf16(bytes: Uint8Array): string | null {
  if (bytes[0] === 0x3c && bytes[1] === 0x00 && bytes[2] === 0x3f && bytes[3] === 0x00) return 'utf-16le';
  if (bytes[0] === 0x00 && bytes[1] === 0x3c && bytes[2] === 0x00 && bytes[3] === 0x3f) return 'utf-16be';
  return null;
}

export function charsetOf(contentType?: string): string | undefined {
  const match = contentType?.match(/charset\s*=\s*["']?([\w.:-]+)/i);
  return match?.[1]?.toLowerCase();
}

function xmlDeclaredEncoding(bytes: Uint8Array): string | undefined {
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 200));
  return head.match(/^\s*<\?xml[^>]*\bencoding\s*=\s*["']([\w.:-]+)["']/i)?.[1]?.toLowerCase();
}

/**
 * A UTF-16 label on bytes that are not UTF-16 (no BOM, "<?xml" readable one byte per character)
 * is a mislabel: decoding by it would turn every pair of ASCII bytes into one CJK character.
 */
function singleByteSafe(label: string | undefined): string | undefined {
  return label && /^utf-?16/i.test(label) ? undefined : label;
}

/** The label if this runtime's TextDecoder knows it; unknown labels fall through to the next rule. */
function usable(label: string | undefined): string | undefined {
  if (!label) return undefined;
  try {
    new TextDecoder(label);
    return label;
  } catch {
    return undefined;
  }
}
