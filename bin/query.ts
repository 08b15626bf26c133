/**
 * `npm run query`: stored events (stories) by type, time range and dyad, from the local data dir
 * or from the table in AWS. Uses the table's indexes, never a Scan.
 */
import { parseArgs } from 'node:util';
import { queryEvents, type EventRecord } from '#shared/use-cases/query-events.ts';
import { UsageError, WINDOW_OPTIONS, WINDOW_USAGE, parseOrExit, parseWindow } from './lib/cli.ts';
import { STORE_OPTIONS, STORE_USAGE, storeChoice, withEventStore } from './lib/open-store.ts';

const USAGE = `Usage: npm run query -- [options]

Lists stored Iran-Pakistan events (stories), oldest first.

  --type <type>          only events that include this type (envoy_recall, envoy_return, visit,
                         talks, agreement, de_escalation, protest, strike, border_incident,
                         trade_energy, other)
${WINDOW_USAGE}
  --dyad <XX-YY>         e.g. IR-PK
  --format <f>           table (default), json or csv
${STORE_USAGE}
  -h, --help             this text`;

function parse(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    options: {
      type: { type: 'string' },
      ...WINDOW_OPTIONS,
      dyad: { type: 'string' },
      format: { type: 'string', default: 'table' },
      ...STORE_OPTIONS,
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  const format = values.format as 'table' | 'json' | 'csv';
  if (format !== 'table' && format !== 'json' && format !== 'csv') throw new UsageError(`--format must be table, json or csv, got "${format}"`);
  const store = storeChoice(values);
  return {
    help: values.help,
    format,
    filter: {
      ...parseWindow(values),
      ...(values.type ? { type: values.type } : {}),
      ...(values.dyad ? { dyad: values.dyad.toUpperCase() } : {}),
    },
    ...store,
  };
}

function csvCell(value: unknown): string {
  const text = String(value ?? '');
  // A leading =, +, - or @ would run as a formula in a spreadsheet.
  const safe = /^[=+\-@]/.test(text) ? `'${text}` : text;
  return /[",\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

function render(events: EventRecord[], format: 'table' | 'json' | 'csv'): string {
  if (format === 'json') return `${JSON.stringify(events, null, 2)}\n`;
  if (format === 'csv') {
    const header = ['storyId', 'firstSeen', 'lastSeen', 'dyad', 'primaryType', 'types', 'severity', 'sourceCount', 'eventDates', 'headline', 'urls'];
    const rows = events.map((e) => [e.storyId, e.firstSeen, e.lastSeen, e.dyad, e.primaryType, e.types.join(' '), e.severity, e.sourceCount, e.eventDates.map((d) => d.date).join(' '), e.headline, e.articles.map((a) => a.url ?? '').join(' ')]);
    return `${[header, ...rows].map((r) => r.map(csvCell).join(',')).join('\n')}\n`;
  }
  if (!events.length) return 'No events in that range.\n';
  const lines = events.map((e) => {
    const dates = e.eventDates.map((d) => d.date).join(',') || '-';
    return `${e.firstSeen.slice(0, 16).replace('T', ' ')}  ${e.dyad}  ${e.primaryType.padEnd(15)} sev ${e.severity}  ${String(e.sourceCount).padStart(2)} src  ${dates.padEnd(21)}  ${e.headline}`;
  });
  return `${['first seen        dyad   type            sev    sources  event dates            headline', ...lines].join('\n')}\n${events.length} event${events.length === 1 ? '' : 's'}.\n`;
}

async function main(): Promise<number> {
  const options = parseOrExit(parse, USAGE);
  if (typeof options === 'number') return options;
  return withEventStore(options, async (store) => {
    process.stdout.write(render(await queryEvents(store, options.filter), options.format));
  });
}

process.exitCode = await main();
