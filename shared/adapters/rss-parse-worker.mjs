// The parser's worker thread as the repository starts it (tsx, vitest): feed-worker.ts is
// TypeScript, so this thread registers tsx's loader first. Plain JavaScript, so it starts the same
// way under every runner. A Lambda bundle has no such step: there feed-worker.ts is bundled under
// this file's name (see AppFunction's afterBundling hook).
import { register } from 'tsx/esm/api';

register();
await import('./feed-worker.ts');
