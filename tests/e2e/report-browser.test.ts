import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLASSIFIER_VERSION } from '#shared/domain/classifier-version.ts';
import { dayIso, writeCrisisFeeds } from '../helpers/crisis-feeds.ts';

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '../..');
const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'];
const HOSTILE_FEED = join(ROOT, 'tests/fixtures/crisis/hostile-outlet.xml');

const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`report-browser.test.ts skipped: no Chromium at ${CHROMIUM} (apt-get install -y chromium; .ci/run installs it)`);

async function npm(script: string, args: string[]): Promise<string> {
  const { stdout } = await run('npm', ['run', '--silent', script, '--', ...args], { cwd: ROOT, timeout: 120_000 });
  return stdout;
}

describe('npm run report refuses a bad command line', () => {
  it('names the problem and exits 2: an inverted range, a malformed dyad, a data dir that does not exist', async () => {
    const fail = (args: string[]) => run('npm', ['run', '--silent', 'report', '--', ...args], { cwd: ROOT }).then(() => Promise.reject(new Error('exited 0')), (error: { code: number; stderr: string }) => error);
    const out = join(tmpdir(), 'ipw-never-written.html');
    await expect(fail(['--dyad', 'IR-PK', '--since', '2024-05-01', '--until', '2024-01-01', '--out', out])).resolves.toMatchObject({ code: 2, stderr: expect.stringContaining('--since 2024-05-01 is after --until 2024-01-01') });
    await expect(fail(['--dyad', 'Iran', '--out', out])).resolves.toMatchObject({ code: 2, stderr: expect.stringContaining('like IR-PK') });
    await expect(fail(['--dyad', 'IR-PK', '--out', out, '--data-dir', join(tmpdir(), 'ipw-no-such-dir')])).resolves.toMatchObject({ code: 2, stderr: expect.stringContaining('no local data in') });
    expect(existsSync(out)).toBe(false);
  });
});

describe.skipIf(!hasChromium)('the analyst report of a replayed crisis, opened in headless Chromium', () => {
  let work: string;
  let reportUrl: string;
  let storyIds: string[];
  let summary: string;
  let browser: Browser;
  let page: Page;
  const requests: string[] = [];
  const blocked: string[] = [];
  const problems: string[] = [];
  /** An expression run in the page: a string, because this project's TypeScript has no DOM types (and needs none). */
  const inPage = <T = unknown>(expression: string) => page.evaluate(expression) as Promise<T>;

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'ipw-report-'));
    const dataDir = join(work, 'data');
    // The crisis one cycle a day through the real pipeline; on the last day a feed whose title
    // carries markup (it becomes the outlet name) and whose headline tries to break an attribute.
    for (let day = 1; day <= 10; day++) {
      const feeds = writeCrisisFeeds(work, day);
      if (day === 10) feeds.push(HOSTILE_FEED);
      await npm('start', ['--feeds', feeds.join(','), '--data-dir', dataDir, '--now', dayIso(day), '--json', '--no-alerts']);
    }
    const range = ['--dyad', 'IR-PK', '--since', '2024-03-01', '--until', '2024-03-31', '--data-dir', dataDir];
    storyIds = (JSON.parse(await npm('query', [...range, '--format', 'json'])) as { storyId: string }[]).map((e) => e.storyId);
    const out = join(work, 'report.html');
    summary = await npm('report', [...range, '--out', out]);
    reportUrl = pathToFileURL(out).href;

    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS });
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    // Anything but the page itself is recorded and refused, so a leak fails the test instead of reaching out.
    await context.route('**/*', (route) => {
      const url = route.request().url();
      if (url === reportUrl) return route.continue();
      blocked.push(url);
      return route.abort();
    });
    page = await context.newPage();
    page.on('request', (r) => requests.push(r.url()));
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    page.on('dialog', (d) => {
      problems.push(`dialog: ${d.message()}`);
      void d.dismiss();
    });
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
    });
    await page.goto(reportUrl);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('shows one mark and one row per stored story, in the page written by the CLI', async () => {
    expect(storyIds.length).toBe(8); // seven crisis stories and the hostile feed's protest
    expect(summary).toMatch(new RegExp(`^IR-PK 2024-03-01 to 2024-03-31: 8 stories -> .*report\\.html \\(\\d+\\.\\d KB\\)\\n$`));
    const marks = await page.$$eval('#timeline a.mark', (els) => els.map((e) => e.getAttribute('data-story')));
    const rows = await page.$$eval('#events tbody tr[data-type]', (els) => els.map((e) => e.id.replace(/^s-/, '')));
    expect(marks.sort()).toEqual([...storyIds].sort());
    expect(rows.sort()).toEqual([...storyIds].sort());
    const types = await page.$$eval('#events tbody tr[data-type]', (els) => els.map((e) => e.getAttribute('data-type')));
    expect(types.filter((t) => t === 'strike')).toHaveLength(2);
  });

  it('draws the recall as a band from the recall to the ambassadors’ return', async () => {
    const bands = await page.$$eval('#timeline g.band', (els) => els.map((e) => [e.getAttribute('data-from'), e.getAttribute('data-to')]));
    expect(bands).toEqual([['2024-03-03', '2024-03-09']]);
    await expect(page.textContent('#timeline')).resolves.toContain('Ambassadors recalled · 6 days');
  });

  it('shows the counts and the classifier version that produced the data', async () => {
    await expect(page.textContent('[data-count-type="strike"]')).resolves.toMatch(/Strike\s*2/);
    await expect(page.textContent('[data-count-month="2024-03"]')).resolves.toMatch(/2024-03\s*8/);
    await expect(page.textContent('header .meta')).resolves.toContain(`classifier ${CLASSIFIER_VERSION}`);
  });

  it('filters the table by type with no server', async () => {
    await page.click('#show-none');
    await page.check('#filters input[value="strike"]');
    const visible = await page.locator('#events tbody tr[data-type]:visible').evaluateAll((els) => els.map((e) => e.getAttribute('data-type')));
    expect(visible).toEqual(['strike', 'strike']);
    await expect(page.textContent('#shown')).resolves.toBe('Showing 2 of 8 events');
    const dimmed = await page.$$eval('#timeline a.mark.off', (els) => els.map((e) => e.getAttribute('data-type')));
    expect(dimmed).toHaveLength(6);
    expect(dimmed).not.toContain('strike');
    await page.click('#show-all');
    await expect(page.$$eval('#events tbody tr[hidden]', (els) => els.length)).resolves.toBe(0);
  });

  it('shows markup from a feed as text and runs none of it', async () => {
    const hostileRow = page.locator('#events tbody tr', { hasText: 'remarks' });
    await expect(hostileRow.count()).resolves.toBe(1);
    // The feed's title (the outlet name) lost its markup at ingest; the headline's quotes and
    // attribute text arrive as text.
    await expect(hostileRow.textContent()).resolves.toContain('Border Wire');
    await expect(hostileRow.textContent()).resolves.not.toContain('<script');
    await expect(hostileRow.textContent()).resolves.toContain(`onmouseover="document.title='pwned-title'"`);
    await page.hover('#timeline a.mark[data-type="protest"] >> nth=-1');
    const injected = await inPage(`({
      title: document.title,
      images: document.images.length,
      scripts: document.scripts.length,
      handlers: document.querySelectorAll('[onerror],[onmouseover],[onload],[onclick]').length,
      frames: document.querySelectorAll('iframe,object,embed').length,
    })`);
    expect(injected).toEqual({ title: 'Iran – Pakistan: events 2024-03-01 to 2024-03-31', images: 0, scripts: 1, handlers: 0, frames: 0 });
    expect(problems).toEqual([]);
  });

  it('makes no request but the file itself, even when a mark is followed to its row', async () => {
    const id = storyIds[0] as string;
    await page.click(`#timeline a.mark[data-story="${id}"]`);
    await expect(inPage('location.hash')).resolves.toBe(`#s-${id}`);
    expect(requests).toEqual([reportUrl]);
    expect(blocked).toEqual([]);
    // A fetch the policy refused never reaches the router, but Chromium reports it on the console.
    expect(problems).toEqual([]);
  });

  it('says "no events" for a range with none, and its script runs there too', async () => {
    const out = join(work, 'empty.html');
    const line = await npm('report', ['--dyad', 'IR-PK', '--since', '2024-01-01', '--until', '2024-01-31', '--data-dir', join(work, 'data'), '--out', out]);
    expect(line).toContain('0 stories');
    const empty = await browser.newPage();
    const errors: string[] = [];
    empty.on('pageerror', (e) => errors.push(e.message));
    empty.on('console', (m) => errors.push(m.text()));
    await empty.goto(pathToFileURL(out).href);
    await expect(empty.textContent('#shown')).resolves.toBe('No events');
    await expect(empty.textContent('#events tbody')).resolves.toContain('No events between 2024-01-01 and 2024-01-31.');
    await expect(empty.locator('#timeline').count()).resolves.toBe(0);
    expect(errors).toEqual([]);
    await empty.close();
  });

  it('fits a phone screen: the page does not scroll sideways, the timeline scrolls in its box', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    const widths = await inPage<{ page: number; timelineBox: number }>(`({ page: document.documentElement.scrollWidth, timelineBox: document.querySelector('.scroll').clientWidth })`);
    expect(widths.page).toBeLessThanOrEqual(390);
    expect(widths.timelineBox).toBeLessThanOrEqual(390);
    await expect(page.locator('#events thead').isVisible()).resolves.toBe(false);
    await expect(page.locator('#events tbody tr[data-type]:visible').count()).resolves.toBe(8);
  });
});
