/**
 * Bytes of a feed to text. The order follows the XML spec's appendix F and what browsers do:
 * a byte-order mark wins, then the HTTP charset, then the XML declaration, then UTF-8.
 * Invalid bytes become U+FFFD; decoding never throws.
 */
export function decodeFeed(bytes: Uint8Array, contentType?: string): { text: string; encoding: string } {
  const bom = sniffBom(bytes);
  const encoding = bom?.encoding ?? usable(charsetOf(contentType)) ?? usable(xmlDeclaredEncoding(bytes)) ?? sniffUtf16(bytes) ?? 'utf-8';
  const decoder = new TextDecoder(encoding, { fatal: false, ignoreBOM: false });
  return { text: decoder.decode(bytes), encoding: decoder.encoding };
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
