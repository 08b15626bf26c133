import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUNDLE_BUDGET_BYTES, FUNCTION_ENTRIES, PARSER_WORKER_FILE, bundleLambda, packageShares, validateBundledConfig, type FunctionName, type LambdaBundle } from '../../infra/bundling.ts';
import { openTestTable, type TestTable } from '../helpers/dynalite.ts';
import { startFeedServer, withEtag, type FeedServer } from '../helpers/feed-server.ts';
import { rss } from '../helpers/fakes.ts';
import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { TABLE } from '#shared/table-schema.ts';

const dir = mkdtempSync(join(tmpdir(), 'ipw-bundles-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ENV = { PATH: process.env.PATH, AWS_REGION: 'eu-west-1', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', TABLE_NAME: 'events', FEED_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/123456789012/feed-jobs', ALERT_TOPIC_ARN: 'arn:aws:sns:eu-west-1:123456789012:alerts', STORY_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/123456789012/story-jobs.fifo' };

/** Built once per function, as AppFunction builds the asset. */
const bundles = new Map<FunctionName, LambdaBundle>();
beforeAll(() => {
  for (const name of Object.keys(FUNCTION_ENTRIES) as FunctionName[]) bundles.set(name, bundleLambda(name, join(dir, name)));
});

describe('Lambda bundles (as AppFunction builds them, SDK included)', () => {
  for (const name of Object.keys(FUNCTION_ENTRIES) as FunctionName[]) {
    it(`${name}: at most 800 KB, the AWS SDK inside, the SDK's lazy parts in chunks, and it loads on its own`, () => {
      const bundle = bundles.get(name) as LambdaBundle;
      expect(bundle.codeBytes).toBeLessThanOrEqual(BUNDLE_BUDGET_BYTES);
      expect(packageShares(bundle.metafile as never).map(([pkg]) => pkg)).toContain('@aws-sdk/client-dynamodb');
      // Code splitting did its work: the credential providers a Lambda never needs are not read at cold start.
      expect(bundle.eagerBytes).toBeLessThan(bundle.codeBytes - 100 * 1024);
      expect(readdirSync(join(dir, name))).toEqual(expect.arrayContaining(['index.mjs', 'index.mjs.map', 'chunks', 'watches']));
      // ESM, CommonJS dependencies through the require shim, configuration validated at import, as a cold start does.
      const outfile = join(dir, name, 'index.mjs');
      const loaded = execFileSync(process.execPath, ['--input-type=module', '-e', `const m = await import(${JSON.stringify(outfile)}); console.log(typeof m.handler);`], { env: ENV, encoding: 'utf8' });
      expect(loaded.trim()).toBe('function');
      expect(() => execFileSync(process.execPath, ['--input-type=module', '-e', `await import(${JSON.stringify(outfile)})`], { env: { ...ENV, TABLE_NAME: '' }, stdio: 'pipe' })).toThrow(/TABLE_NAME/);
    });
  }

  it('validates the registry and the watches it carries as it is built: a bad file fails the build, naming it', () => {
    const root = mkdtempSync(join(dir, 'config-'));
    mkdirSync(join(root, 'config'));
    cpSync(join(import.meta.dirname, '../../config/watches'), join(root, 'config/watches'), { recursive: true });
    const registry = JSON.parse(readFileSync(join(import.meta.dirname, '../../config/feeds.json'), 'utf8')) as { feeds: Record<string, unknown>[] };
    writeFileSync(join(root, 'config/feeds.json'), JSON.stringify(registry));
    expect(() => validateBundledConfig(root)).not.toThrow();
    writeFileSync(join(root, 'config/feeds.json'), JSON.stringify({ feeds: [{ ...registry.feeds[0], url: 'ftp://example.com/feed' }] }));
    expect(() => validateBundledConfig(root)).toThrow(/feeds\.json: feeds\.0\.url: feed url must be an http\(s\) URL/);
    writeFileSync(join(root, 'config/feeds.json'), '{ "feeds": [');
    expect(() => validateBundledConfig(root)).toThrow(/feeds\.json cannot be read as JSON/);
    writeFileSync(join(root, 'config/feeds.json'), JSON.stringify(registry));
    writeFileSync(join(root, 'config/watches/bad.json'), JSON.stringify({ id: 'bad', dyad: 'PK-IR', countries: [] }));
    expect(() => validateBundledConfig(root)).toThrow(/bad\.json/);
    // bundleLambda runs it first: nothing is built from a bad configuration.
    expect(() => bundleLambda('notify', join(root, 'out'), root)).toThrow(/bad\.json/);
  });

  it('no cold start reads zod but the story function’s (it parses story jobs with it): the environment and feed jobs are read by hand, the registry and watches checked at build', () => {
    for (const name of ['dispatch', 'ingest', 'notify', 'websub'] as const) expect(bundles.get(name)?.eagerInputs.filter((input) => input.includes('node_modules/zod/'))).toEqual([]);
  });

  it('only ingest carries the parser worker, a bundle of its own within the budget', () => {
    expect(bundles.get('ingest')?.workerBytes).toBeLessThanOrEqual(BUNDLE_BUDGET_BYTES);
    expect(readdirSync(join(dir, 'ingest'))).toContain(PARSER_WORKER_FILE);
    for (const name of ['dispatch', 'notify', 'story'] as const) expect(readdirSync(join(dir, name))).not.toContain(PARSER_WORKER_FILE);
  });

  it("ingest's cold start reads neither the classifier nor chrono-node (the workers classify; the handler's thread loads them for salvaged items)", () => {
    const eager = bundles.get('ingest')?.eagerInputs ?? [];
    expect(eager).not.toContain('shared/watches.ts'); // the watches' loader (and zod) wait for the first classifier
    expect(eager).not.toContain('shared/domain/classify.ts');
    expect(eager.filter((input) => input.startsWith('shared/domain/classifier/'))).toEqual([]);
    expect(eager.filter((input) => input.includes('node_modules/chrono-node/'))).toEqual([]);
    // Nor the SQS client (loaded on the first relevant article) or story formation (the story function's job).
    expect(eager.filter((input) => input.includes('node_modules/@aws-sdk/client-sqs/'))).toEqual([]);
    expect(eager).not.toContain('shared/use-cases/form-stories.ts');
  });

  it("ingest's cold start reads nothing only a feed with a body needs (the lenient reader, normalising, entities): a batch of 304s never loads it", () => {
    const eager = bundles.get('ingest')?.eagerInputs ?? [];
    expect(eager).toContain('shared/adapters/rss-feed-parser.ts');
    for (const input of ['shared/domain/lenient-feed.ts', 'shared/domain/text.ts', 'shared/domain/normalise.ts', 'shared/domain/prepare-items.ts']) expect(eager).not.toContain(input);
    expect(eager.filter((input) => input.includes('node_modules/entities/'))).toEqual([]);
  });

  it('only the functions that check addresses build the address tables at a cold start (ingest fetches, notify checks alert links)', () => {
    for (const name of ['dispatch', 'story'] as const) expect(bundles.get(name)?.eagerInputs).not.toContain('shared/domain/blocked-address.ts');
    for (const name of ['ingest', 'notify'] as const) expect(bundles.get(name)?.eagerInputs).toContain('shared/domain/blocked-address.ts');
  });

  it('the bundled worker parses, normalises and classifies, with the watches beside it as in the Lambda', async () => {
    const worker = new Worker(join(dir, 'ingest', PARSER_WORKER_FILE), { workerData: { prepare: true } });
    try {
      const stages: string[] = [];
      const reply = await new Promise<{ ok: boolean; json: string }>((resolveReply, reject) => {
        // The worker tells when rss-parser's parse starts and ends (the parse budget), then replies.
        worker.on('message', (msg: { ok: boolean; json: string; stage?: string }) => (msg.stage ? stages.push(msg.stage) : resolveReply(msg)));
        worker.once('error', reject);
        const context = { feed: { id: 'f', url: 'https://news.example/feed', outlet: 'News', language: 'en' }, fetchedAt: '2024-01-18T00:00:00.000Z' };
        worker.postMessage({ id: 1, context, text: '<rss version="2.0"><channel><title>T</title><item><title>Pakistan recalls its ambassador from Tehran</title><link>https://news.example/a</link><pubDate>Wed, 17 Jan 2024 20:00:00 GMT</pubDate></item><item><title>Rain in Lahore</title><link>https://news.example/b</link></item></channel></rss>' });
      });
      expect(reply.ok).toBe(true);
      expect(stages).toEqual(['parsing', 'parsed']);
      const { prepared } = JSON.parse(reply.json) as { prepared: { stamps: unknown[]; relevant: { item: { title: string }; classification: { primary: string | null } }[]; irrelevant: number } };
      expect(prepared.stamps).toHaveLength(2);
      expect(prepared.relevant.map((r) => [r.item.title, r.classification.primary])).toEqual([['Pakistan recalls its ambassador from Tehran', 'envoy_recall']]);
      expect(prepared.irrelevant).toBe(1);
    } finally {
      await worker.terminate();
    }
  });

  describe('the ingest and story bundles end to end: a feed job in, story jobs on the FIFO queue, stories in DynamoDB out', () => {
    let table: TestTable;
    let server: FeedServer;
    const sent: { queueUrl: string; Id: string; MessageBody: string; MessageGroupId: string; MessageDeduplicationId: string }[] = [];
    const queueUrl = () => `${server.url}/123456789012/story-jobs.fifo`;
    const text = async (req: IncomingMessage) => {
      let out = '';
      for await (const chunk of req) out += chunk;
      return out;
    };
    beforeAll(async () => {
      table = await openTestTable();
      const body = rss('Frontier Wire', [
        { title: 'Pakistan recalls its ambassador from Tehran after Iranian strike', link: 'https://frontier.example/recall', pubDate: 'Wed, 17 Jan 2024 20:00:00 GMT' },
        { title: 'Lahore wins the final over by four wickets', link: 'https://frontier.example/cricket', pubDate: 'Wed, 17 Jan 2024 19:00:00 GMT' },
      ]);
      // An undeclared entity: rss-parser rejects it, the lenient reader salvages it, and the
      // handler's classifier, a chunk of its own, is imported for it.
      const broken = `<rss version="2.0"><channel><title>Border Desk</title><item><title>Iran strikes militant hideouts inside Pakistan &bogus;</title><link>https://border-desk.example/strike</link><pubDate>Tue, 16 Jan 2024 20:00:00 GMT</pubDate></item></channel></rss>`;
      server = await startFeedServer({
        '/feed.xml': withEtag(body, '"v1"'),
        '/broken.xml': withEtag(broken, '"b1"'),
        // SQS's JSON protocol in miniature: SendMessageBatch, with the body digests the SDK checks.
        // The SDK posts to the queue URL's host, so the queue lives here.
        '/': async (req, res) => {
          const input = JSON.parse(await text(req)) as { QueueUrl: string; Entries: { Id: string; MessageBody: string; MessageGroupId: string; MessageDeduplicationId: string }[] };
          sent.push(...input.Entries.map((e) => ({ ...e, queueUrl: input.QueueUrl })));
          const Successful = input.Entries.map((e) => ({ Id: e.Id, MessageId: `msg-${sent.length}-${e.Id}`, MD5OfMessageBody: createHash('md5').update(e.MessageBody).digest('hex') }));
          res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' }).end(JSON.stringify({ Successful, Failed: [] }));
        },
      });
    });
    afterAll(async () => {
      await server?.close();
      await table?.close();
    });

    /** Runs a bundled handler on one event in a fresh process, as a cold start does; returns its answer. */
    async function runBundle(name: FunctionName, event: unknown, env: Record<string, string>): Promise<unknown> {
      const script = `const { handler } = await import(${JSON.stringify(join(dir, name, 'index.mjs'))}); const out = await handler(${JSON.stringify(event)}); process.stdout.write('RESULT ' + JSON.stringify(out) + '\\n'); process.exit(0);`;
      const fullEnv = { ...ENV, AWS_ENDPOINT_URL_DYNAMODB: table.local.endpoint, TABLE_NAME: TABLE.defaultName, STORY_QUEUE_URL: queueUrl(), POWERTOOLS_LOG_LEVEL: 'ERROR', ...env };
      const { stdout } = await promisify(execFile)(process.execPath, ['--enable-source-maps', '--input-type=module', '-e', script], { env: fullEnv, encoding: 'utf8' });
      return JSON.parse(stdout.split('RESULT ')[1] ?? 'null');
    }

    it('refuses the same feed on 127.0.0.1 by default (the guard survives bundling), recording why in the feed state', async () => {
      const feed = { id: 'loopback-wire', url: `${server.url}/feed.xml`, outlet: 'Loopback Wire', language: 'en' };
      const before = server.requests.length;
      expect(await runBundle('ingest', { Records: [{ messageId: 'm-1', body: JSON.stringify({ feed }) }] }, { AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local' })).toEqual({ batchItemFailures: [] });
      const state = (await table.store.getFeedStates(['loopback-wire'])).get('loopback-wire');
      expect(state).toMatchObject({ lastStatus: 'failed', consecutiveFailures: 1 });
      expect(state?.lastError).toMatch(/^blocked address: 127\.0\.0\.1 is loopback 127\.0\.0\.0\/8/);
      expect(server.requests.length).toBe(before);
    }, 30_000);

    it('stores the relevant items, read by the worker or salvaged, with credentials from a profile file (chunks loaded on demand)', async () => {
      // No AWS_ACCESS_KEY_ID: the SDK falls through to the ini-file provider, which lives in a
      // chunk. If splitting broke a lazy import, this call would fail to load credentials.
      const home = mkdtempSync(join(dir, 'home-'));
      writeFileSync(join(home, 'credentials'), '[default]\naws_access_key_id = local\naws_secret_access_key = local\n');
      const feed = { id: 'frontier-wire', url: `${server.url}/feed.xml`, outlet: 'Frontier Wire', language: 'en' };
      const brokenFeed = { id: 'border-desk', url: `${server.url}/broken.xml`, outlet: 'Border Desk', language: 'en' };
      const event = { Records: [{ messageId: 'm-1', body: JSON.stringify({ feed }) }, { messageId: 'm-2', body: JSON.stringify({ feed: brokenFeed }) }] };
      // The feed server listens on 127.0.0.1, which the function refuses unless ALLOW_PRIVATE_NETWORKS is set.
      const env = { HOME: home, AWS_SHARED_CREDENTIALS_FILE: join(home, 'credentials'), AWS_CONFIG_FILE: join(home, 'config'), ALLOW_PRIVATE_NETWORKS: 'true' };
      const run = (name: FunctionName, input: unknown) => runBundle(name, input, env);
      expect(await run('ingest', event)).toEqual({ batchItemFailures: [] });
      // Ingest placed nothing itself: the two relevant articles wait on the queue, in the dyad's group.
      expect(sent.map((m) => [m.queueUrl, m.MessageGroupId])).toEqual([
        [queueUrl(), 'IR-PK'],
        [queueUrl(), 'IR-PK'],
      ]);
      expect(await table.store.queryStories({ dyad: 'IR-PK', since: '2024-01-01T00:00:00.000Z', until: '2024-02-01T00:00:00.000Z' })).toEqual([]);
      // SQS delivers them to the story function.
      const records = sent.map((m) => ({ messageId: m.MessageDeduplicationId, body: m.MessageBody, attributes: { MessageGroupId: m.MessageGroupId } }));
      expect(await run('story', { Records: records })).toEqual({ batchItemFailures: [] });
      const stories = await table.store.queryStories({ dyad: 'IR-PK', since: '2024-01-01T00:00:00.000Z', until: '2024-02-01T00:00:00.000Z' });
      expect(stories.map((s) => s.primaryType).sort()).toEqual(['envoy_recall', 'strike']);
      expect((await table.store.getFeedStates(['frontier-wire'])).get('frontier-wire')?.etag).toBe('"v1"');
    }, 30_000);
  });
});
