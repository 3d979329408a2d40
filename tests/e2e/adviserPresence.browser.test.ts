import type { Browser, BrowserContext, Page } from 'playwright-core';
import { AdviserAccounts } from '../../adapters/adviser/accounts';
import { axeViolations } from '../support/axe';
import { launchChromium } from '../support/browser';
import { consoleContext, signIn, waitForNotification, watchPage, webChatPupil } from '../support/consoleBrowser';
import { content } from '../support/contentText';
import { DirectLineTestClient } from '../support/directLineClient';
import { startInProcess, type InProcessServer } from '../support/inProcessServer';

const PASSWORD = 'a-long-test-password-1';
/** Tuesday 24 November 2026, 10:00 in London: in adviser hours, so the calendar's offer is the plain one. */
const IN_HOURS = '2026-11-24T10:00:00Z';
const text = (id: string) => content.answer(id).text;

/**
 * Presence and alerts in real Chromium: the console says who is online, a second adviser coming
 * online (and going away) changes what a pupil in Web Chat is told, and a new urgent pupil raises
 * a desktop notification (permission granted by the browser context), a tone and the tab's count.
 */
describe('presence and notifications in the adviser console', () => {
  let server: InProcessServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    server = await startInProcess({ ADVISER_USERNAME: 'sam', ADVISER_PASSWORD: PASSWORD, BOT_CLOCK: IN_HOURS });
    await new AdviserAccounts(server.runtime.stores.keyValue).upsert('alex', PASSWORD);
    browser = await launchChromium();
  });
  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await server?.close();
  });

  const adviser = async (username: string, withNotifications = false): Promise<Page> => {
    const context = await consoleContext(browser, { notifications: withNotifications });
    contexts.push(context);
    const page = await context.newPage();
    await signIn(page, server.url, username, PASSWORD);
    return page;
  };

  /** A pupil in Web Chat asks for a person: resolves the page once the bot's offer is shown. */
  const pupilAsks = async () => {
    const pupil = await webChatPupil(browser, `${server.url}/`);
    contexts.push(pupil.context);
    await pupil.say('can I speak to an actual person');
    await pupil.page
      .getByRole('button', { name: text('button.yes') })
      .last()
      .waitFor({ timeout: 10_000 });
    return pupil;
  };
  /** Whether Web Chat shows the answer (it may be there more than once: the bubble and the screen reader's copy). */
  const sees = async (page: Page, answerId: string) => (await page.locator('#webchat').getByText(text(answerId).split('\n')[0], { exact: false }).count()) > 0;

  it("shows who is online, and a second adviser's presence changes what a pupil is told", async () => {
    const sam = await adviser('sam');
    const samWatch = watchPage(sam, [server.url]);
    expect(await sam.getByLabel('Your status').inputValue()).toBe('available');
    await sam.locator('#online-list').getByText('sam (you): Available').waitFor();
    // Sam is busy: nobody of the school is available, so the pupil gets the calendar's words
    await sam.getByLabel('Your status').selectOption('busy');
    await sam.locator('#online-list').getByText('sam (you): Busy').waitFor();
    const first = await pupilAsks();
    expect([await sees(first.page, 'triage.offer'), await sees(first.page, 'triage.offer-online')]).toEqual([true, false]);

    // Alex signs in (available): Sam's console shows it, and the next pupil is told an adviser is online
    const alex = await adviser('alex');
    await sam.locator('#online-list').getByText('alex: Available').waitFor({ timeout: 5_000 });
    expect(await axeViolations(sam)).toEqual([]);
    const second = await pupilAsks();
    expect(await sees(second.page, 'triage.offer-online')).toBe(true);
    await second.page
      .getByRole('button', { name: text('button.yes') })
      .last()
      .click();
    await second.page.locator('#webchat').getByText(text('handoff.queued-online').split('\n')[0]).first().waitFor({ timeout: 10_000 });

    // Alex steps away: gone from the list, and the pupil after is told the calendar's words again
    await alex.getByLabel('Your status').selectOption('away');
    await sam.locator('#online-list').getByText('alex: Available').waitFor({ state: 'detached', timeout: 5_000 });
    const third = await pupilAsks();
    expect([await sees(third.page, 'triage.offer'), await sees(third.page, 'triage.offer-online')]).toEqual([true, false]);
    expect(samWatch).toEqual({ errors: [], outside: [] });
  }, 120_000);

  it('raises a desktop notification and a tone for a new urgent pupil, and counts them in the tab title', async () => {
    const sam = await adviser('sam', true);
    const samWatch = watchPage(sam, [server.url]);
    await sam.getByText('Desktop notifications are on', { exact: false }).waitFor();
    expect(await sam.getByRole('button', { name: 'Turn on desktop notifications' }).isVisible()).toBe(false);
    await sam.getByLabel('Play a sound for urgent and high-priority pupils').check();
    const tonesBefore = Number(await sam.evaluate('window.__tones'));
    expect(tonesBefore).toBeGreaterThan(0); // the sample tone on ticking it

    const pupil = await DirectLineTestClient.start(server.url);
    await pupil.poll();
    await pupil.send('i want to kill myself');
    await sam.getByRole('alert').filter({ hasText: 'URGENT' }).waitFor({ timeout: 10_000 });
    const raised = await waitForNotification(sam, 'Urgent: a pupil needs an adviser now');
    expect(raised.tag).toBe(pupil.conversationId);
    expect(raised.body).toContain('crisis');
    expect(raised.body).not.toContain('kill');
    expect(Number(await sam.evaluate('window.__tones'))).toBeGreaterThan(tonesBefore);
    expect(await sam.title()).toMatch(/^\(\d+ waiting, 1 urgent\) Adviser console$/);
    expect(await axeViolations(sam)).toEqual([]);
    expect(samWatch).toEqual({ errors: [], outside: [] });
  }, 60_000);
});
