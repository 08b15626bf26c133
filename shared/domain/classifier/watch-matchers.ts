import type { Official, Watch, WatchCountry } from '../watch.ts';
import { EVENT_LEXICON, type Trigger } from '../event-lexicon.ts';
import { SHOT_DOWN } from './cues.ts';

/**
 * Stage 1 of the classifier: a watch (two states and the words that name them) compiled into
 * matchers, and the look-up of each state's mentions in a sentence.
 */

export interface Mention {
  country: string;
  index: number;
  end: number;
  kind: 'name' | 'demonym' | 'place' | 'capital' | 'institution' | 'official' | 'both';
  /** for officials: everyone who has been called this (the date picks one) */
  officials?: Official[];
}

interface TermInfo {
  kind: Mention['kind'];
  officials: Official[];
}

interface CompiledCountry {
  code: string;
  country: WatchCountry;
  /** term → what it names: acronyms by exact case, the rest lower-cased */
  exact: Map<string, TermInfo>;
  folded: Map<string, TermInfo>;
  /** the longest term, in words */
  maxWords: number;
  /** lower-cased first words of all terms: most words start none and cost one look-up */
  firstWords: Set<string>;
  territory: RegExp;
  ownership: RegExp;
  /** "the Iranian foreign minister", "his Pakistani counterpart" */
  rolePhrase: RegExp;
  counterpartPhrase: RegExp;
}

export interface CompiledWatch {
  watch: Watch;
  countries: [CompiledCountry, CompiledCountry];
  thirdParty: RegExp[];
  pairing: RegExp;
  triggers: Trigger[];
  /**
   * Any word that could start a term of either state, standing alone. Every relevance rule needs
   * a mention, and matchTerms finds one only at such a word, so text without a match is out.
   */
  anyName: RegExp;
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Term matchers: acronyms (all capitals) match case-sensitively so "FO" never matches "for";
 * other terms ignore case. Node 20 has no inline (?i:) groups, hence two patterns.
 */
function termPatterns(terms: string[]): RegExp[] {
  const unique = [...new Set(terms.filter(Boolean))].sort((a, b) => b.length - a.length);
  // Hyphens are boundaries: "Iran-Pakistan border", "Quetta-Zahedan train".
  const wrap = (list: string[], flags: string) => new RegExp(`\\b(?:${list.map(escapeRe).join('|')})(?:'s|’s)?(?![\\w])`, flags);
  const sensitive = unique.filter((t) => t === t.toUpperCase());
  const insensitive = unique.filter((t) => t !== t.toUpperCase());
  const patterns: RegExp[] = [];
  if (insensitive.length) patterns.push(wrap(insensitive, 'gi'));
  if (sensitive.length) patterns.push(wrap(sensitive, 'g'));
  return patterns;
}

const TITLES = ['PM', 'Premier', 'Prime Minister', 'DPM', 'Deputy PM', 'Deputy Prime Minister', 'President', 'FM', 'Foreign Minister', 'Gen', 'Gen.', 'General', 'COAS', 'Field Marshal', 'Minister', 'Interior Minister', 'Ambassador', 'Dr', 'Mr', 'Ms', 'Mrs'];

/** Name forms of an office holder: the full name, aliases, and "PM Khan" style title + surname. */
function officialTerms(official: Official): string[] {
  const surname = official.name.split(/\s+/).at(-1) ?? official.name;
  return [official.name, ...official.aliases, ...TITLES.map((t) => `${t} ${surname}`)];
}

const POSSESSIVE = /(?:'s|’s)$/;
/** Words for term look-up; hyphens split ("Iran-Pakistan"), a term may span them ("Sistan-Baluchestan"). */
export const WORD = /[\p{L}\p{N}][\p{L}\p{N}.'’&]*/gu;

/**
 * Mentions of a country's terms: each run of 1..maxWords words, longest first, looked up in the
 * term maps. Map look-ups instead of one huge alternation keep this at a few microseconds.
 */
export function matchTerms(sentence: string, words: { start: number; end: number }[], c: CompiledCountry): Mention[] {
  const out: Mention[] = [];
  for (let i = 0; i < words.length; ) {
    const w = words[i] as { start: number; end: number };
    const first = sentence.slice(w.start, w.end).replace(POSSESSIVE, '').replace(/\.$/, '').toLowerCase();
    if (!c.firstWords.has(first)) {
      i++;
      continue;
    }
    let matched = 0;
    for (let n = Math.min(c.maxWords, words.length - i); n >= 1 && !matched; n--) {
      const start = (words[i] as { start: number }).start;
      const end = (words[i + n - 1] as { end: number }).end;
      const raw = sentence.slice(start, end);
      const possessive = POSSESSIVE.test(raw);
      for (const candidate of candidatesOf(possessive ? raw.replace(POSSESSIVE, '') : raw)) {
        const info = c.exact.get(candidate) ?? c.folded.get(candidate.toLowerCase());
        if (!info) continue;
        out.push({ country: c.code, index: start, end, kind: info.kind, ...(info.officials.length ? { officials: info.officials } : {}) });
        matched = n;
        break;
      }
    }
    i += matched || 1;
  }
  return out;
}

/** "Gen." and "U.S." keep their dots; a sentence's full stop does not belong to a term. */
function candidatesOf(raw: string): string[] {
  return raw.endsWith('.') ? [raw, raw.slice(0, -1)] : [raw];
}

function compileCountry(country: WatchCountry): CompiledCountry {
  const exact = new Map<string, TermInfo>();
  const folded = new Map<string, TermInfo>();
  const add = (kind: Mention['kind'], terms: string[], official?: Official) => {
    for (const term of terms) {
      const sensitive = term === term.toUpperCase();
      const map = sensitive ? exact : folded;
      const key = sensitive ? term : term.toLowerCase();
      const info = map.get(key);
      // The first kind wins for a term (a name is not also a place); officials accumulate.
      if (!info) map.set(key, { kind, officials: official ? [official] : [] });
      else if (official && info.kind === 'official' && !info.officials.includes(official)) info.officials.push(official);
    }
  };
  add('name', country.names);
  add('demonym', country.demonyms);
  add('capital', country.places.slice(0, 1));
  add('place', country.places.slice(1));
  add('institution', country.institutions);
  for (const official of country.officials) add('official', officialTerms(official), official);
  const allTerms = [...exact.keys(), ...folded.keys()];
  const maxWords = Math.max(...allTerms.map((t) => t.split(/[\s-]+/).length));
  const firstWords = new Set(allTerms.map((t) => (t.split(/[\s-]+/)[0] ?? '').toLowerCase().replace(/\.$/, '')));
  const land = [...country.names, ...country.places].map(escapeRe).join('|');
  const adjective = [...country.names.map((n) => `${n}'s`), ...country.demonyms].map(escapeRe).join('|');
  const adjectives = [...country.names, ...country.demonyms, ...country.places.slice(0, 1)].map(escapeRe).join('|');
  return {
    code: country.code,
    country,
    exact,
    folded,
    maxWords,
    firstWords,
    // "inside Pakistan", "into Pakistani territory", "in Iran's Sistan-Baluchestan"
    territory: new RegExp(`\\b(?:in|inside|into|on|over|across|within|deep in)\\s+(?:the\\s+)?(?:neighbou?ring\\s+)?(?:(?:${land})\\b|(?:${adjective})\\s+(?:territory|soil|airspace|side|waters|border (?:area|region|town|village)|province|region|village|town|district))`, 'i'),
    // "from Iranian soil", "from the Iranian side", "came from camps in Iran"
    ownership: new RegExp(`\\bfrom\\s+(?:the\\s+)?(?:(?:${adjective})\\s+(?:soil|side|territory|border|airspace)|(?:camps|bases|hideouts|sanctuaries|havens)\\s+in\\s+(?:${land}))`, 'i'),
    rolePhrase: new RegExp(`\\b(?:${adjectives})(?:'s|’s)?\\s+(?:caretaker\\s+|new\\s+)?(foreign minister|FM|president|prime minister|premier|army chief|interior minister|supreme leader)\\b`, 'i'),
    counterpartPhrase: new RegExp(`\\b(?:${adjectives})(?:'s|’s)?\\s+counterpart\\b`, 'i'),
  };
}

export function compileWatch(watch: Watch): CompiledWatch {
  const [a, b] = watch.countries as [WatchCountry, WatchCountry];
  const countries: [CompiledCountry, CompiledCountry] = [compileCountry(a), compileCountry(b)];
  const nameAlt = (c: WatchCountry) => [...c.names, ...c.demonyms, ...c.places.slice(0, 1)].map(escapeRe).join('|');
  // "Iran and Pakistan", "Pakistan, Iran", "Pakistan-Iran", "Tehran and Islamabad"
  const pairing = new RegExp(`(?:${nameAlt(a)})(?:'s|’s)?\\s*(?:and|,|-|–|—|&|/)\\s*(?:${nameAlt(b)})|(?:${nameAlt(b)})(?:'s|’s)?\\s*(?:and|,|-|–|—|&|/)\\s*(?:${nameAlt(a)})`, 'i');
  const lands = [a, b].flatMap((c) => [...c.names, ...c.places]).map(escapeRe).join('|');
  const adjectives = [a, b].flatMap((c) => [...c.names.map((n) => `${n}'s`), ...c.demonyms]).map(escapeRe).join('|');
  const aimedAt = `(?:inside|into|in|on|deep in)\\s+(?:the\\s+)?(?:neighbou?ring\\s+)?(?:(?:${lands})\\b|(?:${adjectives})\\s+(?:territory|soil|side|airspace|border))`;
  const institutions = [a, b].flatMap((c) => c.institutions).map(escapeRe).join('|');
  const triggers: Trigger[] = [
    // "Iran's drones", "Pakistani jets" over the other's land: a strike
    {
      type: 'strike' as const,
      pattern: new RegExp(`\\b(?:${adjectives})\\s+(?:missiles?|drones?|jets|warplanes|air ?strikes?|airstrikes?|drone strikes?|missile strikes?)\\b`, 'i'),
      unless: new RegExp(`${SHOT_DOWN.source}|\\bintercepted\\b`, 'i'),
    },
    ...EVENT_LEXICON,
    // "Pakistan hits back at Iran": a retaliatory strike, the hitter named first
    { type: 'strike' as const, pattern: new RegExp(`\\b(?:hits?|strikes?|struck)\\s+back\\s+(?:at\\s+)?(?:${lands})\\b`, 'i') },
    // "Iran strikes militant bases inside Pakistan": a strike verb aimed at a watched territory
    {
      type: 'strike',
      pattern: new RegExp(`\\b(?:strikes?|struck|hits?|targets?|targeted|attacks?|attacked|bombs?|bombed|pounds?|pounded|fires? (?:missiles?|drones?)|fired (?:missiles?|drones?))\\b[^.;:!?]{0,60}\\b${aimedAt}`, 'i'),
      // a terrorist or armed attack in a city is not one state striking the other
      unless: /\b(?:terror(?:ist)?|suicide|militant|armed|gun|bomb)\s+(?:attacks?|bombings?|bombs?|blasts?|assaults?|raids?)\b|\b(?:earthquakes?|quakes?|tremors?|aftershocks?|floods?|storms?|cyclones?|locusts?|blasts?|explosions?|bombers?)\b/i,
    },
    // "Pakistan, Iran to keep border open": the two as one subject of a joint step is a measure
    // agreed (a plan to talk or visit is that act, found by its own words; "to see record heat" is no step).
    {
      type: 'agreement' as const,
      pattern: new RegExp(`^(?:${nameAlt(a)}|${nameAlt(b)})(?:'s|’s)?\\s*(?:and|,|-|–|&)\\s*(?:${nameAlt(a)}|${nameAlt(b)})\\s+(?:to|will)\\s+(?:jointly\\s+)?(?:expand|boost|enhance|increase|strengthen|step up|beef up|keep|open|reopen|set up|establish|form|build|launch|extend|cooperate|work together|fight|combat|curb|tackle|share|exchange|conduct|develop|promote|facilitate|swap|release|repatriate|complete|finalise|finalize|upgrade|connect|link|fence|patrol|deploy|revive|restart|double|raise)\\b`, 'i'),
    },
    // "Iranian guards kill three Pakistani fuel carriers", "Pakistani troops fire on Iranian guards":
    // one state's forces acting on the other's people or posts.
    {
      type: 'border_incident' as const,
      pattern: new RegExp(`\\b(?:${adjectives})\\s+(?:border\\s+)?(?:guards|forces|troops|soldiers|security forces|police|navy|coast guards?)\\s+(?:(?:kill\\w*|shoot\\w*|shot(?: dead)?|kidnap\\w*|abduct\\w*|seiz\\w*|detain\\w*|arrest\\w*)\\s+(?:(?:\\d+|a|an|the|two|three|four|five|six|seven|eight|nine|ten|several|dozens of|some)\\s+)?|(?:fire[sd]?|open(?:ed)? fire)\\s+(?:on|at)\\s+(?:(?:a|an|the)\\s+)?(?:[\\w-]+\\s+)?)(?:${adjectives}|${institutions})\\b`, 'i'),
    },
    // "IRGC frees guards in operation inside Pakistan": forces crossing the line
    {
      type: 'border_incident',
      pattern: new RegExp(`\\b(?:operation|raid|raided|incursion|crossed|cross|chase[sd]?|pursu\\w+|intrud\\w+|troops)\\b[^.;:!?]{0,50}\\b${aimedAt}`, 'i'),
      requires: /\b(?:forces|troops|guards|soldiers|personnel|IRGC|army|military|operation|raid|incursion)\b/i,
    },
  ];
  const firstWords = [...new Set(countries.flatMap((c) => [...c.firstWords]))].filter(Boolean).sort((x, y) => y.length - x.length);
  const alternation = firstWords.map(escapeRe).join('|');
  // ASCII edges when every word is ASCII: a third of the time of Unicode lookarounds.
  const anyName = firstWords.every((w) => /^[\x20-\x7e]+$/.test(w))
    ? new RegExp(`(?:^|[^A-Za-z0-9])(?:${alternation})(?![A-Za-z0-9])`, 'i')
    : new RegExp(`(?<![\\p{L}\\p{N}])(?:${alternation})(?![\\p{L}\\p{N}])`, 'iu');
  return { watch, countries, thirdParty: termPatterns(watch.thirdParties), pairing, triggers, anyName };
}
