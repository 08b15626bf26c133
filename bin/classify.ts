/**
 * `npm run classify`: JSON lines in ({id?, title, summary?, link?, published?}), one JSON line
 * out per input, in order: {id, relevant, types, primary, severity, confidence, actors, dates,
 * evidence} (plus dyad, CAMEO/PLOVER codes and the classifier version). A line that is not a valid input gives {id, error} in its place (exit code 1 at the end).
 */
import { createInterface } from 'node:readline';
import * as z from 'zod/mini';
import { createClassifier, CODES, CLASSIFIER_VERSION } from '#shared/domain/classify.ts';
import { loadWatches } from '#shared/watches.ts';
import { toPlainText } from '#shared/domain/text.ts';
import { formatIssue } from '#shared/feed-registry.ts';

const optionalText = z.optional(z.nullable(z.string()));
const InputSchema = z.object({
  id: z.optional(z.union([z.string(), z.number()])),
  title: z.string().check(z.minLength(1, 'title is required')),
  summary: optionalText,
  link: optionalText,
  published: optionalText,
});

const classify = createClassifier(loadWatches());
let lineNo = 0;
let bad = 0;
const rl = createInterface({ input: process.stdin, crlfDelay: Infinity });
for await (const line of rl) {
  lineNo++;
  if (!line.trim()) continue;
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    bad++;
    process.stdout.write(`${JSON.stringify({ id: null, error: `line ${lineNo}: not JSON` })}\n`);
    continue;
  }
  const input = InputSchema.safeParse(parsed);
  if (!input.success) {
    bad++;
    const id = (parsed as { id?: unknown } | null)?.id ?? null;
    process.stdout.write(`${JSON.stringify({ id, error: `line ${lineNo}: ${formatIssue(input.error)}` })}\n`);
    continue;
  }
  const { id, title, summary, published } = input.data;
  const publishedIso = published && !Number.isNaN(Date.parse(published)) ? new Date(Date.parse(published)).toISOString() : undefined;
  const result = classify({ title: toPlainText(title, 1000), summary: toPlainText(summary ?? '', 4000), ...(publishedIso ? { published: publishedIso } : {}) });
  const { dyad, ...rest } = result;
  const codes = result.types.map((t) => ({ type: t, ...CODES[t] }));
  process.stdout.write(`${JSON.stringify({ id: id ?? lineNo, ...rest, dyad, codes, classifierVersion: CLASSIFIER_VERSION })}\n`);
}
if (bad) {
  process.stderr.write(`${bad} input line${bad === 1 ? '' : 's'} could not be classified\n`);
  process.exitCode = 1;
}
