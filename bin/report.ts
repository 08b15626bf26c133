/**
 * `npm run report`: one self-contained HTML page for analysts (timeline, events table with a
 * type filter, counts) from the stored stories of a dyad, from the local data dir or the table
 * in AWS. Uses the table's dyad index, never a Scan.
 */
import { mkdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { prepareReport } from '#shared/domain/report-data.ts';
import { renderReportHtml } from '#shared/report/render-html.ts';
import { queryStories } from '#shared/use-cases/query-events.ts';
import { loadWatches } from '#shared/watches.ts';
import { UsageError, WINDOW_OPTIONS, WINDOW_USAGE, parseOrExit, parseWindow } from './lib/cli.ts';
import { STORE_OPTIONS, STORE_USAGE, storeChoice, withEventStore } from './lib/open-store.ts';

const USAGE = `Usage: npm run report -- --dyad <XX-YY> --out <file.html> [options]

Writes one self-contained HTML page (no network requests when opened) with a timeline of the
dyad's stories, the relationship's state as bands, a filterable events table and counts.

  --dyad <XX-YY>         the pair of states, e.g. IR-PK (required; one of the watch files)
  --out <file>           where to write the page (required; folders are created)
${WINDOW_USAGE}
${STORE_USAGE}
  -h, --help             this text`;

function parse(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    options: {
      dyad: { type: 'string' },
      out: { type: 'string' },
      ...WINDOW_OPTIONS,
      ...STORE_OPTIONS,
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) return { help: true } as const;
  if (!values.dyad) throw new UsageError('--dyad is required, e.g. --dyad IR-PK');
  const dyad = values.dyad.toUpperCase();
  if (!/^[A-Z]{2}-[A-Z]{2}$/.test(dyad)) throw new UsageError(`--dyad must be two ISO country codes like IR-PK, got "${values.dyad}"`);
  if (!values.out) throw new UsageError('--out is required: the HTML file to write, e.g. --out report.html');
  const store = storeChoice(values);
  const { since, until } = parseWindow(values);
  // The table keeps a dyad's codes in alphabetical order (IR-PK, never PK-IR).
  const sorted = dyad.split('-').sort().join('-');
  if (since > until) throw new UsageError(`--since ${since.slice(0, 10)} is after --until ${until.slice(0, 10)}`);
  return {
    help: false,
    dyad: sorted,
    // The dyad must be one a watch file covers: checked here, before any store is opened.
    countryNames: countryNamesFor(sorted),
    out: resolve(values.out),
    since,
    until,
    ...store,
  } as const;
}

/** Country names from the watch file of the dyad; a dyad no watch covers is a mistake on the command line. */
function countryNamesFor(dyad: string): Record<string, string> {
  const watches = loadWatches();
  const watch = watches.find((w) => w.dyad === dyad);
  if (!watch) throw new UsageError(`no watch file covers the dyad ${dyad}; known: ${watches.map((w) => w.dyad).join(', ')}`);
  return Object.fromEntries(watch.countries.map((c) => [c.code, c.names[0] ?? c.code]));
}

async function main(): Promise<number> {
  const options = parseOrExit(parse, USAGE);
  if (typeof options === 'number') return options;
  if (options.help) return 0;
  return withEventStore(options, async (store) => {
    const stories = await queryStories(store, { dyad: options.dyad, since: options.since, until: options.until });
    const data = prepareReport(stories, { dyad: options.dyad, since: options.since, until: options.until, generatedAt: new Date().toISOString(), countryNames: options.countryNames });
    const html = renderReportHtml(data);
    mkdirSync(dirname(options.out), { recursive: true });
    // Written beside the target and renamed, so a reader never opens half a page.
    const partial = `${options.out}.${process.pid}.partial`;
    writeFileSync(partial, html);
    renameSync(partial, options.out);
    const kb = (statSync(options.out).size / 1024).toFixed(1);
    const range = `${options.since.slice(0, 10)} to ${options.until.slice(0, 10)}`;
    process.stdout.write(`${options.dyad} ${range}: ${stories.length} ${stories.length === 1 ? 'story' : 'stories'}${stories.length ? '' : ' (the page says no events)'} -> ${options.out} (${kb} KB)\n`);
  });
}

process.exitCode = await main();
