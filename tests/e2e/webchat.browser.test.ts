import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../support/browser';
import { startInProcess, type InProcessServer } from '../support/inProcessServer';
import { overviewText, routedText } from '../support/contentText';

const firstLine = (text: string) => text.split('\n')[0].slice(0, 60);
const artifacts = path.resolve(__dirname, '..', '..', 'test-artifacts');

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

    await page.goto(`${server.url}/`);
    await page.getByText('not a person', { exact: false }).first().waitFor({ timeout: 15_000 });
    await page.getByRole('button', { name: 'Apprenticeships' }).first().waitFor();

    const input = page.locator('[data-id="webchat-sendbox-input"]');
    await input.fill('how does ucas work?');
    await input.press('Enter');
    await page.getByText(firstLine(routedText('how does ucas work?'))).first().waitFor({ timeout: 10_000 });
    // Web Chat marks a message "Send failed" if its echo never comes back.
    await page.waitForTimeout(300);
    expect(await page.getByText(/send failed/i).count()).toBe(0);

    await input.fill('menu');
    await input.press('Enter');
    await page.getByRole('button', { name: 'Getting a job' }).last().waitFor();
    await page.getByRole('button', { name: 'Getting a job' }).last().click();
    await page.getByText(firstLine(overviewText('jobs'))).first().waitFor({ timeout: 10_000 });

    await page.screenshot({ path: path.join(artifacts, 'webchat.png') });
    expect(outside).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });
});
