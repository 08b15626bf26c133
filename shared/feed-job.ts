import * as z from 'zod/mini';
import { FeedSchema } from './feed-registry.ts';

/** The body of one feed-jobs message: the dispatcher writes it, the ingest handler reads it. */
export const FeedJobSchema = z.object({ feed: FeedSchema });
export type FeedJob = z.infer<typeof FeedJobSchema>;
