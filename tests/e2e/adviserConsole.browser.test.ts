import { readdirSync, readFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { AxeResults } from 'axe-core';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { AdviserAccounts } from '../../adapters/adviser/accounts';
import { AdviserSessions } from '../../adapters/adviser/sessions';
import { launchChromium } from '../support/browser';
import { content, overviewText } from '../support/contentText';
import { DirectLineTestClient } from '../support/directLineClient';
import { startInProcess, type InProcessServer } from '../support/inProcessServer';

const USERNAME = 'sam.adviser';
const PASSWORD = 'a-long-test-password-1';
const artifacts = path.resolve(__dirname, '..', '..', 'test-artifacts');
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const firstLine = (text: string) => text.split('\n')[0].slice(0, 60);
/** Any hand-off confirmation: an adviser online now, in adviser hours, or out of hours ("Advisers are away right now..."). */
const queuedTexts = ['handoff.queued-online', 'handoff.queued', 'handoff.queued-out-of-hours'].map((id) => content.answer(id).text.split('{')[0].split('\n')[0].slice(0, 60));

/** What a page did that it should not: errors, CSP violations, requests off this server, dialogs. */
interface Watch {
  errors: string[];
  outside: string[];
  dialogs: string[];
}

function watch(page: Page, serverUrl: string): Watch {
  const seen: Watch = { errors: [], outside: [], dialogs: [] };
  page.on('pageerror', (error) => seen.errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy|Refused to/i.test(message.text())) seen.errors.push(message.text());
  });
  page.on('request', (request) => {
    const url = request.url();
    if (!url.startsWith(serverUrl) && !url.startsWith('ws://127.0.0.1') && !/^(data|blob):/.test(url)) seen.outside.push(url);
  });
  page.on('dialog', (dialog) => {
    seen.dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  return seen;
}

/**
 * axe-core over the whole page, WCAG 2.x A/AA and best practice. The console's CSP forbids
 * inline script, so axe is evaluated through the DevTools protocol (which CSP does not govern)
 * rather than page.addScriptTag, whose inline <script> the page's own policy would refuse.
 */
async function axeViolations(page: Page): Promise<{ id: string; impact?: string | null; help: string; targets: string[] }[]> {
  const loaded = await page.evaluate('typeof window.axe === "object"');
  if (!loaded) await page.evaluate(axeSource);
  const results = (await page.evaluate('window.axe.run(document, { resultTypes: ["violations"] })')) as AxeResults;
  return results.violations.map((violation) => ({
    id: violation.id,
    impact: violation.impact,
    help: violation.help,
    targets: violation.nodes.map((node) => `${node.target.join(' ')} :: ${node.failureSummary ?? ''}`),
  }));
}

describe('the adviser console in a real browser', () => {
  let server: InProcessServer;
  let browser: Browser;
  let pupilContext: BrowserContext;
  let adviserContext: BrowserContext;

  beforeAll(async () => {
    server = await startInProcess({ ADVISER_USERNAME: USERNAME, ADVISER_PASSWORD: PASSWORD });
    browser = await launchChromium();
    mkdirSync(artifacts, { recursive: true });
  });
  afterAll(async () => {
    await pupilContext?.close();
    await adviserContext?.close();
    await browser?.close();
    await server?.close();
  });

  it('refuses the adviser API without a login', async () => {
    const queue = await fetch(`${server.url}/api/adviser/queue`);
    expect(queue.status).toBe(401);
    const session = await fetch(`${server.url}/api/adviser/session`);
    expect(session.status).toBe(401);
  });

  it('serves the console with a strict policy and nothing inline', async () => {
    const response = await fetch(`${server.url}/adviser`);
    expect(response.status).toBe(200);
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    const html = await response.text();
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/i);
    expect(html).not.toMatch(/\sstyle=|<style|\son[a-z]+=/i);
    // Every module of the console's bundle, as written (the bundle is made from them).
    const sources = path.resolve(__dirname, '..', '..', 'adapters', 'adviser', 'console');
    const modules = readdirSync(sources).filter((file) => file.endsWith('.ts'));
    expect(modules.length).toBeGreaterThan(5);
    for (const file of modules) {
      const script = readFileSync(path.join(sources, file), 'utf8');
      expect({ file, unsafe: script.match(/\.(innerHTML|outerHTML)\s*[+]?=|insertAdjacentHTML\(|document\.write|\beval\(|new Function|setAttribute\(\s*'style'|\.style\./g) }).toEqual({
        file,
        unsafe: null,
      });
    }
    const served = await fetch(`${server.url}/adviser/console.js`);
    expect(served.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(await served.text()).toContain('Claim this conversation');
  });

  it('lets an adviser take a pupil from Web Chat, talk, keep a note and hand back to the bot', async () => {
    // --- the pupil asks for a person in Web Chat
    pupilContext = await browser.newContext({ viewport: { width: 1280, height: 720 } });
    const pupil = await pupilContext.newPage();
    const pupilWatch = watch(pupil, server.url);
    await pupil.goto(`${server.url}/`);
    await pupil.locator('#webchat').getByText('not a person', { exact: false }).first().waitFor({ timeout: 15_000 });
    const pupilInput = pupil.locator('[data-id="webchat-sendbox-input"]');
    const pupilSays = async (text: string) => {
      await pupilInput.fill(text);
      await pupilInput.press('Enter');
    };
    await pupilSays('can I speak to an actual person');
    await pupil.getByRole('button', { name: 'Yes please' }).last().waitFor({ timeout: 10_000 });
    await pupil.getByRole('button', { name: 'Yes please' }).last().click();
    await pupil.getByText(queuedTexts[0]).or(pupil.getByText(queuedTexts[1])).or(pupil.getByText(queuedTexts[2])).first().waitFor({ timeout: 10_000 });

    // --- the adviser signs in
    adviserContext = await browser.newContext({ viewport: { width: 1280, height: 720 } });
    const adviser = await adviserContext.newPage();
    const adviserWatch = watch(adviser, server.url);
    await adviser.goto(`${server.url}/adviser`);
    await adviser.getByRole('heading', { name: 'Sign in' }).waitFor();
    expect(await adviser.title()).toBe('Adviser console');
    expect(await axeViolations(adviser)).toEqual([]);
    await adviser.screenshot({ path: path.join(artifacts, 'adviser-login.png') });

    await adviser.getByLabel('Username').fill(USERNAME);
    await adviser.getByLabel('Password').fill('not-the-password-at-all');
    await adviser.getByRole('button', { name: 'Sign in' }).click();
    await adviser.getByRole('alert').filter({ hasText: 'Sign-in failed' }).waitFor();

    // keyboard only: type the password and press Enter
    await adviser.getByLabel('Password').fill(PASSWORD);
    await adviser.getByLabel('Password').press('Enter');
    const queueHeading = adviser.getByRole('heading', { name: 'Pupils waiting for an adviser' });
    await queueHeading.waitFor();
    await expectVisibleText(adviser, `Signed in as ${USERNAME}`);

    // a reload keeps the session (GET /api/adviser/session)
    await adviser.reload();
    await queueHeading.waitFor();

    // --- the queue shows the pupil's request
    const openButton = adviser.getByRole('button', { name: /^Open conversation/ });
    await openButton.first().waitFor({ timeout: 10_000 });
    expect(await openButton.count()).toBe(1);
    const row = adviser.locator('#queue-body tr').first();
    await expectText(row, 'Standard');
    await expectText(row, 'Asked for an adviser');
    await expectText(row, 'Web chat');
    await expectText(row, 'Waiting');
    expect(await row.innerText()).toMatch(/under 1 min|\d+ min/);
    expect(await axeViolations(adviser)).toEqual([]);
    await adviser.screenshot({ path: path.join(artifacts, 'adviser-queue.png') });

    // --- open it with the keyboard, and claim it
    // the 3-second refresh leaves the keyboard focus where it was
    await openButton.first().focus();
    await adviser.waitForTimeout(3_500);
    expect(await adviser.evaluate('document.activeElement && document.activeElement.classList.contains("queue__open")')).toBe(true);
    await adviser.keyboard.press('Enter');
    await adviser.getByRole('heading', { name: 'Conversation with a pupil' }).waitFor();
    const transcript = adviser.getByRole('log', { name: 'Transcript' });
    await transcript.getByText('can I speak to an actual person').waitFor({ timeout: 10_000 });
    await expectText(transcript, 'Pupil');
    await expectText(transcript, 'Bot');
    expect(await adviser.getByLabel('Message to the pupil').isDisabled()).toBe(true);

    await adviser.getByRole('button', { name: 'Claim this conversation' }).click();
    await adviser.getByText('Claimed by you.', { exact: false }).first().waitFor();
    await pupil
      .getByText(firstLine(content.answer('handoff.adviser-joined').text))
      .first()
      .waitFor({ timeout: 10_000 });

    // --- the adviser says hello; the pupil sees it
    const messageBox = adviser.getByLabel('Message to the pupil');
    expect(await messageBox.isEnabled()).toBe(true);
    await messageBox.fill("Hi, I'm Sam, a careers adviser");
    await adviser.getByRole('button', { name: 'Send', exact: true }).click();
    await pupil.getByText("Hi, I'm Sam, a careers adviser").first().waitFor({ timeout: 10_000 });
    await transcript.getByText("Hi, I'm Sam, a careers adviser").waitFor({ timeout: 10_000 });

    // --- the pupil replies; it appears in the console without a reload
    await pupilSays('thanks, I want to be a vet');
    await transcript.getByText('thanks, I want to be a vet').waitFor({ timeout: 10_000 });

    // --- markup from the pupil is shown as text, never run
    const payload = '<img src=x onerror="window.__xss=1">';
    await pupilSays(payload);
    await transcript.getByText(payload, { exact: true }).waitFor({ timeout: 10_000 });
    await pupilSays('<script>window.__xss=2</script>');
    await transcript.getByText('<script>window.__xss=2</script>', { exact: true }).waitFor({ timeout: 10_000 });
    await adviser.waitForTimeout(500);
    expect(await adviser.evaluate('typeof window.__xss')).toBe('undefined');
    expect(await adviser.locator('#transcript img, #transcript script').count()).toBe(0);

    expect(await axeViolations(adviser)).toEqual([]);
    await adviser.evaluate('window.scrollTo(0, 0)');
    await adviser.screenshot({ path: path.join(artifacts, 'adviser-conversation.png') });

    // --- a private note: kept in the console, never sent to the pupil
    const note = 'Interested in veterinary science; check GCSE science grades next time.';
    await adviser.getByLabel('Private note', { exact: true }).fill(note);
    await adviser.getByRole('button', { name: 'Save note' }).click();
    await adviser.locator('#notes-list').getByText(note).waitFor({ timeout: 10_000 });

    // --- close as resolved; the pupil is told and is back with the bot
    await adviser.getByLabel('Outcome').selectOption('resolved');
    await adviser.getByRole('button', { name: 'Close conversation' }).click();
    await queueHeading.waitFor();
    await adviser.getByRole('status').filter({ hasText: 'Conversation closed (outcome: resolved)' }).waitFor();
    await adviser.getByText('Nobody is waiting.', { exact: false }).waitFor({ timeout: 10_000 });

    await pupil
      .getByText(firstLine(content.answer('handoff.adviser-left').text))
      .first()
      .waitFor({ timeout: 10_000 });
    const apprenticeships = pupil.getByText(firstLine(overviewText('apprenticeships')));
    const before = await apprenticeships.count();
    await pupilSays('Apprenticeships');
    await apprenticeships.nth(before).waitFor({ timeout: 10_000 });
    expect(await pupil.getByText(note).count()).toBe(0);
    expect(await pupil.evaluate('typeof window.__xss')).toBe('undefined');
    await pupil.screenshot({ path: path.join(artifacts, 'adviser-pupil-view.png') });

    // --- a new urgent conversation raises an alert and changes the title
    const inCrisis = await DirectLineTestClient.start(server.url);
    await inCrisis.poll();
    await inCrisis.send('i just want to kms tbh');
    await adviser.getByRole('alert').filter({ hasText: 'URGENT' }).waitFor({ timeout: 10_000 });
    expect(await adviser.title()).toBe('(1 waiting, 1 urgent) Adviser console');
    const urgentRow = adviser.locator('#queue-body tr').first();
    await expectText(urgentRow, 'URGENT');
    await expectText(urgentRow, 'Crisis');
    expect(await axeViolations(adviser)).toEqual([]);
    await adviser.screenshot({ path: path.join(artifacts, 'adviser-urgent.png') });

    // the banner opens it
    await adviser.getByRole('button', { name: 'Open it' }).click();
    await adviser.getByRole('heading', { name: 'Conversation with a pupil' }).waitFor();
    await adviser.getByRole('log', { name: 'Transcript' }).getByText('i just want to kms tbh').waitFor({ timeout: 10_000 });
    expect(await adviser.locator('#conversation-priority').innerText()).toBe('URGENT');

    // --- signing out ends the session
    await adviser.getByRole('button', { name: 'Sign out' }).click();
    await adviser.getByRole('heading', { name: 'Sign in' }).waitFor();
    expect(await adviser.evaluate('fetch("/api/adviser/queue").then((r) => r.status)')).toBe(401);

    expect(adviserWatch).toEqual({ errors: [], outside: [], dialogs: [] });
    expect(pupilWatch.dialogs).toEqual([]);
    expect(pupilWatch.outside).toEqual([]);
  }, 120_000);

  it('shows who has it when another adviser claimed the conversation first (409)', async () => {
    await new AdviserAccounts(server.runtime.stores.keyValue).upsert('alex.adviser', 'another-long-password-2');
    const pupil = await DirectLineTestClient.start(server.url);
    await pupil.poll();
    await pupil.send('I need an adviser');
    await pupil.waitForBot();
    await pupil.send('Yes please');
    await pupil.waitForBot((activity) => queuedTexts.some((text) => (activity.text ?? '').startsWith(text)));

    const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
    const page = await context.newPage();
    const seen = watch(page, server.url);
    await page.goto(`${server.url}/adviser`);
    await page.getByLabel('Username').fill(USERNAME);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator(`#queue-body tr[data-conversation-id="${pupil.conversationId}"] button`).click();
    const claim = page.getByRole('button', { name: 'Claim this conversation' });
    await claim.waitFor();

    // Alex claims it through the API while Sam is looking at it
    const login = await fetch(`${server.url}/api/adviser/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'alex.adviser', password: 'another-long-password-2' }),
    });
    const { csrfToken } = (await login.json()) as { csrfToken: string };
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0];
    const claimed = await fetch(`${server.url}/api/adviser/conversations/${encodeURIComponent(pupil.conversationId)}/claim`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrfToken },
      body: '{}',
    });
    expect(claimed.status).toBe(200);

    // Sam's click gets the 409 (or the live update gets there first): either way it says who
    await claim.click({ timeout: 1_000 }).catch(() => undefined);
    await page.locator('#conversation-view').getByText('Claimed by alex.adviser', { exact: false }).first().waitFor({ timeout: 10_000 });
    expect(await page.getByLabel('Message to the pupil').isDisabled()).toBe(true);
    expect(await claim.isVisible()).toBe(false);
    expect(seen.errors).toEqual([]);
    await context.close();
  }, 60_000);

  const signIn = async (page: Page) => {
    await page.goto(`${server.url}/adviser`);
    await page.getByLabel('Username').fill(USERNAME);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Pupils waiting for an adviser' }).waitFor();
  };

  it('shows sign-in again when the session ends on the server (the idle timeout) while the console is open', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
    const page = await context.newPage();
    const seen = watch(page, server.url);
    await signIn(page);

    // the idle timeout, as the server sees it: the session is gone; the console's event stream is told
    const cookie = (await context.cookies()).find((candidate) => candidate.name === 'adviser_session');
    await new AdviserSessions(server.runtime.stores.keyValue, 60_000).destroy(cookie?.value);
    await page.getByRole('alert').filter({ hasText: 'Your session has ended' }).waitFor({ timeout: 10_000 });
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    expect(seen.errors).toEqual([]);
    await context.close();
  }, 60_000);

  it('polls the API when the event stream cannot be opened, and a 401 there shows sign-in again', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
    const page = await context.newPage();
    await page.route('**/api/adviser/events**', (route) => route.fulfill({ status: 503, body: '' }));
    await signIn(page);
    await page.getByText('checking every few seconds', { exact: false }).waitFor({ timeout: 10_000 });

    // a pupil joins: the polling console shows them
    const pupil = await DirectLineTestClient.start(server.url);
    await pupil.poll();
    await pupil.send('I need an adviser');
    await pupil.waitForBot();
    await pupil.send('Yes please');
    await page.locator(`#queue-body tr[data-conversation-id="${pupil.conversationId}"]`).waitFor({ timeout: 10_000 });

    // the cookie is gone (it expired in the browser): the next poll gets 401
    await context.clearCookies();
    await page.getByRole('alert').filter({ hasText: 'Your session has ended' }).waitFor({ timeout: 10_000 });
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await context.close();
  }, 60_000);
});

async function expectText(locator: { innerText(): Promise<string> }, text: string): Promise<void> {
  expect(await locator.innerText()).toContain(text);
}

async function expectVisibleText(page: Page, text: string): Promise<void> {
  await page.getByText(text, { exact: false }).first().waitFor({ state: 'visible' });
}
