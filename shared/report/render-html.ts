import { createHash } from 'node:crypto';
import { TYPE_LABEL } from '../domain/alert-text.ts';
import type { ReportData, ReportMark, StateBand } from '../domain/report-data.ts';

/**
 * The analyst report as one self-contained HTML page: an inline SVG timeline, the events table
 * with a type filter, and the counts. No fonts, images, styles or scripts are fetched; the
 * Content-Security-Policy forbids every request, and the one script runs by its hash, so even a
 * string that escaped escaping could not run. Every string that came from a feed goes through
 * `escapeHtml`; rows are rendered here and the script only hides them, so no data is embedded
 * in the script.
 */

/** Text and double- or single-quoted attribute values. */
export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

const e = escapeHtml;
const num = (n: unknown) => (Number.isFinite(Number(n)) ? String(Number(n)) : '0');

/** The filter: toggles rows and dims marks by their main type. Hashed into the CSP below. */
const SCRIPT = `(() => {
  const boxes = [...document.querySelectorAll('#filters input[type=checkbox]')];
  const rows = [...document.querySelectorAll('#events tbody tr[data-type]')];
  const marks = [...document.querySelectorAll('#timeline .mark')];
  const shown = document.getElementById('shown');
  const apply = () => {
    const on = new Set(boxes.filter((b) => b.checked).map((b) => b.value));
    let n = 0;
    for (const row of rows) {
      const visible = on.has(row.dataset.type);
      row.hidden = !visible;
      if (visible) n++;
    }
    for (const mark of marks) mark.classList.toggle('off', !on.has(mark.dataset.type));
    const events = (k) => k + (k === 1 ? ' event' : ' events');
    shown.textContent = !rows.length ? 'No events' : n === rows.length ? (n === 1 ? 'Showing 1 event' : 'Showing all ' + events(n)) : 'Showing ' + n + ' of ' + events(rows.length);
  };
  for (const box of boxes) box.addEventListener('change', apply);
  const all = (checked) => () => { for (const box of boxes) box.checked = checked; apply(); };
  document.getElementById('show-all').addEventListener('click', all(true));
  document.getElementById('show-none').addEventListener('click', all(false));
  apply();
})();`;

const SCRIPT_HASH = createHash('sha256').update(SCRIPT).digest('base64');

export const CONTENT_SECURITY_POLICY = `default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-${SCRIPT_HASH}'; img-src data:; base-uri 'none'; form-action 'none'`;

const STYLE = `
:root { --ink: #1d232b; --muted: #5b6672; --line: #d5dbe1; --paper: #ffffff; --wash: #f4f6f8; --recalled: rgba(170, 68, 153, 0.14); }
* { box-sizing: border-box; }
[hidden] { display: none !important; }
body { margin: 0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: var(--ink); background: var(--paper); }
header, main { max-width: 1200px; margin: 0 auto; padding: 0 20px; }
header { padding-top: 20px; }
h1 { font-size: 1.45rem; margin: 0 0 4px; }
h2 { font-size: 1.1rem; margin: 28px 0 8px; }
h3 { font-size: 0.95rem; margin: 0 0 6px; }
.meta, .hint, .note, .muted { color: var(--muted); }
.meta { margin: 0; }
.hint { margin: 0 0 8px; font-size: 0.88rem; }
.scroll { overflow-x: auto; border: 1px solid var(--line); border-radius: 6px; background: var(--paper); }
#timeline { display: block; width: 100%; min-width: 720px; height: auto; }
#timeline text { font-size: 12px; fill: var(--muted); font-family: inherit; }
#timeline .band-label { fill: #6d2a63; font-weight: 600; }
#timeline .zone { font-size: 11px; letter-spacing: 0.04em; text-transform: uppercase; }
#timeline .mark:not(.hollow) circle { stroke: #1d232b; stroke-width: 1; }
#timeline .mark.hollow circle { fill: #ffffff; stroke-width: 3; }
#timeline .mark:hover circle, #timeline .mark:focus circle { stroke-width: 2.5; }
#timeline .mark.off { opacity: 0.12; }
.empty { padding: 16px; margin: 0; color: var(--muted); }
#filters { border: 0; padding: 0; margin: 0 0 8px; display: flex; flex-wrap: wrap; gap: 6px; align-items: center; }
#filters legend { float: left; margin-right: 6px; font-weight: 600; font-size: 0.9rem; }
.chip { display: inline-flex; align-items: center; gap: 6px; border: 1px solid var(--line); border-radius: 999px; padding: 3px 10px 3px 6px; font-size: 0.85rem; cursor: pointer; background: var(--paper); user-select: none; }
.chip.zero { color: var(--muted); }
.chip input { margin: 0; }
.swatch { display: inline-block; width: 11px; height: 11px; border-radius: 50%; border: 1px solid #1d232b; flex: none; vertical-align: -1px; }
button { font: inherit; font-size: 0.85rem; padding: 3px 10px; border: 1px solid var(--line); border-radius: 6px; background: var(--wash); cursor: pointer; }
#shown { margin: 4px 0 8px; font-size: 0.88rem; color: var(--muted); }
.table-wrap { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; vertical-align: top; padding: 8px 10px; border-bottom: 1px solid var(--line); }
th { font-size: 0.8rem; text-transform: uppercase; letter-spacing: 0.04em; color: var(--muted); background: var(--wash); }
#events td.date { white-space: nowrap; width: 9.5em; }
#events td.date div { white-space: normal; }
#events td.type { width: 10.5em; }
#events td.links { width: 16em; }
.type-name { white-space: nowrap; }
.when { white-space: nowrap; }
#events td.num, #events th.num { text-align: right; }
#events tr:target { background: #fff6d6; }
.who { font-weight: 600; }
.headline { display: block; }
.small { font-size: 0.82rem; }
ul.sources { margin: 0; padding: 0; list-style: none; }
ul.sources li { margin: 0 0 3px; }
a { color: #1a5fb4; }
.sev { font-weight: 600; }
.scroll-hint { display: none; }
.counts { display: grid; grid-template-columns: repeat(auto-fit, minmax(320px, 1fr)); gap: 24px; }
.counts td { padding: 3px 8px; }
.counts td.bar { width: 55%; }
.bar-track { display: flex; height: 12px; background: var(--wash); border-radius: 3px; overflow: hidden; }
.bar-track span { display: block; height: 100%; }
footer { max-width: 1200px; margin: 32px auto 24px; padding: 12px 20px 0; border-top: 1px solid var(--line); color: var(--muted); font-size: 0.85rem; }
@media (max-width: 700px) {
  body { font-size: 14px; }
  header, main, footer { padding-left: 12px; padding-right: 12px; }
  h1 { font-size: 1.2rem; }
  #events thead { display: none; }
  #events, #events tbody, #events tr, #events td { display: block; width: 100%; }
  #events tr { border: 1px solid var(--line); border-radius: 6px; margin: 0 0 10px; padding: 4px 0; }
  #events td { border: 0; padding: 3px 10px; }
  #events td.num { text-align: left; }
  #events td::before { content: attr(data-label); display: inline-block; min-width: 6.5em; font-size: 0.78rem; color: var(--muted); text-transform: uppercase; letter-spacing: 0.03em; }
  #events td.what::before, #events td.links::before { display: block; }
  #events td::before { font-weight: normal; }
  #events td.date, #events td.type, #events td.links { width: 100%; }
  .chip { padding: 2px 8px 2px 5px; font-size: 0.8rem; }
  .scroll-hint { display: block; }
}
`;

// Timeline geometry, in SVG user units (the viewBox is scaled to the page width).
const W = 1000;
const PAD_L = 84;
const PAD_R = 24;
const TOP = 30;
const LANE = 30;
const MAX_LANES = 6;
const AXIS = 34;
const DAY_MS = 86_400_000;

const dayNumber = (day: string) => Math.floor(Date.parse(`${day}T00:00:00Z`) / DAY_MS);
const dayString = (n: number) => new Date(n * DAY_MS).toISOString().slice(0, 10);
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

interface Scale {
  x(day: string): number;
  start: number;
  end: number;
}

function scaleFor(span: { start: string; end: string }): Scale {
  const first = dayNumber(span.start);
  const last = dayNumber(span.end) + 1;
  // At least a week on screen, with a little room either side so edge marks are not cut.
  const width = Math.max(7, last - first);
  const pad = width * 0.03;
  const start = first - (width - (last - first)) / 2 - pad;
  const end = start + width + 2 * pad;
  return { start, end, x: (day: string) => PAD_L + ((dayNumber(day) + 0.5 - start) / (end - start)) * (W - PAD_L - PAD_R) };
}

/** Tick marks: days for short ranges, weeks, months, then years. */
function ticks(scale: Scale): { x: number; label: string }[] {
  const first = Math.ceil(scale.start);
  const last = Math.floor(scale.end);
  const days = last - first;
  const out: { x: number; label: string }[] = [];
  const at = (n: number, centred: boolean) => PAD_L + ((n + (centred ? 0.5 : 0) - scale.start) / (scale.end - scale.start)) * (W - PAD_L - PAD_R);
  if (days <= 120) {
    const step = days <= 18 ? 1 : days <= 45 ? 3 : 7;
    for (let n = first; n < last; n += step) {
      const d = dayString(n);
      const month = MONTHS[Number(d.slice(5, 7)) - 1];
      out.push({ x: at(n, true), label: `${Number(d.slice(8, 10))} ${month}${n === first ? ` ${d.slice(0, 4)}` : ''}` });
    }
    return out;
  }
  const monthly = days <= 900;
  for (let n = first; n <= last; n++) {
    const d = dayString(n);
    if (d.slice(8, 10) !== '01' || (!monthly && d.slice(5, 7) !== '01')) continue;
    const month = MONTHS[Number(d.slice(5, 7)) - 1];
    out.push({ x: at(n, false), label: monthly ? (d.slice(5, 7) === '01' || out.length === 0 ? `${month} ${d.slice(0, 4)}` : `${month}`) : d.slice(0, 4) });
  }
  return out;
}

/** Lanes so marks on the same or nearby days do not cover each other, nearest the centre line first. */
function lanes(marks: { x: number; r: number }[]): number[] {
  const right: number[] = [];
  return marks.map(({ x, r }) => {
    let lane = right.findIndex((edge) => edge + 2 <= x - r);
    if (lane === -1) {
      if (right.length < MAX_LANES) lane = right.length;
      else lane = right.indexOf(Math.min(...right));
    }
    right[lane] = x + r;
    return lane;
  });
}

function markLabel(m: ReportMark): string {
  return `${m.date} · ${m.typeLabel} · severity ${num(m.severity)} · ${m.who}: ${m.headline}`;
}

function bandLabel(b: StateBand): string {
  return b.to ? `Ambassadors recalled · ${num(b.days)} day${b.days === 1 ? '' : 's'}` : `Ambassadors recalled since ${b.from} →`;
}

function renderTimeline(data: ReportData): string {
  if (!data.span || !data.marks.length) return `<p class="empty">No events between ${e(data.since.slice(0, 10))} and ${e(data.until.slice(0, 10))}.</p>`;
  const scale = scaleFor(data.span);
  const placed = data.marks.map((m) => ({ m, x: scale.x(m.date), r: m.radius }));
  const tension = placed.filter((p) => p.m.tension);
  const contact = placed.filter((p) => !p.m.tension);
  const tensionLanes = lanes(tension);
  const contactLanes = lanes(contact);
  const nT = Math.max(2, ...tensionLanes.map((l) => l + 1));
  const nC = Math.max(2, ...contactLanes.map((l) => l + 1));
  const centre = TOP + nT * LANE + 6;
  const bottom = centre + 6 + nC * LANE;
  const height = bottom + AXIS;
  const y = new Map<ReportMark, number>();
  tension.forEach((p, i) => y.set(p.m, centre - 6 - LANE / 2 - (tensionLanes[i] as number) * LANE));
  contact.forEach((p, i) => y.set(p.m, centre + 6 + LANE / 2 + (contactLanes[i] as number) * LANE));

  const plotRight = W - PAD_R;
  const parts: string[] = [];
  parts.push(`<defs><linearGradient id="open-band" x1="0" x2="1" y1="0" y2="0"><stop offset="0.7" stop-color="#aa4499" stop-opacity="0.14"/><stop offset="1" stop-color="#aa4499" stop-opacity="0.02"/></linearGradient></defs>`);
  for (const t of ticks(scale)) {
    parts.push(`<line x1="${t.x.toFixed(1)}" x2="${t.x.toFixed(1)}" y1="${TOP}" y2="${bottom}" stroke="#eef1f4"/>`);
    parts.push(`<text x="${t.x.toFixed(1)}" y="${bottom + 20}" text-anchor="middle">${e(t.label)}</text>`);
  }
  // Band labels must not run into each other: bold 12-unit text is about 7 units a character.
  // The open band (still recalled) is labelled first; a label with no room is left out and the
  // band keeps its tooltip.
  const labels = data.bands.map((b) => {
    const x1 = scale.x(b.from);
    const anchorEnd = x1 > W * 0.62;
    const anchorX = anchorEnd ? (b.to ? scale.x(b.to) : plotRight) - 4 : x1 + 4;
    const width = bandLabel(b).length * 7;
    return { anchorEnd, anchorX, left: anchorEnd ? anchorX - width : anchorX, right: anchorEnd ? anchorX : anchorX + width, shown: false };
  });
  const taken: [number, number][] = [];
  for (const i of data.bands.map((b, i) => [b.to ? 1 : 0, i] as const).sort((a, b) => a[0] - b[0] || a[1] - b[1]).map(([, i]) => i)) {
    const l = labels[i] as (typeof labels)[number];
    if (l.left < 0 || l.right > W || taken.some(([a, z]) => l.left < z + 8 && l.right > a - 8)) continue;
    l.shown = true;
    taken.push([l.left, l.right]);
  }
  for (const [i, b] of data.bands.entries()) {
    const x1 = scale.x(b.from);
    const x2 = b.to ? scale.x(b.to) : plotRight;
    const label = bandLabel(b);
    const { anchorEnd, anchorX, shown: labelled } = labels[i] as (typeof labels)[number];
    parts.push(
      `<g class="band" data-from="${e(b.from)}" data-to="${e(b.to ?? '')}"><title>${e(b.to ? `Ambassadors recalled from ${b.from} to ${b.to}` : `Ambassadors recalled since ${b.from}; no return reported by ${data.until.slice(0, 10)}`)}</title>` +
        `<rect x="${x1.toFixed(1)}" y="${TOP - 4}" width="${Math.max(2, x2 - x1).toFixed(1)}" height="${bottom - TOP + 4}" fill="${b.to ? 'var(--recalled)' : 'url(#open-band)'}"/>` +
        `<line x1="${x1.toFixed(1)}" x2="${x1.toFixed(1)}" y1="${TOP - 4}" y2="${bottom}" stroke="#aa4499" stroke-dasharray="3 3"/>` +
        (b.to ? `<line x1="${x2.toFixed(1)}" x2="${x2.toFixed(1)}" y1="${TOP - 4}" y2="${bottom}" stroke="#44aa99" stroke-dasharray="3 3"/>` : '') +
        (labelled ? `<text class="band-label" x="${anchorX.toFixed(1)}" y="${TOP - 10}" text-anchor="${anchorEnd ? 'end' : 'start'}">${e(label)}</text>` : '') +
        `</g>`,
    );
  }
  parts.push(`<line x1="${PAD_L}" x2="${plotRight}" y1="${centre}" y2="${centre}" stroke="#8a949e"/>`);
  parts.push(`<text class="zone" x="8" y="${centre - 8}">▲ tension</text><text class="zone" x="8" y="${centre + 18}">▼ contact</text>`);
  for (const p of placed) {
    const m = p.m;
    const hollow = m.status === 'scheduled' || m.status === 'postponed' || m.status === 'cancelled';
    parts.push(
      `<a class="mark${hollow ? ' hollow' : ''}" href="#s-${e(m.storyId)}" data-type="${e(m.type)}" data-story="${e(m.storyId)}" aria-label="${e(markLabel(m))}">` +
        `<circle cx="${p.x.toFixed(1)}" cy="${(y.get(m) as number).toFixed(1)}" r="${num(m.radius)}" fill="${e(m.colour)}" stroke="${e(m.colour)}"/><title>${e(markLabel(m))}</title></a>`,
    );
  }
  return `<div class="scroll"><svg id="timeline" viewBox="0 0 ${W} ${height}" role="img" aria-label="${e(`Timeline of ${data.marks.length} events`)}" xmlns="http://www.w3.org/2000/svg">${parts.join('')}</svg></div>`;
}

function renderSources(m: ReportMark): string {
  const item = (s: ReportMark['sources'][number]) => {
    const when = ` <span class="muted small when">${e(s.publishedAt.slice(0, 10))}</span>`;
    return s.url
      ? `<li><a href="${e(s.url)}" title="${e(s.title)}" target="_blank" rel="noopener noreferrer">${e(s.outlet)}</a>${when}</li>`
      : `<li title="${e(s.title)}">${e(s.outlet)} <span class="muted small">(no usable link)</span>${when}</li>`;
  };
  const first = m.sources.slice(0, 5).map(item).join('');
  const rest = m.sources.slice(5);
  return `<ul class="sources">${first}</ul>${rest.length ? `<details><summary class="small">${rest.length} more</summary><ul class="sources">${rest.map(item).join('')}</ul></details>` : ''}`;
}

function statusNote(m: ReportMark): string {
  if (m.status === 'scheduled') return m.scheduledFor ? `announced for ${m.scheduledFor}` : 'announced';
  if (m.status === 'held') return m.scheduledFor ? `announced for ${m.scheduledFor}; held` : 'held';
  if (m.status === 'postponed' || m.status === 'cancelled') return m.scheduledFor ? `announced for ${m.scheduledFor}; ${m.status}` : m.status;
  return '';
}

function renderRow(m: ReportMark): string {
  const first = m.firstSeen.slice(0, 10);
  // Said only when the mark is not on the day of the first report.
  const basis = m.date === first ? '' : m.dateBasis === 'reported' ? 'date given in the report' : m.dateBasis === 'held' ? 'held as scheduled' : '';
  const also = m.types.filter((t) => t !== m.type);
  // The state note is what the pipeline noted when the report came in (the alert's line), not the bands' reading.
  const notes = [statusNote(m), m.stateNote ? `relationship: ${m.stateNote}` : ''].filter(Boolean);
  return (
    `<tr id="s-${e(m.storyId)}" data-type="${e(m.type)}">` +
    `<td class="date" data-label="Date">${e(m.date)}${basis ? `<div class="muted small">${e(basis)}; first reported <span class="when">${e(first)}</span></div>` : ''}</td>` +
    `<td class="type" data-label="Type"><span class="type-name"><span class="swatch" style="background:${e(m.colour)}"></span> ${e(m.typeLabel)}</span>${also.length ? `<div class="muted small">also ${e(also.map((t) => (TYPE_LABEL[t] ?? t).toLowerCase()).join(', '))}</div>` : ''}</td>` +
    `<td class="what" data-label="Who did what to whom"><span class="who">${e(m.who)}</span><span class="headline">${e(m.headline)}</span>` +
    `${m.named.length ? `<div class="muted small">${e(m.named.join('; '))}</div>` : ''}${notes.length ? `<div class="note small">${e(notes.join('; '))}</div>` : ''}</td>` +
    `<td class="num sev" data-label="Severity">${num(m.severity)}</td>` +
    `<td class="num" data-label="Sources">${num(m.sourceCount)}</td>` +
    `<td class="links" data-label="Reports">${renderSources(m)}</td>` +
    `</tr>`
  );
}

function renderFilters(data: ReportData): string {
  const chips = data.typeCounts
    .map(
      (t) =>
        `<label class="chip${t.count ? '' : ' zero'}"><input type="checkbox" value="${e(t.type)}" checked><span class="swatch" style="background:${e(t.colour)}"></span>${e(t.label)} <span class="muted">${num(t.count)}</span></label>`,
    )
    .join('');
  return `<fieldset id="filters"><legend>Types</legend>${chips}<button type="button" id="show-all">All</button><button type="button" id="show-none">None</button></fieldset>`;
}

function bar(parts: { colour: string; share: number; label: string }[]): string {
  return `<div class="bar-track">${parts.map((p) => `<span style="width:${(p.share * 100).toFixed(2)}%;background:${e(p.colour)}" title="${e(p.label)}"></span>`).join('')}</div>`;
}

function renderCounts(data: ReportData): string {
  const max = Math.max(1, ...data.typeCounts.map((t) => t.count));
  const byType = data.typeCounts
    .map((t) => `<tr data-count-type="${e(t.type)}"><td><span class="swatch" style="background:${e(t.colour)}"></span> ${e(t.label)}</td><td class="num">${num(t.count)}</td><td class="bar">${bar([{ colour: t.colour, share: t.count / max, label: `${t.label}: ${t.count}` }])}</td></tr>`)
    .join('');
  const maxMonth = Math.max(1, ...data.monthCounts.map((m) => m.total));
  const colours = new Map(data.typeCounts.map((t) => [t.type, t]));
  const byMonth = data.monthCounts.length
    ? data.monthCounts
        .map((m) => {
          const segments = Object.entries(m.byType).map(([type, n]) => {
            const t = colours.get(type as never);
            return { colour: t?.colour ?? '#bbbbbb', share: (n as number) / maxMonth, label: `${t?.label ?? type}: ${n}` };
          });
          return `<tr data-count-month="${e(m.month)}"><td>${e(m.month)}</td><td class="num">${num(m.total)}</td><td class="bar">${bar(segments)}</td></tr>`;
        })
        .join('')
    : `<tr><td colspan="3" class="muted">no events</td></tr>`;
  return (
    `<div class="counts">` +
    `<div><h3>By main type</h3><table><tbody>${byType}</tbody></table></div>` +
    `<div><h3>By month (of the event date)</h3><table><tbody>${byMonth}</tbody></table></div>` +
    `</div>`
  );
}

function versionsText(data: ReportData): string {
  const { versions, unrecorded } = data.classifierVersions;
  const parts = [...versions];
  if (unrecorded) parts.push(`not recorded (${unrecorded} ${unrecorded === 1 ? 'story' : 'stories'})`);
  return parts.length ? parts.join(', ') : 'none (no stories)';
}

export function renderReportHtml(data: ReportData): string {
  const since = data.since.slice(0, 10);
  const until = data.until.slice(0, 10);
  const reports = data.marks.reduce((n, m) => n + m.sources.length, 0);
  const title = `${data.title}: events ${since} to ${until}`;
  const generated = `${data.generatedAt.slice(0, 16).replace('T', ' ')} UTC`;
  const rows = data.marks.length ? data.marks.map(renderRow).join('') : '';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${e(CONTENT_SECURITY_POLICY)}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light">
<title>${e(title)}</title>
<link rel="icon" href="data:,">
<style>${STYLE}</style>
</head>
<body>
<header>
<h1>${e(data.title)}: events <span class="when">${e(since)}</span> to <span class="when">${e(until)}</span></h1>
<p class="meta">${data.marks.length ? `${num(data.marks.length)} ${data.marks.length === 1 ? 'story' : 'stories'} from ${num(reports)} ${reports === 1 ? 'report' : 'reports'}` : 'No events in this range'} · dyad ${e(data.dyad)} · classifier ${e(versionsText(data))} · generated ${e(generated)}</p>
</header>
<main>
<section aria-labelledby="h-timeline">
<h2 id="h-timeline">Timeline</h2>
<p class="hint">One mark per story, at its event date: colour is the main type, size the severity (1–5); hostile acts above the line, contacts below; a hollow mark is an event announced but not (yet) held. Shaded: ambassadors recalled. Select a mark to find its row.</p>
${data.marks.length ? '<p class="hint scroll-hint">Scroll the timeline sideways to see all of it.</p>' : ''}
${renderTimeline(data)}
</section>
<section aria-labelledby="h-events">
<h2 id="h-events">Events</h2>
${renderFilters(data)}
<p id="shown" aria-live="polite">${data.marks.length ? (data.marks.length === 1 ? 'Showing 1 event' : `Showing all ${num(data.marks.length)} events`) : 'No events'}</p>
<div class="table-wrap"><table id="events"><thead><tr><th>Date</th><th>Type</th><th>Who did what to whom</th><th class="num">Severity</th><th class="num" title="independent outlets">Sources</th><th>Reports</th></tr></thead>
<tbody>${rows || `<tr class="none"><td colspan="6" class="muted">No events between ${e(since)} and ${e(until)}.</td></tr>`}</tbody></table></div>
</section>
<section aria-labelledby="h-counts">
<h2 id="h-counts">Counts</h2>
${renderCounts(data)}
</section>
</main>
<footer>
Stories stored by the pipeline for ${e(data.dyad)}, first reported from ${e(since)} to ${e(until)}. Classifier version: ${e(versionsText(data))}. Ambassadors' state is derived from the stories in this range only. Severity follows the project taxonomy (5: military action; 1: other contacts). Generated ${e(generated)}; this page makes no network requests.
</footer>
<script>${SCRIPT}</script>
</body>
</html>
`;
}
