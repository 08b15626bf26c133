import type { Actor, EventType } from '../types.ts';
import type { Official } from '../watch.ts';
import type { CompiledWatch } from './watch-matchers.ts';
import { inTerm, type SentenceInfo, type TypeHit } from './sentences.ts';
import { BILATERAL, CONFLICT, DEATHS, HEAD_OF_STATE, OFFICIAL_LEVEL, PRIORITY, SHOT_DOWN, STANDFIRST_SENTENCES, STATE_FIRE } from './cues.ts';

/**
 * Stage 4 of the classifier, once an item is relevant: its primary type, severity, confidence,
 * the officials involved and, for acts of one state against the other, who did what to whom.
 */

/**
 * The earliest foreground trigger leads, corrected for how headlines are written: a talks or
 * visit word before a concrete outcome in the same sentence ("meet, sign six MoUs") yields to it,
 * and so does a trade or gesture word before a conflict or diplomatic act.
 */
export function refinePrimary(leads: TypeHit[]): EventType | undefined {
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
  // "thanks Pakistan in call with Shehbaz", "offers help in call": the contact is the event, the gesture its content.
  const contact = sameSentence.find((h) => h.type === 'talks' || h.type === 'visit');
  if (first.type === 'other' && contact) return contact.type;
  if (first.type === 'visit' && outcome && outcome.type !== 'agreement' && outcome.type !== 'de_escalation') return outcome.type;
  return first.type;
}

const HEALTH = /\b(?:coronavirus|covid(?:-19)?|virus|epidemic|pandemic|outbreak|cholera|polio|health)\b/i;
const FORMAL_PROTEST = /\b(?:summon\w*|lodg\w*|protest\w*|d[ée]marche|condemn\w*|denounc\w*|accus\w*|warn\w*|threat\w*|concern|blam\w*|slam\w*)\b/i;
const ENVOY_CONTACT = /\b(?:ambassador|envoy|charg[eé] d.affaires|high commissioner)\b/i;

export function severityOf(types: EventType[], primary: EventType, text: string, infos: SentenceInfo[]): number {
  const deaths = DEATHS.test(text);
  const senior = HEAD_OF_STATE.test(text) || infos.slice(0, 2).some((i) => i.mentions.some((m) => m.kind === 'official' && m.officials?.some((o) => HEAD_OF_STATE.test(o.role))));
  const score = (t: EventType): number => {
    switch (t) {
      case 'strike':
        return 5;
      case 'border_incident':
        if (STATE_FIRE.test(text) && (SHOT_DOWN.test(text) || /\b(?:fired|opened fire|shell(?:ed|ing|s)|mortars?|rockets?|crossed|chase[ds]?|raid(?:ed)?)\b/i.test(text))) return 5;
        // A closure against an epidemic is a health measure, not a security one.
        return deaths ? 4 : HEALTH.test(text) ? 2 : 3;
      case 'envoy_recall':
        return 4;
      case 'protest':
        // A formal protest after deaths is 4 (TAXONOMY.md); a request to investigate or punish is 3, even after deaths.
        return deaths && FORMAL_PROTEST.test(text) ? 4 : 3;
      case 'envoy_return':
      case 'de_escalation':
        return 3;
      case 'visit':
        return senior ? 3 : 2;
      case 'talks':
        // A leader receiving the other's ambassador is a courtesy contact (1), not ministerial talks.
        if (ENVOY_CONTACT.test(text) && !/\b(?:counterparts?|foreign ministers)\b/i.test(text)) return 1;
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

export function confidenceOf(relevantSentences: number[], infos: SentenceInfo[], compiled: CompiledWatch, primary: EventType, leads: TypeHit[]): number {
  let c = 0.45;
  if (relevantSentences.includes(0)) c += 0.15;
  if (relevantSentences.length > 1) c += 0.1;
  if (relevantSentences.some((i) => compiled.pairing.test(infos[i]?.text ?? '') || BILATERAL.test(infos[i]?.text ?? ''))) c += 0.1;
  if (!['other', 'talks', 'trade_energy'].includes(primary)) c += 0.1;
  if (leads[0]?.sentence === 0) c += 0.05;
  if (relevantSentences.some((i) => (infos[i]?.third.length ?? 0) > 0)) c -= 0.1;
  return Math.max(0, Math.min(1, Math.round(c * 100) / 100));
}

export function resolveActors(infos: SentenceInfo[], compiled: CompiledWatch, day: string | null, primary: EventType): Actor[] {
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
    if (SHOT_DOWN.test(trigger[0])) {
      // The side whose airspace it was shot the intruder down: "Iranian drone shot down over Balochistan".
      const owner = compiled.countries.map((c) => ({ code: c.code, at: info.text.search(c.territory) })).filter((h) => h.at >= 0).sort((x, y) => x.at - y.at)[0];
      if (owner) return { source: owner.code, target: other(owner.code) };
      const intruder = info.mentions.find((m) => m.kind === 'demonym' && /^\s+(?:[\w-]+\s+)?(?:drones?|aircraft|jets?|planes?|UAVs?)\b/i.test(info.text.slice(m.end, m.end + 25)));
      if (intruder) return { source: other(intruder.country), target: intruder.country };
    }
    if ((type === 'strike' || type === 'border_incident') && !SHOT_DOWN.test(trigger[0])) {
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

