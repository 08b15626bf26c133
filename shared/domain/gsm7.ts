/**
 * GSM 03.38 default alphabet. One SMS segment holds 160 of these (153 when concatenated);
 * a single character outside it switches the whole message to UCS-2 and 70 characters.
 */
const BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
/** Characters sent as an escape plus one: they cost two septets. */
const EXTENDED = '^{}\\[~]|€';
const BASIC_SET = new Set(BASIC);
const EXTENDED_SET = new Set(EXTENDED);

/** Non-GSM characters that have a faithful GSM spelling. */
const REPLACEMENTS: Record<string, string> = {
  '‘': "'", '’': "'", '‚': "'", '‛': "'", '′': "'", '´': "'", '`': "'",
  '“': '"', '”': '"', '„': '"', '‟': '"', '″': '"', '«': '"', '»': '"',
  '–': '-', '—': '-', '―': '-', '‐': '-', '‑': '-', '−': '-',
  '…': '...', '•': '-', '·': '-', '\u00a0': ' ', '\u2009': ' ', '\u202f': ' ', '\t': ' ',
  'á': 'a', 'â': 'a', 'ã': 'a', 'ā': 'a', 'ç': 'c', 'ê': 'e', 'ë': 'e', 'ē': 'e', 'í': 'i', 'î': 'i', 'ï': 'i', 'ī': 'i',
  'ó': 'o', 'ô': 'o', 'õ': 'o', 'ō': 'o', 'ú': 'u', 'û': 'u', 'ū': 'u', 'ý': 'y', 'ÿ': 'y', 'š': 's', 'ž': 'z',
  'Á': 'A', 'À': 'A', 'Â': 'A', 'Ã': 'A', 'Ā': 'A', 'È': 'E', 'Ê': 'E', 'Ë': 'E', 'Í': 'I', 'Ì': 'I', 'Î': 'I', 'Ï': 'I',
  'Ó': 'O', 'Ò': 'O', 'Ô': 'O', 'Õ': 'O', 'Ú': 'U', 'Ù': 'U', 'Û': 'U', 'Ý': 'Y', 'Š': 'S', 'Ž': 'Z',
};

/** Text rewritten into the GSM-7 alphabet: known look-alikes replaced, accents dropped, the rest removed. */
export function toGsm7(text: string): string {
  let out = '';
  for (const ch of text.normalize('NFC')) {
    if (BASIC_SET.has(ch) || EXTENDED_SET.has(ch)) out += ch;
    else if (REPLACEMENTS[ch] !== undefined) out += REPLACEMENTS[ch];
    else {
      const stripped = ch.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
      out += [...stripped].every((c) => BASIC_SET.has(c)) ? stripped : '';
    }
  }
  return out.replace(/ {2,}/g, ' ');
}

/** Septets the text needs, or null when it is not GSM-7 at all. */
export function gsm7Length(text: string): number | null {
  let n = 0;
  for (const ch of text) {
    if (BASIC_SET.has(ch)) n += 1;
    else if (EXTENDED_SET.has(ch)) n += 2;
    else return null;
  }
  return n;
}

export const SMS_SEGMENT = 160;

export function fitsOneSegment(text: string): boolean {
  const n = gsm7Length(text);
  return n !== null && n <= SMS_SEGMENT;
}
