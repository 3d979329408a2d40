import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { axeViolations } from '../support/axe';
import { launchChromium } from '../support/browser';
import { content, routedText } from '../support/contentText';
import { startInProcess, type InProcessServer } from '../support/inProcessServer';

const artifacts = path.resolve(__dirname, '..', '..', 'test-artifacts');
const firstLine = (text: string) => text.split('\n')[0];
const greeting = firstLine(content.answer('welcome.intro').text);
const webChatBubble = (page: Page, text: string) => page.locator('#webchat .webchat__bubble__content').filter({ hasText: text });

/** No part of the page is wider than the screen: nothing needs scrolling sideways. */
const overflowsSideways = (page: Page) => page.evaluate('document.documentElement.scrollWidth > document.documentElement.clientWidth');

/**
 * Waits until an expression is true in the page. A string through the DevTools protocol: the
 * page's CSP forbids eval, which waitForFunction would need, and this project's types have no DOM.
 */
async function until(page: Page, expression: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await page.evaluate(expression))) {
    if (Date.now() > deadline) throw new Error(`not true within ${timeoutMs} ms: ${expression}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * Headless Chromium here has no speech engine (no voices), and what is spoken cannot be heard in
 * a test. So this plays the platform's part, the engine and its utterances, with the voices given
 * and a record of what the page asked it to say. The page's own code runs unchanged.
 */
function speechEngine(voices: { name: string; lang: string; localService: boolean }[]): string {
  return `(() => {
    const record = { spoken: [], cancelled: 0 };
    const events = new EventTarget();
    const engine = {
      speaking: false, pending: false, paused: false, onvoiceschanged: null,
      getVoices: () => ${JSON.stringify(voices)}.map((voice) => ({ ...voice, voiceURI: voice.name, default: false })),
      speak: (utterance) => record.spoken.push({ text: utterance.text, voice: utterance.voice && utterance.voice.name, lang: utterance.lang }),
      cancel: () => { record.cancelled += 1; },
      pause() {}, resume() {},
      addEventListener: (type, listener) => events.addEventListener(type, listener),
      removeEventListener: (type, listener) => events.removeEventListener(type, listener),
    };
    class Utterance { constructor(text) { this.text = text; this.voice = null; this.lang = ''; } }
    Object.defineProperty(window, 'speechSynthesis', { value: engine, configurable: true });
    Object.defineProperty(window, 'SpeechSynthesisUtterance', { value: Utterance, configurable: true });
    window.__speech = record;
  })();`;
}

const spoken = (page: Page) => page.evaluate('window.__speech') as Promise<{ spoken: { text: string; voice: string; lang: string }[]; cancelled: number }>;

describe('the chat page for every pupil: small screens, large text, keyboard, screen reader, read aloud', () => {
  let server: InProcessServer;
  let browser: Browser;
  let context: BrowserContext | undefined;

  beforeAll(async () => {
    server = await startInProcess();
    browser = await launchChromium();
    mkdirSync(artifacts, { recursive: true });
  });
  afterEach(async () => {
    await context?.close();
    context = undefined;
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('on a 360 px phone, at normal and 200 % text size, fits the screen and passes axe before and after Web Chat', async () => {
    context = await browser.newContext({ viewport: { width: 360, height: 640 }, isMobile: true, hasTouch: true });
    for (const textSize of [16, 32]) {
      const page = await context.newPage();
      // The browser's own text size setting (what "text zoom" changes), not page zoom.
      const cdp = await context.newCDPSession(page);
      await cdp.send('Page.setFontSizes', { fontSizes: { standard: textSize, fixed: Math.round(textSize * 0.8) } });
      let release = (): void => undefined;
      const held = new Promise<void>((resolve) => (release = resolve));
      await page.route('**/assets/webchat.*', async (route) => {
        await held;
        await route.continue();
      });
      await page.goto(`${server.url}/`, { waitUntil: 'commit' });
      await page.locator('#welcome').getByText(greeting, { exact: true }).waitFor();
      expect(await overflowsSideways(page)).toBe(false);
      expect(await axeViolations(page)).toEqual([]);
      await page.screenshot({ path: path.join(artifacts, `chat-360px-text${textSize}-before.png`) });

      release();
      await webChatBubble(page, greeting).first().waitFor({ timeout: 15_000 });
      const input = page.locator('[data-id="webchat-sendbox-input"]');
      await input.fill('what is a t level');
      await input.press('Enter');
      await webChatBubble(page, firstLine(routedText('what is a t level')).slice(0, 50))
        .first()
        .waitFor({ timeout: 10_000 });
      expect(await overflowsSideways(page)).toBe(false);
      expect(await input.isVisible()).toBe(true);
      // Every button's label is shown whole, not cut off with an ellipsis.
      expect(await page.locator('#webchat .webchat__suggested-action').count()).toBeGreaterThan(0);
      expect(
        await page.evaluate(
          "[...document.querySelectorAll('#webchat .webchat__suggested-action, #webchat .webchat__suggested-action *')].filter((element) => element.scrollWidth > element.clientWidth + 1).length",
        ),
      ).toBe(0);
      expect(await axeViolations(page)).toEqual([]);
      await page.screenshot({ path: path.join(artifacts, `chat-360px-text${textSize}-after.png`) });
      await page.close();
    }
  });

  it('works by keyboard alone, and a screen reader hears each new message', async () => {
    context = await browser.newContext({ viewport: { width: 1024, height: 768 } });
    const page = await context.newPage();
    // What Web Chat puts in its live region (the text a screen reader announces), as it happens.
    await page.addInitScript(`(() => {
      window.__announced = [];
      new MutationObserver(() => {
        for (const region of document.querySelectorAll('[aria-live]')) if (region.textContent) window.__announced.push(region.textContent);
      }).observe(document, { childList: true, subtree: true, characterData: true });
    })();`);
    await page.goto(`${server.url}/`);
    await webChatBubble(page, greeting).first().waitFor({ timeout: 15_000 });
    const question = 'how does ucas work?';
    const answer = firstLine(routedText(question)).slice(0, 50);

    // From the top of the page, Tab reaches the message box; typing and Enter send.
    await page.evaluate('document.activeElement && document.activeElement.blur && document.activeElement.blur()');
    const activeIs = async (selector: string) => (await page.evaluate(`!!document.activeElement && document.activeElement.matches(${JSON.stringify(selector)})`)) === true;
    let presses = 0;
    while (!(await activeIs('[data-id="webchat-sendbox-input"]')) && presses < 15) {
      await page.keyboard.press('Tab');
      presses += 1;
    }
    expect(await activeIs('[data-id="webchat-sendbox-input"]')).toBe(true);
    await page.keyboard.type(question);
    await page.keyboard.press('Enter');
    await webChatBubble(page, answer).first().waitFor({ timeout: 10_000 });
    await until(page, `window.__announced.some((said) => said.includes(${JSON.stringify(answer)}))`, 5_000);

    // Back with Shift+Tab to the reply's buttons; Enter on one sends it.
    presses = 0;
    while (!(await activeIs('.webchat__suggested-action')) && presses < 10) {
      await page.keyboard.press('Shift+Tab');
      presses += 1;
    }
    expect(await activeIs('.webchat__suggested-action')).toBe(true);
    const label = String(await page.evaluate('document.activeElement.innerText')).trim();
    await page.keyboard.press('Enter');
    await page.locator('#webchat .webchat__bubble--from-user').filter({ hasText: label }).first().waitFor({ timeout: 10_000 });
    expect(await axeViolations(page)).toEqual([]);
  });

  it('offers reading aloud only where the browser has a voice on the device', async () => {
    context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${server.url}/`);
    await webChatBubble(page, greeting).first().waitFor({ timeout: 15_000 });
    // This browser's real speech engine.
    const hasLocalVoice = await page.evaluate("'speechSynthesis' in window && speechSynthesis.getVoices().some((voice) => voice.localService)");
    expect(await page.getByRole('button', { name: 'Read messages aloud' }).isVisible()).toBe(hasLocalVoice);

    // An engine with network voices only (they send the text to the browser's maker): not offered.
    const network = await context.newPage();
    await network.addInitScript(speechEngine([{ name: 'Cloud English', lang: 'en-GB', localService: false }]));
    await network.goto(`${server.url}/`);
    await webChatBubble(network, greeting).first().waitFor({ timeout: 15_000 });
    expect(await network.getByRole('button', { name: 'Read messages aloud' }).isVisible()).toBe(false);
  });

  it("reads the bot's messages aloud with a local voice once the pupil turns it on, and stops when turned off", async () => {
    context = await browser.newContext();
    const page = await context.newPage();
    await page.addInitScript(
      speechEngine([
        { name: 'Cloud English', lang: 'en-GB', localService: false },
        { name: 'Local French', lang: 'fr-FR', localService: true },
        { name: 'Local English', lang: 'en-GB', localService: true },
      ]),
    );
    await page.goto(`${server.url}/`);
    await webChatBubble(page, greeting).first().waitFor({ timeout: 15_000 });
    const toggle = page.getByRole('button', { name: 'Read messages aloud' });
    expect(await toggle.isVisible()).toBe(true);
    // Off until the pupil turns it on: the greeting was not read.
    expect(await toggle.getAttribute('aria-pressed')).toBe('false');
    expect((await spoken(page)).spoken).toEqual([]);

    // Turned on from the keyboard.
    await toggle.focus();
    await page.keyboard.press('Space');
    expect(await toggle.getAttribute('aria-pressed')).toBe('true');
    const input = page.locator('[data-id="webchat-sendbox-input"]');
    const question = 'can i do an apprenticeship at 16';
    await input.fill(question);
    await input.press('Enter');
    const answer = routedText(question);
    await webChatBubble(page, firstLine(answer).slice(0, 50)).first().waitFor({ timeout: 10_000 });
    await until(page, 'window.__speech.spoken.length > 0');
    const said = (await spoken(page)).spoken;
    expect(said[0].text.startsWith(answer)).toBe(true);
    expect(said[0]).toMatchObject({ voice: 'Local English', lang: 'en-GB' });
    // The pupil's own message is not read back.
    expect(said.some((utterance) => utterance.text.includes(question))).toBe(false);

    await toggle.click();
    expect(await toggle.getAttribute('aria-pressed')).toBe('false');
    expect((await spoken(page)).cancelled).toBeGreaterThan(0);
    const before = (await spoken(page)).spoken.length;
    await input.fill('menu');
    await input.press('Enter');
    await page.getByRole('button', { name: 'Getting a job' }).last().waitFor({ timeout: 10_000 });
    await page.waitForTimeout(300);
    expect((await spoken(page)).spoken.length).toBe(before);
  });
});
