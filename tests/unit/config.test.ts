import { readFileSync } from 'node:fs';
import path from 'node:path';
import { CONFIG_VARIABLES, ConfigError, loadConfig } from '../../adapters/config/config';

describe('loadConfig', () => {
  it('gives the documented defaults for an empty environment', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ PORT: 3978, RETENTION_DAYS: 30, REDIS_KEY_PREFIX: 'careersbot:', NODE_ENV: 'development' });
    expect(config.REDIS_URL).toBeUndefined();
  });

  it('treats empty values as unset, as a copied .env.example has them', () => {
    expect(loadConfig({ REDIS_URL: '', MicrosoftAppId: ' ', BOT_CLOCK: '' }).REDIS_URL).toBeUndefined();
  });

  it.each([
    [{ PORT: 'abc' }, 'PORT must be a number'],
    [{ PORT: '70000' }, 'PORT must be between 1 and 65535'],
    [{ REDIS_URL: 'http://localhost:6379' }, 'REDIS_URL must be a redis:// or rediss:// URL'],
    [{ RETENTION_DAYS: '0' }, 'RETENTION_DAYS must be between 1 and 365'],
    [{ BOT_CLOCK: 'next tuesday' }, 'BOT_CLOCK must be an ISO-8601 instant'],
    [{ NODE_ENV: 'prod' }, 'NODE_ENV must be one of development, production, test'],
    [{ MicrosoftAppId: 'abc', MicrosoftAppTenantId: 't' }, 'MicrosoftAppPassword is required when MicrosoftAppId is set'],
    [{ ADVISER_USERNAME: 'sam' }, 'ADVISER_PASSWORD must be set too'],
    [{ DIRECTLINE_SECRET: 'short' }, 'DIRECTLINE_SECRET must be at least 16 characters'],
    [{ REDIS_URL: 'redis://a:6379', REDIS_CLUSTER_NODES: 'redis://b:6379' }, 'REDIS_CLUSTER_NODES must not be set together with REDIS_URL'],
    [{ REDIS_CLUSTER_NODES: 'redis://a:6379,b:6379' }, 'REDIS_CLUSTER_NODES must be redis:// or rediss:// URLs'],
    [{ REDIS_CLUSTER_NODES: 'redis://:one@a:6379,redis://:two@b:6379' }, 'REDIS_CLUSTER_NODES must give every node the same scheme'],
    [{ REDIS_SENTINELS: 'a:26379' }, 'REDIS_SENTINEL_NAME must be set too'],
    [{ REDIS_SENTINEL_NAME: 'mymaster' }, 'REDIS_SENTINELS must be set too'],
    [{ REDIS_SENTINELS: 'a', REDIS_SENTINEL_NAME: 'mymaster' }, 'REDIS_SENTINELS must be host:port pairs'],
    [{ REDIS_SENTINELS: 'a:26379', REDIS_SENTINEL_NAME: 'mymaster', REDIS_URL: 'redis://a:6379' }, 'REDIS_SENTINELS must not be set together with REDIS_URL'],
    [{ REDIS_PASSWORD: 'pw', REDIS_URL: 'redis://a:6379' }, 'REDIS_PASSWORD is only read with REDIS_SENTINELS'],
  ])('refuses %j with one line naming the variable', (env, expected) => {
    let message = '';
    try {
      loadConfig(env);
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      message = (error as Error).message;
    }
    expect(message).toContain(expected);
    expect(message).not.toContain('\n');
  });

  it("reads a cluster's nodes and a Sentinel group as lists", () => {
    expect(loadConfig({ REDIS_CLUSTER_NODES: ' redis://:pw@a:7000, redis://:pw@b:7001,' }).REDIS_CLUSTER_NODES).toEqual(['redis://:pw@a:7000', 'redis://:pw@b:7001']);
    expect(loadConfig({ REDIS_SENTINELS: 's1:26379,[::1]:26380', REDIS_SENTINEL_NAME: 'mymaster' })).toMatchObject({
      REDIS_SENTINELS: [
        { host: 's1', port: 26379 },
        { host: '::1', port: 26380 },
      ],
      REDIS_SENTINEL_NAME: 'mymaster',
    });
  });

  it('never echoes a secret value in its error', () => {
    expect(() => loadConfig({ DIRECTLINE_SECRET: 'tiny-secret' })).toThrow(/^(?!.*tiny-secret).*$/);
  });

  it('gives the documented rate limits, takes 0 as off, and refuses negatives and words', () => {
    expect(loadConfig({})).toMatchObject({ RATE_LIMIT_ADDRESS_PER_MINUTE: 6000, RATE_LIMIT_CONVERSATIONS_PER_MINUTE: 120, RATE_LIMIT_MESSAGES_PER_MINUTE: 60, RATE_LIMIT_POLLS_PER_MINUTE: 600 });
    expect(loadConfig({ RATE_LIMIT_ADDRESS_PER_MINUTE: '0' }).RATE_LIMIT_ADDRESS_PER_MINUTE).toBe(0);
    expect(() => loadConfig({ RATE_LIMIT_MESSAGES_PER_MINUTE: '-1' })).toThrow('RATE_LIMIT_MESSAGES_PER_MINUTE must be between 0 (off) and 1000000');
    expect(() => loadConfig({ RATE_LIMIT_POLLS_PER_MINUTE: 'lots' })).toThrow('RATE_LIMIT_POLLS_PER_MINUTE must be a number');
    expect(() => loadConfig({ RATE_LIMIT_CONVERSATIONS_PER_MINUTE: '1.5' })).toThrow('RATE_LIMIT_CONVERSATIONS_PER_MINUTE must be a whole number per minute');
  });

  it('documents every variable it reads in .env.example and in the README table', () => {
    const root = path.join(__dirname, '..', '..');
    const example = readFileSync(path.join(root, '.env.example'), 'utf8');
    const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
    expect(CONFIG_VARIABLES.length).toBeGreaterThan(20);
    for (const variable of CONFIG_VARIABLES) {
      expect([variable, new RegExp(`^${variable}=`, 'm').test(example)]).toEqual([variable, true]);
      expect([variable, readme.includes(`\`${variable}\``)]).toEqual([variable, true]);
    }
  });

  it('accepts an ISO instant for BOT_CLOCK', () => {
    expect(loadConfig({ BOT_CLOCK: '2026-08-20T08:05:00+01:00' }).BOT_CLOCK).toBe('2026-08-20T08:05:00+01:00');
  });
});
