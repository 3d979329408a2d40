import type { Browser, BrowserContext } from 'playwright-core';
import { axeViolations } from '../support/axe';
import { launchChromium } from '../support/browser';
import { consoleContext, signIn, watchPage } from '../support/consoleBrowser';
import { content } from '../support/contentText';
import { DirectLineTestClient } from '../support/directLineClient';
import { startInProcess, type InProcessServer } from '../support/inProcessServer';

const PASSWORD = 'a-long-test-password-1';
const IN_HOURS = '2026-11-24T10:00:00Z';
const text = (id: string) => content.answer(id).text;

/**
 * Saved replies, search and filters and the keyboard, in real Chromium: an adviser keeps a saved
 * reply, finds a pupil with the filters, opens, claims, inserts a saved reply by "/" and sends it
 * and closes, all from the keyboard; the pupil gets the reply with its placeholders filled in.
 */
describe('saved replies, filters and shortcuts in the adviser console', () => {
  let server: InProcessServer;
  let browser: Browser;
  let context: BrowserContext;

  beforeAll(async () => {
    server = await startInProcess({ ADVISER_USERNAME: 'sam', ADVISER_PASSWORD: PASSWORD, BOT_CLOCK: IN_HOURS });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await server?.close();
  });

  const queued = async (says: string) => {
    const pupil = await DirectLineTestClient.start(server.url);
    await pupil.poll();
    await pupil.send(says);
    await pupil.waitForBot((activity) => Boolean(activity.suggestedActions));
    await pupil.send(text('button.yes'));
    await pupil.waitForBot((activity) => /^Done\./.test(activity.text ?? ''));
    return pupil;
  };

  it('keeps a saved reply, filters the queue, and claims, inserts, sends and closes by keyboard', async () => {
    context = await consoleContext(browser);
    const page = await context.newPage();
    const seen = watchPage(page, [server.url]);
    await signIn(page, server.url, 'sam', PASSWORD);

    // --- a saved reply of Sam's own, shared with every adviser
    await page.getByRole('button', { name: 'Saved replies' }).click();
    await page.getByRole('heading', { name: 'Saved replies' }).waitFor();
    await page.getByRole('cell', { name: '/bursary', exact: true }).waitFor();
    expect(await page.locator('#replies-body').innerText()).toContain('Read-only');
    await page.getByLabel('Name (what you type after /)').fill('taster-day');
    await page.getByLabel('Title').fill('Taster day');
    await page.getByLabel('Text', { exact: true }).fill('<script>alert(1)</script>');
    await page.getByRole('button', { name: 'Save reply' }).click();
    await page.locator('#replies-error').getByText('must not contain markup').waitFor();
    await page.getByLabel('Text', { exact: true }).fill('The college taster day is on Friday. Ask at {school} for a place.');
    await page.getByRole('button', { name: 'Save reply' }).click();
    await page.getByRole('cell', { name: '/taster-day', exact: true }).waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await page
      .getByRole('button', { name: /Back to the queue/ })
      .first()
      .click();

    // --- two pupils; the filters find the young carer
    const asked = await queued('can I speak to an actual person');
    const carer = await queued('i look after my mum every day after school');
    const rows = page.locator('#queue-body tr');
    await page.locator(`#queue-body tr[data-conversation-id="${carer.conversationId}"]`).waitFor({ timeout: 10_000 });
    expect(await rows.count()).toBe(2);
    await page.getByLabel('Flag').selectOption({ label: 'Young carer' });
    await page.getByText('Showing 1 of 2', { exact: false }).waitFor();
    expect(await rows.first().getAttribute('data-conversation-id')).toBe(carer.conversationId);
    await page.getByRole('button', { name: 'Clear filters' }).click();
    // "/" goes to the search box; a word of the summary finds the other pupil
    await page.getByRole('heading', { name: 'Pupils waiting for an adviser' }).focus();
    await page.keyboard.press('/');
    expect(await page.evaluate('document.activeElement && document.activeElement.id')).toBe('filter-text');
    await page.keyboard.type('asked for an adviser');
    await page.getByText('Showing 1 of 2', { exact: false }).waitFor();
    expect(await rows.first().getAttribute('data-conversation-id')).toBe(asked.conversationId);
    await page.getByLabel('Status', { exact: true }).selectOption('waiting');
    expect(await axeViolations(page)).toEqual([]);

    // --- open with the keyboard, claim with Alt+Shift+C
    await rows
      .first()
      .getByRole('button', { name: /^Open conversation/ })
      .focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Conversation with a pupil' }).waitFor();
    await page.keyboard.press('Alt+Shift+C');
    await page.getByText('Claimed by you.', { exact: false }).first().waitFor();
    await asked.waitForBot((activity) => activity.text === text('handoff.adviser-joined'));

    // --- "/" and a name in the message box: a list of saved replies; Enter inserts, filled in
    const box = page.getByLabel('Message to the pupil');
    await box.focus();
    await page.keyboard.type('Hello! /burs');
    const list = page.getByRole('listbox', { name: 'Saved replies' });
    await list.getByRole('option', { name: /\/bursary/ }).waitFor();
    expect(await list.getByRole('option').count()).toBe(1);
    expect(await axeViolations(page)).toEqual([]);
    await page.keyboard.press('Enter');
    expect(await list.isVisible()).toBe(false);
    const bursary = (await box.inputValue()).replace(/^Hello! /, '');
    expect(bursary).toContain('16 to 19 Bursary Fund');
    expect(bursary).not.toContain('{school}');
    await page.keyboard.type('\n/tast');
    await list.getByRole('option', { name: /\/taster-day/ }).waitFor();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Tab');
    const message = await box.inputValue();
    expect(message).toMatch(/The college taster day is on Friday\. Ask at .+ for a place\.$/);
    expect(message).not.toContain('{school}');

    // --- Ctrl+Enter sends; the pupil gets the words as inserted
    await page.keyboard.press('Control+Enter');
    await page.getByRole('status').filter({ hasText: 'Message sent to the pupil.' }).waitFor();
    const delivered = await asked.waitForBot((activity) => (activity.text ?? '').startsWith('Hello! '));
    expect(delivered.text).toBe(message);

    // --- Alt+Shift+X closes with the outcome chosen
    await page.getByLabel('Outcome').selectOption('referred-on');
    await page.keyboard.press('Alt+Shift+X');
    await page.getByRole('status').filter({ hasText: 'Conversation closed (outcome: referred on)' }).waitFor();
    await asked.waitForBot((activity) => activity.text === text('handoff.adviser-left'));
    expect(seen).toEqual({ errors: [], outside: [] });
  }, 120_000);
});
