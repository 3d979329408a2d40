import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { AdviserClient } from '../support/adviserClient';
import { content } from '../support/contentText';
import { DirectLineTestClient, headers } from '../support/directLineClient';
import { startRedisServer, type RedisServer } from '../support/redisServer';
import { startServerProcess, type ServerProcess } from '../support/serverProcess';
import { WebhookReceiver } from '../support/webhookReceiver';

/**
 * A whole conversation through the built server (`npm test` builds dist/ first), with every secret
 * set and Redis behind a password, then every line the process wrote is checked: JSON with a time,
 * a level and a message, and nowhere a pupil's or an adviser's words or a secret.
 */
const letters = (stem: string) => `${stem}${randomBytes(5).toString('hex').replace(/\d/g, 'x')}`;
const secret = (bytes: number) => randomBytes(bytes).toString('hex');
const text = (id: string) => content.answer(id).text;
const LEVELS = ['debug', 'info', 'warn', 'error'];

interface LogLine {
  time: string;
  level: string;
  msg: string;
  [field: string]: unknown;
}

describe.each(['info', 'debug'] as const)('logs at LOG_LEVEL=%s', (level) => {
  let redis: RedisServer;
  let server: ServerProcess | undefined;
  let receiver: WebhookReceiver | undefined;
  afterAll(async () => {
    await server?.kill().catch(() => undefined);
    await receiver?.close();
    await redis?.destroy();
  });

  it('are JSON lines without message text, words or secrets, through a whole conversation', async () => {
    const secrets = {
      adviserPassword: `adviser-${secret(12)}`,
      wrongPassword: `wrong-${secret(12)}`,
      directLineSecret: `dls-${secret(16)}`,
      signingKey: `sign-${secret(24)}`,
      redisPassword: `redis${secret(12)}`,
      alertSecret: `alerts-${secret(12)}`,
      // a Teams Workflows URL carries its key in the query: never logged either
      alertUrlKey: `sig${secret(12)}`,
    };
    receiver = await new WebhookReceiver().start();
    redis = await startRedisServer();
    const admin = new Redis(redis.url);
    await admin.config('SET', 'requirepass', secrets.redisPassword);
    admin.disconnect();
    server = await startServerProcess({
      LOG_LEVEL: level,
      NODE_ENV: 'development',
      REDIS_URL: `redis://default:${secrets.redisPassword}@127.0.0.1:${redis.port}`,
      REDIS_KEY_PREFIX: 'logs:',
      DIRECTLINE_SECRET: secrets.directLineSecret,
      TOKEN_SIGNING_KEY: secrets.signingKey,
      ADVISER_USERNAME: 'sam',
      ADVISER_PASSWORD: secrets.adviserPassword,
      SAFEGUARDING_WEBHOOK_URL: `${receiver.url}/workflows/invoke?sig=${secrets.alertUrlKey}`,
      SAFEGUARDING_WEBHOOK_SECRET: secrets.alertSecret,
    });
    const base = server.url;
    const words = {
      pupil: letters('zorblax'),
      crisis: letters('quendle'),
      reply: letters('mibbit'),
      adviser: letters('flurgle'),
      note: letters('snozzle'),
      deleted: letters('wompus'),
      refused: letters('gribble'),
      saved: letters('plonkit'),
      savedTitle: letters('vrommel'),
      badSaved: letters('squibber'),
      transferNote: letters('dwindle'),
    };
    const sent: string[] = [];
    const tokens: string[] = [];
    const say = async (pupil: DirectLineTestClient, said: string) => {
      sent.push(said);
      const response = await pupil.send(said);
      return response.status;
    };

    // A pupil: a question, then a crisis, which queues the conversation as urgent.
    const pupil = await DirectLineTestClient.start(base);
    tokens.push(pupil.token);
    await pupil.waitForBot((activity) => Boolean(activity.suggestedActions));
    await say(pupil, `I want to work with ${words.pupil} animals`);
    await say(pupil, `I want to kill myself, ${words.crisis}`);
    await pupil.waitForBot((activity) => activity.text === text('crisis.reply'));
    await receiver.waitFor((calls) => calls.length >= 1);

    // Direct Line tokens as a server would get them: with the secret, then refreshed; a wrong secret too.
    const generated = await fetch(`${base}/v3/directline/tokens/generate`, { method: 'POST', headers: { authorization: `Bearer ${secrets.directLineSecret}` } });
    expect(generated.status).toBe(200);
    const { token } = (await generated.json()) as { token: string };
    tokens.push(token);
    const refreshed = await fetch(`${base}/v3/directline/tokens/refresh`, { method: 'POST', headers: headers(token) });
    expect(refreshed.status).toBe(200);
    tokens.push(((await refreshed.json()) as { token: string }).token);
    expect((await fetch(`${base}/v3/directline/tokens/generate`, { method: 'POST', headers: { authorization: `Bearer ${secrets.wrongPassword}` } })).status).toBe(401);

    // The adviser: a wrong password, then in; claims, writes, keeps a note, closes.
    expect((await new AdviserClient(base).login('sam', secrets.wrongPassword)).status).toBe(401);
    const adviser = new AdviserClient(base);
    expect((await adviser.login('sam', secrets.adviserPassword)).status).toBe(200);
    const id = pupil.conversationId;
    const adviserText = `Hello, I am Sam. Tell me about ${words.adviser}`;
    expect((await adviser.post(`/conversations/${id}/claim`)).status).toBe(200);
    expect((await adviser.post(`/conversations/${id}/messages`, { text: adviserText })).status).toBe(200);
    await pupil.waitForBot((activity) => activity.text === adviserText);
    await say(pupil, `thanks, it is about ${words.reply}`);
    expect((await adviser.post(`/conversations/${id}/notes`, { text: `note about ${words.note}` })).status).toBe(200);
    // Saved replies and a hand-over note: kept, or refused, and never logged either way.
    expect((await adviser.post('/saved-replies', { scope: 'shared', name: 'log-scan', title: `About ${words.savedTitle}`, text: `A saved reply about ${words.saved} at {school}` })).status).toBe(201);
    expect((await adviser.post('/saved-replies', { scope: 'shared', name: 'log-scan-bad', title: 'Bad', text: `<script>${words.badSaved}</script>` })).status).toBe(400);
    const badJsonReply = await fetch(`${base}/api/adviser/saved-replies`, {
      method: 'POST',
      headers: { cookie: adviser.cookie, 'x-csrf-token': adviser.csrf, 'content-type': 'application/json' },
      body: `{"text":"${words.badSaved}`,
    });
    expect(badJsonReply.status).toBe(400);
    expect((await adviser.post(`/conversations/${id}/transfer`, { to: 'no-such-adviser', note: `over to you ${words.transferNote}` })).status).toBe(400);
    expect((await adviser.post(`/conversations/${id}/close`, { outcome: 'referred-on', note: `closed: ${words.note}` })).status).toBe(200);
    await say(pupil, 'delete my data');
    await pupil.waitForBot((activity) => activity.text === text('privacy.kept-for-safety'));

    // A second pupil deletes their data.
    const other = await DirectLineTestClient.start(base);
    tokens.push(other.token);
    await say(other, `my cat ${words.deleted} likes maths`);
    await say(other, 'delete my data');
    await say(other, text('privacy.button-delete'));
    await other.waitForBot((activity) => activity.text === text('privacy.deleted'));

    // Refused requests carrying words: bad JSON, a bad token.
    const badJson = await fetch(`${base}/v3/directline/conversations/${id}/activities`, {
      method: 'POST',
      headers: { ...headers(pupil.token), 'content-type': 'application/json' },
      body: `{"type":"message","text":"${words.refused}`,
    });
    expect(badJson.status).toBe(400);
    const badToken = await fetch(`${base}/v3/directline/conversations/${id}/activities`, {
      method: 'POST',
      headers: { ...headers(`${pupil.token}x`), 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'message', text: words.refused, from: { id: 'pupil' } }),
    });
    expect(badToken.status).toBe(403);

    // Redis goes away mid-conversation: the degraded path (the safe reply) and its errors log too.
    await redis.stop();
    const whileDown = await say(pupil, `are you there ${words.pupil}`).catch(() => 0);
    expect(whileDown).toBe(200);
    const deadline = Date.now() + 5000;
    while (!server.output().includes('redis connection problem') && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await server.stop()).toBe(0);

    const output = server.output();
    const lines = output.split('\n').filter((line) => line.trim().length > 0);
    const parsed: LogLine[] = lines.map((line) => {
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch {
        throw new Error(`not a JSON log line: ${line}`);
      }
      const record = value as LogLine;
      expect({ line, ok: typeof record.msg === 'string' && record.msg.length > 0 && LEVELS.includes(record.level) && !Number.isNaN(Date.parse(record.time)) }).toEqual({ line, ok: true });
      return record;
    });
    // The run really went through the paths that log.
    const messages = parsed.map((record) => record.msg);
    for (const expected of [
      'careers bot listening',
      'adviser logged in',
      'adviser login failed',
      "conversation data deleted at the pupil's request",
      'redis connection problem',
      'shutting down',
      'safeguarding alert raised',
      'safeguarding alert delivered',
    ]) {
      expect(messages).toContain(expected);
    }
    if (level === 'info') expect(parsed.filter((record) => record.level === 'debug')).toEqual([]);

    const cookie = adviser.cookie.slice(adviser.cookie.indexOf('=') + 1);
    expect(cookie.length).toBeGreaterThan(10);
    const forbidden: Record<string, string> = {
      ...secrets,
      sessionCookie: cookie,
      csrfToken: adviser.csrf,
      ...Object.fromEntries(
        tokens.flatMap((issued, n) => [
          [`token${n}`, issued],
          [`token${n}-signature`, issued.slice(issued.lastIndexOf('.') + 1)],
        ]),
      ),
      ...Object.fromEntries(Object.entries(words).map(([name, value]) => [`word:${name}`, value])),
      adviserText,
      ...Object.fromEntries(sent.filter((said) => said.length >= 12).map((said, n) => [`pupil message ${n}`, said])),
      // Nor the bot's replies: at no level is message text logged.
      ...Object.fromEntries(
        ['crisis.reply', 'privacy.kept-for-safety', 'privacy.deleted', 'privacy.delete-confirm', 'welcome.intro', 'handoff.adviser-joined'].map((answer) => [answer, text(answer).slice(0, 40)]),
      ),
    };
    const found = lines.flatMap((line) =>
      Object.entries(forbidden)
        .filter(([, needle]) => line.toLowerCase().includes(needle.toLowerCase()))
        .map(([name]) => `${name} in ${line}`),
    );
    expect(found).toEqual([]);
  }, 90_000);
});
