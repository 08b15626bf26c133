import { decodeHTML } from 'entities';

/** Elements whose content is never readable text. */
const DROP_OPEN = /<(script|style|noscript|template|iframe|object|svg|math)\b/gi;
const COMMENTS = /<!--[\s\S]*?-->/g;
const CDATA = /<!\[CDATA\[([\s\S]*?)\]\]>/g;
const BLOCK_TAGS = /<\/?(p|div|br|li|ul|ol|h[1-6]|tr|td|blockquote|section|article|figure|figcaption)\b[^<>]*>/gi;
const TAGS = /<\/?[a-zA-Z][^<>]*>/g;
const UNSAFE_SCHEME = /\b(?:javascript|vbscript|livescript|data)\s*:/gi;
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u200B-\u200F\u2028\u2029\uFEFF]/g;

/**
 * Any feed field to plain text: markup stripped, entities decoded, whitespace folded, capped.
 * Repeats over decoded entities because feeds escape their markup, sometimes twice
 * ("&amp;lt;p&amp;gt;"). Script-scheme words are removed so no "javascript:" survives as text.
 * Accepts anything: parsers hand back objects for some titles, which must not leak as "[object Object]".
 */
export function toPlainText(value: unknown, maxLength: number): string {
  const raw = fieldToString(value);
  if (!raw) return '';
  let text = raw.replace(CDATA, '$1');
  // Most titles carry neither markup nor entities: nothing to strip or decode.
  for (let pass = 0; pass < 3 && (text.includes('<') || text.includes('&')); pass++) {
    text = dropElements(text.replace(COMMENTS, ' ')).replace(BLOCK_TAGS, ' ').replace(TAGS, '');
    const decoded = decodeHTML(text);
    if (decoded === text) break;
    text = decoded;
  }
  // Whatever survived decoding must not look like markup to a reader of the alert.
  text = text.replace(/[<>]/g, ' ').replace(UNSAFE_SCHEME, '').replace(CONTROL, ' ').replace(/\s+/g, ' ').trim();
  return truncate(text, maxLength);
}

/**
 * Removes script, style and other elements whose content is never text, opening tag to closing
 * tag; an element never closed runs to the end. A scan, not a regex: `<script[\s\S]*?</script>`
 * rescans to the end from every unclosed '<script' (quadratic on hostile input).
 */
function dropElements(text: string): string {
  DROP_OPEN.lastIndex = 0;
  let open = DROP_OPEN.exec(text);
  if (!open) return text;
  const lower = text.toLowerCase();
  let out = '';
  let at = 0;
  for (; open; open = DROP_OPEN.exec(text)) {
    out += `${text.slice(at, open.index)} `;
    const close = lower.indexOf(`</${(open[1] as string).toLowerCase()}`, open.index + open[0].length);
    const end = close < 0 ? -1 : text.indexOf('>', close);
    at = end < 0 ? text.length : end + 1;
    DROP_OPEN.lastIndex = at;
  }
  return at === 0 ? text : out + text.slice(at);
}

/** Strings pass; arrays and the `{_: text}` objects xml2js produces give their text; other objects give ''. */
export function fieldToString(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (Array.isArray(value)) return value.map(fieldToString).filter(Boolean).join(' ');
  if (value && typeof value === 'object' && '_' in value) return fieldToString((value as { _: unknown })._);
  return '';
}

/** Cut at a word boundary and mark the cut with an ellipsis; never longer than max. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= 1) return text.slice(0, max);
  const cut = text.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  const base = space > max * 0.6 ? cut.slice(0, space) : cut;
  return `${base.replace(/[\s,;:.-]+$/, '')}…`;
}

/** Sentences of a plain text, keeping the headline and standfirst apart from each other. */
export function splitSentences(text: string): string[] {
  return text
    .split(/(?<=[.!?])\s+(?=["'“‘(]?[A-Z0-9])|\n+/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}
