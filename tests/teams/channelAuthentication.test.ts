import { Redis } from 'ioredis';
import { leaksInternals } from '../fuzz/arbitraries';
import { startInProcess, type InProcessServer } from '../support/inProcessServer';
import { startRedisServer, type RedisServer } from '../support/redisServer';
import { ChannelIssuer, type ChannelClaims } from './support/channelIssuer';
import { LoginStandIn } from './support/loginStandIn';
import { StandInConnector } from './support/standInConnector';
import { BOT_APP_ID, BOT_PASSWORD, TENANT_ID, newPupil, postActivity, teamsMessage } from './support/teamsActivities';

/**
 * /api/messages with a SingleTenant registration: every token is checked for real, against keys
 * from a local OpenID metadata endpoint (BotOpenIdMetadata), and replies go out with an app token
 * fetched from a local stand-in for login.microsoftonline.com. The stores are a real redis-server, so
 * a refused activity can be shown to leave nothing behind.
 */
describe('Teams channel authentication (SingleTenant)', () => {
  let issuer: ChannelIssuer;
  let login: LoginStandIn;
  let connector: StandInConnector;
  let bot: InProcessServer;
  let redis: RedisServer;
  let inspector: Redis;
  let quiet: jest.SpyInstance;

  beforeAll(async () => {
    // botbuilder prints every refused token with console.error; the assertions below say what matters.
    quiet = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    issuer = await new ChannelIssuer().start();
    login = await new LoginStandIn().start();
    connector = await new StandInConnector().start();
    redis = await startRedisServer();
    inspector = new Redis(redis.url);
    bot = await startInProcess({ MicrosoftAppId: BOT_APP_ID, MicrosoftAppPassword: BOT_PASSWORD, MicrosoftAppTenantId: TENANT_ID, BotOpenIdMetadata: issuer.metadataUrl, REDIS_URL: redis.url });
  });
  afterAll(async () => {
    inspector?.disconnect();
    await bot?.close();
    await redis?.destroy();
    await connector?.close();
    await login?.close();
    await issuer?.close();
    quiet.mockRestore();
  });

  const valid = (): ChannelClaims => ({ aud: BOT_APP_ID, serviceurl: connector.url });
  /** Every key in the bot's Redis: state, transcripts, conversation references, queue. */
  const storedKeys = async () => (await inspector.keys('*')).sort();

  it('runs in authenticated mode, SingleTenant by default', () => {
    expect(bot.runtime.botFramework).toBe('authenticated');
  });

  it('accepts a valid channel token (200) and replies through the connector with an app token for its own tenant', async () => {
    const pupil = newPupil();
    const before = connector.calls.length;
    const keysBefore = await storedKeys();
    const response = await postActivity(bot.url, teamsMessage(pupil, connector.url, 'apprenticeships'), issuer.sign(valid()));
    expect(response.status).toBe(200);
    // an accepted turn does store (state, transcript): the refusals below are measured against this
    const added = (await storedKeys()).filter((key) => !keysBefore.includes(key));
    expect(added.some((key) => key.includes(encodeURIComponent(pupil.conversationId)) || key.includes(pupil.conversationId))).toBe(true);
    const replies = connector.since(before);
    expect(replies.length).toBeGreaterThan(0);
    for (const reply of replies) {
      expect(reply.conversationId).toBe(pupil.conversationId);
      expect(reply.authorization).toBe(`Bearer ${login.tokenFor(1)}`);
    }
    // One client-credentials grant for the Bot Connector's audience, against the bot's own tenant.
    expect(login.requests).toHaveLength(1);
    expect(login.requests[0].tenant).toBe(TENANT_ID);
    expect(login.requests[0].form).toMatchObject({ grant_type: 'client_credentials', client_id: BOT_APP_ID, client_secret: BOT_PASSWORD, scope: 'https://api.botframework.com/.default' });
  });

  const refused: [string, () => string | undefined][] = [
    ['no Authorization header', () => undefined],
    ['an empty bearer token', () => ''],
    ['a token that is not a JWT', () => 'not.a.jwt'],
    ['an expired token', () => issuer.sign({ ...valid(), expiresIn: -600, notBefore: -4000 })],
    ['a token not valid yet', () => issuer.sign({ ...valid(), notBefore: 900 })],
    ['a token for another bot (wrong audience)', () => issuer.sign({ ...valid(), aud: '11111111-2222-4333-8444-555555555555' })],
    ['a token from another issuer', () => issuer.sign({ ...valid(), iss: 'https://sts.example.com/' })],
    ['a token signed by a key the metadata does not publish', () => issuer.sign(valid(), { key: issuer.strangerKey, kid: 'stranger-key' })],
    ['a forged signature under the real key id', () => issuer.sign(valid(), { key: issuer.strangerKey })],
    ['an unsigned token ("alg": "none")', () => issuer.unsigned(valid())],
    ['a token whose serviceurl claim names another service', () => issuer.sign({ ...valid(), serviceurl: 'https://smba.trafficmanager.net/emea/' })],
  ];

  it.each(refused)('refuses %s with 401, stores nothing and calls no one', async (_case, token) => {
    const before = { connector: connector.calls.length, login: login.requests.length, keys: await storedKeys() };
    // "its unsafe at home" (a crisis case in tests/triage) would queue an urgent hand-off if the turn ran at all
    const response = await postActivity(bot.url, teamsMessage(newPupil(), connector.url, 'its unsafe at home'), token());
    expect(response.status).toBe(401);
    // CloudAdapter's own answer: its authentication error's message, nothing from inside the bot
    expect(leaksInternals(await response.text())).toBe(false);
    expect(connector.calls.length).toBe(before.connector);
    expect(login.requests.length).toBe(before.login);
    expect(await storedKeys()).toEqual(before.keys);
    expect(await bot.runtime.stores.queue.list()).toEqual([]);
  });

  it('refuses a valid token sent with an activity naming a different serviceUrl, and sends nothing there', async () => {
    const elsewhere = await new StandInConnector().start();
    try {
      const keysBefore = await storedKeys();
      const response = await postActivity(bot.url, teamsMessage(newPupil(), elsewhere.url, 'hello'), issuer.sign(valid()));
      expect(response.status).toBe(401);
      expect(elsewhere.calls).toEqual([]);
      expect(await storedKeys()).toEqual(keysBefore);
    } finally {
      await elsewhere.close();
    }
  });
});
