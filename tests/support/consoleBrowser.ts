import type { Browser, BrowserContext, Page } from 'playwright-core';

/** What a page did that it should not: script errors, CSP refusals, requests off this server. */
export interface PageWatch {
  errors: string[];
  outside: string[];
}

export function watchPage(page: Page, serverUrls: string[]): PageWatch {
  const seen: PageWatch = { errors: [], outside: [] };
  page.on('pageerror', (error) => seen.errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy|Refused to/i.test(message.text())) seen.errors.push(message.text());
  });
  page.on('request', (request) => {
    const url = request.url();
    if (!serverUrls.some((base) => url.startsWith(base)) && !url.startsWith('ws://127.0.0.1') && !/^(data|blob):/.test(url)) seen.outside.push(url);
  });
  return seen;
}

/**
 * A console page whose desktop notifications and tones are recorded as they are made: the real
 * Notification API and Web Audio still run (permission granted by the context), and every
 * notification's title and body, and every tone started, is noted on window for the test.
 */
export async function consoleContext(browser: Browser, options: { notifications?: boolean } = {}): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  if (options.notifications) await context.grantPermissions(['notifications']);
  await context.addInitScript(`
    window.__notifications = [];
    window.__tones = 0;
    if (window.Notification) {
      const Real = window.Notification;
      const Recording = function (title, options) {
        window.__notifications.push({ title, body: options && options.body, tag: options && options.tag });
        return new Real(title, options);
      };
      Object.defineProperty(Recording, 'permission', { get: () => Real.permission });
      Recording.requestPermission = (...args) => Real.requestPermission(...args);
      window.Notification = Recording;
    }
    const start = OscillatorNode.prototype.start;
    OscillatorNode.prototype.start = function (...args) {
      window.__tones += 1;
      return start.apply(this, args);
    };
  `);
  return context;
}

export async function signIn(page: Page, base: string, username: string, password: string): Promise<void> {
  await page.goto(`${base}/adviser`);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Pupils waiting for an adviser' }).waitFor();
}

export async function notifications(page: Page): Promise<{ title: string; body?: string; tag?: string }[]> {
  return (await page.evaluate('window.__notifications')) as { title: string; body?: string; tag?: string }[];
}

/** A pupil in the real Web Chat page: resolves the page and a way to type into it. */
export async function webChatPupil(browser: Browser, url: string): Promise<{ context: BrowserContext; page: Page; say(text: string): Promise<void> }> {
  const context = await browser.newContext({ viewport: { width: 1000, height: 800 } });
  const page = await context.newPage();
  await page.goto(url);
  await page.locator('#webchat').getByText('not a person', { exact: false }).first().waitFor({ timeout: 15_000 });
  const input = page.locator('[data-id="webchat-sendbox-input"]');
  return {
    context,
    page,
    say: async (text: string) => {
      await input.fill(text);
      await input.press('Enter');
    },
  };
}

/** Waits for a notification with this title (polled: the console's CSP allows no string evaluation in the page). */
export async function waitForNotification(page: Page, title: string, timeoutMs = 10_000): Promise<{ title: string; body?: string; tag?: string }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = (await notifications(page)).find((raised) => raised.title === title);
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`no notification "${title}" within ${timeoutMs} ms; raised: ${JSON.stringify(await notifications(page))}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
