import { readFileSync } from 'node:fs';
import type { Browser, BrowserContext } from 'playwright-core';
import { londonIsoWeek } from '../../bot/insights/isoWeek';
import { AdviserTools } from '../support/adviserClient';
import { axeViolations } from '../support/axe';
import { launchChromium } from '../support/browser';
import { consoleContext, signIn, watchPage, webChatPupil } from '../support/consoleBrowser';
import { content } from '../support/contentText';
import { DirectLineTestClient } from '../support/directLineClient';
import { startInProcess, type InProcessServer } from '../support/inProcessServer';

const PASSWORD = 'a-long-test-password-1';
const NOW = '2026-11-24T10:00:00Z';
const text = (id: string) => content.answer(id).text;

/**
 * Pupils' feedback in real Chromium: a thumb pressed under one of the bot's answers in Web Chat,
 * the faces after an adviser closes, and both in the school's insights page and its CSV, counted
 * and suppressed under five like every other figure.
 */
describe("pupils' feedback from Web Chat to the insights", () => {
  let server: InProcessServer;
  let browser: Browser;
  let sam: AdviserTools;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    server = await startInProcess({ ADVISER_USERNAME: 'sam', ADVISER_PASSWORD: PASSWORD, BOT_CLOCK: NOW });
    sam = new AdviserTools(server.url);
    await sam.login('sam');
    browser = await launchChromium();
  });
  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await server?.close();
  });

  const counts = async () => (await server.runtime.stores.insights.read('default', londonIsoWeek(new Date(NOW)))).counts;
  const closeFor = async (conversationId: string) => {
    expect((await sam.post(`/conversations/${conversationId}/claim`)).status).toBe(200);
    expect((await sam.post(`/conversations/${conversationId}/close`, { outcome: 'resolved' })).status).toBe(200);
  };

  it('takes a thumb on an answer and a face after an adviser closes, and shows them in the insights and CSV', async () => {
    const pupil = await webChatPupil(browser, `${server.url}/`);
    contexts.push(pupil.context);
    const watch = watchPage(pupil.page, [server.url]);

    // --- a thumb up under one of the bot's answers
    await pupil.say('Apprenticeships');
    await pupil.page.locator('#webchat').getByText(text('apprenticeships.overview').split('\n')[0], { exact: false }).first().waitFor({ timeout: 10_000 });
    const like = pupil.page.getByRole('button', { name: 'Like', exact: true }).last();
    await like.waitFor();
    await like.click();
    for (let tries = 0; tries < 50 && !(await counts())['feedback:answer:up']; tries += 1) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await counts()).toMatchObject({ 'feedback:answer:up': 1 });

    // --- the adviser closes; the pupil is asked, taps a face, and is thanked
    await pupil.say('can I speak to an actual person');
    await pupil.page
      .getByRole('button', { name: text('button.yes') })
      .last()
      .click({ timeout: 10_000 });
    await pupil.page.locator('#webchat').getByText('Done.', { exact: false }).first().waitFor({ timeout: 10_000 });
    const { items } = (await (await sam.get('/queue')).json()) as { items: { conversationId: string }[] };
    await closeFor(items[0].conversationId);
    await pupil.page.locator('#webchat').getByText(text('feedback.adviser-question').split('.')[0], { exact: false }).first().waitFor({ timeout: 10_000 });
    await pupil.page
      .getByRole('button', { name: text('feedback.face-helped') })
      .last()
      .click();
    await pupil.page.locator('#webchat').getByText(text('feedback.thanks').split('.')[0], { exact: false }).first().waitFor({ timeout: 10_000 });
    expect(await counts()).toMatchObject({ 'feedback:adviser:helped': 1 });
    expect(watch.errors).toEqual([]);

    // --- four more pupils say it helped (through the channel), so that figure is shown as a number
    for (let n = 0; n < 4; n += 1) {
      const other = await DirectLineTestClient.start(server.url);
      await other.send('I need an adviser');
      await other.send(text('button.yes'));
      await other.poll();
      await closeFor(other.conversationId);
      await other.waitForBot((activity) => activity.text === text('feedback.adviser-question'));
      await other.send(text('feedback.face-helped'));
      await other.waitForBot((activity) => activity.text === text('feedback.thanks'));
    }

    // --- the insights page shows them: five who said it helped, one thumb up as "<5"
    const context = await consoleContext(browser);
    contexts.push(context);
    const page = await context.newPage();
    const seen = watchPage(page, [server.url]);
    await signIn(page, server.url, 'sam', PASSWORD);
    await page.getByRole('link', { name: 'Insights' }).click();
    const valueOf = (figure: string) => page.locator(`tr[data-figure="${figure}"] .figures__value`).innerText();
    await page.locator('tr[data-figure="feedback:adviser:helped"]').waitFor();
    expect(await valueOf('feedback:adviser:helped')).toBe('5');
    expect(await valueOf('feedback:answer:up')).toBe('<5');
    expect(await valueOf('feedback:adviser:not-helped')).toBe('0');
    expect(await page.locator('table[data-chart="feedback"] caption').innerText()).toContain('What pupils said about the help');
    expect(await axeViolations(page)).toEqual([]);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download CSV' }).click()]);
    const csv = readFileSync(await download.path(), 'utf8');
    expect(csv).toContain('feedback:adviser:helped,After an adviser chat: it helped,5,responses');
    expect(csv).toContain("feedback:answer:up,The bot's answers: thumbs up,<5,responses");
    expect(seen).toEqual({ errors: [], outside: [] });
  }, 120_000);
});
