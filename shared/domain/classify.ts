import type { Actor, Classification, EventDate, EventType } from './types.ts';
import type { Watch } from './watch.ts';
import { splitSentences } from './text.ts';
import { resolveDates } from './dates.ts';
import { compileWatch, type CompiledWatch } from './classifier/watch-matchers.ts';
import { addBothSides, analyse, contactWithOther, findTriggers, inAsClause, inSpans, stateActs, stateLed, thirdPartyIsSubject, thirdPartyPresent, type SentenceInfo, type TypeHit } from './classifier/sentences.ts';
import { confidenceOf, refinePrimary, resolveActors, severityOf } from './classifier/outcome.ts';
import { APPEAL_BEFORE, CONFLICT, EXPLAINER, MARKETS, NEEDS_STATE_ACTOR, PRIORITY, SPORT, STANDFIRST_SENTENCES } from './classifier/cues.ts';

/**
 * Rule-based event coder for one or more watches (dyads), following TAXONOMY.md. This file runs
 * the stages; classifier/ holds them (watch-matchers, sentences, outcome) and their cues.
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

// ---------------------------------------------------------------------------------------------

function notRelevant(): Classification {
  return { relevant: false, types: [], primary: null, severity: 0, confidence: 0, actors: [], dates: [], evidence: '', dyad: null };
}

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
  const infos = sentences.slice(0, 1 + STANDFIRST_SENTENCES).map((s, i) => analyse(s, compiled, i === 0));
  const analyseLead = () => {
    for (let i = infos.length; i < sentences.length; i++) {
      const info = analyse(sentences[i] as string, compiled);
      if (bothMeansDyad) addBothSides(info, compiled, infos[i - 1]);
      infos.push(info);
    }
  };
  const openingSides = new Set(infos.slice(0, 2).flatMap((i) => i.mentions.map((m) => m.country)));
  const bothMeansDyad = codes.every((c) => openingSides.has(c)) || (openingSides.size > 0 && !(infos[0]?.third.length ?? 0));
  if (bothMeansDyad) infos.forEach((info, i) => addBothSides(info, compiled, infos[i - 1]));
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
  // So is one in which a third party acts ("Pakistan condemns Israel's attacks on Iran"), even when
  // the act itself is no event between the two.
  let titleAboutThirdParty =
    ((titleInfo.third[0]?.start ?? Infinity) < (titleInfo.mentions[0]?.index ?? Infinity) && !/\btrilateral\b/i.test(titleInfo.text)) ||
    (thirdPartyPresent(titleInfo) && !compiled.pairing.test(titleInfo.text) && !titleInfo.listed && !contactWithOther(titleInfo));
  for (let i = 0; i < Math.min(infos.length, 1 + STANDFIRST_SENTENCES); i++) {
    const info = infos[i] as SentenceInfo;
    const hits = findTriggers(info, i, compiled.triggers);
    let foreground = hits.filter((h) => !h.background);
    // "Iran sends final notice to Pakistan over stalled pipeline": with no other act, a
    // cooperative topic behind a cue is the subject of the news.
    if (!foreground.length) {
      foreground = hits.filter((h) => !CONFLICT.includes(h.type));
      // ...and in a headline it leads only if the standfirst reports nothing itself ("Cement ties after Raisi's visit" + "signed a deal").
      for (const h of foreground) Object.assign(h, { background: false, context: h.context || i === 0 });
    }
    if (!foreground.length) continue;
    // A question is comment, not a report: "Does the strike mean a new phase?"
    if (/\?\s*['"’”]?\s*$/.test(info.text)) continue;
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
    // "Araghchi ... in a call with his Pakistani counterpart": a bilateral contact whatever the headline is about.
    const counterpart = compiled.countries.some((c) => c.counterpartPhrase.test(info.text) && info.mentions.some((m) => m.country !== c.code && m.kind !== 'both'));
    const paired = (compiled.pairing.test(info.text) && !info.multilateral) || info.listed || counterpart || contactWithOther(info) || (!titleAboutThirdParty && /\b(?:counterparts?|bilateral|trilateral)\b/i.test(info.text));
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

  // A headline that reports a reaction (a recall, a protest, a call) makes the violence its
  // standfirst recounts the reason, not a second event: "Pakistan recalls envoy" + "...called
  // the strike a violation of its airspace".
  const headlineAct = allHits.find((h) => h.sentence === 0 && !h.background && !h.context);
  let recountedStrike = false;
  if (headlineAct && headlineAct.type !== 'strike' && headlineAct.type !== 'border_incident' && !allHits.some((h) => h.sentence === 0 && !h.background && (h.type === 'strike' || h.type === 'border_incident'))) {
    for (const h of allHits) {
      if (h.sentence === 0 || (h.type !== 'strike' && h.type !== 'border_incident')) continue;
      recountedStrike ||= h.type === 'strike' && !h.background;
      h.background = true;
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
  // A protest against a strike the standfirst recounts is part of that military action (5).
  const severity = primary === 'protest' && recountedStrike ? 5 : severityOf(ordered, primary, standfirstText, infos);
  const actors = resolveActors(infos, compiled, day, primary);
  // Dates come from the standfirst and later sentences about the two states (chrono is the costliest step).
  const dates: EventDate[] = input.published ? resolveDates(infos.filter((i, n) => n <= STANDFIRST_SENTENCES || i.mentions.length > 0).map((i) => i.text).join(' '), input.published) : [];
  const evidenceHit = foreground.find((h) => h.type === primary) ?? allHits[0];
  const evidence = sentences[evidenceHit?.sentence ?? relevantSentences[0] ?? 0] ?? title;
  const confidence = confidenceOf(relevantSentences, infos, compiled, primary, leads);

  return { relevant: true, types: ordered, primary, severity, confidence, actors, dates, evidence, dyad: compiled.watch.dyad };
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

