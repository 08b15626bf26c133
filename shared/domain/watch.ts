import { z } from 'zod';

/**
 * A watch: the two states whose interactions we code, and the words that name them.
 * Data, not code: a new dyad is a new file in config/watches/.
 */
const isoDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD');

const OfficialSchema = z.object({
  name: z.string().min(2),
  aliases: z.array(z.string().min(2)).default([]),
  role: z.string().min(2),
  from: isoDay,
  to: isoDay.optional(),
});

const CountrySchema = z.object({
  code: z.string().regex(/^[A-Z]{2}$/, 'expected an ISO 3166-1 alpha-2 code'),
  names: z.array(z.string().min(2)).min(1),
  demonyms: z.array(z.string().min(2)).default([]),
  places: z.array(z.string().min(2)).default([]),
  institutions: z.array(z.string().min(2)).default([]),
  officials: z.array(OfficialSchema).default([]),
});

export const WatchSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9-]+$/),
    dyad: z.string().regex(/^[A-Z]{2}-[A-Z]{2}$/),
    countries: z.array(CountrySchema).length(2),
    thirdParties: z.array(z.string().min(2)).default([]),
  })
  .refine((w) => w.dyad === dyadOf(w.countries.map((c) => c.code)), {
    message: 'dyad must be the two country codes in alphabetical order, joined by "-"',
    path: ['dyad'],
  });

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
