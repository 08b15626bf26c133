import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseWatch, type Watch } from './domain/watch.ts';
import { ConfigError } from './errors.ts';

export const WATCHES_DIR_ENV = 'WATCHES_DIR';

/**
 * Every watch file (*.json) in a folder, validated; a new dyad is one more file. The Lambda
 * bundle carries the folder as ./watches next to index.mjs; the CLIs read config/watches.
 */
export function loadWatches(dir: string = watchesDir()): Watch[] {
  const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
  if (!files.length) throw new ConfigError(`no watch files (*.json) in ${dir}`);
  const watches = files.map((f) => {
    const path = join(dir, f);
    let data: unknown;
    try {
      data = JSON.parse(readFileSync(path, 'utf8'));
    } catch (error) {
      throw new ConfigError(`watch file ${path} is not JSON: ${(error as Error).message}`);
    }
    try {
      return parseWatch(data, path);
    } catch (error) {
      throw new ConfigError((error as Error).message);
    }
  });
  const dyads = watches.map((w) => w.dyad);
  const repeated = dyads.find((d, i) => dyads.indexOf(d) !== i);
  if (repeated) throw new ConfigError(`two watch files in ${dir} cover the dyad ${repeated}`);
  return watches;
}

/**
 * WATCHES_DIR, else ./watches beside the bundle, else the repository's config/watches. In a
 * Lambda this module is in index.mjs, next to ./watches, or, where it is loaded only on first
 * use (ingest reads the watches when it first classifies), in chunks/ below it.
 */
export function watchesDir(env: Record<string, string | undefined> = process.env, here: string = dirname(fileURLToPath(import.meta.url))): string {
  const besideBundle = basename(here) === 'chunks' ? join(here, '..', 'watches') : join(here, 'watches');
  const candidates = [env[WATCHES_DIR_ENV], besideBundle, join(here, '..', 'config', 'watches')].filter((d): d is string => Boolean(d));
  const found = candidates.find((d) => existsSync(d));
  if (!found) throw new ConfigError(`no watches folder: looked in ${candidates.join(', ')}`);
  return found;
}
