import { cpSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { execFileSync, execSync } from 'node:child_process';
import { Worker } from 'node:worker_threads';
import { afterAll, describe, expect, it } from 'vitest';
import { BUNDLE_BUDGET_BYTES, FUNCTION_ENTRIES, PARSER_WORKER_ESBUILD_ARGS, PARSER_WORKER_SOURCE, WATCHES_SOURCE, esbuildOptions, packageShares, type FunctionName } from '../../infra/bundling.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const dir = mkdtempSync(join(tmpdir(), 'ipw-bundles-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('Lambda bundles (esbuild, as NodejsFunction builds them, SDK included)', () => {
  for (const name of Object.keys(FUNCTION_ENTRIES) as FunctionName[]) {
    it(`${name} bundles to at most 800 KB and includes the AWS SDK`, async () => {
      const outfile = join(dir, name, 'index.mjs');
      const result = await build({ ...esbuildOptions(resolve(ROOT, FUNCTION_ENTRIES[name]), outfile), absWorkingDir: ROOT });
      expect(result.errors).toEqual([]);
      const size = statSync(outfile).size;
      cpSync(resolve(ROOT, WATCHES_SOURCE), join(dir, name, 'watches'), { recursive: true }); // as the afterBundling hook does
      expect(size).toBeLessThanOrEqual(BUNDLE_BUDGET_BYTES);
      const packages = packageShares(result.metafile as never, `${name}/index.mjs`).map(([pkg]) => pkg);
      expect(packages).toContain('@aws-sdk/client-dynamodb');
      // The bundle loads on its own (ESM, CommonJS dependencies through the require shim) and
      // validates its configuration at import, as a cold start does.
      const env = { PATH: process.env.PATH, AWS_REGION: 'eu-west-1', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', TABLE_NAME: 'events', FEED_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/123456789012/feed-jobs', ALERT_TOPIC_ARN: 'arn:aws:sns:eu-west-1:123456789012:alerts' };
      const loaded = execFileSync(process.execPath, ['--input-type=module', '-e', `const m = await import(${JSON.stringify(outfile)}); console.log(typeof m.handler);`], { env, encoding: 'utf8' });
      expect(loaded.trim()).toBe('function');
      expect(() => execFileSync(process.execPath, ['--input-type=module', '-e', `await import(${JSON.stringify(outfile)})`], { env: { ...env, TABLE_NAME: '' }, stdio: 'pipe' })).toThrow(/TABLE_NAME/);
    });
  }

  it('bundles the rss-parser worker as the afterBundling hook does, and it parses a feed', async () => {
    const outfile = join(dir, 'worker', 'rss-parse-worker.mjs');
    execSync(`"${ROOT}/node_modules/.bin/esbuild" "${ROOT}/${PARSER_WORKER_SOURCE}" ${PARSER_WORKER_ESBUILD_ARGS.join(' ')} --outfile="${outfile}"`);
    expect(statSync(outfile).size).toBeLessThanOrEqual(BUNDLE_BUDGET_BYTES);
    const worker = new Worker(outfile);
    try {
      const reply = await new Promise<{ ok: boolean; json: string }>((resolveReply, reject) => {
        worker.once('message', resolveReply);
        worker.once('error', reject);
        worker.postMessage({ id: 1, text: '<rss version="2.0"><channel><title>T</title><item><title>Envoys return</title><link>https://news.example/a</link></item></channel></rss>' });
      });
      expect(reply.ok).toBe(true);
      expect((JSON.parse(reply.json) as { items: { title: string }[] }).items.map((i) => i.title)).toEqual(['Envoys return']);
    } finally {
      await worker.terminate();
    }
  });

  it('the bundled worker also normalises and classifies, with the watches beside it as in the Lambda', async () => {
    const outfile = join(dir, 'worker-prepare', 'rss-parse-worker.mjs');
    execSync(`"${ROOT}/node_modules/.bin/esbuild" "${ROOT}/${PARSER_WORKER_SOURCE}" ${PARSER_WORKER_ESBUILD_ARGS.join(' ')} --outfile="${outfile}"`);
    cpSync(resolve(ROOT, WATCHES_SOURCE), join(dir, 'worker-prepare', 'watches'), { recursive: true });
    const worker = new Worker(outfile, { workerData: { prepare: true } });
    try {
      const reply = await new Promise<{ ok: boolean; json: string }>((resolveReply, reject) => {
        worker.once('message', resolveReply);
        worker.once('error', reject);
        const context = { feed: { id: 'f', url: 'https://news.example/feed', outlet: 'News', language: 'en' }, fetchedAt: '2024-01-18T00:00:00.000Z' };
        worker.postMessage({ id: 1, context, text: '<rss version="2.0"><channel><title>T</title><item><title>Pakistan recalls its ambassador from Tehran</title><link>https://news.example/a</link><pubDate>Wed, 17 Jan 2024 20:00:00 GMT</pubDate></item><item><title>Rain in Lahore</title><link>https://news.example/b</link></item></channel></rss>' });
      });
      expect(reply.ok).toBe(true);
      const { prepared } = JSON.parse(reply.json) as { prepared: { stamps: unknown[]; relevant: { item: { title: string }; classification: { primary: string | null } }[]; irrelevant: number } };
      expect(prepared.stamps).toHaveLength(2);
      expect(prepared.relevant.map((r) => [r.item.title, r.classification.primary])).toEqual([['Pakistan recalls its ambassador from Tehran', 'envoy_recall']]);
      expect(prepared.irrelevant).toBe(1);
    } finally {
      await worker.terminate();
    }
  });
});
