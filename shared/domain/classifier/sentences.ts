import type { EventType } from '../types.ts';
import type { Official } from '../watch.ts';
import type { Trigger } from '../event-lexicon.ts';
import { matchTerms, WORD, type CompiledWatch, type Mention } from './watch-matchers.ts';
import { BACKGROUND_CUE, BACKGROUND_WORDS, BOTH_SIDES, CLAUSE_BREAK, CONFLICT, CONTEXT_CUE, APPEAL_BEFORE, STATE_NOUN } from './cues.ts';

/**
 * Stage 2 of the classifier: one sentence analysed: who is named (the watched states, third
 * parties), which clauses are background, which event words occur and where, and whether a
 * state acts in it.
 */

interface Span {
  start: number;
  end: number;
}

export interface SentenceInfo {
  text: string;
  mentions: Mention[];
  background: Span[];
  /** third parties acting or present; co-parties listed with the watched states are not here */
  third: Span[];
  /** the two states are listed together as parties: "Iran, Iraq and Pakistan agree" */
  listed: boolean;
  /** a watched state is one of four or more listed: a multilateral round, not the two paired */
  multilateral: boolean;
  /** a headline's kicker: conflict named there is background, the states named there count */
  kicker: Span | null;
}

export function inSpans(index: number, spans: Span[]): boolean {
  return spans.some((s) => index >= s.start && index < s.end);
}

const HYPOTHETICAL_BEFORE = /\b(?:threat(?:en|ens|ened|ening)?|vow(?:s|ed)?|pledg\w+|plan(?:s|ned)?|prepar\w+|would|could|might|may|will|shall|won't|never|refus\w+|ready|if (?:needed|necessary|required))\s+(?:to\s+)?(?:[\w-]+\s+){0,2}$/i;
const HISTORY_OPENER = /^\s*(?:on (?:one|another) occasion|in the past|historically|over the (?:past|last) (?:few |several )?(?:years|decades)|previously|years ago|back in|in (?:19|20)\d\d\b(?!\s*,?\s*(?:the two|both|Iran|Pakistan)\s+(?:will|plan)))/i;
const PHRASAL_OVER = /\b(?:hand(?:s|ed|ing)?|turn(?:s|ed|ing)?|tak(?:e|es|en|ing)|took|pass(?:es|ed)?|w[io]n|fl(?:y|ies|ew)|cross(?:es|ed)?|get|got|all|just)\s+$/i;

/** Background spans: from a cue to the next clause break. */
function backgroundSpans(sentence: string): Span[] {
  const spans: Span[] = [];
  // A sentence that opens in the past ("On one occasion...", "In 2014...") is history, not the news.
  if (HISTORY_OPENER.test(sentence)) return [{ start: 0, end: sentence.length }];
  BACKGROUND_CUE.lastIndex = 0;
  for (const cue of sentence.matchAll(BACKGROUND_CUE)) {
    const start = cue.index ?? 0;
    // "hands over", "took over", "over 40 prisoners": not "over the killing of..."
    if (/^over$/i.test(cue[0]) && (PHRASAL_OVER.test(sentence.slice(Math.max(0, start - 12), start)) || /^over\s+\d/i.test(sentence.slice(start)))) continue;
    const rest = sentence.slice(start + cue[0].length);
    const stop = rest.search(CLAUSE_BREAK);
    spans.push({ start, end: stop >= 0 ? start + cue[0].length + stop : sentence.length });
  }
  return spans;
}

/**
 * "the two neighbours" stands for both states of the dyad, unless a third party was just named
 * beside one of them ("as the Iran-Israel conflict enters its fourth day. Both countries...").
 */
export function addBothSides(info: SentenceInfo, compiled: CompiledWatch, previous?: SentenceInfo): void {
  const both = BOTH_SIDES.exec(info.text);
  if (!both) return;
  if (previous?.third.some((t) => !inSpans(t.start, previous.background)) || info.third.some((t) => t.start < both.index)) return;
  for (const c of compiled.countries) info.mentions.push({ country: c.code, index: both.index, end: both.index + both[0].length, kind: 'both' });
  info.mentions.sort((x, y) => x.index - y.index);
}

/**
 * A headline's kicker ("Israel-Iran war: ...", "'Violation of airspace': ...") sets the scene
 * for the news after it; "Clinton: ..." names who speaks, and is not a kicker.
 */
const KICKER = /^([^:|]{3,60}?)(?::|\s\|)\s+(?=\S)/;

function kickerSpan(headline: string): Span | null {
  const k = KICKER.exec(headline);
  if (!k) return null;
  const before = (k[1] ?? '').trim().split(/\s+/).length;
  const after = headline.slice(k[0].length).trim().split(/\s+/).length;
  return before <= 5 && after >= 3 ? { start: 0, end: (k[1] ?? '').length } : null;
}
const SCENE = /\b(?:war|conflict|tensions?|crisis|strikes?|attacks?|protests?|row|standoff|escalation|violation|airspace|border)\b/i;

/** The gap between two parties of one list: "Iran, Iraq and Pakistan", "Pak-Iran", "Afghan, Iranian". */
const LIST_GAP = /^(?:'s|’s)?\s*(?:,\s*(?:and\s+)?|and\s+|&\s*|\/\s*|-|–)\s*(?:(?:FM|PM|DPM|President|Foreign Minister|Prime Minister|Interior Minister|Minister|General|Gen\.?|Dr\.?|Mr\.?|Ms\.?)\s+)*$/i;
/**
 * "in a call with the Iranian president", "talking to Iranian FM Araghchi": a contact with the
 * other state's office holder, whatever else the sentence is about (TAXONOMY.md: a call between
 * the two about a third party's act is relevant).
 */
const CONTACT_WITH = /\b(?:call|conversation|talks|meeting|met|meets|spoke|speaks|talk(?:s|ed|ing)?|(?:tele)?phoned|exchanged? views)\s+(?:\w+\s+){0,2}?(?:with|to)\s+(?:his\s+|her\s+|their\s+|the\s+)?$/i;

export function contactWithOther(info: SentenceInfo): boolean {
  return info.mentions.some((m) => {
    if (m.kind === 'both' || !(m.kind === 'official' || (m.kind === 'demonym' && STATE_NOUN.test(info.text.slice(m.end, m.end + 40))))) return false;
    if (!CONTACT_WITH.test(info.text.slice(Math.max(0, m.index - 60), m.index))) return false;
    return info.mentions.some((o) => o.country !== m.country && o.kind !== 'both');
  });
}

/** A list right after these is where a visit goes, not who acts: "to visit Saudi Arabia, Iran". */
const DESTINATION_BEFORE = /\b(?:visit(?:s|ing|ed)?|trip to|tour of|travel(?:s|led|ling)? to|leaders of|heads of state of|presidents of|arriv\w+ in)\s+(?:the\s+)?$/i;

/**
 * Third parties listed with the watched states as co-parties: in a list of at most three that
 * holds both ("Iran, Iraq, Pakistan agree"), or in a list of destinations ("visit Saudi
 * Arabia, Iran"). Longer lists are multilateral round-ups, and the third parties stay.
 */
function coParties(sentence: string, mentions: Mention[], third: Span[]): { coParty: Set<Span>; listed: boolean; multilateral: boolean } {
  const parties = [...mentions.filter((m) => m.kind !== 'both').map((m) => ({ start: m.index, end: m.end, country: m.country as string | null, span: null as Span | null })), ...third.map((t) => ({ start: t.start, end: t.end, country: null, span: t }))].sort((x, y) => x.start - y.start);
  const coParty = new Set<Span>();
  let listed = false;
  let multilateral = false;
  for (let i = 0; i < parties.length; ) {
    let j = i;
    while (j + 1 < parties.length && LIST_GAP.test(sentence.slice((parties[j] as { end: number }).end, (parties[j + 1] as { start: number }).start))) j++;
    const run = parties.slice(i, j + 1);
    const watched = new Set(run.map((p) => p.country).filter(Boolean));
    const thirds = run.filter((p) => p.span);
    const both = watched.size >= 2 && run.length <= 3;
    if (both) listed = true;
    if (thirds.length && watched.size) {
      const destination = DESTINATION_BEFORE.test(sentence.slice(Math.max(0, (run[0] as { start: number }).start - 40), (run[0] as { start: number }).start));
      if (both || destination) for (const p of thirds) coParty.add(p.span as Span);
      if (run.length >= 4) multilateral = true;
    }
    i = j + 1;
  }
  return { coParty, listed, multilateral };
}

export function analyse(sentence: string, compiled: CompiledWatch, headline = false): SentenceInfo {
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
  const { coParty, listed, multilateral } = kept.length > 1 ? coParties(sentence, kept, third) : { coParty: new Set<Span>(), listed: false, multilateral: false };
  const kicker = headline ? kickerSpan(sentence) : null;
  const scene = kicker && (kept.some((m) => m.index < kicker.end) || SCENE.test(sentence.slice(0, kicker.end)));
  // Third parties in a scene-setting kicker are the scene ("Israel-Iran war: Pakistan shuts border").
  const acting = third.filter((t) => !coParty.has(t) && !(scene && kicker && t.start < kicker.end));
  return { text: sentence, mentions: kept, background: backgroundSpans(sentence), third: acting, listed, multilateral, kicker: scene ? kicker : null };
}

export interface TypeHit {
  type: EventType;
  sentence: number;
  index: number;
  background: boolean;
  context: boolean;
}

export function findTriggers(info: SentenceInfo, sentenceNo: number, triggers: Trigger[]): TypeHit[] {
  const hits: TypeHit[] = [];
  for (const trigger of triggers) {
    trigger.pattern.lastIndex = 0;
    const match = trigger.pattern.exec(info.text);
    if (!match) continue;
    if (trigger.unless?.test(info.text)) continue;
    if (trigger.requires && !trigger.requires.test(info.text)) continue;
    if (trigger.attributed && !crossBorder(info)) continue;
    // "threatened to cross into Pakistani territory": a threat (a protest), not the act.
    if ((trigger.type === 'strike' || trigger.type === 'border_incident') && HYPOTHETICAL_BEFORE.test(info.text.slice(Math.max(0, match.index - 40), match.index))) continue;
    // "discuss Israeli strikes": a third party's act named as the topic is no act between the two.
    if (CONFLICT.includes(trigger.type) && info.third.some((t) => t.end <= match.index && /^(?:'s|’s)?\s*$/.test(info.text.slice(t.end, match.index)))) continue;
    // "strikes on Iran by Israel", "condemns US strikes on Iran": the act is the third party's, and so is the condemnation.
    if (CONFLICT.includes(trigger.type) && thirdPartysAct(info, match.index, match.index + match[0].length)) continue;
    const before = info.text.slice(0, match.index);
    const after = info.text.slice(match.index + match[0].length);
    const background = inSpans(match.index, info.background) || (CONFLICT.includes(trigger.type) && !!info.kicker && inSpans(match.index, [info.kicker])) || (BACKGROUND_WORDS.test(before.slice(-25)) && !/\b(?:will|to)\s*$/.test(before)) || (CONFLICT.includes(trigger.type) && /^[^.;:!?,]{0,25}\b(?:last (?:week|month|year)|earlier this (?:week|month|year))\b/i.test(after));
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
  markPurposes(info.text, hits);
  recallNotReturn(info.text, hits);
  solidarityNotProtest(info, hits);
  // "agreed in a call to lower tensions": the agreement is the de-escalation (or the return), not a deal.
  const agreement = hits.find((h) => h.type === 'agreement');
  if (agreement && hits.some((h) => h.type === 'de_escalation' || h.type === 'envoy_return') && /^agree/i.test(info.text.slice(agreement.index))) {
    return hits.filter((h) => h !== agreement);
  }
  return hits;
}

/** What a journey is for, or what someone hopes for, is not what happened: "heads to Pakistan to mend ties", "seek to restore ties". */
const PURPOSE_AFTER_VISIT = /\bto\s+(?:[\w-]+\s+)?$/i;
const ASPIRATION_BEFORE = /\b(?:seek(?:s|ing)?|sought|aim(?:s|ed|ing)?|hop(?:e|es|ed|ing)|want(?:s|ed)?|tr(?:y|ies|ied|ying)|bid|efforts?|push(?:es)?|looks?|looking|wish(?:es)?|ready|keen)\s+to\s+(?:[\w-]+\s+){0,2}$/i;

function markPurposes(text: string, hits: TypeHit[]): void {
  const visit = hits.find((h) => h.type === 'visit' && !h.background);
  for (const h of hits) {
    if (h === visit || h.background) continue;
    if (visit && visit.index < h.index && PURPOSE_AFTER_VISIT.test(text.slice(visit.index, h.index)) && !CLAUSE_BREAK.test(text.slice(visit.index, h.index))) h.context = true;
    if (!CONFLICT.includes(h.type) && ASPIRATION_BEFORE.test(text.slice(Math.max(0, h.index - 40), h.index))) h.context = true;
  }
}

/**
 * In a recall, "barred from returning", "asked not to return" and "who is visiting home" are the
 * recall itself, not a return or a visit.
 */
const NEGATED_RETURN = /\b(?:not|never|n't|bar(?:s|red|ring)?|block\w*|prevent\w*|stop\w*|den(?:y|ies|ied))\b[^.;:!?]{0,40}\breturn/i;

function recallNotReturn(text: string, hits: TypeHit[]): void {
  if (!hits.some((h) => h.type === 'envoy_recall' && !h.background)) return;
  for (let k = hits.length - 1; k >= 0; k--) {
    const h = hits[k] as TypeHit;
    if (h.type === 'visit' || (h.type === 'envoy_return' && NEGATED_RETURN.test(text))) hits.splice(k, 1);
  }
}

/** "Iran condemns the terrorist attack on a school in Peshawar": sympathy with the other state, not a protest against it. */
const CONDEMNS_TERROR = /^(?:condemn\w*|denounc\w*|deplor\w*)\b[^.;:!?]{0,60}?\b(?:terror\w*|suicide|bomb(?:s|ing|ings|er|ers)?|blasts?|explosions?|gunmen|massacre)\b/i;

function solidarityNotProtest(info: SentenceInfo, hits: TypeHit[]): void {
  const protest = hits.find((h) => h.type === 'protest');
  if (!protest || !CONDEMNS_TERROR.test(info.text.slice(protest.index))) return;
  const speaker = info.mentions.filter((m) => m.index < protest.index && m.kind !== 'both').at(-1)?.country;
  const clauseEnd = info.text.slice(protest.index).search(/[;:!?]|\.\s/);
  const scene = info.mentions.filter((m) => m.index > protest.index && (clauseEnd < 0 || m.index < protest.index + clauseEnd) && m.country !== speaker);
  hits.splice(hits.indexOf(protest), 1);
  // Where the attack struck the other state, the condemnation is a gesture toward it; at home it is no act toward anyone.
  if (scene.length && speaker && !hits.some((h) => h.type === 'other')) hits.push({ ...protest, type: 'other' });
}

function thirdPartysAct(info: SentenceInfo, start: number, end: number): boolean {
  const clause = info.text.slice(end).search(CLAUSE_BREAK);
  const clauseEnd = clause < 0 ? info.text.length : end + clause;
  return info.third.some((t) => {
    if (t.start >= end && t.start < clauseEnd) {
      // "strikes on Iran by Israel": named as the agent after the act
      if (/\bby\s+(?:the\s+)?$/i.test(info.text.slice(Math.max(end, t.start - 12), t.start))) return true;
      // "condemns Israeli strikes", "condemns the US attack": a protest whose object is another's act
      return /^(?:condemn|denounc|deplor|slam)/i.test(info.text.slice(start, end)) && THIRD_ACTION.test(info.text.slice(t.end, t.end + 40));
    }
    return false;
  });
}

/** Ties a killing or kidnapping at the border to the other side (see Trigger.attributed). */
const ACROSS = /\b(?:across the (?:border|frontier|line)|cross-border|from across|from the other side|(?:fled|escaped|retreated|taken|transferred|whisked|crossed|sneaked|infiltrated|moved)\b[^.;:!?]{0,30}\b(?:into|to|back|across)\b|from (?:its|their|the \w+|\w+(?:'s|’s)) (?:soil|territory|side)|blam\w+|accus\w+|hideouts? in|based in|sanctuar\w+)/i;
const FORCES_AFTER = /^\s+(?:[\w-]+\s+)?(?:forces|guards|troops|soldiers|border (?:guards|forces|police)|security forces|army|military|police)\b/i;

function crossBorder(info: SentenceInfo): boolean {
  if (ACROSS.test(info.text)) return true;
  // "killed by Iranian border guards": the other state's forces did it.
  return info.mentions.some((m) => m.kind === 'demonym' && FORCES_AFTER.test(info.text.slice(m.end, m.end + 40)) && /\bby\s+(?:the\s+)?$/i.test(info.text.slice(Math.max(0, m.index - 8), m.index)));
}

const OFFICE_AFTER = /^(?:'s|’s)?\s+(?:[\w-]+\s+){0,2}?(?:minister|president|premier|prime minister|FM|army chief|COAS|speaker|delegation)\b/i;
const INTO_PLACE = /\b(?:in|to|reach(?:es|ed)?|arriv\w+ in|land(?:s|ed)? in)\s+$/i;
const JOURNEY = /\b(?:go\w*|went|travel\w*|com(?:e|es|ing)|came|arriv\w*|fl(?:y|ies|ew)|head\w*|trip|visit\w*|return\w*|reach\w*|off|way)\b/i;
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
      // "in Islamabad" places the guest; "to Iran" does only with a journey ("flies to", not "condolences to").
      if (INTO_PLACE.test(between) && (!/\bto\s+$/i.test(between) || JOURNEY.test(between))) return guest.index;
    }
  }
  return null;
}

/** The acting subject of a sentence is its first actor mention, watched or third party. */
export function thirdPartyIsSubject(info: SentenceInfo, firstTrigger: number): boolean {
  const firstThird = info.third.filter((t) => !inSpans(t.start, info.background))[0];
  if (!firstThird || firstThird.start > firstTrigger) return false;
  const firstWatched = info.mentions[0];
  return !firstWatched || firstThird.start < firstWatched.index;
}

const THIRD_ACTION = /^(?:'s|’s)?\s+(?:[\w-]+\s+)?(?:strikes?|attacks?|forces|troops|jets|missiles?|drones?|aggression|war|bombing|bombardment|operations?|raids?|military|army|navy|sanctions|pressure|warning|offer|mediation|proposal|plan|envoy|officials?|says|said|urges?|warns?|calls?|asks?|tells?|demands?)\b/i;
const CONDEMN_BEFORE = /\b(?:condemn\w*|denounc\w*|slam\w*|reject\w*|criticis\w*|criticiz\w*|protest\w*)\s+(?:[\w-]+\s+){0,2}$/i;

export function inAsClause(text: string, index: number): boolean {
  const as = /\sas\s/i.exec(text);
  return !!as && index > as.index && !CLAUSE_BREAK.test(text.slice(as.index, index));
}

const TOPIC_BEFORE = /\b(?:on|about|regarding|concerning|discuss(?:es|ed|ing)?|situation in|peace in|crisis in|mediat\w*(?:\s+efforts?)?\s+between|(?:tensions?|rift|row|dispute|rivalry|conflict|war)\s+between)\s+(?:the\s+)?(?:[\w-]+,?\s+){0,4}$/i;

/**
 * A third party in the foreground makes the sentence about someone else ("Pakistan condemns
 * Israeli strikes on Iran"), unless it is only the topic ("talks on Yemen", "discuss
 * Afghanistan") and does nothing itself ("Israeli strikes", "US pressure").
 */
export function thirdPartyPresent(info: SentenceInfo): boolean {
  // "... as India-Pakistan tensions soar": an as-clause sets the scene, it is not the act.
  const asClause = /\sas\s/i.exec(info.text);
  return info.third.some((t) => {
    if (inSpans(t.start, info.background)) return false;
    if (asClause && t.start > asClause.index && !info.text.slice(asClause.index, t.start).match(CLAUSE_BREAK)) return false;
    const acts = THIRD_ACTION.test(info.text.slice(t.end, t.end + 40)) || CONDEMN_BEFORE.test(info.text.slice(Math.max(0, t.start - 40), t.start));
    // "a helicopter crash in East Azerbaijan province", "met in Ankara": where, not who ("at the OIC" is a forum, and stays).
    if (!acts && /\b(?:in|near|inside)\s+(?:the\s+)?(?:[\w-]+\s+)?$/i.test(info.text.slice(Math.max(0, t.start - 25), t.start))) return false;
    return acts || !TOPIC_BEFORE.test(info.text.slice(Math.max(0, t.start - 40), t.start));
  });
}

/** A state acts in the sentence: not only a place people are in ("pilgrims in Iran") or a demonym for civilians. */
export function stateLed(info: SentenceInfo): boolean {
  return info.mentions.some((m) => stateLike(info, m));
}

/** Stricter: a state acting, not merely quoted ("Iranian officials said") and not a province. */
export function stateActs(info: SentenceInfo): boolean {
  return info.mentions.some((m) => !inSpans(m.index, info.background) && m.kind !== 'place' && stateLike(info, m) && !ATTRIBUTION.test(info.text.slice(m.end, m.end + 40)));
}

function stateLike(info: SentenceInfo, m: Mention): boolean {
  if (m.kind === 'demonym') return STATE_NOUN.test(info.text.slice(m.end, m.end + 60));
  const before = info.text.slice(Math.max(0, m.index - 25), m.index);
  // "attributed to Pakistan", "blamed on Iran": the state named as the one who acted.
  if (AGENT_BEFORE.test(before) || (m.kind === 'name' && AUTHORITIES_IN.test(before))) return true;
  if ((m.kind === 'name' || m.kind === 'place' || m.kind === 'capital') && LOCATIVE.test(before)) return false;
  return true;
}
const AGENT_BEFORE = /\b(?:attribut\w+ to|blamed (?:it )?on|by|blam\w+|accus\w+)\s+$/i;
/** "Authorities in Pakistan are closing the border": the state, named by its land (a province's authorities are not). */
const AUTHORITIES_IN = /\b(?:authorities|officials|government|police|forces|troops) in\s+$/i;
const ATTRIBUTION = /^(?:\s+[\w-]+){0,3}?\s+(?:officials?|sources?|media|television|agency)?\s*(?:said|says|say|told|reported|according)\b/i;
const LOCATIVE = /\b(?:in|into|inside|across|through|near|from|to|via|at|of)\s+(?:the\s+)?(?:central|northern|southern|eastern|western|north|south|east|west|neighbouring|neighboring)?\s*$/i;

export function inTerm(official: Official, day: string): boolean {
  return official.from <= day && (!official.to || day <= official.to);
}
