import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { CHROMIUM_PATH, launchChromium } from '../support/browser';
import { content, overviewText, routedText } from '../support/contentText';
import { startInProcess, type InProcessServer } from '../support/inProcessServer';

const firstLine = (text: string) => text.split('\n')[0].slice(0, 60);
const artifacts = path.resolve(__dirname, '..', '..', 'test-artifacts');
const greeting = content.answer('welcome.intro').text.split('\n')[0];
/** Each line of the crisis contacts as the page shows it ("- " lines as list items). */
const contacts = content
  .answer('crisis.contacts')
  .text.split('\n')
  .filter((line) => line.trim())
  .map((line) => line.replace(/^- /, '').trim());

/** Web Chat's own rendering of the bot's messages (the server's greeting has no Web Chat bubble). */
const webChatBubble = (page: Page, text: string) => page.locator('#webchat .webchat__bubble__content').filter({ hasText: text });

describe('the pupil chat page in a real browser', () => {
  let server: InProcessServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await startInProcess();
    browser = await launchChromium();
    mkdirSync(artifacts, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('loads Web Chat from this server, shows the welcome, and answers what the pupil types', async () => {
    const page = await browser.newPage();
    const outside: string[] = [];
    const errors: string[] = [];
    page.on('request', (request) => {
      if (!request.url().startsWith(server.url) && !request.url().startsWith('ws://127.0.0.1') && !/^(data|blob):/.test(request.url())) outside.push(request.url());
    });
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error' && /Content Security Policy|Refused to/i.test(message.text())) errors.push(message.text());
    });

    await page.goto(`${server.url}/`);
    await webChatBubble(page, greeting).first().waitFor({ timeout: 15_000 });
    await page.getByRole('button', { name: 'Apprenticeships' }).first().waitFor();

    const input = page.locator('[data-id="webchat-sendbox-input"]');
    await input.fill('how does ucas work?');
    await input.press('Enter');
    await page
      .getByText(firstLine(routedText('how does ucas work?')))
      .first()
      .waitFor({ timeout: 10_000 });
    // Web Chat marks a message "Send failed" if its echo never comes back.
    await page.waitForTimeout(300);
    expect(await page.getByText(/send failed/i).count()).toBe(0);

    await input.fill('menu');
    await input.press('Enter');
    await page.getByRole('button', { name: 'Getting a job' }).last().waitFor();
    await page.getByRole('button', { name: 'Getting a job' }).last().click();
    await page
      .getByText(firstLine(overviewText('jobs')))
      .first()
      .waitFor({ timeout: 10_000 });

    await page.screenshot({ path: path.join(artifacts, 'webchat.png') });
    expect(outside).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('shows the greeting and the crisis contacts before the script arrives, then Web Chat takes over without showing them twice', async () => {
    const page = await browser.newPage({ viewport: { width: 360, height: 640 } });
    let release = () => undefined as void;
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route('**/assets/webchat.*', async (route) => {
      await held;
      await route.continue();
    });
    await page.goto(`${server.url}/`, { waitUntil: 'commit' });

    const welcome = page.locator('#welcome');
    await welcome.getByText(greeting, { exact: true }).waitFor();
    for (const contact of contacts) expect(await welcome.getByText(contact, { exact: true }).isVisible()).toBe(true);
    expect(await page.locator('#webchat .webchat__bubble').count()).toBe(0);
    await page.screenshot({ path: path.join(artifacts, 'webchat-before-script.png') });

    release();
    await webChatBubble(page, greeting).first().waitFor({ timeout: 15_000 });
    await welcome.waitFor({ state: 'hidden' });
    expect(await webChatBubble(page, greeting).count()).toBe(1);
    // Nothing of the server's copy is left for a screen reader either.
    expect(await page.getByRole('heading', { name: 'Welcome' }).count()).toBe(0);
    await page.screenshot({ path: path.join(artifacts, 'webchat-after-script.png') });
    await page.close();
  });

  it('with JavaScript off, still shows the greeting, the crisis contacts and why the chat cannot start', async () => {
    // Scripting off as a pupil's browser setting does it (so <noscript> is shown), not only paused.
    const noScript = await chromium.launch({
      executablePath: CHROMIUM_PATH,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--blink-settings=scriptEnabled=false'],
    });
    try {
      const page = await noScript.newPage({ viewport: { width: 360, height: 640 } });
      await page.goto(`${server.url}/`);
      const welcome = page.locator('#welcome');
      expect(await welcome.getByText(greeting, { exact: true }).isVisible()).toBe(true);
      for (const contact of contacts) expect(await welcome.getByText(contact, { exact: true }).isVisible()).toBe(true);
      // Playwright's text search skips <noscript>, so the notice is found by its element.
      const notice = page.locator('noscript p');
      expect(await notice.isVisible()).toBe(true);
      expect(await notice.innerText()).toMatch(/needs JavaScript/);
      expect(await page.locator('#webchat .webchat__bubble').count()).toBe(0);
    } finally {
      await noScript.close();
    }
  });

  it('when the chat cannot start, keeps the greeting and contacts and says so', async () => {
    // A server that allows one new conversation a minute from an address: the second visit is refused.
    const strict = await startInProcess({ RATE_LIMIT_CONVERSATIONS_PER_MINUTE: '1' });
    try {
      const page = await browser.newPage();
      await page.goto(`${strict.url}/`);
      await webChatBubble(page, greeting).first().waitFor({ timeout: 15_000 });
      await page.reload();
      const apology = content.answer('error.turn').text.split('\n')[0];
      await page.getByRole('status').getByText(apology).waitFor();
      expect(await page.locator('#welcome').getByText(greeting, { exact: true }).isVisible()).toBe(true);
      expect(await page.locator('#webchat .webchat__bubble').count()).toBe(0);
      await page.close();
    } finally {
      await strict.close();
    }
  });
});
