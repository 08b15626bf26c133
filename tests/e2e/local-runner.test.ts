import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { npm } from '../helpers/npm.ts';
import { startFeedServer, withEtag, type FeedServer } from '../helpers/feed-server.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const fixture = (name: string) => readFileSync(join(ROOT, 'tests/fixtures/feeds', name));

describe('npm start, end to end, against feeds served on 127.0.0.1', () => {
  let server: FeedServer;
  let dataDir: string;
  let feeds: string;

  beforeAll(async () => {
    server = await startFeedServer({
      '/indus.xml': withEtag(fixture('indus-daily.xml'), '"indus-v1"'),
      '/caspian.xml': withEtag(fixture('caspian-herald.xml'), '"caspian-v1"', 'application/atom+xml; charset=utf-8'),
      '/sarhad.xml': withEtag(fixture('sarhad-urdu.xml'), '"sarhad-v1"'),
    });
    dataDir = mkdtempSync(join(tmpdir(), 'ipw-e2e-'));
    feeds = ['/indus.xml', '/caspian.xml', '/sarhad.xml'].map((p) => server.url + p).join(',');
  });

  afterAll(async () => {
    await server?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('stores one story for the shared event, alerts once, then sees 304s and sends nothing new', async () => {
    const first = await npm(['start', '--', '--feeds', feeds, '--data-dir', dataDir, '--now', '2024-01-22T13:00:00Z', '--json', '--allow-private-networks']);
    expect(first.code, first.stderr).toBe(0);
    const summary1 = JSON.parse(first.stdout.trim());
    expect(summary1).toEqual({
      feeds: { ok: 3, notModified: 0, failed: 0 },
      articles: { new: 6, duplicate: 0, relevant: 2 },
      stories: { new: 1, updated: 1 },
      alerts: { published: 1 },
      failures: [],
    });

    const alertsFile = join(dataDir, 'alerts.jsonl');
    const alerts = readFileSync(alertsFile, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(alerts).toHaveLength(1);
    const [alert] = alerts;
    expect(Object.keys(alert).sort()).toEqual(['attributes', 'email', 'level', 'publishedAt', 'sms', 'storyId', 'subject']);
    expect(alert.attributes).toEqual({ eventType: 'envoy_return', severity: 3, dyad: 'IR-PK' });
    expect(alert.subject.length).toBeLessThanOrEqual(100);
    expect(alert.sms.length).toBeLessThanOrEqual(160);
    expect(alert.email).toContain('https://indus-daily.example/2024/01/22/envoys-go-back');
    expect(alert.email).toContain('https://caspian-herald.example/news/iran-pakistan-ambassadors-restored');
    expect(alert.email).not.toMatch(/<script|javascript:/i);

    const second = await npm(['start', '--', '--feeds', feeds, '--data-dir', dataDir, '--now', '2024-01-22T13:10:00Z', '--json', '--allow-private-networks']);
    expect(second.code, second.stderr).toBe(0);
    expect(JSON.parse(second.stdout.trim())).toEqual({
      feeds: { ok: 0, notModified: 3, failed: 0 },
      articles: { new: 0, duplicate: 0, relevant: 0 },
      stories: { new: 0, updated: 0 },
      alerts: { published: 0 },
      failures: [],
    });
    expect(readFileSync(alertsFile, 'utf8').trim().split('\n')).toHaveLength(1);
    // The second cycle sent each feed's ETag back.
    const conditional = server.requests.filter((r) => r.ifNoneMatch);
    expect(conditional.map((r) => r.path).sort()).toEqual(['/caspian.xml', '/indus.xml', '/sarhad.xml']);

    const query = await npm(['query', '--', '--data-dir', dataDir, '--since', '2024-01-01', '--until', '2024-01-31', '--dyad', 'IR-PK', '--format', 'json']);
    expect(query.code, query.stderr).toBe(0);
    const events = JSON.parse(query.stdout);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ primaryType: 'envoy_return', severity: 3, dyad: 'IR-PK', sourceCount: 2 });
    expect(events[0].types).toEqual(expect.arrayContaining(['envoy_return', 'visit', 'de_escalation']));
    expect(events[0].eventDates.map((d: { date: string }) => d.date)).toEqual(expect.arrayContaining(['2024-01-26', '2024-01-29']));
    expect(events[0].articles.map((a: { outlet: string }) => a.outlet).sort()).toEqual(['Caspian Herald', 'Indus Daily']);
    for (const key of ['storyId', 'primaryType', 'types', 'severity', 'dyad', 'eventDates', 'firstSeen', 'lastSeen', 'sourceCount', 'articles']) expect(events[0]).toHaveProperty(key);
    expect(Object.keys(events[0].articles[0]).sort()).toEqual(['outlet', 'publishedAt', 'title', 'url']);
  });

  it('lists failed feeds with a reason and still exits 0 when one feed fails', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ipw-e2e-fail-'));
    try {
      const out = await npm(['start', '--', '--feeds', `${server.url}/indus.xml,${server.url}/missing.xml`, '--data-dir', dir, '--allow-private-networks']);
      expect(out.code, out.stderr).toBe(0);
      expect(out.stdout).toMatch(/2 feeds - 1 read, 0 unchanged \(304\), 1 failed/);
      expect(out.stdout).toMatch(/missing-xml-[0-9a-f]+: HTTP 404/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses feeds on 127.0.0.1 without --allow-private-networks, naming the host and the rule, and still reads file paths', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ipw-e2e-private-'));
    try {
      const requestsBefore = server.requests.length;
      const file = join(ROOT, 'tests/fixtures/feeds/indus-daily.xml');
      const out = await npm(['start', '--', '--feeds', `${server.url}/caspian.xml,${file}`, '--data-dir', dir, '--now', '2024-01-22T13:00:00Z', '--json']);
      expect(out.code, out.stderr).toBe(0);
      const summary = JSON.parse(out.stdout.trim());
      expect(summary.feeds).toEqual({ ok: 1, notModified: 0, failed: 1 });
      expect(summary.failures).toHaveLength(1);
      expect(summary.failures[0].reason).toBe('blocked-address');
      expect(summary.failures[0].error).toMatch(/^blocked address: 127\.0\.0\.1 is loopback 127\.0\.0\.0\/8; .*--allow-private-networks/);
      // Without --json: the failure and, at once, the feed's health.
      const text = await npm(['start', '--', '--feeds', `${server.url}/caspian.xml`, '--data-dir', dir, '--now', '2024-01-22T13:10:00Z']);
      expect(text.code, text.stderr).toBe(0);
      expect(text.stdout).toMatch(/1 feeds - 0 read, 0 unchanged \(304\), 1 failed/);
      expect(text.stdout).toMatch(/Unhealthy feeds:\n {2}[\w-]*caspian-xml-[0-9a-f]+: fails on every poll \(blocked-address\): blocked address: 127\.0\.0\.1 is loopback/);
      expect(server.requests.length).toBe(requestsBefore);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('rejects a bad option with a usage message and exit code 2', async () => {
    const out = await npm(['start', '--', '--concurrency', 'lots']);
    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(/--concurrency must be a whole number/);
    expect(out.stderr).toMatch(/Usage: npm start/);
  });
});
