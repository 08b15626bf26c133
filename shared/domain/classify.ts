import type { Actor, Classification, EventDate, EventType } from './types.ts';
import type { Official, Watch, WatchCountry } from './watch.ts';
import { splitSentences } from './text.ts';
import { resolveDates } from './dates.ts';
import { EVENT_LEXICON, type Trigger } from './event-lexicon.ts';

/**
 * Rule-based event coder for one or more watches (dyads), following TAXONOMY.md.
 *
 * 1. Sentences: the headline, the standfirst (first three sentences: relevance is judged here
 *    only) and the rest of the lead (up to eight sentences: it may add cooperative detail, such
 *    as the call behind an agreement, never a new conflict).
 * 2. Mentions: each watched state by name, demonym, place, institution or office holder (with
 *    titles such as "PM Khan"), "the two neighbours" for both, and third parties.
 * 3. Clauses: words behind a background cue ("after last week's strikes", "over the killing
 *    of...") up to the next comma are background: they never make a type of conflict, never
 *    make the primary type, and a third party named there does not block relevance.
 * 4. Relevance: a sentence of the headline or standfirst names both states (or one, with the
 *    other in the headline) and an event trigger in its foreground; no third party is the
 *    acting subject ("China urges Iran and Pakistan..."), none sits in the foreground unless the
 *    two are paired; not sport; gestures and trade need a state actor, not "Pakistani traders".
 * 5. Primary type: the earliest foreground trigger of the headline (headlines lead with their
 *    main verb), else of the standfirst; "during the visit" style context never leads.
 * 6. Severity 1–5 as TAXONOMY.md; direction for strikes, incidents, recalls and protests.
 */

export { CLASSIFIER_VERSION } from './classifier-version.ts';

export interface ClassifyInput {
  title: string;
  summary?: string;
  /** ISO time the item was published; dates and officials' terms are resolved against it */
  published?: string;
}

export type Classifier = (input: ClassifyInput) => Classification;

/** Approximate CAMEO/PLOVER codes per type (TAXONOMY.md), for interoperability. */
export const CODES: Record<EventType, { cameo: string; plover: string }> = {
  envoy_recall: { cameo: '161', plover: 'SANCTION' },
  envoy_return: { cameo: '05', plover: 'COOPERATE' },
  visit: { cameo: '042', plover: 'CONSULT' },
  talks: { cameo: '040', plover: 'CONSULT' },
  agreement: { cameo: '057', plover: 'AGREE' },
  de_escalation: { cameo: '087', plover: 'RETREAT' },
  protest: { cameo: '111', plover: 'ACCUSE' },
  strike: { cameo: '195', plover: 'ASSAULT' },
  border_incident: { cameo: '190', plover: 'ASSAULT' },
  trade_energy: { cameo: '061', plover: 'COOPERATE' },
  other: { cameo: '010', plover: 'CONSULT' },
};

/** Acts of one state against the other: never background-born types, and they keep a direction. */
const CONFLICT: EventType[] = ['strike', 'border_incident', 'envoy_recall', 'protest'];
/** Types an item about people rather than states ("Pakistani traders") must not get on its own. */
const NEEDS_STATE_ACTOR: EventType[] = ['other', 'trade_energy', 'talks', 'visit'];

/** Tie-break among triggers at the same place. */
const PRIORITY: EventType[] = ['strike', 'envoy_recall', 'border_incident', 'envoy_return', 'de_escalation', 'protest', 'agreement', 'visit', 'trade_energy', 'talks', 'other'];

// ---------------------------------------------------------------------------------------------
// Clause cues

/** Everything after one of these, up to the next clause break, is background. */
const BACKGROUND_CUE =
  /\b(?:after|following|amid|amidst|since|over|under|in the wake of|in response to|in retaliation for|in protest at|in protest against|days after|weeks after|a day after|hours after|retaliating for|despite|because of|due to|blamed for|behind|for the|against the backdrop of|who had|which had|that had|before the)\b/gi;
const BACKGROUND_WORDS = /\b(?:last (?:week|month|year)'s|earlier|recent|previous|past|former|tit-for-tat)\b/i;
/** "during the Raisi visit", "on the sidelines of": context of the news, not the news. */
const CONTEXT_CUE = /\b(?:during|on the sidelines of|on the margins of|on the margin of|at the end of|ahead of|at a|at an|at the|in a|for a|to discuss|for talks|for the)\s+(?:\S+\s+){0,3}$/i;
const CLAUSE_BREAK = /[,;:—–]|\s-\s|\s--\s/;

/** "China urges restraint" is not the two agreeing to de-escalate. */
const APPEAL_BEFORE = /\b(?:urg(?:e|es|ed|ing)|call(?:s|ed)? (?:for|on)|appeal(?:s|ed)?|ask(?:s|ed)|press(?:es|ed)|hope(?:s|d)?|want(?:s|ed)?|wish(?:es)?|seek(?:s)?|offer(?:s|ed)? to help|mediat\w*)\b[^.;:!?]{0,60}$/i;

const BILATERAL =
  /\b(?:bilateral|counterparts?|between the two|both (?:countries|sides|nations|neighbou?rs|governments|states)|the two (?:countries|sides|neighbou?rs|nations|governments|states|ministers|foreign ministers|leaders|presidents|prime ministers|armies|militaries|capitals)|two neighbou?rs|each other|one another|mutual(?:ly)?|trilateral|sidelines|margins|joint)\b/i;
const BOTH_SIDES = /\b(?:the two (?:countries|sides|neighbou?rs|nations|governments|states|capitals)|both (?:countries|sides|nations|neighbou?rs|governments|states)|two neighbou?rs)\b/i;
/** Explainers, opinion and round-ups are not events (TAXONOMY.md). */
const EXPLAINER = /^(?:analysis|explainer|explained|opinion|podcast|video|watch|listen|comment|editorial|column|q&a|timeline|profile|factbox|fact ?check|in pictures|in depth|long read|view|viewpoint|blog)\s*[:|-]/i;
const MARKETS = /\b(?:rupee|rial|stocks?|shares|bourse|KSE|PSX|Brent|crude (?:prices|futures)|oil prices|gold (?:prices|hits|rises|falls)|markets? (?:rise|fall|slip|jump|rally|tumble)|investors|equities|bond yields?)\b|^(?:oil|gold|rupee)\b/i;
const SPORT =
  /\b(?:cricket|football|futsal|hockey|volleyball|basketball|wrestl\w+|kabaddi|squash|snooker|tournament|championships?|semi-?finals?|quarter-?finals?|(?:in|into|the|cup) final|friendly match|world cup|asian games|olympic\w*|medals?|squad|league|T20|ODI|innings|wickets?|goalkeeper|athletes?)\b/i;
const DEATHS = /\b(?:kill(?:s|ed|ing)?|dead|deadly|deaths?|martyr(?:ed|s|dom)?|lives|casualt(?:y|ies)|died|bodies|fatal\w*|slain|shot dead)\b/i;
const HEAD_OF_STATE = /\b(?:president|prime minister|premier|PM|foreign minister|FM|supreme leader|caretaker premier)\b/i;
const STATE_FIRE = /\b(?:forces?|guards?|troops|soldiers|army|military|jets?|missiles?|drones?|mortars?|artillery|shell(?:s|ed|ing)?|rockets?|fired|opened fire|IRGC|FC|Frontier Corps|Revolutionary Guards?)\b/i;
const OFFICIAL_LEVEL = /\b(?:officials?|secretar(?:y|ies)|deputy|director|commission|committee|working group|consultations|technical|border officials|experts|delegations?)\b/i;

/** A demonym followed by one of these is a state actor ("Iranian guards"), not civilians. */
const STATE_NOUN =
  /^(?:\s+(?:and|[\w-]+(?:'s|’s)?)){0,4}?\s+(?:FM|minister|ministers|ministry|president|PM|premier|prime minister|ambassador|envoy|embassy|consulate|consul|diplomats?|officials?|government|authorities|forces|guards?|army|troops|soldiers|navy|military|delegation|leaders?|leadership|spokes\w*|parliament|lawmakers|speaker|chief|commander|counterpart|side|jets?|missiles?|drones?|projectiles|rockets?|mortars?|shells|munitions|aircraft|warplanes|boats|vessels|strikes?|attacks?|raids?|shelling|fire|firing|operations?|incursions?|advisers?|secretar(?:y|ies)|negotiators|delegates|police|officers?|red crescent|judiciary|court|state|nation|people|capital|territory|soil|airspace|waters|leg|section|part)\b/i;

// ---------------------------------------------------------------------------------------------
// Watches compiled to matchers

interface Mention {
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

interface CompiledWatch {
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

const TITLES = ['PM', 'Premier', 'Prime Minister', 'President', 'FM', 'Foreign Minister', 'Gen', 'Gen.', 'General', 'COAS', 'Field Marshal', 'Minister', 'Interior Minister', 'Ambassador', 'Dr', 'Mr', 'Ms', 'Mrs'];

/** Name forms of an office holder: the full name, aliases, and "PM Khan" style title + surname. */
function officialTerms(official: Official): string[] {
  const surname = official.name.split(/\s+/).at(-1) ?? official.name;
  return [official.name, ...official.aliases, ...TITLES.map((t) => `${t} ${surname}`)];
}

const POSSESSIVE = /(?:'s|’s)$/;
/** Words for term look-up; hyphens split ("Iran-Pakistan"), a term may span them ("Sistan-Baluchestan"). */
const WORD = /[\p{L}\p{N}][\p{L}\p{N}.'’&]*/gu;

/**
 * Mentions of a country's terms: each run of 1..maxWords words, longest first, looked up in the
 * term maps. Map look-ups instead of one huge alternation keep this at a few microseconds.
 */
function matchTerms(sentence: string, words: { start: number; end: number }[], c: CompiledCountry): Mention[] {
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

function compileWatch(watch: Watch): CompiledWatch {
  const [a, b] = watch.countries as [WatchCountry, WatchCountry];
  const countries: [CompiledCountry, CompiledCountry] = [compileCountry(a), compileCountry(b)];
  const nameAlt = (c: WatchCountry) => [...c.names, ...c.demonyms, ...c.places.slice(0, 1)].map(escapeRe).join('|');
  // "Iran and Pakistan", "Pakistan, Iran", "Pakistan-Iran", "Tehran and Islamabad"
  const pairing = new RegExp(`(?:${nameAlt(a)})(?:'s|’s)?\\s*(?:and|,|-|–|—|&|/)\\s*(?:${nameAlt(b)})|(?:${nameAlt(b)})(?:'s|’s)?\\s*(?:and|,|-|–|—|&|/)\\s*(?:${nameAlt(a)})`, 'i');
  const lands = [a, b].flatMap((c) => [...c.names, ...c.places]).map(escapeRe).join('|');
  const adjectives = [a, b].flatMap((c) => [...c.names.map((n) => `${n}'s`), ...c.demonyms]).map(escapeRe).join('|');
  const aimedAt = `(?:inside|into|in|on|deep in)\\s+(?:the\\s+)?(?:neighbou?ring\\s+)?(?:(?:${lands})\\b|(?:${adjectives})\\s+(?:territory|soil|side|airspace|border))`;
  const triggers: Trigger[] = [
    // "Iran's drones", "Pakistani jets" over the other's land: a strike
    {
      type: 'strike' as const,
      pattern: new RegExp(`\\b(?:${adjectives})\\s+(?:missiles?|drones?|jets|warplanes|air ?strikes?|airstrikes?|drone strikes?|missile strikes?)\\b`, 'i'),
      unless: /\bshot down|downed|intercepted\b/i,
    },
    ...EVENT_LEXICON,
    // "Iran strikes militant bases inside Pakistan": a strike verb aimed at a watched territory
    {
      type: 'strike',
      pattern: new RegExp(`\\b(?:strikes?|struck|hits?|targets?|targeted|attacks?|attacked|bombs?|bombed|pounds?|pounded|fires? (?:missiles?|drones?)|fired (?:missiles?|drones?))\\b[^.;:!?]{0,60}\\b${aimedAt}`, 'i'),
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

// ---------------------------------------------------------------------------------------------
// Sentence analysis

interface Span {
  start: number;
  end: number;
}

interface SentenceInfo {
  text: string;
  mentions: Mention[];
  background: Span[];
  third: Span[];
}

function inSpans(index: number, spans: Span[]): boolean {
  return spans.some((s) => index >= s.start && index < s.end);
}

/** Background spans: from a cue to the next clause break. */
function backgroundSpans(sentence: string): Span[] {
  const spans: Span[] = [];
  BACKGROUND_CUE.lastIndex = 0;
  for (const cue of sentence.matchAll(BACKGROUND_CUE)) {
    const start = cue.index ?? 0;
    const rest = sentence.slice(start + cue[0].length);
    const stop = rest.search(CLAUSE_BREAK);
    spans.push({ start, end: stop >= 0 ? start + cue[0].length + stop : sentence.length });
  }
  return spans;
}

/** "the two neighbours" stands for both states of the dyad. */
function addBothSides(info: SentenceInfo, compiled: CompiledWatch): void {
  const both = BOTH_SIDES.exec(info.text);
  if (!both) return;
  for (const c of compiled.countries) info.mentions.push({ country: c.code, index: both.index, end: both.index + both[0].length, kind: 'both' });
  info.mentions.sort((x, y) => x.index - y.index);
}

function analyse(sentence: string, compiled: CompiledWatch): SentenceInfo {
  const mentions: Mention[] = [];
  const words = [...sentence.matchAll(WORD)].map((w) => ({ start: w.index ?? 0, end: (w.index ?? 0) + w[0].length }));
  for (const c of compiled.countries) mentions.push(...matchTerms(sentence, words, c));
  // A longer overlapping mention wins ("Iranian Foreign Ministry" over "Iranian").
  mentions.sort((x, y) => x.index - y.index || y.end - y.index - (x.end - x.index));
  const kept: Mention[] = [];
  for (const m of mentions) if (!kept.some((k) => k.country === m.country && m.index >= k.index && m.end <= k.end && k.kind !== 'both')) kept.push(m);
  const third: Span[] = [];
  for (const p of compiled.thirdParty) {
    p.lastIndex = 0;
    for (const hit of sentence.matchAll(p)) {
      const start = hit.index ?? 0;
      if (!kept.some((m) => start >= m.index && start < m.end)) third.push({ start, end: start + hit[0].length });
    }
  }
  return { text: sentence, mentions: kept, background: backgroundSpans(sentence), third };
}

interface TypeHit {
  type: EventType;
  sentence: number;
  index: number;
  background: boolean;
  context: boolean;
}

function findTriggers(info: SentenceInfo, sentenceNo: number, triggers: Trigger[]): TypeHit[] {
  const hits: TypeHit[] = [];
  for (const trigger of triggers) {
    trigger.pattern.lastIndex = 0;
    const match = trigger.pattern.exec(info.text);
    if (!match) continue;
    if (trigger.unless?.test(info.text)) continue;
    if (trigger.requires && !trigger.requires.test(info.text)) continue;
    const before = info.text.slice(0, match.index);
    const after = info.text.slice(match.index + match[0].length);
    const background = inSpans(match.index, info.background) || (BACKGROUND_WORDS.test(before.slice(-25)) && !/\b(?:will|to)\s*$/.test(before)) || (CONFLICT.includes(trigger.type) && /^[^.;:!?,]{0,25}\b(?:last (?:week|month|year)|earlier this (?:week|month|year))\b/i.test(after));
    if (trigger.type === 'de_escalation' && APPEAL_BEFORE.test(before)) continue;
    const context = CONTEXT_CUE.test(before);
    const existing = hits.find((h) => h.type === trigger.type);
    const hit = { type: trigger.type, sentence: sentenceNo, index: match.index, background, context };
    if (!existing) hits.push(hit);
    else if ((existing.background || existing.context) && !background && !context) Object.assign(existing, hit);
    else if (existing.background === background && existing.context === context && match.index < existing.index) existing.index = match.index;
  }
  // "Zarif meets Imran Khan in Islamabad", "Naqvi in Tehran": one side's office holder in the
  // other's land is a visit (found from the mentions: cheaper than a pattern per official).
  if (!hits.some((h) => h.type === 'visit')) {
    const guest = guestInHost(info);
    if (guest !== null) hits.push({ type: 'visit', sentence: sentenceNo, index: guest, background: inSpans(guest, info.background), context: false });
  }
  // "agreed in a call to lower tensions": the agreement is the de-escalation (or the return), not a deal.
  const agreement = hits.find((h) => h.type === 'agreement');
  if (agreement && hits.some((h) => h.type === 'de_escalation' || h.type === 'envoy_return') && /^agree/i.test(info.text.slice(agreement.index))) {
    return hits.filter((h) => h !== agreement);
  }
  return hits;
}

const OFFICE_AFTER = /^(?:'s|’s)?\s+(?:[\w-]+\s+){0,2}?(?:minister|president|premier|prime minister|FM|army chief|COAS|speaker|delegation)\b/i;
const INTO_PLACE = /\b(?:in|to|reach(?:es|ed)?|arriv\w+ in|land(?:s|ed)? in)\s+$/i;
const NOT_A_VISIT = /\b(?:ambassador|envoy|embassy|consul\w*|fire|firing|clash\w*|strikes?|attack\w*|killed)\b/i;

/** Index of an office holder of one side placed "in" the other side's land, or null. */
function guestInHost(info: SentenceInfo): number | null {
  if (NOT_A_VISIT.test(info.text)) return null;
  for (const guest of info.mentions) {
    const isOfficial = guest.kind === 'official' || ((guest.kind === 'demonym' || guest.kind === 'name') && OFFICE_AFTER.test(info.text.slice(guest.end, guest.end + 50)));
    if (!isOfficial) continue;
    for (const host of info.mentions) {
      if (host.index <= guest.end || host.country === guest.country || !['capital', 'place', 'name'].includes(host.kind)) continue;
      const between = info.text.slice(guest.end, host.index);
      if (between.length > 70 || CLAUSE_BREAK.test(between.replace(/,\s*(?=\w+\s+in\b)/, ' '))) continue;
      if (INTO_PLACE.test(between)) return guest.index;
    }
  }
  return null;
}

/** The acting subject of a sentence is its first actor mention, watched or third party. */
function thirdPartyIsSubject(info: SentenceInfo, firstTrigger: number): boolean {
  const firstThird = info.third.filter((t) => !inSpans(t.start, info.background))[0];
  if (!firstThird || firstThird.start > firstTrigger) return false;
  const firstWatched = info.mentions[0];
  return !firstWatched || firstThird.start < firstWatched.index;
}

const THIRD_ACTION = /^(?:'s|’s)?\s+(?:[\w-]+\s+)?(?:strikes?|attacks?|forces|troops|jets|missiles?|drones?|aggression|war|bombing|bombardment|operations?|raids?|military|army|navy|sanctions|pressure|warning|offer|mediation|proposal|plan|envoy|officials?|says|said|urges?|warns?|calls?|asks?|tells?|demands?)\b/i;
const CONDEMN_BEFORE = /\b(?:condemn\w*|denounc\w*|slam\w*|reject\w*|criticis\w*|criticiz\w*|protest\w*)\s+(?:[\w-]+\s+){0,2}$/i;

function inAsClause(text: string, index: number): boolean {
  const as = /\sas\s/i.exec(text);
  return !!as && index > as.index && !CLAUSE_BREAK.test(text.slice(as.index, index));
}

const TOPIC_BEFORE = /\b(?:on|about|regarding|concerning|discuss(?:es|ed|ing)?|situation in|peace in|crisis in)\s+(?:the\s+)?(?:[\w-]+\s+){0,2}$/i;

/**
 * A third party in the foreground makes the sentence about someone else ("Pakistan condemns
 * Israeli strikes on Iran"), unless it is only the topic ("talks on Yemen", "discuss
 * Afghanistan") and does nothing itself ("Israeli strikes", "US pressure").
 */
function thirdPartyPresent(info: SentenceInfo): boolean {
  // "... as India-Pakistan tensions soar": an as-clause sets the scene, it is not the act.
  const asClause = /\sas\s/i.exec(info.text);
  return info.third.some((t) => {
    if (inSpans(t.start, info.background)) return false;
    if (asClause && t.start > asClause.index && !info.text.slice(asClause.index, t.start).match(CLAUSE_BREAK)) return false;
    const acts = THIRD_ACTION.test(info.text.slice(t.end, t.end + 40)) || CONDEMN_BEFORE.test(info.text.slice(Math.max(0, t.start - 40), t.start));
    return acts || !TOPIC_BEFORE.test(info.text.slice(Math.max(0, t.start - 40), t.start));
  });
}

/** A state acts in the sentence: not only a place people are in ("pilgrims in Iran") or a demonym for civilians. */
function stateLed(info: SentenceInfo): boolean {
  return info.mentions.some((m) => stateLike(info, m));
}

/** Stricter: a state acting, not merely quoted ("Iranian officials said") and not a province. */
function stateActs(info: SentenceInfo): boolean {
  return info.mentions.some((m) => !inSpans(m.index, info.background) && m.kind !== 'place' && stateLike(info, m) && !ATTRIBUTION.test(info.text.slice(m.end, m.end + 40)));
}

function stateLike(info: SentenceInfo, m: Mention): boolean {
  if (m.kind === 'demonym') return STATE_NOUN.test(info.text.slice(m.end, m.end + 60));
  const before = info.text.slice(Math.max(0, m.index - 25), m.index);
  // "attributed to Pakistan", "blamed on Iran": the state named as the one who acted.
  if (AGENT_BEFORE.test(before)) return true;
  if ((m.kind === 'name' || m.kind === 'place' || m.kind === 'capital') && LOCATIVE.test(before)) return false;
  return true;
}
const AGENT_BEFORE = /\b(?:attribut\w+ to|blamed (?:it )?on|by|blam\w+|accus\w+)\s+$/i;
const ATTRIBUTION = /^(?:\s+[\w-]+){0,3}?\s+(?:officials?|sources?|media|television|agency)?\s*(?:said|says|say|told|reported|according)\b/i;
const LOCATIVE = /\b(?:in|into|inside|across|through|near|from|to|via|at|of)\s+(?:the\s+)?(?:central|northern|southern|eastern|western|north|south|east|west|neighbouring|neighboring)?\s*$/i;

function inTerm(official: Official, day: string): boolean {
  return official.from <= day && (!official.to || day <= official.to);
}

// ---------------------------------------------------------------------------------------------

function notRelevant(): Classification {
  return { relevant: false, types: [], primary: null, severity: 0, confidence: 0, actors: [], dates: [], evidence: '', dyad: null };
}

const STANDFIRST_SENTENCES = 3;
const LEAD_SENTENCES = 8;
const COOPERATIVE_DETAIL: EventType[] = ['talks', 'visit', 'de_escalation', 'envoy_return', 'agreement'];

function classifyForWatch(input: ClassifyInput, compiled: CompiledWatch): Classification {
  const title = input.title.trim();
  // Most news names neither state: one regex over the text settles it before anything else runs.
  if (!compiled.anyName.test(`${title}\n${input.summary ?? ''}`)) return notRelevant();
  const body = splitSentences(input.summary ?? '').filter((s) => s !== title);
  const sentences = [title, ...body.slice(0, LEAD_SENTENCES - 1)].filter(Boolean);
  const codes = compiled.countries.map((c) => c.code);
  if (!sentences.length || MARKETS.test(title) || EXPLAINER.test(title)) return notRelevant();
  // "the two neighbours" means this dyad only when the headline or first sentence names the two
  // states, or names one of them and no other country.
  // The lead beyond the standfirst is analysed only once the item proves relevant.
  const infos = sentences.slice(0, 1 + STANDFIRST_SENTENCES).map((s) => analyse(s, compiled));
  const analyseLead = () => {
    for (let i = infos.length; i < sentences.length; i++) {
      const info = analyse(sentences[i] as string, compiled);
      if (bothMeansDyad) addBothSides(info, compiled);
      infos.push(info);
    }
  };
  const openingSides = new Set(infos.slice(0, 2).flatMap((i) => i.mentions.map((m) => m.country)));
  const bothMeansDyad = codes.every((c) => openingSides.has(c)) || (openingSides.size > 0 && !(infos[0]?.third.length ?? 0));
  if (bothMeansDyad) for (const info of infos) addBothSides(info, compiled);
  const day = input.published ? input.published.slice(0, 10) : null;
  // Mentions behind a background cue or in an "as" clause set the scene; they are not parties.
  const foregroundMentions = (info: SentenceInfo) => info.mentions.filter((m) => !inSpans(m.index, info.background) && !inAsClause(info.text, m.index));
  const titleCountries = new Set(foregroundMentions(infos[0] as SentenceInfo).map((m) => m.country));

  // --- relevance: headline and standfirst only ---
  const relevantSentences: number[] = [];
  const allHits: TypeHit[] = [];
  // A headline led by a third party ("Turkey offers to mediate between Tehran and Islamabad")
  // is about that party; later sentences then need the two states explicitly paired.
  const titleInfo = infos[0] as SentenceInfo;
  let titleAboutThirdParty = (titleInfo.third[0]?.start ?? Infinity) < (titleInfo.mentions[0]?.index ?? Infinity) && !/\btrilateral\b/i.test(titleInfo.text);
  for (let i = 0; i < Math.min(infos.length, 1 + STANDFIRST_SENTENCES); i++) {
    const info = infos[i] as SentenceInfo;
    const hits = findTriggers(info, i, compiled.triggers);
    let foreground = hits.filter((h) => !h.background);
    // "Iran sends final notice to Pakistan over stalled pipeline": with no other act, a
    // cooperative topic behind a cue is the subject of the news.
    if (!foreground.length) {
      foreground = hits.filter((h) => !CONFLICT.includes(h.type));
      for (const h of foreground) h.background = false;
    }
    if (!foreground.length) continue;
    const present = new Set(foregroundMentions(info).map((m) => m.country));
    const bothHere = codes.every((c) => present.has(c));
    // one side here, the other in the headline: "Tehran summons envoy" + "...Pakistan's envoy"
    const bothWithTitle = present.size >= 1 && codes.every((c) => present.has(c) || titleCountries.has(c));
    if (!bothHere && !(i > 0 && bothWithTitle) && !(i === 0 && present.size >= 1 && codes.every((c) => present.has(c) || infos.slice(1, 3).some((x) => foregroundMentions(x).some((m) => m.country === c))))) continue;
    // One side at least must act as a state here (or in the headline): not only places,
    // civilians ("Pakistani pilgrims") or sources ("Iranian officials said").
    if (!stateActs(info) && !(i > 0 && stateActs(infos[0] as SentenceInfo)) && !(i === 0 && infos[1] && stateActs(infos[1]))) continue;
    if ((SPORT.test(info.text) || SPORT.test(title)) && !foreground.some((h) => h.type === 'strike' || h.type === 'border_incident')) continue;
    const firstTrigger = Math.min(...foreground.map((h) => h.index));
    if (thirdPartyIsSubject(info, firstTrigger) && !/\btrilateral\b/i.test(info.text)) continue;
    const paired = compiled.pairing.test(info.text) || (!titleAboutThirdParty && /\b(?:counterparts?|bilateral|trilateral)\b/i.test(info.text));
    if (!paired && thirdPartyPresent(info)) {
      if (i === 0) titleAboutThirdParty = true;
      continue;
    }
    // "Pakistan condemns Israel's attacks on Iran" + "the strikes on Iranian territory...":
    // later sentences about a third party's act need the two states explicitly together.
    if (i > 0 && titleAboutThirdParty && !paired) continue;
    const usable = foreground.filter((h) => !NEEDS_STATE_ACTOR.includes(h.type) || stateLed(info));
    if (!usable.length) continue;
    relevantSentences.push(i);
    allHits.push(...hits.filter((h) => h.background || usable.includes(h)));
  }
  if (!relevantSentences.length) return notRelevant();
  analyseLead();

  // --- later lead sentences add cooperative detail about the same event, never conflict ---
  for (let i = 1 + STANDFIRST_SENTENCES; i < infos.length; i++) {
    const info = infos[i] as SentenceInfo;
    if (!info.mentions.length) continue;
    for (const h of findTriggers(info, i, compiled.triggers)) {
      // "The decisions followed a phone call between the two ministers": how the event came
      // about is part of it, even behind a cue; conflict told later is background.
      if (COOPERATIVE_DETAIL.includes(h.type)) allHits.push({ ...h, background: false, context: true });
    }
  }

  const foreground = allHits.filter((h) => !h.background);
  const types: EventType[] = [];
  const orderedHits = [...allHits].sort((x, y) => x.sentence - y.sentence || x.index - y.index || PRIORITY.indexOf(x.type) - PRIORITY.indexOf(y.type));
  for (const h of orderedHits) if (!types.includes(h.type) && !(h.background && CONFLICT.includes(h.type))) types.push(h.type);
  const leads = foreground.filter((h) => !h.context).sort((x, y) => x.sentence - y.sentence || x.index - y.index || PRIORITY.indexOf(x.type) - PRIORITY.indexOf(y.type));
  const primary = refinePrimary(leads) ?? types[0] ?? 'other';
  const ordered = [primary, ...types.filter((t) => t !== primary)];

  const standfirstText = sentences.slice(0, 1 + STANDFIRST_SENTENCES).join(' ');
  const severity = severityOf(ordered, primary, standfirstText, infos);
  const actors = resolveActors(infos, compiled, day, primary);
  // Dates come from the standfirst and later sentences about the two states (chrono is the costliest step).
  const dates: EventDate[] = input.published ? resolveDates(infos.filter((i, n) => n <= STANDFIRST_SENTENCES || i.mentions.length > 0).map((i) => i.text).join(' '), input.published) : [];
  const evidenceHit = foreground.find((h) => h.type === primary) ?? allHits[0];
  const evidence = sentences[evidenceHit?.sentence ?? relevantSentences[0] ?? 0] ?? title;
  const confidence = confidenceOf(relevantSentences, infos, compiled, primary, leads);

  return { relevant: true, types: ordered, primary, severity, confidence, actors, dates, evidence, dyad: compiled.watch.dyad };
}

/**
 * The earliest foreground trigger leads, corrected for how headlines are written: a talks or
 * visit word before a concrete outcome in the same sentence ("meet, sign six MoUs") yields to it,
 * and so does a trade or gesture word before a conflict or diplomatic act.
 */
function refinePrimary(leads: TypeHit[]): EventType | undefined {
  const first = leads[0];
  if (!first) return undefined;
  const sameSentence = leads.filter((h) => h.sentence === first.sentence);
  const outcome = sameSentence.find((h) => ['agreement', 'envoy_return', 'envoy_recall', 'de_escalation', 'strike'].includes(h.type));
  if (first.type === 'talks' && outcome) return outcome.type;
  // "agree to ... reduce tensions", "agree envoys will return": what was agreed is the event.
  const agreed = sameSentence.find((h) => h.type === 'de_escalation' || h.type === 'envoy_return');
  if (first.type === 'agreement' && agreed) return agreed.type;
  // A trade or gesture word leads only when nothing stronger happened ("fuel traders killed by guards").
  const stronger = sameSentence.find((h) => ['strike', 'border_incident', 'envoy_recall', 'envoy_return', 'protest', 'de_escalation'].includes(h.type));
  if ((first.type === 'trade_energy' || first.type === 'other') && stronger) return stronger.type;
  if (first.type === 'visit' && outcome && outcome.type !== 'agreement' && outcome.type !== 'de_escalation') return outcome.type;
  return first.type;
}

function severityOf(types: EventType[], primary: EventType, text: string, infos: SentenceInfo[]): number {
  const deaths = DEATHS.test(text);
  const senior = HEAD_OF_STATE.test(text) || infos.slice(0, 2).some((i) => i.mentions.some((m) => m.kind === 'official' && m.officials?.some((o) => HEAD_OF_STATE.test(o.role))));
  const score = (t: EventType): number => {
    switch (t) {
      case 'strike':
        return 5;
      case 'border_incident':
        return STATE_FIRE.test(text) && /\b(?:fired|opened fire|shell(?:ed|ing|s)|mortars?|rockets?|shot down|downed|crossed|chase[ds]?|raid(?:ed)?)\b/i.test(text) ? 5 : deaths ? 4 : 3;
      case 'envoy_recall':
        return 4;
      case 'protest':
        return deaths ? 4 : 3;
      case 'envoy_return':
      case 'de_escalation':
        return 3;
      case 'visit':
        return senior ? 3 : 2;
      case 'talks':
        return senior || /\bminister/i.test(text) ? 2 : OFFICIAL_LEVEL.test(text) ? 1 : 2;
      case 'agreement':
      case 'trade_energy':
        return 2;
      case 'other':
        return 1;
    }
  };
  // Severity follows the types the item reports, led by the primary: a strike named as the
  // reason for a protest counts, weak detail does not lift a gesture.
  return Math.max(score(primary), ...types.filter((t) => t !== 'other' && t !== 'talks').map(score));
}

function confidenceOf(relevantSentences: number[], infos: SentenceInfo[], compiled: CompiledWatch, primary: EventType, leads: TypeHit[]): number {
  let c = 0.45;
  if (relevantSentences.includes(0)) c += 0.15;
  if (relevantSentences.length > 1) c += 0.1;
  if (relevantSentences.some((i) => compiled.pairing.test(infos[i]?.text ?? '') || BILATERAL.test(infos[i]?.text ?? ''))) c += 0.1;
  if (!['other', 'talks', 'trade_energy'].includes(primary)) c += 0.1;
  if (leads[0]?.sentence === 0) c += 0.05;
  if (relevantSentences.some((i) => (infos[i]?.third.length ?? 0) > 0)) c -= 0.1;
  return Math.max(0, Math.min(1, Math.round(c * 100) / 100));
}

function resolveActors(infos: SentenceInfo[], compiled: CompiledWatch, day: string | null, primary: EventType): Actor[] {
  const actors: (Actor & { outOfTerm?: boolean; side?: string })[] = [];
  const seen = new Set<string>();
  for (const info of infos) {
    for (const m of info.mentions) {
      if (m.kind !== 'official' || !m.officials?.length) continue;
      // Several holders share a name form ("PM Sharif"): take the one in office that day.
      const official = (day ? m.officials.find((o) => inTerm(o, day)) : undefined) ?? (m.officials.at(-1) as Official);
      const key = `${m.country}:${official.name}`;
      if (seen.has(key)) continue;
      seen.add(key);
      actors.push({ country: m.country, name: official.name, role: official.role, ...(day && !inTerm(official, day) ? { outOfTerm: true } : {}) });
    }
  }
  // "the Iranian foreign minister" / "his Pakistani counterpart": the office holder on that day.
  if (day) {
    const text = infos.map((i) => i.text).join(' ');
    for (const c of compiled.countries) {
      if (actors.some((a) => a.country === c.code && a.name)) continue;
      let role = c.rolePhrase.exec(text)?.[1]?.toLowerCase();
      if (!role && c.counterpartPhrase.test(text)) {
        role = actors.find((a) => a.country !== c.code && a.role)?.role ?? /\b(foreign minister|prime minister|president|interior minister)\b/i.exec(text)?.[1]?.toLowerCase();
      }
      if (!role) continue;
      const wanted = (role === 'fm' ? 'foreign minister' : role === 'premier' ? 'prime minister' : role).replace(/^caretaker /, '');
      const holder = c.country.officials.find((o) => o.role.replace(/^caretaker /, '') === wanted && inTerm(o, day));
      if (holder && !seen.has(`${c.code}:${holder.name}`)) {
        seen.add(`${c.code}:${holder.name}`);
        actors.push({ country: c.code, name: holder.name, role: holder.role });
      }
    }
  }
  for (const c of compiled.countries) if (!actors.some((a) => a.country === c.code)) actors.push({ country: c.code });
  if (CONFLICT.includes(primary)) {
    const direction = eventDirection(infos, compiled, primary);
    if (direction) for (const actor of actors) actor.side = actor.country === direction.source ? 'source' : 'target';
  }
  return actors;
}

/**
 * Who acted on whom. Territory named after the trigger ("inside Pakistan", "into Pakistani
 * territory") is the target; "from Iranian soil" names the source; "fled to Pakistan" names
 * where the attackers came from; otherwise the first side named before the trigger acts.
 */
function eventDirection(infos: SentenceInfo[], compiled: CompiledWatch, type: EventType): { source: string; target: string } | null {
  const codes = compiled.countries.map((c) => c.code);
  const other = (code: string) => codes.find((c) => c !== code) ?? code;
  for (let i = 0; i < Math.min(infos.length, 1 + STANDFIRST_SENTENCES); i++) {
    const info = infos[i] as SentenceInfo;
    const trigger = compiled.triggers
      .filter((t) => t.type === type)
      .map((t) => {
        t.pattern.lastIndex = 0;
        return t.pattern.exec(info.text);
      })
      .filter((m): m is RegExpExecArray => m !== null)
      .sort((x, y) => x.index - y.index)[0];
    if (!trigger) continue;
    const blamed = /\bblam(?:e|es|ed|ing)\s+(\w+)/i.exec(info.text);
    const blamedSide = blamed && compiled.countries.find((c) => [...c.country.names, ...c.country.places.slice(0, 1)].some((n) => n.toLowerCase() === blamed[1]?.toLowerCase()));
    if (blamedSide && type !== 'protest') return { source: blamedSide.code, target: other(blamedSide.code) };
    const before = info.mentions.filter((m) => m.index < trigger.index && m.kind !== 'both');
    const nearest = before.at(-1);
    if (/\b(?:shoots? down|shot down|downs|downed)\b/i.test(trigger[0])) {
      // The side whose airspace it was shot the intruder down: "Iranian drone shot down over Balochistan".
      const owner = compiled.countries.map((c) => ({ code: c.code, at: info.text.search(c.territory) })).filter((h) => h.at >= 0).sort((x, y) => x.at - y.at)[0];
      if (owner) return { source: owner.code, target: other(owner.code) };
      const intruder = info.mentions.find((m) => m.kind === 'demonym' && /^\s+(?:[\w-]+\s+)?(?:drones?|aircraft|jets?|planes?|UAVs?)\b/i.test(info.text.slice(m.end, m.end + 25)));
      if (intruder) return { source: other(intruder.country), target: intruder.country };
    }
    if ((type === 'strike' || type === 'border_incident') && !/\b(?:shoots? down|shot down|downs|downed)\b/i.test(trigger[0])) {
      for (const c of compiled.countries) {
        if (c.ownership.test(info.text)) return { source: c.code, target: other(c.code) };
      }
      const fled = /\b(?:fled|escaped|taken|whisked|retreated|crossed back)\s+(?:back\s+)?(?:in)?to\s+(?:the\s+)?(\w+)/i.exec(info.text);
      if (fled) {
        const where = compiled.countries.find((c) => c.country.names.some((n) => n.toLowerCase() === fled[1]?.toLowerCase()));
        if (where) return { source: where.code, target: other(where.code) };
      }
      const rest = info.text.slice(trigger.index);
      const hits = compiled.countries.map((c) => ({ code: c.code, at: rest.search(c.territory) })).filter((h) => h.at >= 0).sort((x, y) => x.at - y.at);
      if (hits[0]) return { source: other(hits[0].code), target: hits[0].code };
      // an attacker's demonym on the weapon or force: "Iranian missiles", "Pakistani jets"
      const armed = info.mentions.find((m) => m.kind === 'demonym' && /^\s+(?:[\w-]+\s+)?(?:missiles?|drones?|jets?|forces?|guards?|troops|soldiers|projectiles|rockets?|mortars?|shells?|strikes?|artillery|aircraft|military)\b/i.test(info.text.slice(m.end, m.end + 30)));
      if (armed) return { source: armed.country, target: other(armed.country) };
    }
    if (type === 'envoy_recall' && !/\b(?:recall|calls? back|called back|pull|withdr|return home|come home|go (?:back )?home)/i.test(trigger[0])) {
      // "Iran's ambassador will not be allowed back": the envoy's state is the one acted on;
      // "Pakistan's envoy asked to return home" is Pakistan recalling its own.
      const owner = info.mentions.find((m) => (m.kind === 'demonym' || /(?:'s|’s)$/.test(info.text.slice(m.index, m.end))) && /^\s+(?:[\w-]+\s+)?(?:ambassador|envoy|diplomat|charg)/i.test(info.text.slice(m.end, m.end + 25)));
      if (owner && !(nearest && nearest.index > owner.index && nearest.country !== owner.country)) return { source: other(owner.country), target: owner.country };
    }
    if (nearest) return { source: nearest.country, target: other(nearest.country) };
    // "Govt calls back envoy from Tehran": only the other side is named, after the act.
    const after = info.mentions.find((m) => m.index > trigger.index && m.kind !== 'both');
    if (after) return { source: other(after.country), target: after.country };
  }
  return null;
}

/** Builds a classifier over the given watches; the most confident relevant watch wins. */
export function createClassifier(watches: Watch[]): Classifier {
  const compiled = watches.map(compileWatch);
  return (input) => {
    let best: Classification | null = null;
    for (const c of compiled) {
      const result = classifyForWatch(input, c);
      if (result.relevant && (!best || result.confidence > best.confidence)) best = result;
    }
    return best ?? notRelevant();
  };
}
