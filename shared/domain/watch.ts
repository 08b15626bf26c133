import * as z from 'zod/mini';

/**
 * A watch: the two states whose interactions we code, and the words that name them.
 * Data, not code: a new dyad is a new file in config/watches/.
 */
const isoDay = z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD'));
const term = z.string().check(z.minLength(2, 'expected at least 2 characters'));
const terms = z._default(z.array(term), []);

const OfficialSchema = z.object({
  name: term,
  aliases: terms,
  role: term,
  from: isoDay,
  to: z.optional(isoDay),
});

const CountrySchema = z.object({
  code: z.string().check(z.regex(/^[A-Z]{2}$/, 'expected an ISO 3166-1 alpha-2 code')),
  names: z.array(term).check(z.minLength(1, 'a country needs a name')),
  demonyms: terms,
  places: terms,
  institutions: terms,
  officials: z._default(z.array(OfficialSchema), []),
});

export const WatchSchema = z
  .object({
    id: z.string().check(z.regex(/^[a-z0-9-]+$/, 'watch id must be kebab-case')),
    dyad: z.string().check(z.regex(/^[A-Z]{2}-[A-Z]{2}$/, 'dyad looks like IR-PK')),
    countries: z.array(CountrySchema).check(z.length(2, 'a watch has exactly two countries')),
    thirdParties: terms,
  })
  .check(
    z.refine((w) => w.dyad === dyadOf(w.countries.map((c) => c.code)), {
      message: 'dyad must be the two country codes in alphabetical order, joined by "-"',
      path: ['dyad'],
    }),
  );

export type Watch = z.infer<typeof WatchSchema>;
export type WatchCountry = z.infer<typeof CountrySchema>;
export type Official = z.infer<typeof OfficialSchema>;

/** Parses a watch, naming the file and the first bad field when it is wrong. */
export function parseWatch(data: unknown, source: string): Watch {
  const result = WatchSchema.safeParse(data);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new Error(`invalid watch ${source}: ${issue?.path.join('.') || '(root)'}: ${issue?.message}`);
  }
  return result.data;
}

/** The canonical dyad id: country codes sorted, e.g. IR-PK. */
export function dyadOf(codes: string[]): string {
  return [...codes].sort().join('-');
}
