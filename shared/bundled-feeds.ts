import registry from '../config/feeds.json' with { type: 'json' };
import type { FeedDefinition } from './domain/types.ts';

/**
 * The feed registry (config/feeds.json) as built into the dispatch and websub Lambdas. It is
 * validated when the bundle is built (validateBundledConfig in infra/bundling.ts): a bad registry
 * fails `cdk synth` and `cdk deploy`, before any Lambda runs it. So a cold start does not validate
 * it again: loading zod and running the registry schema cost about 5 ms of each import against a
 * 65 ms floor (`npm run bench -- --only cold`). The CLIs read the file and validate it themselves.
 */
export const BUNDLED_FEEDS: FeedDefinition[] = registry.feeds as FeedDefinition[];
