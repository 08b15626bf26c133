/**
 * esbuild options for every Lambda, shared by the CDK construct and the bundle-size test so the
 * test measures exactly what is deployed. The AWS SDK is bundled (not taken from the runtime) so
 * Lambda runs the version the tests ran; ESM output with a require shim for CommonJS dependencies.
 */
export const LAMBDA_NODE_TARGET = 'node24';

/**
 * Every Lambda's NODE_OPTIONS. Source maps make stack traces in the logs point at our files; they
 * cost about 20 ms of each cold start (the map is read when the bundle loads), which the cold
 * start benchmark includes.
 */
export const LAMBDA_NODE_OPTIONS = '--enable-source-maps';

export const ESM_REQUIRE_SHIM = "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);";

export const FUNCTION_ENTRIES = {
  dispatch: 'functions/dispatch/handler.ts',
  ingest: 'functions/ingest/handler.ts',
  notify: 'functions/notify/handler.ts',
} as const;

export type FunctionName = keyof typeof FUNCTION_ENTRIES;

/** Copied beside each bundle as ./watches (see AppFunction's afterBundling hook). */
export const WATCHES_SOURCE = 'config/watches';

/** Bundled beside each bundle as ./rss-parse-worker.mjs: the parser's worker thread (rss-parser, then normalise and classify). */
export const PARSER_WORKER_SOURCE = 'shared/adapters/feed-worker.ts';
export const PARSER_WORKER_ESBUILD_ARGS = ['--bundle', '--platform=node', '--format=esm', `--target=${LAMBDA_NODE_TARGET}`, '--minify', `--banner:js="${ESM_REQUIRE_SHIM}"`, '--log-level=warning'];

/** Per the brief: each bundle at most 800 KB with the SDK included. */
export const BUNDLE_BUDGET_BYTES = 800 * 1024;

/** The esbuild build options NodejsFunction is given (see AppFunction), for builds outside CDK. */
export function esbuildOptions(entry: string, outfile: string) {
  return {
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node' as const,
    format: 'esm' as const,
    target: LAMBDA_NODE_TARGET,
    minify: true,
    sourcemap: true,
    sourcesContent: false,
    mainFields: ['module', 'main'],
    banner: { js: ESM_REQUIRE_SHIM },
    metafile: true,
    logLevel: 'silent' as const,
  };
}

/** Bytes of output per npm package (or project folder), largest first. */
export function packageShares(metafile: { outputs: Record<string, { inputs: Record<string, { bytesInOutput: number }> }> }, outfileSuffix: string): [string, number][] {
  const output = Object.entries(metafile.outputs).find(([name]) => name.endsWith(outfileSuffix))?.[1];
  if (!output) throw new Error(`no output ending in ${outfileSuffix} in the metafile`);
  const sizes = new Map<string, number>();
  for (const [path, { bytesInOutput }] of Object.entries(output.inputs)) {
    const inModules = path.lastIndexOf('node_modules/');
    const key = inModules >= 0 ? (/^(@[^/]+\/[^/]+|[^/]+)/.exec(path.slice(inModules + 'node_modules/'.length))?.[1] ?? path) : path.split('/').slice(0, 2).join('/');
    sizes.set(key, (sizes.get(key) ?? 0) + bytesInOutput);
  }
  return [...sizes.entries()].sort((a, b) => b[1] - a[1]);
}
