import * as z from 'zod/mini';
import { EVENT_TYPES } from './domain/types.ts';
import type { PendingArticle } from './use-cases/form-stories.ts';

/**
 * The body of one story-jobs message: a relevant article on its way to the story function (ingest
 * writes it, the story handler reads it). The fields stories are built from are checked; the
 * rest of the article travels as ingest stored it.
 */
// Loose: the classifier adds fields (a strike's side) that story formation reads.
const ActorSchema = z.looseObject({ country: z.string(), name: z.optional(z.string()), role: z.optional(z.string()) });
const EventDateSchema = z.looseObject({ date: z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/)), text: z.string(), kind: z.optional(z.enum(['scheduled', 'reported'])) });

export const StoryJobSchema = z.object({
  alertable: z.boolean(),
  article: z.looseObject({
    articleId: z.string().check(z.minLength(1)),
    url: z.nullable(z.string()),
    title: z.string(),
    summary: z.string(),
    publishedAt: z.iso.datetime(),
    outlet: z.string(),
    feedId: z.string(),
    classification: z.looseObject({
      relevant: z.literal(true),
      dyad: z.string().check(z.regex(/^[A-Z]{2}-[A-Z]{2}$/, 'dyad must look like IR-PK')),
      primary: z.enum(EVENT_TYPES),
      types: z.array(z.enum(EVENT_TYPES)),
      severity: z.number(),
      confidence: z.number(),
      actors: z.array(ActorSchema),
      dates: z.array(EventDateSchema),
      evidence: z.string(),
    }),
  }),
});

/** A story-jobs message body as the story function receives it. */
export function parseStoryJob(body: unknown): PendingArticle {
  return StoryJobSchema.parse(body) as unknown as PendingArticle;
}
