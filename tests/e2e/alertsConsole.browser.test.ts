import { readFileSync } from 'node:fs';
import type { AxeResults } from 'axe-core';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../support/browser';
import { SECRET } from '../support/alertsHarness';
import { DirectLineTestClient } from '../support/directLineClient';
import { startInProcess, type InProcessServer } from '../support/inProcessServer';
import { WebhookReceiver } from '../support/webhookReceiver';

const USERNAME = 'sam.adviser';
const PASSWORD = 'a-long-test-password-1';
/** A year before this test runs: a console counting the wait by its own clock would say hundreds of days. */
const BOT_CLOCK = new Date(Date.now() - 365 * 86_400_000).toISOString();
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

async function axeViolations(page: Page): Promise<{ id: string; targets: string[] }[]> {
  if (!(await page.evaluate('typeof window.axe === "object"'))) await page.evaluate(axeSource);
  const results = (await page.evaluate('window.axe.run(document, { resultTypes: ["violations"] })')) as AxeResults;
  return results.violations.map((violation) => ({ id: violation.id, targets: violation.nodes.map((node) => `${node.target.join(' ')} :: ${node.failureSummary ?? ''}`) }));
}

describe('safeguarding alerts in the adviser console, in a real browser', () => {
  let receiver: WebhookReceiver;
  let server: InProcessServer;
  let browser: Browser;

  beforeAll(async () => {
    receiver = await new WebhookReceiver().start();
    server = await startInProcess(
      { SAFEGUARDING_WEBHOOK_URL: receiver.url, SAFEGUARDING_WEBHOOK_SECRET: SECRET, ADVISER_USERNAME: USERNAME, ADVISER_PASSWORD: PASSWORD, BOT_CLOCK },
      { alerts: { firstRetryMs: 60_000 } },
    );
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await receiver?.close();
  });

  const crisis = async () => {
    const pupil = await DirectLineTestClient.start(server.url);
    await pupil.poll();
    await pupil.send('i want to kill myself');
    await pupil.poll();
    return pupil;
  };

  it("opens the alert's link on the conversation after sign-in, and shows each urgent item's wait and whether its alerts were delivered", async () => {
    const delivered = await crisis();
    const [alert] = await receiver.waitFor((calls) => calls.length === 1);
    // the second pupil's alert meets a receiver that is down: it is still being tried
    receiver.respond = () => 503;
    const pending = await crisis();
    await receiver.waitFor((calls) => calls.length === 2);

    const page = await (await browser.newContext({ viewport: { width: 1280, height: 720 } })).newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    const link = new URL(String(alert.json.consoleUrl));
    expect(link.hash).toBe(`#conversation=${encodeURIComponent(delivered.conversationId)}`);
    await page.goto(`${server.url}/adviser${link.hash}`);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await page.getByLabel('Username').fill(USERNAME);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByLabel('Password').press('Enter');

    await page.getByRole('heading', { name: 'Conversation with a pupil' }).waitFor();
    expect(await page.locator('#conversation-details').innerText()).toContain('Crisis');
    expect(new URL(page.url()).hash).toBe('');
    // by the bot's clock, from the queue, once the console has it
    await page
      .locator('#conversation-details')
      .getByText(/\((under 1 min|1 min)\)/)
      .waitFor();
    expect(await axeViolations(page)).toEqual([]);

    await page.getByRole('button', { name: /Back to the queue/ }).click();
    await page.getByRole('columnheader', { name: 'Alerts' }).waitFor();
    const rowOf = (conversationId: string) => page.locator(`#queue-body tr[data-conversation-id="${conversationId}"]`);
    await rowOf(pending.conversationId).waitFor();
    const deliveredRow = await rowOf(delivered.conversationId).innerText();
    expect(deliveredRow).toContain('URGENT');
    expect(deliveredRow).toMatch(/1 of 1 delivered, last at (\d+ \w+ )?\d\d:\d\d/);
    expect(deliveredRow).toMatch(/under 1 min|\b1 min/);
    expect(await rowOf(pending.conversationId).innerText()).toContain('0 of 1 delivered, 1 still trying');
    expect(await axeViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
  }, 60_000);
});
