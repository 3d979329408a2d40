import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { AxeResults } from 'axe-core';
import type { Browser, Page } from 'playwright-core';
import type { Clock } from '../../bot/ports';
import { launchChromium } from '../support/browser';
import { DirectLineTestClient } from '../support/directLineClient';
import { startInProcess, type InProcessServer } from '../support/inProcessServer';

const USERNAME = 'nina.adviser';
const PASSWORD = 'a-long-test-password-1';
const SCHOOLS_FILE = path.resolve(__dirname, '..', '..', 'tests', 'fixtures', 'schools', 'two-schools.json');
/** Screenshots land here (git-ignored); see README "Tests". */
const artifacts = path.resolve(__dirname, '..', '..', 'test-artifacts');
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

interface Watch {
  errors: string[];
  outside: string[];
}

function watch(page: Page, serverUrl: string): Watch {
  const seen: Watch = { errors: [], outside: [] };
  page.on('pageerror', (error) => seen.errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') seen.errors.push(message.text());
  });
  page.on('request', (request) => {
    if (!request.url().startsWith(serverUrl) && !/^(data|blob):/.test(request.url())) seen.outside.push(request.url());
  });
  return seen;
}

/** axe-core through the DevTools protocol (the console's CSP refuses an injected inline script). */
async function axeViolations(page: Page): Promise<{ id: string; targets: string[] }[]> {
  if (!(await page.evaluate('typeof window.axe === "object"'))) await page.evaluate(axeSource);
  const results = (await page.evaluate('window.axe.run(document, { resultTypes: ["violations"] })')) as AxeResults;
  return results.violations.map((violation) => ({ id: violation.id, targets: violation.nodes.map((node) => `${node.target.join(' ')} :: ${node.failureSummary ?? ''}`) }));
}

describe('the insights page in a real browser', () => {
  let server: InProcessServer;
  let browser: Browser;
  let current = new Date('2026-11-24T10:00:00Z');
  const clock: Clock = { now: () => new Date(current) };

  beforeAll(async () => {
    server = await startInProcess({ SCHOOLS_FILE, ADVISER_USERNAME: USERNAME, ADVISER_PASSWORD: PASSWORD, ADVISER_SCHOOLS: 'north-high' }, { clock });
    // Tuesday 24 November 2026, 10:00: six North pupils ask about apprenticeships, two of them
    // about university too, and five of them ask for an adviser.
    for (let index = 0; index < 6; index += 1) {
      const pupil = await DirectLineTestClient.start(server.url, 'north-high');
      await pupil.send('Apprenticeships');
      if (index < 2) await pupil.send('University');
      if (index < 5) for (const text of ['I need an adviser', 'yes']) await pupil.send(text);
    }
    // A South pupil: not North's, and not this adviser's.
    const south = await DirectLineTestClient.start(server.url, 'south-academy');
    await south.send('GCSE options');
    current = new Date('2026-11-26T12:00:00Z');
    browser = await launchChromium();
    mkdirSync(artifacts, { recursive: true });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it("serves the page under the console's strict policy, with nothing inline and no HTML from strings", async () => {
    const response = await fetch(`${server.url}/adviser/insights`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await response.text();
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/i);
    expect(html).not.toMatch(/\sstyle=|<style|\son[a-z]+=/i);
    const script = readFileSync(path.resolve(__dirname, '..', '..', 'adapters', 'adviser', 'console', 'insights.ts'), 'utf8');
    expect(script).not.toMatch(/\.(innerHTML|outerHTML)\s*[+]?=|insertAdjacentHTML\(|document\.write|\beval\(|new Function|\.style\./);
  });

  it('signs in, opens Insights, shows the figures with "<5", the charts and a CSV download, cleanly', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
    const page = await context.newPage();
    const seen = watch(page, server.url);

    // Signed out, the page says to sign in first.
    await page.goto(`${server.url}/adviser/insights`);
    await page.getByText('sign in to the adviser console').waitFor();

    await page.goto(`${server.url}/adviser`);
    await page.getByLabel('Username').fill(USERNAME);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Pupils waiting for an adviser' }).waitFor();
    // Signed out, both pages asked GET /api/adviser/session and got 401, which Chromium logs; nothing else.
    expect(seen.errors.filter((error) => !/status of 401/.test(error))).toEqual([]);
    seen.errors.length = 0;
    await page.getByRole('link', { name: 'Insights' }).click();
    await page.getByRole('heading', { name: 'Insights', level: 1 }).waitFor();

    // Only this adviser's school is offered.
    const schoolOptions = await page.locator('#school-select option').allInnerTexts();
    expect(schoolOptions).toEqual(['North High School']);

    const valueOf = (figure: string) => page.locator(`tr[data-figure="${figure}"] .figures__value`).innerText();
    await page.locator('tr[data-figure="conversations"]').waitFor();
    expect(await valueOf('conversations')).toBe('6');
    expect(await valueOf('topic:apprenticeships')).toBe('6');
    expect(await valueOf('topic:higher-education')).toBe('<5');
    expect(await valueOf('topic:gcse')).toBe('0');
    expect(await valueOf('conversations-out-of-hours')).toBe('0%');
    expect(await valueOf('priority:standard')).toBe('5');
    expect(await valueOf('flag:asked-for-adviser')).toBe('5');
    expect(await valueOf('pickup-median')).toBe('none');
    expect(await page.locator('tr[data-figure="pickup-median"]').innerText()).toContain('Gatsby 8: personal guidance');
    expect(await page.locator('tr[data-figure="topic:gcse"]').innerText()).toContain('Gatsby 2: learning from career and labour market information');

    // Eight charts (the third, job profiles by job family; the last, pupils' feedback), each a server-drawn SVG that loaded.
    const charts = page.locator('#charts img');
    expect(await charts.count()).toBe(8);
    expect(await page.locator('table[data-chart="careers"] tr[data-figure="career:construction"]').innerText()).toContain('Construction and trades');
    await page.waitForFunction('Array.from(document.querySelectorAll("#charts img")).every((img) => img.complete && img.naturalWidth > 0)');
    const topicsChart = await page.evaluate('fetch(document.querySelectorAll("#charts img")[1].src).then((r) => r.text())');
    expect(topicsChart).toContain('&#60;5');

    // The CSV downloads as a file.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download CSV' }).click()]);
    expect(download.suggestedFilename()).toBe('insights-north-high-2026-W41-to-2026-W48.csv');
    const csv = readFileSync(await download.path(), 'utf8');
    expect(csv).toContain('north-high,North High School,2026-W48,2026-11-23,topic:higher-education,University,<5,conversations');
    expect(csv).not.toContain('south-academy');

    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: path.join(artifacts, 'insights.png'), fullPage: true });
    expect(seen).toEqual({ errors: [], outside: [] });
    await context.close();
  }, 90_000);
});
