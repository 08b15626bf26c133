import type { Alert, EventType, Story } from './types.ts';
import { SMS_SEGMENT, gsm7Length, toGsm7 } from './gsm7.ts';
import { toPlainText, truncate } from './text.ts';
import { canonicalUrl } from './canonical-url.ts';

/** SNS caps an email Subject at 100 characters. */
export const SUBJECT_MAX = 100;

/** Short names of the event types, for alerts and the report. */
export const TYPE_LABEL: Record<EventType, string> = {
  envoy_recall: 'Envoy recall',
  envoy_return: 'Envoys return',
  visit: 'Visit',
  talks: 'Talks',
  agreement: 'Agreement',
  de_escalation: 'De-escalation',
  protest: 'Protest',
  strike: 'Strike',
  border_incident: 'Border incident',
  trade_energy: 'Trade/energy',
  other: 'Contact',
};

const COUNTRY_NAME: Record<string, string> = { IR: 'Iran', PK: 'Pakistan', AF: 'Afghanistan', IN: 'India', CN: 'China' };

function countryName(code: string): string {
  return COUNTRY_NAME[code] ?? code;
}

/** Single-line plain text: alerts never carry markup, script schemes, control characters or line breaks. */
function clean(text: string): string {
  return toPlainText(text, 10_000);
}

function whoDidWhat(story: Story): string {
  const sides = story.actors as (Story['actors'][number] & { side?: string })[];
  const source = sides.find((a) => a.side === 'source');
  const target = sides.find((a) => a.side === 'target');
  const named = story.actors.filter((a) => a.name).map((a) => `${a.name} (${countryName(a.country)}${a.role ? `, ${a.role}` : ''})`);
  const direction = source && target ? `${countryName(source.country)} toward ${countryName(target.country)}` : story.dyad.split('-').map(countryName).join(' and ');
  return named.length ? `${direction}; named: ${named.join('; ')}` : direction;
}

/** Only http(s) links to public hosts reach an alert; anything else is left out. */
function safeLinks(story: Story): { outlet: string; title: string; url: string }[] {
  const out: { outlet: string; title: string; url: string }[] = [];
  for (const a of story.articles) {
    const url = a.url ? canonicalUrl(a.url) : null;
    if (url) out.push({ outlet: clean(a.outlet), title: clean(a.title), url });
  }
  return out;
}

/**
 * The alert for a story at a level: email subject (<= 100 chars), a plain-text email body, and
 * an SMS that fits one GSM-7 segment. `update` marks an escalation of a story already alerted.
 */
export function buildAlert(story: Story, level: number, options: { update?: boolean } = {}): Alert {
  const update = options.update ?? level > 1;
  const label = TYPE_LABEL[story.primaryType];
  const dyad = story.dyad;
  const prefix = `${update ? 'UPDATE ' : ''}[${dyad}] ${label}, sev ${story.severity}: `;
  const headline = clean(story.headline);
  const subject = truncate(prefix + headline, SUBJECT_MAX);

  const links = safeLinks(story);
  const outlets = [...new Set(story.articles.map((a) => clean(a.outlet)))];
  const dates = story.eventDates.length
    ? story.eventDates.map((d) => `${d.date} (${d.kind === 'scheduled' ? 'scheduled' : 'reported'}: "${clean(d.text)}")`).join('; ')
    : `first reported ${story.firstSeen.slice(0, 10)}`;
  const email = [
    update ? `UPDATE: this story has escalated (alert level ${level}).` : `New ${story.dyad.split('-').map(countryName).join('-')} event.`,
    '',
    `What happened: ${label} - ${headline}`,
    `Types: ${story.types.join(', ')} (primary: ${story.primaryType})`,
    `Who: ${whoDidWhat(story)}`,
    `When: ${dates}`,
    `Why it matters: severity ${story.severity} of 5${story.stateNote ? `; ${clean(story.stateNote)}` : ''}${story.status && story.status !== 'held' ? `; status: ${story.status}` : ''}`,
    `Evidence: "${clean(story.evidence)}"`,
    '',
    `Sources (${story.sourceCount} independent outlet${story.sourceCount === 1 ? '' : 's'}: ${outlets.join(', ')}):`,
    ...(links.length ? links.map((l) => `- ${l.outlet}: ${l.title}\n  ${l.url}`) : ['- (no safe link given by the feeds)']),
    '',
    `First seen ${story.firstSeen}, last seen ${story.lastSeen}. Story ${story.storyId}.`,
  ].join('\n');

  return {
    storyId: story.storyId,
    level,
    subject,
    email,
    sms: buildSms(story, update, links[0]?.url ?? null),
    attributes: { eventType: story.primaryType, severity: story.severity, dyad },
    countries: [...new Set(story.actors.map((a) => a.country))].sort(),
  };
}

/** One GSM-7 segment: the headline is shortened to make room; a link too long to fit is dropped. */
export function buildSms(story: Story, update: boolean, link: string | null): string {
  const head = toGsm7(`${update ? 'UPDATE ' : ''}${story.dyad} ${TYPE_LABEL[story.primaryType]} (sev ${story.severity}): `);
  const headline = toGsm7(clean(story.headline));
  const safeLink = link && gsm7Length(link) !== null ? link : null;
  const tail = safeLink && (gsm7Length(head) ?? 0) + safeLink.length + 1 + 30 <= SMS_SEGMENT ? ` ${safeLink}` : '';
  const room = SMS_SEGMENT - (gsm7Length(head) ?? 0) - (gsm7Length(tail) ?? 0);
  let body = truncate(headline, room).replace(/…$/, '...');
  while ((gsm7Length(head + body + tail) ?? Infinity) > SMS_SEGMENT && body.length > 0) body = body.slice(0, -1);
  return head + body + tail;
}

/**
 * One alert for many stories (the burst guard): subject and SMS say how many and how serious;
 * the email lists each with its type, severity, headline and first safe link.
 */
export function buildDigest(stories: Story[]): Alert {
  const sorted = [...stories].sort((a, b) => b.severity - a.severity || a.firstSeen.localeCompare(b.firstSeen));
  const top = sorted[0] as Story;
  const dyads = [...new Set(sorted.map((s) => s.dyad))];
  const maxSeverity = top.severity;
  const subject = truncate(`[${dyads.join(', ')}] Digest: ${sorted.length} events, highest severity ${maxSeverity}: ${clean(top.headline)}`, SUBJECT_MAX);
  const email = [
    `${sorted.length} ${dyads.join(', ')} events came in within the hour; they are listed here in one message instead of ${sorted.length} alerts.`,
    '',
    ...sorted.flatMap((s, i) => {
      const link = safeLinks(s)[0];
      return [`${i + 1}. ${TYPE_LABEL[s.primaryType]}, severity ${s.severity}${s.stateNote ? ` (${clean(s.stateNote)})` : ''}: ${clean(s.headline)}`, `   ${s.sourceCount} source${s.sourceCount === 1 ? '' : 's'}${link ? `; ${link.outlet}: ${link.url}` : ''}`];
    }),
  ].join('\n');
  const sms = toGsm7(`${dyads.join(',')} digest: ${sorted.length} events, max sev ${maxSeverity}. Top: ${clean(top.headline)}`);
  return {
    storyId: `digest-${sorted.map((s) => s.storyId).join('-').slice(0, 60)}`,
    level: 0,
    subject,
    email,
    sms: fitSegment(sms),
    attributes: { eventType: top.primaryType, severity: maxSeverity, dyad: dyads.join(',') },
    countries: [...new Set(sorted.flatMap((s) => s.actors.map((a) => a.country)))].sort(),
    digestOf: sorted.map((s) => s.storyId),
  };
}

function fitSegment(text: string): string {
  if ((gsm7Length(text) ?? Infinity) <= SMS_SEGMENT) return text;
  let cut = text;
  while (cut.length && (gsm7Length(`${cut}...`) ?? Infinity) > SMS_SEGMENT) cut = cut.slice(0, -1);
  return `${cut.trimEnd()}...`;
}
