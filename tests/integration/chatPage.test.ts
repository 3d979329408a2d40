import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import path from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { loadConfig } from '../../adapters/config/config';
import { readAssetManifest, webAssetsDir, type AssetManifest } from '../../adapters/web/assetManifest';
import { escapeHtml } from '../../adapters/web/chatPage';
import { fill } from '../../dialogs/replies';
import { content } from '../support/contentText';
import { DirectLineTestClient, type DLActivity } from '../support/directLineClient';
import { triageExamplesPath } from '../support/sharedExamples';
import { startInProcess, type InProcessServer } from '../support/inProcessServer';

interface Raw {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** A GET that keeps the body as sent (fetch would decompress it). */
function get(url: string, headers: Record<string, string> = {}): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const sent = request(url, { headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) }));
      response.on('error', reject);
    });
    sent.on('error', reject);
    sent.end();
  });
}

function decoded(response: Raw): Buffer {
  const encoding = response.headers['content-encoding'];
  if (encoding === 'br') return brotliDecompressSync(response.body);
  if (encoding === 'gzip') return gunzipSync(response.body);
  return response.body;
}

const SCHOOLS = path.resolve(__dirname, '..', 'fixtures', 'schools');

describe('the chat page over HTTP', () => {
  let server: InProcessServer;
  let manifest: AssetManifest;

  beforeAll(async () => {
    const built = readAssetManifest();
    if (!built) throw new Error('the chat page has not been built: run npm run build first');
    manifest = built;
    server = await startInProcess();
  });
  afterAll(() => server?.close());

  const assetUrls = () => Object.values(manifest.assets).map((file) => `${server.url}/assets/${file}`);

  it('sends each file Brotli- or gzip-compressed as the browser accepts, the copies made at build time', async () => {
    for (const url of assetUrls()) {
      const plain = await get(url, { 'accept-encoding': 'identity' });
      expect(plain.status).toBe(200);
      expect(plain.headers['content-encoding']).toBeUndefined();
      const onDisk = path.join(webAssetsDir(), 'assets', path.basename(url));
      // Buffer.equals: jest's toEqual walks a megabyte bundle byte by byte.
      expect(plain.body.equals(readFileSync(onDisk))).toBe(true);

      const cases: [string, string | undefined][] = [
        ['gzip, deflate, br, zstd', 'br'],
        ['br', 'br'],
        ['gzip', 'gzip'],
        ['br;q=0, gzip', 'gzip'],
        ['deflate', undefined],
        ['', undefined],
      ];
      for (const [accept, expected] of cases) {
        const response = await get(url, { 'accept-encoding': accept });
        expect([accept, response.headers['content-encoding']]).toEqual([accept, expected]);
        expect(response.headers.vary).toMatch(/Accept-Encoding/i);
        expect(decoded(response).equals(plain.body)).toBe(true);
        // The very bytes compressed at build time: nothing is compressed per request.
        if (expected) expect(response.body.equals(readFileSync(`${onDisk}.${expected === 'br' ? 'br' : 'gz'}`))).toBe(true);
      }
      const type = (await get(url, { 'accept-encoding': 'br' })).headers['content-type'];
      expect(type).toMatch(url.endsWith('.css') ? /^text\/css/ : /^(text|application)\/javascript/);
    }
  });

  it('lets browsers keep the hashed files for a year without asking again, and revalidates the page each time', async () => {
    for (const url of assetUrls()) {
      const response = await get(url, { 'accept-encoding': 'br' });
      expect(response.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    }
    const page = await get(`${server.url}/`, { 'accept-encoding': 'br' });
    expect(page.status).toBe(200);
    expect(page.headers['content-encoding']).toBe('br');
    expect(page.headers['cache-control']).toBe('no-cache');
    const etag = String(page.headers.etag);
    expect(etag).toMatch(/^W\/"[A-Za-z0-9_-]+"$/);
    const again = await get(`${server.url}/`, { 'accept-encoding': 'br', 'if-none-match': etag });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);
    expect(decoded(await get(`${server.url}/`, { 'accept-encoding': 'gzip' })).equals(decoded(page))).toBe(true);
    expect((await get(`${server.url}/`)).body.equals(decoded(page))).toBe(true);
    // The page names its scripts by their hashed names, and carries its styles itself.
    const html = decoded(page).toString('utf8');
    expect(html).toContain(`<script defer src="/assets/${manifest.assets['page.js']}"></script>`);
    expect(html).toContain(`<script defer src="/assets/${manifest.assets['webchat.js']}"></script>`);
    expect(html).toContain(readFileSync(path.join(webAssetsDir(), 'assets', manifest.assets['page.css']), 'utf8').trim());
    expect((await get(`${server.url}/assets/no-such-file.js`)).status).toBe(404);
  });

  it('shows the greeting and the crisis contacts in the HTML itself, before any script', async () => {
    const html = decoded(await get(`${server.url}/`)).toString('utf8');
    const visible = html.replace(/<script[\s\S]*?<\/script>/g, '').replace(/<template[\s\S]*?<\/template>/g, '');
    const paragraphs = (text: string) => text.split(/\n{2,}/).map((paragraph) => escapeHtml(paragraph.trim()).replace(/\n/g, '<br />'));
    for (const paragraph of paragraphs(content.answer('welcome.intro').text)) expect(visible).toContain(paragraph);
    for (const paragraph of paragraphs(fill(content.answer('welcome.privacy').text, { retentionDays: loadConfig({ NODE_ENV: 'test' }).RETENTION_DAYS }))) expect(visible).toContain(paragraph);
    // The crisis contacts in the words of the bot's crisis replies, its "- " lines as a list.
    const contacts = content.answer('crisis.contacts');
    expect(contacts.facts.length).toBeGreaterThan(0);
    for (const line of contacts.text.split('\n').filter((text) => text.trim())) {
      expect(visible).toContain(line.startsWith('- ') ? `<li>${escapeHtml(line.slice(2).trim())}</li>` : escapeHtml(line.trim()));
    }
    // Scripts only from files, deferred, so the HTML above is painted before they run.
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/i);
    for (const tag of html.match(/<script[^>]*>/g) ?? []) expect(tag).toMatch(/\bdefer\b/);
    expect(html).not.toMatch(/\son[a-z]+=/i);
  });

  it('starts the conversation with the token, so the greeting is there when Web Chat connects', async () => {
    const response = await fetch(`${server.url}/api/webchat/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(response.status).toBe(200);
    const session = (await response.json()) as { conversationId: string; token: string; streamUrl: string };
    expect(session.streamUrl).toMatch(new RegExp(`^ws://127\\.0\\.0\\.1:\\d+/v3/directline/conversations/${session.conversationId}/stream\\?t=`));
    const activities = await fetch(`${server.url}/v3/directline/conversations/${session.conversationId}/activities`, { headers: { authorization: `Bearer ${session.token}` } });
    const { activities: sent } = (await activities.json()) as { activities: { from?: { role?: string }; text?: string }[] };
    expect(sent.filter((activity) => activity.from?.role === 'bot').map((activity) => activity.text)).toContain(content.answer('welcome.intro').text);
  });
});

describe('what the bot sends Web Chat, the minimal bundle can show', () => {
  let server: InProcessServer;

  beforeAll(async () => {
    server = await startInProcess();
  });
  afterAll(() => server?.close());

  // The page serves Web Chat's minimal bundle, which shows plain text and suggested actions but
  // neither cards nor markdown. A reply that needed them (a crisis reply as a card) would show
  // the pupil nothing, so every kind of conversation is checked here, a crisis first of all.
  it('replies in plain text with suggested actions: no cards, no markdown, nothing left blank', async () => {
    const examples = JSON.parse(readFileSync(triageExamplesPath(), 'utf8')) as { cases: { text: string; flags?: string[]; topic?: string }[] };
    const crisis = examples.cases.filter((example) => example.flags?.includes('crisis')).slice(0, 3);
    const topics = examples.cases.filter((example) => example.topic).slice(0, 3);
    expect(crisis.length).toBeGreaterThan(0);
    const conversations = [
      ...crisis.map((example) => [example.text, 'ok']),
      ...topics.map((example) => [example.text, 'tell me more']),
      ['can I talk to a real person', 'yes'],
      ['menu', 'back', 'help', 'xqzv blorp'],
    ];
    const seen: DLActivity[] = [];
    for (const messages of conversations) {
      const client = await DirectLineTestClient.start(server.url);
      await client.waitForBot();
      for (const message of messages) {
        await client.send(message);
        await client.waitForBot();
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
      await client.poll();
      seen.push(...client.seen.filter((activity) => activity.from?.role === 'bot' && activity.type === 'message'));
    }
    expect(seen.length).toBeGreaterThan(conversations.length * 2);
    for (const activity of seen) {
      expect([activity.text, activity.attachments ?? []]).toEqual([activity.text, []]);
      expect(typeof activity.text === 'string' && activity.text.trim().length > 0).toBe(true);
      expect([activity.text, activity.textFormat]).toEqual([activity.text, 'plain']);
      for (const action of activity.suggestedActions?.actions ?? []) expect(['imBack', 'postBack', 'messageBack']).toContain((action as { type?: string }).type);
    }
  });
});

describe('the chat page of a school', () => {
  let server: InProcessServer;

  beforeAll(async () => {
    server = await startInProcess({ SCHOOLS_FILE: path.join(SCHOOLS, 'two-schools.json') });
  });
  afterAll(() => server?.close());

  it("names the school in the HTML, and keeps each school's page apart", async () => {
    const schools = JSON.parse(readFileSync(path.join(SCHOOLS, 'two-schools.json'), 'utf8')) as { schools: { id: string; name: string }[] };
    const pages = new Set<string>();
    for (const school of schools.schools) {
      const html = decoded(await get(`${server.url}/s/${school.id}`, { 'accept-encoding': 'br' })).toString('utf8');
      expect(html).toContain(`<p class="school">${escapeHtml(school.name)}</p>`);
      pages.add(html);
    }
    expect(pages.size).toBe(schools.schools.length);
  });
});
