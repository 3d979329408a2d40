import { randomBytes } from 'node:crypto';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { AdviserAccounts } from '../../adapters/adviser/accounts';
import { axeViolations } from '../support/axe';
import { launchChromium } from '../support/browser';
import { consoleContext, signIn, waitForNotification, watchPage } from '../support/consoleBrowser';
import { content } from '../support/contentText';
import { DirectLineTestClient } from '../support/directLineClient';
import { startInProcess, type InProcessServer } from '../support/inProcessServer';
import { startRedisServer, type RedisServer } from '../support/redisServer';

const PASSWORD = 'a-long-test-password-1';
const IN_HOURS = '2026-11-24T10:00:00Z';
const text = (id: string) => content.answer(id).text;

/**
 * Transfer and re-open in real Chromium, across two instances on one real redis-server: Sam's
 * console on instance A passes a conversation to Alex, whose console on instance B is told (a
 * notification) and holds it; Alex closes it, finds it among the closed and re-opens it.
 */
describe('transfer and re-open across two instances', () => {
  let redis: RedisServer;
  let a: InProcessServer;
  let b: InProcessServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    redis = await startRedisServer();
    const env = { REDIS_URL: redis.url, REDIS_KEY_PREFIX: `transfer-${randomBytes(3).toString('hex')}:`, BOT_CLOCK: IN_HOURS, ADVISER_USERNAME: 'sam', ADVISER_PASSWORD: PASSWORD };
    [a, b] = await Promise.all([startInProcess(env), startInProcess(env)]);
    await new AdviserAccounts(a.runtime.stores.keyValue).upsert('alex', PASSWORD);
    browser = await launchChromium();
  }, 30_000);
  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await a?.close();
    await b?.close();
    await redis?.destroy();
  });

  const console = async (server: InProcessServer, username: string): Promise<Page> => {
    const context = await consoleContext(browser, { notifications: true });
    contexts.push(context);
    const page = await context.newPage();
    await signIn(page, server.url, username, PASSWORD);
    return page;
  };

  it('moves ownership from an adviser on one instance to an adviser on the other, then re-opens after a close', async () => {
    const sam = await console(a, 'sam');
    const alex = await console(b, 'alex');
    const watches = [watchPage(sam, [a.url]), watchPage(alex, [b.url])];
    const pupil = await DirectLineTestClient.start(b.url);
    await pupil.poll();
    await pupil.send('I need an adviser');
    await pupil.waitForBot((activity) => Boolean(activity.suggestedActions));
    await pupil.send(text('button.yes'));

    // --- Sam (instance A) claims it and passes it to Alex with a note
    await sam.locator(`#queue-body tr[data-conversation-id="${pupil.conversationId}"] button`).click({ timeout: 10_000 });
    await sam.getByRole('button', { name: 'Claim this conversation' }).click();
    await sam.getByText('Claimed by you.', { exact: false }).first().waitFor();
    const passTo = sam.getByLabel('Pass to');
    await sam.locator('#transfer-to option[value="alex"]').waitFor({ state: 'attached', timeout: 10_000 });
    expect(await passTo.locator('option').allInnerTexts()).toEqual(['Back to the queue', 'alex (available)']);
    expect(await axeViolations(sam)).toEqual([]);
    await passTo.selectOption('alex');
    await sam.getByLabel('Note for the next adviser (optional, private)').fill('Wants to talk about nursing; has a GCSE science question.');
    await sam.getByRole('button', { name: 'Pass it on' }).click();
    await sam.getByRole('status').filter({ hasText: 'Conversation passed to alex.' }).waitFor();
    await sam.locator(`#queue-body tr[data-conversation-id="${pupil.conversationId}"]`).getByText('Claimed by alex').waitFor({ timeout: 10_000 });

    // --- Alex's console (instance B) is told and holds it
    expect((await waitForNotification(alex, 'A conversation was passed to you')).tag).toBe(pupil.conversationId);
    const row = alex.locator(`#queue-body tr[data-conversation-id="${pupil.conversationId}"]`);
    await row.getByText('Claimed by you').waitFor();
    await row.getByRole('button', { name: /^Open conversation/ }).click();
    await alex.locator('#notes-list').getByText('Passed it to alex.').waitFor();
    await alex.locator('#notes-list').getByText('Wants to talk about nursing', { exact: false }).waitFor();
    const box = alex.getByLabel('Message to the pupil');
    expect(await box.isEnabled()).toBe(true);
    await box.fill('Hello, I am Alex. Sam told me about nursing.');
    await alex.keyboard.press('Control+Enter');
    await pupil.waitForBot((activity) => activity.text === 'Hello, I am Alex. Sam told me about nursing.');
    expect(pupil.seen.map((activity) => activity.text)).toContain(text('handoff.adviser-changed'));

    // --- Alex closes it, then finds it among the closed and re-opens it
    await alex.getByRole('button', { name: 'Close conversation' }).click();
    await alex.getByRole('status').filter({ hasText: 'Conversation closed' }).waitFor();
    await alex.getByLabel('Status', { exact: true }).selectOption('closed');
    const closedRow = alex.locator(`#closed-body tr[data-conversation-id="${pupil.conversationId}"]`);
    await closedRow.waitFor({ timeout: 10_000 });
    expect(await closedRow.innerText()).toContain('by alex');
    expect(await axeViolations(alex)).toEqual([]);
    await closedRow.getByRole('button', { name: /^Open closed conversation/ }).click();
    await alex.getByText('This conversation is closed.', { exact: false }).first().waitFor();
    await alex.getByRole('button', { name: 'Re-open this conversation' }).click();
    await alex.getByText('Conversation re-opened and claimed by you.', { exact: false }).waitFor();
    await pupil.waitForBot((activity) => activity.text === text('handoff.adviser-rejoined'));
    expect(await alex.getByLabel('Message to the pupil').isEnabled()).toBe(true);
    // Sam's console (still on the queue, on the other instance) sees it held by Alex again
    await sam.locator(`#queue-body tr[data-conversation-id="${pupil.conversationId}"]`).getByText('Claimed by alex').waitFor({ timeout: 10_000 });
    expect(watches).toEqual([
      { errors: [], outside: [] },
      { errors: [], outside: [] },
    ]);
  }, 120_000);
});
