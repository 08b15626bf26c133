/**
 * How every Lambda is built, shared by the CDK construct, the bundle tests and the benchmark so
 * they measure exactly what is deployed. The AWS SDK is bundled (not taken from the runtime) so
 * Lambda runs the version the tests ran; ESM output with a require shim for CommonJS dependencies.
 */
import { buildSync } from 'esbuild';
import { cpSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { join, resolve } from 'node:path';
import { parseFeedRegistry } from '../shared/feed-registry.ts';
import { loadWatches } from '../shared/watches.ts';

const ROOT = resolve(import.meta.dirname, '..');

const LAMBDA_NODE_TARGET = 'node24';

/**
 * Every Lambda's NODE_OPTIONS. Source maps make stack traces in the logs point at our files; they
 * cost about 20 ms of each cold start (the map is read when the bundle loads), which the cold
 * start benchmark includes.
 */
export const LAMBDA_NODE_OPTIONS = '--enable-source-maps';

const ESM_REQUIRE_SHIM = "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);";

export const FUNCTION_ENTRIES = {
  dispatch: 'functions/dispatch/handler.ts',
  ingest: 'functions/ingest/handler.ts',
  notify: 'functions/notify/handler.ts',
  story: 'functions/story/handler.ts',
  websub: 'functions/websub/handler.ts',
} as const;

export type FunctionName = keyof typeof FUNCTION_ENTRIES;

/** Copied beside each bundle as ./watches by bundleLambda (read when a Lambda classifies: shared/watches.ts). */
const WATCHES_SOURCE = 'config/watches';
/** Built into the dispatch and websub bundles (shared/bundled-feeds.ts). */
const REGISTRY_SOURCE = 'config/feeds.json';

/**
 * The configuration a bundle carries, validated as the bundle is built: a bad feed registry or
 * watch file fails `cdk synth` (and the bundle tests) with the file and the field named, before
 * any Lambda runs it. The Lambdas do not validate it again at each cold start
 * (shared/bundled-feeds.ts says what that saves); what they read from their environment they do.
 */
export function validateBundledConfig(root: string = ROOT): void {
  const registryPath = resolve(root, REGISTRY_SOURCE);
  let registry: unknown;
  try {
    registry = JSON.parse(readFileSync(registryPath, 'utf8'));
  } catch (error) {
    throw new Error(`feed registry ${registryPath} cannot be read as JSON: ${(error as Error).message}`);
  }
  parseFeedRegistry(registry, registryPath);
  loadWatches(resolve(root, WATCHES_SOURCE));
}

/** Bundled beside the ingest bundle as ./rss-parse-worker.mjs: the parser's worker thread (rss-parser, then normalise and classify). */
const PARSER_WORKER_SOURCE = 'shared/adapters/feed-worker.ts';
export const PARSER_WORKER_FILE = 'rss-parse-worker.mjs';

/** The functions that parse feeds, and so carry the worker. */
const NEEDS_PARSER_WORKER: ReadonlySet<FunctionName> = new Set(['ingest']);

/** Per the brief: each bundle at most 800 KB with the SDK included. */
export const BUNDLE_BUDGET_BYTES = 800 * 1024;

/** Shared by every build: ESM for Node 24, minified, the require shim for CommonJS dependencies. */
const COMMON = {
  bundle: true,
  platform: 'node' as const,
  format: 'esm' as const,
  target: LAMBDA_NODE_TARGET,
  minify: true,
  mainFields: ['module', 'main'],
  banner: { js: ESM_REQUIRE_SHIM },
  metafile: true,
  logLevel: 'silent' as const,
};

/**
 * esbuild options for a Lambda's code. Code splitting: what the AWS SDK loads with a dynamic
 * import (the SSO, ini-file, process, web-identity and instance-metadata credential providers,
 * with the STS and SSO clients they use, event streams, a browser user-agent parser) goes to
 * chunks/ and is read only when it is needed. A Lambda gets its credentials from the environment,
 * so a cold start reads about 115 KB less, and the dispatch import took 14-16 ms less on Node 20
 * and 33 ms less on Node 24 (interleaved runs of both builds). The handler and everything it
 * imports statically stay in index.mjs, beside which the worker and watches live.
 */
export function esbuildOptions(entry: string, outdir: string) {
  return {
    ...COMMON,
    entryPoints: { index: entry },
    outdir,
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    outExtension: { '.js': '.mjs' },
    sourcemap: true,
    sourcesContent: false,
  };
}

export interface LambdaBundle {
  /** bytes of the handler's code: index.mjs and all its chunks (source maps not counted) */
  codeBytes: number;
  /** bytes of the parser worker, a bundle of its own, for the functions that carry it */
  workerBytes?: number;
  /** bytes of the code a cold start reads: index.mjs and the chunks it imports statically */
  eagerBytes: number;
  /** the source files in that code */
  eagerInputs: string[];
  metafile: Metafile;
}

/**
 * Modules that find files beside themselves through import.meta.url (the parser worker): they
 * must be in index.mjs, next to those files. One imported only by a lazily loaded module would
 * land in chunks/ and look in the wrong folder, so the build fails instead. (The watches' loader
 * looks beside index.mjs from either place: shared/watches.ts.)
 */
const BESIDE_INDEX = ['shared/adapters/rss-feed-parser.ts'];

/**
 * Builds one Lambda's asset into `outdir`: index.mjs with its chunks and source maps, the watches
 * beside it and, for the functions that parse feeds, the parser worker. Synchronous because CDK's
 * local bundling is; AppFunction, the bundle tests and the benchmark all call this one function,
 * so what they measure is what is deployed.
 *
 * esbuild writes paths relative to the output folder into the chunks' names and the source maps,
 * so the build runs in a folder at a fixed depth in the repository and is then copied: the same
 * code gives the same asset (and CDK's output hash) wherever `cdk synth -o` puts it.
 */
export function bundleLambda(name: FunctionName, outdir: string, root: string = ROOT): LambdaBundle {
  validateBundledConfig(root);
  const staging = join(root, 'node_modules', '.cache', 'lambda-bundles', randomUUID());
  try {
    const main = buildSync({ ...esbuildOptions(resolve(root, FUNCTION_ENTRIES[name]), staging), absWorkingDir: root }) as { metafile: Metafile };
    const eager = eagerOutputs(main.metafile, 'index.mjs');
    const index = Object.keys(main.metafile.outputs).find((file) => file.endsWith('/index.mjs')) as string;
    for (const input of BESIDE_INDEX) {
      const placed = Object.entries(main.metafile.outputs).find(([, output]) => input in output.inputs)?.[0];
      if (placed && placed !== index) throw new Error(`${input} must be bundled into index.mjs (it finds files beside itself), but esbuild put it in ${placed}`);
    }
    const codeBytes = Object.entries(main.metafile.outputs).reduce((sum, [file, output]) => sum + (file.endsWith('.mjs') ? output.bytes : 0), 0);
    let workerBytes: number | undefined;
    if (NEEDS_PARSER_WORKER.has(name)) {
      const worker = buildSync({ ...COMMON, entryPoints: [resolve(root, PARSER_WORKER_SOURCE)], outfile: join(staging, PARSER_WORKER_FILE), absWorkingDir: root }) as { metafile: Metafile };
      workerBytes = Object.values(worker.metafile.outputs).reduce((sum, output) => sum + output.bytes, 0);
    }
    cpSync(resolve(root, WATCHES_SOURCE), join(staging, 'watches'), { recursive: true });
    mkdirSync(outdir, { recursive: true });
    cpSync(staging, outdir, { recursive: true });
    return {
      codeBytes,
      workerBytes,
      eagerBytes: eager.reduce((sum, file) => sum + (main.metafile.outputs[file]?.bytes ?? 0), 0),
      eagerInputs: [...new Set(eager.flatMap((file) => Object.keys(main.metafile.outputs[file]?.inputs ?? {})))],
      metafile: main.metafile,
    };
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

type Metafile = { outputs: Record<string, { bytes: number; imports: { path: string; kind: string }[]; inputs: Record<string, { bytesInOutput: number }> }> };

/** The output ending in `entrySuffix` and every chunk it imports statically, transitively: what loading it reads. */
function eagerOutputs(metafile: Metafile, entrySuffix: string): string[] {
  const entry = Object.keys(metafile.outputs).find((file) => file.endsWith(entrySuffix));
  if (!entry) throw new Error(`no output ending in ${entrySuffix} in the metafile`);
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const imported of metafile.outputs[file]?.imports ?? []) if (imported.kind === 'import-statement' && metafile.outputs[imported.path]) visit(imported.path);
  };
  visit(entry);
  return [...seen];
}

/** Bytes of code per npm package (or project folder) over every .mjs output, largest first. */
export function packageShares(metafile: Metafile): [string, number][] {
  const sizes = new Map<string, number>();
  for (const [file, output] of Object.entries(metafile.outputs)) if (file.endsWith('.mjs')) for (const [path, { bytesInOutput }] of Object.entries(output.inputs)) {
    const inModules = path.lastIndexOf('node_modules/');
    const key = inModules >= 0 ? (/^(@[^/]+\/[^/]+|[^/]+)/.exec(path.slice(inModules + 'node_modules/'.length))?.[1] ?? path) : path.split('/').slice(0, 2).join('/');
    sizes.set(key, (sizes.get(key) ?? 0) + bytesInOutput);
  }
  return [...sizes.entries()].sort((a, b) => b[1] - a[1]);
}
