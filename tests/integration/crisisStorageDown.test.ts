import { content } from '../support/contentText';
import { startInProcess, type InProcessServer } from '../support/inProcessServer';
import { startRedisServer, type RedisServer } from '../support/redisServer';
import { StandInConnector } from '../teams/support/standInConnector';

describe('a crisis while Redis is down', () => {
  let redis: RedisServer;
  let bot: InProcessServer;
  let connector: StandInConnector;

  beforeAll(async () => {
    redis = await startRedisServer();
    bot = await startInProcess({ REDIS_URL: redis.url, REDIS_KEY_PREFIX: 'down:', NODE_ENV: 'development' });
    connector = await new StandInConnector().start();
  });
  afterAll(async () => {
    await bot?.close().catch(() => undefined);
    await connector?.close();
    await redis?.destroy();
  });

  it('still sends the crisis reply at once, and the urgent request reaches the queue when Redis is back', async () => {
    await redis.stop();
    const started = Date.now();
    const response = await fetch(`${bot.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        type: 'message',
        id: 'crisis-1',
        channelId: 'msteams',
        serviceUrl: connector.url,
        text: 'i cant do this anymore i want to end my life',
        from: { id: 'pupil-1' },
        recipient: { id: 'bot-1' },
        conversation: { id: 'teams-crisis-1' },
      }),
    });
    expect(response.status).toBeLessThan(500);
    expect(connector.texts[0]).toBe(content.answer('crisis.reply').text);
    // nothing after it: no "something went wrong" on top of the crisis reply
    expect(connector.texts.filter((text) => text === content.answer('error.turn').text)).toEqual([]);
    expect(Date.now() - started).toBeLessThan(15_000);

    const back = await startRedisServer({ port: redis.port, dir: redis.dir });
    redis = back;
    const deadline = Date.now() + 15_000;
    let item = await bot.runtime.stores.queue.get('teams-crisis-1').catch(() => undefined);
    while (!item && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      item = await bot.runtime.stores.queue.get('teams-crisis-1').catch(() => undefined);
    }
    expect(item).toMatchObject({ priority: 'urgent', flags: ['crisis'], channel: 'msteams' });
  }, 40_000);
});
