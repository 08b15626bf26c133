import { readFileSync } from 'node:fs';
import * as z from 'zod/mini';
import { EVENT_TYPES } from '../shared/domain/types.ts';
import { formatIssue } from '../shared/feed-registry.ts';

/**
 * Alert subscribers, from a JSON file named in context (`cdk deploy -c subscribers=path`).
 * Each has its own filter on the alert's message attributes: event types, minimum severity, dyads.
 */
const FilterSchema = z.strictObject({
  eventTypes: z.optional(z.array(z.enum(EVENT_TYPES)).check(z.minLength(1, 'list at least one event type'))),
  minSeverity: z.optional(z.int().check(z.gte(1), z.lte(5))),
  dyads: z.optional(z.array(z.string().check(z.regex(/^[A-Z]{2}-[A-Z]{2}$/, 'dyads look like IR-PK'))).check(z.minLength(1, 'list at least one dyad'))),
});

const SubscriberSchema = z.discriminatedUnion('protocol', [
  z.strictObject({ protocol: z.literal('email'), endpoint: z.email('not an email address'), filter: z._default(FilterSchema, {}) }),
  z.strictObject({
    protocol: z.literal('sms'),
    endpoint: z.string().check(z.regex(/^\+[1-9]\d{6,14}$/, 'SMS endpoints are E.164 numbers such as +447700900123')),
    filter: z._default(FilterSchema, {}),
  }),
]);

export const SubscribersSchema = z.strictObject({ subscribers: z.array(SubscriberSchema) });
export type Subscriber = z.infer<typeof SubscriberSchema>;

export function parseSubscribers(data: unknown, source: string): Subscriber[] {
  const result = SubscribersSchema.safeParse(data);
  if (!result.success) throw new Error(`invalid subscribers file ${source}: ${formatIssue(result.error)}`);
  return result.data.subscribers;
}

export function loadSubscribers(path: string | undefined): Subscriber[] {
  if (!path) return [];
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new Error(`cannot read subscribers file ${path}: ${(error as Error).message}`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new Error(`subscribers file ${path} is not JSON: ${(error as Error).message}`);
  }
  return parseSubscribers(data, path);
}
