import type { Actor, Classification, EventDate, EventType } from './types.ts';
import type { Official, Watch, WatchCountry } from './watch.ts';
import { splitSentences } from './text.ts';
import { resolveDates } from './dates.ts';

/**
 * Rule-based event coder for one or more watches (dyads).
 *
 * Relevance is the two states acting toward each other, judged on the headline and standfirst
 * only (TAXONOMY.md): both sides named in one sentence with an event trigger, no third party
 * acting there unless the two are explicitly paired ("Iran and Pakistan", "bilateral",
 * "counterpart"). Triggers that sit behind a background cue ("after last week's strikes") never
 * become types. Severity follows TAXONOMY.md's 1–5 scale.
 */

export const CLASSIFIER_VERSION = 'rules-1';

export interface ClassifyInput {
  title: string;
  summary?: string;
  /** ISO time the item was published; dates and officials' terms are resolved against it */
  published?: string;
}

export type Classifier = (input: ClassifyInput) => Classification;

interface Trigger {
  type: EventType;
  pattern: RegExp;
}

const W = '[^.;:!?]'; // stays inside one clause

/** Order is the tie-break for the primary type among triggers found in the same sentence. */
const PRIORITY: EventType[] = [
  'strike',
  'envoy_recall',
  'border_incident',
  'envoy_return',
  'de_escalation',
  'protest',
  'visit',
  'agreement',
  'talks',
  'trade_energy',
  'other',
];

const ENVOY = '(?:ambassadors?|envoys?|high commissioners?|diplomats?|charg[eé]s? d.affaires)';

const TRIGGERS: Trigger[] = [
  // "ambassador returns to post" is a return; "asked to return home" is a recall (CAMEO's polarity trap).
  { type: 'envoy_recall', pattern: new RegExp(`\\brecall(?:s|ed|ing)?\\b${W}{0,50}\\b${ENVOY}|\\b${ENVOY}\\b${W}{0,40}\\brecalled\\b`, 'i') },
  { type: 'envoy_recall', pattern: new RegExp(`\\bexpel(?:s|led|ling)?\\b${W}{0,40}\\b${ENVOY}|\\b${ENVOY}${W}{0,30}\\bexpelled\\b`, 'i') },
  { type: 'envoy_recall', pattern: /\b(?:asked|told|ordered|directed)\b[^.;:!?]{0,40}\b(?:to return home|to leave|not to return|to go back)\b/i },
  { type: 'envoy_recall', pattern: /\b(?:bar(?:s|red)?|block(?:s|ed)?|stop(?:s|ped)?)\b[^.;:!?]{0,40}\b(?:envoy|ambassador)s?\b[^.;:!?]{0,30}\breturn/i },
  { type: 'envoy_recall', pattern: /\b(?:downgrad(?:e|es|ed|ing)|sever(?:s|ed|ing)?|suspend(?:s|ed|ing)?|cut(?:s|ting)?)\b[^.;:!?]{0,30}\b(?:diplomatic )?(?:ties|relations|high-level visits|visits)\b/i },
  { type: 'envoy_return', pattern: new RegExp(`\\b${ENVOY}\\b${W}{0,60}\\b(?:return(?:s|ed|ing)?|go(?:es)? back|head(?:s|ed)? back)\\s+to\\s+(?:their|his|her|the|respective|\\s)*(?:posts?|duties|missions?|embass(?:y|ies)|capitals?|Tehran|Islamabad)\\b`, 'i') },
  { type: 'envoy_return', pattern: new RegExp(`\\b${ENVOY}\\b${W}{0,60}\\bresum(?:e|es|ed|ing)\\s+(?:their|his|her)?\\s*(?:duties|work|functions)\\b`, 'i') },
  { type: 'envoy_return', pattern: new RegExp(`\\b(?:return|reinstate(?:ment)?|restor(?:e|es|ed|ation|ing))\\s+(?:of\\s+)?(?:their|the|both|respective|\\s)*${ENVOY}`, 'i') },
  { type: 'envoy_return', pattern: /\b(?:restor(?:e|es|ed|ing)|normali[sz](?:e|es|ed|ing)|resum(?:e|es|ed|ing))\b[^.;:!?]{0,20}\b(?:full\s+)?(?:diplomatic\s+)?(?:ties|relations)\b/i },
  { type: 'visit', pattern: /\b(?:visit(?:s|ed|ing)?|state visit|official visit|arriv(?:e|es|ed|ing) in|land(?:s|ed)? in|trip to|tour(?:s|ed)? |travel(?:s|led|ling)? to|to host|host(?:s|ed|ing)? |welcom(?:e|es|ed|ing)? |invit(?:e|es|ed|ation)\b)/i },
  { type: 'talks', pattern: /\b(?:talks|phone (?:call|conversation)|telephone|telephoned|spoke|speaks|speak|call(?:s|ed)? (?:on|with)|meet(?:s|ing)?|met|discuss(?:es|ed|ion|ions)?|consultations?|dialogue|confer(?:s|red)?|held (?:a )?(?:meeting|talks)|bilateral (?:meeting|talks))\b/i },
  { type: 'agreement', pattern: /\b(?:sign(?:s|ed|ing)?|MoUs?|memorand(?:um|a)|deal|pact|accord|agreements?|joint (?:communiqu[eé]|declaration))\b/i },
  { type: 'agreement', pattern: /\bagree(?:s|d)?\s+(?:on|to)\s+(?!de-?escalat|ease|defuse|lower|reduce)(?:boost|expand|enhance|increase|set up|establish|form|open|hold|strengthen|cooperat|jointly|a\s|an\s|the\s|new\s)/i },
  { type: 'de_escalation', pattern: /\bde-?escalat(?:e|es|ed|ing|ion)\b|\b(?:ease|eased|eases|easing|defuse|defused|defusing|lower|lowered|reduce|reduced|calm|calmed)\b[^.;:!?]{0,15}\btensions?\b/i },
  { type: 'protest', pattern: /\b(?:summon(?:s|ed|ing)?|condemn(?:s|ed|ing)?|protest(?:s|ed)?|d[ée]marche|accus(?:e|es|ed|ing)|lodg(?:e|es|ed) (?:a )?(?:strong )?protest|warn(?:s|ed|ing)?|slam(?:s|med)?|denounc(?:e|es|ed)|rebuk(?:e|es|ed)|blam(?:e|es|ed)|demand(?:s|ed)?|violation of (?:its |our |their )?(?:airspace|sovereignty|territor(?:y|ial)))\b/i },
  { type: 'strike', pattern: /\b(?:air|missile|drone|aerial|retaliatory|military|precision|artillery|rocket)[ -]?(?:strikes?|attacks?|raids?)\b/i },
  { type: 'strike', pattern: /\b(?:launch(?:es|ed)?|carr(?:y|ies|ied) out|conduct(?:s|ed)?)\b[^.;:!?]{0,30}\b(?:strikes?|attacks?|raids?|operations?)\b/i },
  { type: 'strike', pattern: /\bstrikes?\s+(?:on|in|inside|against|into|targeting)\b|\b(?:struck|bombed|bombs|pounded|shelled)\b/i },
  { type: 'border_incident', pattern: /\bborder\s+(?:clash(?:es)?|firing|fire|skirmish(?:es)?|incident|attack|guards?\b[^.;:!?]{0,30}\b(?:killed|martyred|dead|wounded|injured)|closure|closed|crossings?\s+(?:closed|shut))/i },
  { type: 'border_incident', pattern: /\b(?:clos(?:e|es|ed|ing)|shut(?:s|ting)?|seal(?:s|ed|ing)?)\b[^.;:!?]{0,30}\bborder/i },
  { type: 'border_incident', pattern: /\bcross-border\s+(?:firing|fire|shelling|attack|raid|incursion|terror)|\b(?:shelling|mortars?|firing)\s+(?:from\s+)?across\b|\bfrom (?:Iranian|Pakistani|Afghan) (?:soil|territory|side)\b/i },
  { type: 'border_incident', pattern: /\b(?:guards?|soldiers?|troops|personnel|border police|FC)\b[^.;:!?]{0,40}\b(?:killed|martyred|dead|wounded|kidnapped|abducted)\b/i },
  { type: 'trade_energy', pattern: /\b(?:gas pipeline|pipeline|barter|trade|border markets?|border sustenance markets?|electricity|power supply|LPG|LNG|oil|fuel|energy|exports?|imports?|commerce|economic cooperation|free trade|customs|tariffs?)\b/i },
  { type: 'other', pattern: /\b(?:condolences?|mourning|pilgrims?|zaireen|prisoners?|extradit(?:e|es|ed|ion)|consular|visas?|fishermen|repatriat(?:e|es|ed|ion)|hand(?:s|ed)? over|sympath(?:y|ies)|funeral|relief goods|aid)\b/i },
];

/** A trigger right after these words is the reason or backdrop of the news, not the news. */
const BACKGROUND_BEFORE = /\b(?:after|following|amid|since|over|in the wake of|in response to|in retaliation for|days after|weeks after|last week's|last month's|previous|earlier|recent|a week after|retaliating for)\b[^.;:!?]{0,40}$/i;
const BACKGROUND_AFTER = /^[^.;:!?]{0,25}\b(?:last (?:week|month|year)|earlier this (?:week|month|year)|in (?:January|February|March|April|May|June|July|August|September|October|November|December) \d{4})\b/i;
/** "China urges restraint" is not the two agreeing to de-escalate. */
const APPEAL_BEFORE = /\b(?:urg(?:e|es|ed|ing)|call(?:s|ed)? (?:for|on)|appeal(?:s|ed)?|ask(?:s|ed)|press(?:es|ed)|hope(?:s|d)?|want(?:s|ed)?)\b[^.;:!?]{0,40}$/i;
/** Words that say the two states act together or toward each other. */
const BILATERAL = /\b(?:bilateral|counterparts?|between the two|both (?:countries|sides|nations)|two (?:countries|sides|neighbou?rs|nations)|each other|one another|mutual(?:ly)?|trilateral|sidelines)\b/i;
const DEATHS = /\b(?:kill(?:s|ed|ing)?|dead|deadly|deaths?|martyr(?:ed|s)?|lives|casualt(?:y|ies)|died)\b/i;
const SENIOR = /\b(?:president|prime minister|premier|foreign minister|FM|army chief|supreme leader|chief of (?:army|the army) staff|COAS)\b/i;

const SEVERITY: Record<EventType, number> = {
  strike: 5,
  envoy_recall: 4,
  border_incident: 3,
  envoy_return: 3,
  de_escalation: 3,
  protest: 3,
  visit: 2,
  agreement: 2,
  talks: 2,
  trade_energy: 2,
  other: 1,
};

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

interface Mention {
  country: string;
  index: number;
  end: number;
  kind: 'name' | 'demonym' | 'place' | 'institution' | 'official';
  official?: Official;
}

interface CompiledCountry {
  code: string;
  country: WatchCountry;
  matchers: { kind: Mention['kind']; pattern: RegExp; official?: Official }[];
}

interface CompiledWatch {
  watch: Watch;
  countries: [CompiledCountry, CompiledCountry];
  thirdParty: RegExp[];
  pairing: RegExp;
  strikeTarget: Map<string, RegExp>;
  /** "Iran strikes militant bases inside Pakistan": a strike verb aimed at a watched territory */
  extraTriggers: Trigger[];
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
  const wrap = (list: string[], flags: string) =>
    new RegExp(`(?<![\\w-])(?:${list.map(escapeRe).join('|')})(?:'s|’s)?(?![\\w-])`, flags);
  const sensitive = unique.filter((t) => t === t.toUpperCase());
  const insensitive = unique.filter((t) => t !== t.toUpperCase());
  const patterns: RegExp[] = [];
  if (insensitive.length) patterns.push(wrap(insensitive, 'gi'));
  if (sensitive.length) patterns.push(wrap(sensitive, 'g'));
  return patterns;
}

function compileCountry(country: WatchCountry): CompiledCountry {
  const matchers: CompiledCountry['matchers'] = [];
  const add = (kind: Mention['kind'], terms: string[], official?: Official) => {
    for (const pattern of termPatterns(terms)) matchers.push({ kind, pattern, ...(official ? { official } : {}) });
  };
  add('name', country.names);
  add('demonym', country.demonyms);
  add('place', country.places);
  add('institution', country.institutions);
  for (const official of country.officials) add('official', [official.name, ...official.aliases], official);
  return { code: country.code, country, matchers };
}

function compileWatch(watch: Watch): CompiledWatch {
  const [a, b] = watch.countries as [WatchCountry, WatchCountry];
  const countries: [CompiledCountry, CompiledCountry] = [compileCountry(a), compileCountry(b)];
  const nameAlt = (c: WatchCountry) => [...c.names, ...c.demonyms, ...c.places.slice(0, 2)].map(escapeRe).join('|');
  // "Iran and Pakistan", "Pakistan, Iran", "Pakistan-Iran", "between Iran and Pakistan"
  const pairing = new RegExp(
    `(?:${nameAlt(a)})(?:'s)?\\s*(?:and|,|-|–|—|&|/)\\s*(?:${nameAlt(b)})|(?:${nameAlt(b)})(?:'s)?\\s*(?:and|,|-|–|—|&|/)\\s*(?:${nameAlt(a)})`,
    'i',
  );
  const strikeTarget = new Map<string, RegExp>();
  const territory = (c: WatchCountry) => [...c.names, ...c.places].map(escapeRe).join('|');
  for (const c of [a, b]) {
    // Demonyms are left out: "in the Iranian attack" names the attacker, not the territory.
    strikeTarget.set(c.code, new RegExp(`\\b(?:in|inside|on|into|against|over)\\s+(?:the\\s+)?(?:(?:country|province|territory|soil|region|border (?:area|town|region)) of\\s+)?(?:${territory(c)})\\b`, 'i'));
  }
  const extraTriggers: Trigger[] = [
    {
      type: 'strike',
      pattern: new RegExp(`\\b(?:strikes?|struck|hits?|targets?|targeted|attacks?|attacked|bombs?|bombed|shells|shelled|pounds?|pounded|raids?|raided)\\b${W}{0,50}\\b(?:inside|into|in|on)\\s+(?:${territory(a)}|${territory(b)})\\b`, 'i'),
    },
  ];
  return { watch, countries, thirdParty: termPatterns(watch.thirdParties), pairing, strikeTarget, extraTriggers };
}

function findMentions(sentence: string, compiled: CompiledWatch): Mention[] {
  const mentions: Mention[] = [];
  for (const c of compiled.countries) {
    for (const m of c.matchers) {
      m.pattern.lastIndex = 0;
      for (const hit of sentence.matchAll(m.pattern)) {
        const index = hit.index ?? 0;
        mentions.push({ country: c.code, index, end: index + hit[0].length, kind: m.kind, ...(m.official ? { official: m.official } : {}) });
      }
    }
  }
  return mentions.sort((x, y) => x.index - y.index);
}

function isThirdPartyActing(sentence: string, compiled: CompiledWatch, mentions: Mention[]): boolean {
  const third = compiled.thirdParty.flatMap((p) => [...sentence.matchAll(p)]).filter(
    // "US" inside "U.S.-made" still counts; a third-party word inside a watch term does not.
    (hit) => !mentions.some((m) => (hit.index ?? 0) >= m.index && (hit.index ?? 0) < m.end),
  );
  return third.length > 0;
}

interface TypeHit {
  type: EventType;
  sentence: number;
  index: number;
  /** behind a cue such as "following": kept as a type, never the primary */
  background: boolean;
}

/** Conflict named as background ("after last week's strikes") is not a new event at all. */
const DROP_WHEN_BACKGROUND: EventType[] = ['strike', 'border_incident', 'envoy_recall', 'protest'];

function findTypes(sentence: string, sentenceNo: number, extra: Trigger[]): TypeHit[] {
  const hits: TypeHit[] = [];
  for (const trigger of [...extra, ...TRIGGERS]) {
    const match = trigger.pattern.exec(sentence);
    if (!match) continue;
    const before = sentence.slice(0, match.index);
    const after = sentence.slice(match.index + match[0].length);
    const background = BACKGROUND_BEFORE.test(before) || (DROP_WHEN_BACKGROUND.includes(trigger.type) && BACKGROUND_AFTER.test(after));
    if (background && DROP_WHEN_BACKGROUND.includes(trigger.type)) continue;
    if (trigger.type === 'de_escalation' && APPEAL_BEFORE.test(before)) continue;
    const existing = hits.find((h) => h.type === trigger.type);
    if (!existing) hits.push({ type: trigger.type, sentence: sentenceNo, index: match.index, background });
    else if (existing.background && !background) Object.assign(existing, { index: match.index, background });
  }
  // An envoy return and an envoy recall in one clause: the recall pattern "return" is the trap.
  if (hits.some((h) => h.type === 'envoy_return') && hits.some((h) => h.type === 'envoy_recall') && /\breturn(?:s|ed)?\s+to\s+(?:their|his|her|respective)?\s*posts?\b/i.test(sentence)) {
    return hits.filter((h) => h.type !== 'envoy_recall' || /\brecall|\bexpel|\bdowngrad|\bsever/i.test(sentence));
  }
  return hits;
}

function inTerm(official: Official, day: string): boolean {
  return official.from <= day && (!official.to || day <= official.to);
}

const ROLE_PHRASE = /\b(foreign minister|FM|president|prime minister|premier|army chief|interior minister|supreme leader)\b/i;

function resolveActors(sentences: string[], mentionsBySentence: Mention[][], compiled: CompiledWatch, day: string | null, types: EventType[]): Actor[] {
  const actors: Actor[] = [];
  const seen = new Set<string>();
  for (const mentions of mentionsBySentence) {
    for (const m of mentions) {
      if (m.kind !== 'official' || !m.official) continue;
      const key = `${m.country}:${m.official.name}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const actor: Actor & { outOfTerm?: boolean } = { country: m.country, name: m.official.name, role: m.official.role };
      if (day && !inTerm(m.official, day)) actor.outOfTerm = true;
      actors.push(actor);
    }
  }
  // "the Iranian foreign minister" / "his Pakistani counterpart": the office holder on that day.
  if (day) {
    const text = sentences.join(' ');
    for (const c of compiled.countries) {
      if (actors.some((a) => a.country === c.code && a.name)) continue;
      const adjectives = [...c.country.names, ...c.country.demonyms, ...c.country.places.slice(0, 1)].map(escapeRe).join('|');
      const phrase = new RegExp(`\\b(?:${adjectives})(?:'s|’s)?\\s+(foreign minister|FM|president|prime minister|premier|army chief|interior minister|supreme leader)\\b`, 'i').exec(text);
      let role = phrase?.[1]?.toLowerCase();
      if (!role && new RegExp(`\\b(?:${adjectives})(?:'s|’s)?\\s+counterpart\\b`, 'i').test(text)) {
        role = actors.find((a) => a.country !== c.code && a.role)?.role ?? ROLE_PHRASE.exec(text)?.[1]?.toLowerCase();
      }
      if (!role) continue;
      const wanted = role === 'fm' ? 'foreign minister' : role === 'premier' ? 'prime minister' : role;
      const holder = c.country.officials.find((o) => o.role.replace(/^caretaker /, '') === wanted.replace(/^caretaker /, '') && inTerm(o, day));
      if (holder && !seen.has(`${c.code}:${holder.name}`)) {
        seen.add(`${c.code}:${holder.name}`);
        actors.push({ country: c.code, name: holder.name, role: holder.role });
      }
    }
  }
  for (const c of compiled.countries) {
    if (!actors.some((a) => a.country === c.code)) actors.push({ country: c.code });
  }
  // Directed events keep their direction: the attacker or protester is the source.
  if (DIRECTED.includes(types[0] as EventType)) {
    const direction = eventDirection(sentences, mentionsBySentence, compiled, types[0] as EventType);
    if (direction) {
      for (const actor of actors as (Actor & { side?: string })[]) actor.side = actor.country === direction.source ? 'source' : 'target';
    }
  }
  return actors;
}

const DIRECTED: EventType[] = ['strike', 'border_incident', 'envoy_recall', 'protest'];

/**
 * Who acted on whom. For strikes the struck territory named after the trigger ("inside Pakistan")
 * is the target; otherwise the first side named before the trigger is the actor (the subject).
 */
function eventDirection(sentences: string[], mentionsBySentence: Mention[][], compiled: CompiledWatch, type: EventType): { source: string; target: string } | null {
  const codes = compiled.countries.map((c) => c.code);
  const other = (code: string) => codes.find((c) => c !== code) ?? code;
  for (let i = 0; i < sentences.length; i++) {
    const sentence = sentences[i] ?? '';
    const trigger = [...compiled.extraTriggers, ...TRIGGERS]
      .filter((t) => t.type === type)
      .map((t) => t.pattern.exec(sentence))
      .find((m): m is RegExpExecArray => m !== null);
    if (!trigger) continue;
    if (type === 'strike' || type === 'border_incident') {
      const rest = sentence.slice(trigger.index);
      for (const code of codes) {
        if (compiled.strikeTarget.get(code)?.test(rest)) return { source: other(code), target: code };
      }
    }
    const subject = (mentionsBySentence[i] ?? []).filter((m) => m.index < trigger.index).at(0);
    if (subject) return { source: subject.country, target: other(subject.country) };
  }
  return null;
}

function notRelevant(evidence = ''): Classification {
  return { relevant: false, types: [], primary: null, severity: 0, confidence: 0, actors: [], dates: [], evidence, dyad: null };
}

function classifyForWatch(input: ClassifyInput, compiled: CompiledWatch): Classification {
  const title = input.title.trim();
  const standfirst = splitSentences(input.summary ?? '').slice(0, 3);
  // The summary often repeats the headline; counting it twice would not add evidence.
  const sentences = [title, ...standfirst.filter((s) => s !== title)].filter(Boolean);
  const mentionsBySentence = sentences.map((s) => findMentions(s, compiled));
  const codes = compiled.countries.map((c) => c.code);

  let relevantSentences: number[] = [];
  for (let i = 0; i < sentences.length; i++) {
    const sentence = sentences[i] ?? '';
    const mentions = mentionsBySentence[i] ?? [];
    const present = new Set(mentions.map((m) => m.country));
    const both = codes.every((c) => present.has(c));
    if (!both) continue;
    const paired = compiled.pairing.test(sentence) || BILATERAL.test(sentence);
    if (!paired && isThirdPartyActing(sentence, compiled, mentions)) continue;
    if (findTypes(sentence, i, compiled.extraTriggers).length === 0) continue;
    relevantSentences.push(i);
  }
  // A headline naming only one side can still be bilateral when the standfirst names the other
  // ("Tehran summons envoy" + "...Pakistan's charge d'affaires").
  if (!relevantSentences.length) {
    const titleMentions = new Set((mentionsBySentence[0] ?? []).map((m) => m.country));
    const allMentions = new Set(mentionsBySentence.flat().map((m) => m.country));
    const titleTypes = findTypes(title, 0, compiled.extraTriggers);
    const anyThird = sentences.slice(0, 2).some((s, i) => isThirdPartyActing(s, compiled, mentionsBySentence[i] ?? []));
    if (titleMentions.size >= 1 && codes.every((c) => allMentions.has(c)) && titleTypes.length > 0 && !anyThird) {
      relevantSentences = [0];
    }
  }
  if (!relevantSentences.length) return notRelevant();

  const hits = relevantSentences.flatMap((i) => findTypes(sentences[i] ?? '', i, compiled.extraTriggers));
  // Types named in the headline lead; within a sentence the taxonomy's priority decides.
  hits.sort((x, y) => x.sentence - y.sentence || PRIORITY.indexOf(x.type) - PRIORITY.indexOf(y.type));
  const types: EventType[] = [];
  for (const h of hits) if (!types.includes(h.type)) types.push(h.type);
  // trade words and "other" gestures are weak: they lead only when nothing stronger is there.
  const weak: EventType[] = ['trade_energy', 'other', 'talks', 'agreement'];
  const foreground = hits.filter((h) => !h.background);
  const strongInTitle = types.find((t) => !weak.includes(t) && foreground.some((h) => h.type === t && h.sentence === 0));
  const primary = strongInTitle ?? foreground[0]?.type ?? types[0] ?? 'other';
  const ordered = [primary, ...types.filter((t) => t !== primary)];

  const text = sentences.join(' ');
  let severity = Math.max(...ordered.map((t) => SEVERITY[t]));
  if (ordered.includes('border_incident') && DEATHS.test(text)) severity = Math.max(severity, 4);
  if (ordered.includes('protest') && DEATHS.test(text)) severity = Math.max(severity, 4);
  if (ordered.includes('visit') && SENIOR.test(text)) severity = Math.max(severity, 3);

  const day = input.published ? input.published.slice(0, 10) : null;
  const actors = resolveActors(sentences, mentionsBySentence, compiled, day, ordered);
  const dates: EventDate[] = input.published ? resolveDates(text, input.published) : [];
  const evidenceHit = hits.find((h) => h.type === primary);
  const evidence = sentences[evidenceHit?.sentence ?? relevantSentences[0] ?? 0] ?? title;

  // Confidence: how much of the evidence an analyst would want is present. Calibrated in issue 3.
  let confidence = 0.5;
  if (relevantSentences.includes(0)) confidence += 0.2;
  if (relevantSentences.some((i) => compiled.pairing.test(sentences[i] ?? '') || BILATERAL.test(sentences[i] ?? ''))) confidence += 0.15;
  if (!weak.includes(primary)) confidence += 0.1;
  if (relevantSentences.length > 1) confidence += 0.05;

  return {
    relevant: true,
    types: ordered,
    primary,
    severity,
    confidence: Math.min(1, Math.round(confidence * 100) / 100),
    actors,
    dates,
    evidence,
    dyad: compiled.watch.dyad,
  };
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
